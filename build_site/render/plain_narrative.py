"""A narrative without Markdown syntax as HTML, without Python-Markdown and nh3 (issue 25).

A case's narrative is team-written Markdown, converted and then cleaned by nh3
(:func:`build_site.render.html.narrative_html`): 0.68 CPU s at 1,000 dyads for 1,217 texts,
every one distinct, most of them paragraphs of plain sentences and a heading or two. For such a
text the result is known without either: each paragraph ``<p>`` its lines ``</p>``, each
heading ``<hN>`` its words ``</hN>`` (levels 1 and 2 shown as 3, as ``narrative_html`` shifts
them), one per line. :func:`plain_html` writes that, and only for a text it can prove has no
syntax either converter would read:

- blocks are separated by exactly one empty line, and no line has leading or trailing
  whitespace (no indented code, no hard line break, no lazy continuation);
- a block is a single heading line (``#`` to ``######``, one space, then words), or lines each
  starting with a letter (never a list, a quote, a table, a rule, a setext underline or an
  ordered list's number);
- every other character is a letter, a digit, a space or one of ``.,;:'"?!-()/%[]`` (no
  ``&<>`` for HTML and entities, no ``\\`*_{}|~#`` inside a line for emphasis, code, tables or
  escapes);
- no ``]`` is followed, after any whitespace, by ``(`` or ``[`` (an inline or a reference
  link). A bracket alone is text: de-identification writes ``[a small town]``, and a
  reference (``[a small town]``, ``[x][y]``) is a link only when a line defines it, which
  starts with ``[`` and so is refused above.

Anything else returns ``None`` and takes the whole path. The output holds no tag but ``p`` and
``h3``-``h6`` and no attribute, so nothing the allow-list would remove can pass.
``tests/render/test_plain_narrative.py`` compares it with the whole path for every narrative of
the bundled, OSCE and synthetic studies and for generated texts at the edges of each rule.
"""

from __future__ import annotations

import re

# Letters, digits and safe punctuation, with "_" refused apart (``\w`` is ``str.isalnum`` or
# "_"): one character class scans a line in C, five times faster than ``[^\W_]|[...]``.
_SAFE = re.compile(r"[\w .,;:'\"?!()/%\[\]-]*")
_HEADING = re.compile(r"(#{1,6}) (\S.*)\Z")
_LINK = re.compile(r"\]\s*[(\[]")  # "[text](url)", "[text][id]", "[text] [id]"


def _words(line: str) -> bool:
    """Whether ``line`` is only letters, digits and the safe punctuation, starts with a
    letter and does not end with a space."""
    return (line[:1].isalpha() and line[-1:] != " "
            and "_" not in line and _SAFE.fullmatch(line) is not None)


def plain_html(text: str) -> str | None:
    """The HTML of ``narrative_html(text)`` when ``text`` has no Markdown syntax (the rules
    in the module's docstring), else ``None``. Raises nothing."""
    if _LINK.search(text):
        return None
    blocks = text.strip("\n").split("\n\n")
    out: list[str] = []
    for block in blocks:
        lines = block.split("\n")
        first = lines[0]
        if first.startswith("#"):
            heading = _HEADING.match(first)
            if len(lines) != 1 or heading is None or not _words(heading.group(2)):
                return None
            level = max(len(heading.group(1)), 3)
            out.append(f"<h{level}>{heading.group(2)}</h{level}>")
            continue
        if not all(_words(line) for line in lines):
            return None
        out.append("<p>" + "\n".join(lines) + "</p>")
    return "\n".join(out)
