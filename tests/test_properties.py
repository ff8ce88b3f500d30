"""Property-based tests: arbitrary text in every field either builds or fails cleanly, and
participant text never becomes live markup."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_site.analyse import analyse
from build_site.errors import StudyError
from build_site.load import RawDocument, RawStudy
from build_site.pipeline import load_and_validate
from build_site.privacy.selection import select
from build_site.render.diagrams import DiagramRenderer
from build_site.render.fragments import swap_in
from build_site.render.pages import Page, RenderContext, declare_site
from build_site.study import Study
from build_site.validate import validate
from build_site.yamlsource import YamlProblem, load_yaml

from .conftest import FIXTURES

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.live = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.live |= tag == "zq" or any(name.startswith("onzq") for name, _ in attrs)


def _live_marker(html: str) -> bool:
    """Whether the hostile marker became a real element or attribute (not text)."""
    parser = _Tags()
    parser.feed(html)
    return parser.live


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(text=TEXT, narrative=TEXT, value=TEXT, label=TEXT)
def test_participant_text_never_becomes_markup(text: str, narrative: str, value: str,
                                               label: str, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    hostile = "<zq onzq=1>{: onzq=2 }"
    study = load_and_validate(FIXTURES / "tiny")
    dyad = study.dyads[0]
    excerpt = dyad.excerpts[0].model_copy(update={"text": hostile + text or "x"})
    dyad = dyad.model_copy(update={
        "excerpts": [excerpt, *dyad.excerpts[1:]], "narrative": narrative + hostile,
        "demographics": {**dyad.demographics, "note": value + hostile},
        "summaries": {"trust": label + hostile},
    })
    study = study.model_copy(update={"dyads": [dyad, *study.dyads[1:]]})
    shown = select(study, "review")
    cache = tmp_path_factory.mktemp("diagrams")
    ctx, rendered = _render_site(shown, cache)
    pages = [rendered[p] for p in (f"dyads/{shown.dyads[0].id}.md", "data/demographics.md",
                                   "analysis/matrix.md")]
    fragments = ctx.diagram_fragments()  # blocks swapped in after Markdown, as on the site
    for page in pages:
        html = markdown.markdown(page.markdown.split("---", 2)[-1], extensions=EXTENSIONS)
        assert not _live_marker(swap_in(html, fragments)), page.path


def _render_site(shown: Study, cache: Path) -> tuple[RenderContext, dict[str, Page]]:
    """Every page of a review copy of ``shown``, by path, and the context that rendered them."""
    ctx = RenderContext(shown, analyse(shown), "review", DiagramRenderer(cache))
    pages, _ = declare_site(ctx).render(ctx)
    return ctx, {page.path: page for page in pages}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_template_text_is_shown_exactly_as_written(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    written = "The patient's \"doctor\" & <b>nurse</b> [x](y) #1 *not bold* | a_b"
    study = load_and_validate(FIXTURES / "tiny")
    dyad = study.dyads[0].model_copy(update={"summaries": {"trust": written}})
    study = study.model_copy(update={"dyads": [dyad, *study.dyads[1:]]})
    shown = select(study, "review")
    ctx, rendered = _render_site(shown, tmp_path_factory.mktemp("diagrams"))
    page = rendered["analysis/matrix.md"]
    html = markdown.markdown(page.markdown.split("---", 2)[-1], extensions=EXTENSIONS)
    parser = _Text()
    parser.feed(swap_in(html, ctx.diagram_fragments()))
    assert written in "".join(parser.parts)


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children,
                                                                       max_size=3),
    max_leaves=8,
)


@settings(max_examples=80, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["id", "clinician", "status", "excerpts",
                                             "demographics", "consent", "interview",
                                             "summaries", "other"]), YAML_VALUES, max_size=6))
def test_arbitrary_front_matter_validates_or_fails_cleanly(data: dict[str, object]) -> None:
    root = FIXTURES / "tiny"
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        front = load_yaml(text)
    except YamlProblem:
        return
    def doc(name: str) -> RawDocument:
        return RawDocument(name, load_yaml((root / name).read_text(encoding="utf-8")))

    raw = RawStudy(root=root, study=doc("study.yml"), model=doc("model.yml"),
                   codebook=doc("codebook.yml"),
                   dyads=[RawDocument("dyads/X.md", front if isinstance(front, dict) else {})])
    try:
        validate(raw)
    except StudyError as exc:
        assert exc.problems and all(p.file for p in exc.problems)


@settings(max_examples=30, deadline=None)
@given(text=st.text(max_size=200))
def test_arbitrary_yaml_text_never_crashes_the_loader(text: str) -> None:
    try:
        load_yaml(text)
    except YamlProblem as exc:
        assert exc.message
    _ = shutil  # the loader is pure: nothing touches the disk
