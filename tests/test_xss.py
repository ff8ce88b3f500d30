"""Stored XSS: no free text of study.yml, model.yml or codebook.yml runs as HTML, breaks out of
an attribute or becomes a link, on any page, in the theme (site name, navigation, titles) or
in our templates, and every one reads exactly as typed (no double escaping).

Parses the built HTML and the search index; tests/browser/test_xss.py proves the same in
Chromium.
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from build_site.pipeline import build
from build_site.search_once import read_index

from .hostile import Hostile, free_text_paths, hostile_study

# The cite page's BibTeX and RIS blocks show fields in those formats (BibTeX escapes, family
# name first), not as typed; what runs in them is still checked.
REFERENCE = "bs-reference"
SPACE = re.compile(r"\s+")
MARKER = re.compile(r"zq\d\d")
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction"}
# Attributes a reader sees or hears (ids and anchors are slugs, not text).
TEXT_ATTRIBUTES = {"title", "xlink:title", "aria-label", "alt", "content", "placeholder",
                   "value", "summary", "label"}


# Free-text fields no page shows, in a public or a review build: the feedback packets carry
# the questions, the manifest the sign-off; the model's version is not published; the hostile
# study is a real one, and only a demonstration shows its demonstration_note.
# (Affiliation, ORCID, keywords and version reach the team list and the cite page.)
NOT_ON_PAGES = [
    "model.yml: version", "study.yml: demonstration_note", "study.yml: feedback_questions",
    "study.yml: sign_off.by", "study.yml: sign_off.role",
]


def _norm(text: str) -> str:
    return SPACE.sub(" ", text).strip()


class _Page(HTMLParser):
    """Elements, attributes and text of one HTML document (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value)
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag in ("script", "style") or (tag == "pre" and ("class", REFERENCE) in attrs):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "pre") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return _norm(" ".join(self.chunks))


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _problems(where: str, html: str, hostile: Hostile) -> list[str]:
    """What in ``html`` (a page, or a fragment the search shows as HTML) runs, links to
    ``javascript:`` or shows a field other than as typed."""
    page = _parse(html)
    problems = [f"{where}: <{tag} {name}=...> injected" for tag, name, value in page.attributes
                if name.startswith("on") or (tag == "img" and name == "src" and value == "x")]
    problems += [f"{where}: {name}={value!r}" for _, name, value in page.attributes
                 if name in URL_ATTRIBUTES and _norm(value).lower().startswith("javascript:")]
    texts = [("text", page.text)] + [(f"{tag} {name}=", _norm(value))
                                     for tag, name, value in page.attributes
                                     if name in TEXT_ATTRIBUTES]
    for context, text in texts:
        for found in MARKER.finditer(text):
            marker = found.group(0)
            if marker not in hostile.typed or hostile.is_markdown(marker):
                continue
            # Case aside: a label is lower-cased inside a sentence.
            typed = _norm(hostile.typed[marker].split(marker, 1)[1]).casefold()
            shown = text[found.end():].strip().casefold()
            cut = context != "text" and len(shown) < len(typed)  # a tooltip, cut short
            if not shown.startswith(typed) and not (cut and typed.startswith(shown)):
                problems.append(f"{where}: {hostile.paths[marker]} in {context} reads "
                                f"{shown[:len(typed)]!r}")
    return problems


@pytest.fixture(scope="module", params=["public", "review"])
def hostile_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[Path, Hostile]:
    work = tmp_path_factory.mktemp("hostile")
    hostile = hostile_study(work / "study")
    build(hostile.folder, work / "site", audience=request.param)
    return work / "site", hostile


def test_the_fixture_fills_every_free_text_field(tmp_path: Path) -> None:
    hostile = hostile_study(tmp_path / "study")
    filled = {re.sub(r"\.(1|S1|approach)$", ".*", p) for p in hostile.paths.values()}
    for name in ("study", "model", "codebook"):
        wanted = {f"{name}.yml: {p}" for p in free_text_paths(name)}
        missing = {p for p in wanted - filled if not p.startswith("study.yml: methods.")}
        missing -= {"study.yml: publication.case_key", "study.yml: publication.dyad_demographics",
                    "study.yml: date_released", "study.yml: sign_off.date"}
        assert not missing, f"fields of {name}.yml the hostile fixture does not fill: {missing}"


def test_no_field_runs_or_reads_otherwise_on_any_page(hostile_site: tuple[Path, Hostile]
                                                      ) -> None:
    site, hostile = hostile_site
    problems: list[str] = []
    for path in sorted(site.rglob("*.html")):
        problems += _problems(path.relative_to(site).as_posix(), path.read_text("utf-8"),
                              hostile)
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all)"


def test_every_field_reaches_a_page(hostile_site: tuple[Path, Hostile]) -> None:
    """The test above proves something only for fields that are published at all."""
    site, hostile = hostile_site
    pages = " ".join(unescape(p.read_text("utf-8")) for p in site.rglob("*.html"))
    unpublished = sorted(hostile.paths[m] for m in hostile.typed if m not in pages)
    assert unpublished == NOT_ON_PAGES, unpublished


def test_the_search_index_shows_fields_as_text(hostile_site: tuple[Path, Hostile]) -> None:
    """Material's search shows an entry's title and text as HTML."""
    site, hostile = hostile_site
    index = read_index(site)
    problems: list[str] = []
    for doc in index["docs"]:
        for key in ("title", "text"):
            problems += _problems(f"search {doc['location']} {key}", doc[key], hostile)
    assert not problems, "\n".join(problems[:40])


def test_site_name_and_titles_read_as_typed(hostile_site: tuple[Path, Hostile]) -> None:
    site, hostile = hostile_site
    title = next(v for m, v in hostile.typed.items()
                 if hostile.paths[m] == "study.yml: title")
    label = next(v for m, v in hostile.typed.items()
                 if hostile.paths[m] == "model.yml: components.label")
    page = _parse((site / "model" / "listening.html").read_text("utf-8"))
    shown = [_norm(v) for t, n, v in page.attributes if n in ("title", "aria-label")]
    assert _norm(title) in shown
    assert f"{_norm(label)} - {_norm(title)}" in page.text  # <title>


def _features(html: str) -> list[str]:
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html)
    assert config, "Material's page configuration not found"
    return list(json.loads(config.group(1))["features"])


def test_material_tooltips_that_render_titles_as_html_are_off(
        hostile_site: tuple[Path, Hostile]) -> None:
    site, _ = hostile_site
    assert "content.tooltips" not in _features((site / "index.html").read_text("utf-8"))


def test_a_team_config_cannot_turn_html_tooltips_back_on(tiny: Path, tmp_path: Path) -> None:
    (tiny / "mkdocs.yml").write_text(
        "site_name: Study site\ntheme:\n  name: material\n  font: false\n"
        "  features: [content.tooltips, navigation.top]\n", "utf-8")
    build(tiny, tmp_path / "site")
    features = _features((tmp_path / "site" / "index.html").read_text("utf-8"))
    assert "content.tooltips" not in features and "navigation.top" in features


@pytest.fixture(scope="module")
def zensical_hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Hostile]:
    """The hostile study's public site built with Zensical (which autoescapes nothing and
    runs none of our MkDocs plugins: build_site.engines.zensical_engine)."""
    work = tmp_path_factory.mktemp("hostile-zensical")
    hostile = hostile_study(work / "study")
    build(hostile.folder, work / "site", engine="zensical")
    return work / "site", hostile


def test_under_zensical_no_field_runs_or_reads_otherwise(
        zensical_hostile_site: tuple[Path, Hostile]) -> None:
    test_no_field_runs_or_reads_otherwise_on_any_page(zensical_hostile_site)
    test_site_name_and_titles_read_as_typed(zensical_hostile_site)


def test_under_zensical_the_search_index_shows_fields_as_text(
        zensical_hostile_site: tuple[Path, Hostile]) -> None:
    site, hostile = zensical_hostile_site
    index = json.loads((site / "search.json").read_text("utf-8"))
    problems: list[str] = []
    for doc in index["items"]:
        for key in ("title", "text"):
            problems += _problems(f"search {doc['location']} {key}", doc[key], hostile)
    assert index["items"] and not problems, "\n".join(problems[:40])
