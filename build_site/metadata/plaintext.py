"""Plain text from the Markdown the team writes, for descriptions that are not rendered."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown

_SPACE = re.compile(r"[ \t\r\f\v]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "li", "br", "h1", "h2", "h3", "h4", "blockquote", "tr"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(text: str) -> str:
    """``text`` (Markdown) as plain text: emphasis, links and markup gone, link text kept,
    paragraphs separated by one blank line.

    Returns:
        The text, stripped; ``""`` for empty input.
    """
    parser = _Text()
    parser.feed(markdown.markdown(text or ""))
    parser.close()
    lines = [_SPACE.sub(" ", line).strip() for line in "".join(parser.parts).split("\n")]
    paragraphs = [line for line in lines if line]
    return "\n\n".join(paragraphs)
