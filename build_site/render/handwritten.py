"""Where the team's own pages go in the navigation (issue 22 item 7).

A hand-written Markdown page is listed under "About" unless its front matter names a
top-level section::

    ---
    section: Methods
    ---
    # Ethics approval

An existing section ("Model", "Case studies", "Analysis", "Methods", "Data") takes the page at
its end; any other title starts a section of its own, after the generated ones. The navigation
itself is always made from the declared pages (:mod:`build_site.render.registry`), so a
``nav`` in the site configuration is refused (:func:`build_site.site_project.refuse_nav`)
rather than silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from build_site.errors import Problem, StudyError
from build_site.yamlsource import LineDict, YamlProblem, load_yaml

SECTION_KEY = "section"
# Front matter as MkDocs reads it (mkdocs.utils.meta.YAML_RE), so a page's section is read
# from exactly the block MkDocs takes for its metadata.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_HINT = ("write the title of a top-level section, e.g. 'section: Methods', or leave it out "
         "to list the page under About")


def page_section(text: str, source: str) -> str | None:
    """The ``section`` named in the front matter of the Markdown page ``text``, or None.

    Args:
        text: the page's Markdown (decoded).
        source: the page's file, for messages.

    Raises:
        StudyError: the front matter is not valid YAML, or ``section`` is not a non-empty
            line of text (file and line named, exit 2).
    """
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        return None
    try:
        meta = load_yaml(match.group(1))
    except YamlProblem as exc:
        raise StudyError([Problem(source, exc.line + 1 if exc.line else 0,
                                  f"front matter: {exc.message}",
                                  exc.hint or "fix the YAML between the --- lines")]) from None
    if not isinstance(meta, dict) or SECTION_KEY not in meta:
        return None
    value = meta[SECTION_KEY]
    line = meta.key_lines.get(SECTION_KEY, 0) + 1 if isinstance(meta, LineDict) else 0
    if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
        raise StudyError([Problem(source, line, "front matter: 'section' must name one "
                                  "top-level section of the navigation", _HINT)])
    return value.strip()


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")


def page_title(text: str, path: str) -> str:
    """The navigation title of the hand-written Markdown page ``text`` at ``path``, as MkDocs
    takes a page's title: the front matter's ``title``, else the first level-one heading of
    the page, else the file's name (``mkdocs/structure/pages.py``, ``Page.title``).

    Nothing else is taken: a comment in the front matter (``# note to self``) or a line of a
    fenced code block that starts with ``#`` (a shell comment) is not a heading, so it never
    becomes the title every page's navigation shows.
    """
    text = text.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            meta = load_yaml(match.group(1))
        except YamlProblem:
            meta = None  # page_section reports it
        title = meta.get("title") if isinstance(meta, dict) else None
        if isinstance(title, str) and title.strip():
            return title.strip()
        text = text[match.end():]
    heading = _first_h1(text.splitlines())
    if heading:
        return heading
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("-", " ").replace("_", " ").capitalize()


def _first_h1(lines: list[str]) -> str | None:
    """The text of the first level-one heading (ATX ``# T`` or setext ``T`` over ``===``)
    outside fenced code blocks (CommonMark 4.2, 4.3, 4.5), or None."""
    fence: str | None = None
    previous = ""
    for line in lines:
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and not line.strip().strip(fence[0]) and len(opened.group(1)) >= len(fence):
                fence = None  # a closing fence: the same character, as long, nothing after
            previous = ""
            continue
        if opened:
            fence, previous = opened.group(1), ""
            continue
        atx = _ATX_H1.match(line)
        if atx and atx.group(1).strip():
            return atx.group(1).strip()
        if previous.strip() and _SETEXT_H1.match(line):
            return previous.strip()
        previous = line
    return None


def page_sections(pages: Mapping[str, bytes], source: Callable[[str], str]) -> dict[str, str]:
    """The section of every hand-written Markdown page that names one.

    Args:
        pages: docs-relative path -> bytes (as published).
        source: docs-relative path -> the file, for messages.

    Returns:
        docs-relative path -> section title, for the pages whose front matter names one.

    Raises:
        StudyError: every page whose ``section`` is unreadable or not a title (exit 2).
    """
    sections: dict[str, str] = {}
    problems: list[Problem] = []
    for path, data in sorted(pages.items()):
        if not path.endswith(".md"):
            continue
        try:
            section = page_section(data.decode("utf-8"), source(path))
        except StudyError as exc:
            problems += exc.problems
            continue
        if section is not None:
            sections[path] = section
    if problems:
        raise StudyError(problems)
    return sections
