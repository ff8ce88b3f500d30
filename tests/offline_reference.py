"""The external-load check's reading of an HTML page as it was before post4: libxml2's tree
(``etree.HTMLParser(collect_ids=False)``, lxml.html's parser) walked element by element. Kept
as the reference the parser-target reading (:class:`build_site.offline._PageReader`) must
match on every page (``tests/test_offline_reader.py``). The rules (what an element loads) are
those of ``build_site/offline.py`` at a44b96f, copied here unchanged; one thing differs,
:func:`reference_page_loads` with ``after_root``: the walk then also reads what libxml2 puts
after the root element (what follows ``</html>``: a second ``<html>`` beside the root, which
``root.iter()`` never visited, while a browser shows it in the body); and ``merged_roots``
(adv5): the attributes of a misplaced ``<html>`` or ``<body>`` start tag, which libxml2 drops
and a browser adds to the page's own element."""


from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from build_site.offline import (
    _HREF_READ,
    _JSON_TYPES,
    _LOADS,
    _LOADS_ANYWHERE,
    _NOT_LOADED,
    _READ_ATTRIBUTES,
    _REFRESH_URL,
    _SCRIPT_URL,
    _SRCSETS,
    _TEXT_READ,
    MAX_SRCDOC_DEPTH,
    MERMAID,
    _css_urls,
    _local_name,
    _srcset_urls,
    _stylesheet_instruction,
    external_host,
)


def reference_page_loads(text: str, after_root: bool = True,
                         merged_roots: bool = True) -> list[tuple[str, str]]:
    """(what, url) of every load of the HTML page ``text``, read from its tree as before;
    with ``after_root``, also from the elements after the root; with ``merged_roots``, when
    libxml2 dropped a misplaced ``<html>`` or ``<body>`` start tag, also the attributes of
    every such tag (adv5: a browser adds them to the page's own element)."""
    root = _html_document(text)
    misplaced = any(e.message.startswith(("htmlParseStartTag: misplaced <html>",
                                          "htmlParseStartTag: misplaced <body>"))
                    for e in _HTML_PARSER.error_log)
    tops = [root, *root.itersiblings()] if after_root else [root]
    found = [load for top in tops for load in _element_loads(top)]
    if merged_roots and misplaced:
        renamed = re.sub(r"<(html|body)(?=[\s/>])", lambda m: "<adv5-" + m[1].lower(), text,
                         flags=re.IGNORECASE)  # kept by libxml2 wherever they stand
        tree = _html_document(renamed)
        for element in (e for top in (tree, *tree.itersiblings()) for e in top.iter()):
            if isinstance(element.tag, str) and element.tag.startswith("adv5-"):
                alone = copy.deepcopy(element)  # its attributes, without its contents
                alone[:] = []
                alone.text = None
                alone.tag = element.tag[len("adv5-"):]
                found += _element_loads(alone)
    return found


def _may_load(el: Any, tag: str) -> bool:
    """Whether :func:`_element_loads` reads anything of the element ``el`` (named ``tag``,
    local and in lower case); when not, it yields nothing for it."""
    if tag in _TEXT_READ:
        return True
    keys = el.keys()
    return not _READ_ATTRIBUTES.isdisjoint(keys) or (tag in _HREF_READ and "href" in keys)


def _element_loads(root: Any, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(what, url) for every load an HTML or SVG tree asks for, an iframe's ``srcdoc`` read
    as a document of its own (up to :data:`MAX_SRCDOC_DEPTH` deep)."""
    local_names: dict[str, str] = {}
    for el in root.iter():
        if isinstance(el, etree._ProcessingInstruction):
            yield from _stylesheet_instruction(el)
            continue
        if not isinstance(el.tag, str):
            continue
        tag = local_names.get(el.tag)
        if tag is None:
            tag = local_names[el.tag] = _local_name(el.tag)
        foreign = _foreign_text_loads(el, tag)
        if not _may_load(el, tag):
            yield from foreign
            continue  # most of a page (<a href>, <div class>)
        if tag == "meta" and (el.get("http-equiv") or "").strip().lower() == "refresh":
            target = _REFRESH_URL.search(el.get("content") or "")
            if target:
                yield "<meta http-equiv=\"refresh\">", target.group(1).strip("'\" ")
        if tag == "link" and el.get("href"):
            rels = set((el.get("rel") or "").lower().split())
            if rels and not rels <= _NOT_LOADED:
                yield f"<link rel=\"{el.get('rel')}\">", el.get("href")
        for attr in (*_LOADS.get(tag, ()), *_LOADS_ANYWHERE):
            value = el.get(attr)
            if value:
                name = etree.QName(attr).localname if attr.startswith("{") else attr
                urls = _srcset_urls(value) if attr in _SRCSETS else [value]
                yield from ((f"<{tag} {name}>", u) for u in urls)
        yield from _theme_fetches(el, tag)
        if tag == "style" and el.text:
            yield from (("CSS in <style>", u) for u in _css_urls(el.text))
        if el.get("style"):
            yield from (("CSS in a style attribute", u) for u in _css_urls(el.get("style")))
        if tag == "iframe" and (el.get("srcdoc") or "").strip():
            if depth >= MAX_SRCDOC_DEPTH:
                yield "<iframe srcdoc> nested too deep to read", "//srcdoc.unread"
            else:
                inner = _html_document(el.get("srcdoc"))
                yield from ((f"{what} in <iframe srcdoc>", url)
                            for what, url in _element_loads(inner, depth + 1))
        yield from foreign


def _foreign_text_loads(el: Any, tag: str) -> list[tuple[str, str]]:
    """adv5: the text libxml2 keeps in a style, script, title, textarea... inside SVG or
    MathML, read as the HTML a browser parses there."""
    if tag not in {"style", "script", "title", "textarea", "xmp", "iframe", "noembed",
                   "noframes", "noscript", "plaintext"} or "<" not in (el.text or ""):
        return []
    if not any(isinstance(a.tag, str) and _local_name(a.tag) in {"svg", "math"}
               for a in el.iterancestors()):
        return []
    try:
        inner = reference_page_loads(el.text)
    except etree.ParserError:
        return []
    return [(f"{what} inside SVG or MathML text", url) for what, url in inner]


def _theme_fetches(el: Any, tag: str) -> Iterator[tuple[str, str]]:
    """Loads that a script makes because of ``el``: a URL literal in an inline script (the
    analytics snippet adds ``<script src=...>`` so), Material's repository facts for its
    ``source`` link (``repo_url``: GitHub's or GitLab's API) and Mermaid for a ``pre.mermaid``
    diagram (Material's bundle loads it from unpkg.com)."""
    if tag == "script" and not el.get("src") and el.text and (
            (el.get("type") or "").lower() not in _JSON_TYPES):
        yield from (("a URL in an inline script", u) for u in _SCRIPT_URL.findall(el.text))
    if el.get("data-md-component") == "source" and el.get("href"):
        parts = urlsplit(el.get("href"))
        if external_host(el.get("href")):
            api = ("https://api.github.com/repos" if parts.hostname == "github.com"
                   else f"{parts.scheme}://{parts.netloc}/api/v4/projects")
            yield "Material's repository facts for repo_url, fetched by its script", api
    if tag == "pre" and "mermaid" in (el.get("class") or "").split():
        yield "Material's script, to draw a Mermaid diagram", MERMAID


_HTML_PARSER = etree.HTMLParser(collect_ids=False)


def _html_document(text: str) -> Any:
    """The root element of the HTML document ``text``, as ``lxml.html.document_fromstring``
    parses it (an ``etree`` element rather than an ``HtmlElement``).

    Raises:
        etree.ParserError: "Document is empty", as lxml.html raises it.
    """
    root = etree.fromstring(text, _HTML_PARSER)
    if root is None:
        raise etree.ParserError("Document is empty")
    return root


