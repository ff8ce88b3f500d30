"""Bad input, table-driven: every case exits non-zero with a clear message naming the file,
and a previous site stays exactly as it was (issue: robustness and injection safety)."""

from __future__ import annotations

import os
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main
from build_site.pipeline import build
from build_site.publish import refuse_reason

from .conftest import tree_hash

Edit = Callable[[Path], None]


def _replace(rel: str, old: str, new: str) -> Edit:
    def edit(study: Path) -> None:
        path = study / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def _write(rel: str, data: bytes) -> Edit:
    def edit(study: Path) -> None:
        (study / rel).parent.mkdir(parents=True, exist_ok=True)
        (study / rel).write_bytes(data)
    return edit


def _symlink_dyads(study: Path) -> None:
    outside = study.parent / "outside-dyads"
    (study / "dyads").rename(outside)
    os.symlink(outside, study / "dyads")


BOMB = "".join(["a0: &a0 [x, x]\n"] + [f"a{i}: &a{i} [*a{i-1}, *a{i-1}]\n" for i in range(1, 40)])
CASES: list[tuple[str, Edit, int, str]] = [
    ("tab indentation", _write("study.yml", b"title: x\nteam:\n\t- name: a\n"), 2,
     "study.yml:3: invalid YAML"),
    ("duplicate key", _write("study.yml", b"title: x\ntitle: y\n"), 2,
     "study.yml:2: duplicate key 'title' (first on line 1)"),
    ("unclosed quote", _write("study.yml", b'title: "x\nsubtitle: y\n'), 2, "study.yml:"),
    ("python tag", _write("study.yml", b"title: !!python/object/apply:os.system ['true']\n"),
     2, "YAML tag not allowed"),
    ("alias bomb", _write("study.yml", ("title: x\n" + BOMB).encode()), 2, "aliases"),
    ("deep nesting", _write("study.yml", b"title: x\nextra: " + b"[" * 3000 + b"]" * 3000 + b"\n"),
     2, "study.yml"),
    ("NUL byte", _write("study.yml", b"title: a\x00b\n"), 2, "NUL"),
    ("unknown code", _replace("dyads/C1-P2.md", "codes: [long-haul]", "codes: [long-hual]"),
     2, "dyads/C1-P2.md:12: unknown code 'long-hual' (did you mean 'long-haul'?)"),
    ("duplicate id", _replace("dyads/C1-P2.md", "id: C1-P2-E1", "id: C1-P1-E1"), 2,
     "duplicate id 'C1-P1-E1'"),
    ("missing field", _replace("dyads/C2-P1.md", "    speaker: patient\n", ""), 2,
     "missing required field 'excerpts.0.speaker'"),
    ("wrong type", _replace("dyads/C1-P2.md", "interview: {order: 3}",
                            "interview: {order: [3]}"), 2, "interview.order"),
    ("empty file", _write("codebook.yml", b""), 2, "codebook.yml: file is empty"),
    ("Windows-1252", _write("dyads/C2-P1.md", "---\nid: C2-P1\n---\nit\u2019s".encode("cp1252")),
     2, "not valid UTF-8 (byte 0x92)"),
    ("UTF-16 without BOM", _write("study.yml", "title: x\n".encode("utf-16-le")), 2, "NUL"),
    ("oversized file", _write("dyads/C2-P1.md", b"---\nid: C2-P1\n---\n" + b"x" * 6_000_000), 2,
     "the limit is"),
    ("transcript outside", _replace("dyads/C2-P1.md", "status: draft",
                                    "status: draft\ntranscript: ../../etc/passwd"), 2,
     "outside the study folder"),
    ("symlinked folder", _symlink_dyads, 2, "outside the study folder through a symlink"),
    ("reserved component id", _replace("model.yml", "  - id: trust\n", "  - id: index\n"), 2,
     "is reserved"),
    # plain .inf is text now (scalars are read as written); an explicit tag still makes one
    ("not a finite number", _replace("dyads/C2-P1.md", "age: 38",
                                     "age: 38, score: !!float .inf"), 2, "not a finite number"),
    ("mkdocs.yml runs code", _write("mkdocs.yml", b"site_name: x\nextra: "
                                    b"!!python/object/apply:os.system ['touch PWNED']\n"),
     2, "would run code"),
    ("mkdocs.yml hooks", _write("mkdocs.yml", b"site_name: x\nhooks: [evil.py]\n"), 2,
     "'hooks' would run Python files"),
    ("docs_dir outside", _write("mkdocs.yml", b"site_name: x\ndocs_dir: /etc\n"), 2,
     "is outside the configuration's folder"),
    ("docs_dir private", _write("mkdocs.yml", b"site_name: x\ndocs_dir: private\n"), 2,
     "inside a private/ folder"),
    ("snippets include private files",
     _write("mkdocs.yml", b"site_name: x\nmarkdown_extensions:\n  - pymdownx.snippets:\n"
                          b"      base_path: [private]\n"), 2,
     "'pymdownx.snippets' puts files from outside the docs folder into pages"),
    ("a build output inside the pages",
     _write("docs/review/.build-site", b"review\n"), 2,
     "holds a site build-site wrote"),
]


class _LiveMarkup(HTMLParser):
    """Collects what a browser would run: event-handler attributes, javascript: URLs, and
    images (none of which participant or team text may create)."""

    def __init__(self) -> None:
        super().__init__()
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.live.append("<img>")
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"{tag} {name}")
            if name in ("href", "src", "xlink:href") and (value or "").strip().lower(
                    ).startswith("javascript:"):
                self.live.append(f"{tag} {name}={value}")


@pytest.mark.parametrize(("name", "edit", "code", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_the_site_kept(name: str, edit: Edit, code: int, message: str,
                                                tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    before = tree_hash(out)
    edit(tiny)
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    assert result.exit_code == code, result.output
    assert message in result.output, result.output
    assert "Traceback" not in result.output
    assert tree_hash(out) == before
    assert not (tiny.parent / "PWNED").exists() and not (Path.cwd() / "PWNED").exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_byte_order_marks_crlf_and_decomposed_unicode_build(encoding: str, tiny: Path,
                                                            tmp_path: Path) -> None:
    path = tiny / "dyads" / "C1-P1.md"
    text = path.read_text(encoding="utf-8").replace("Margery", "Marge\u0301ry")
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    ids = tiny / "private" / "identifiers.yml"
    ids.write_text(ids.read_text().replace("variants: [Margery]", "variants: [Margery, Margéry]"))
    build(tiny, tmp_path / "site")
    html = (tmp_path / "site" / "dyads" / "C1-P1.html").read_text(encoding="utf-8")
    assert "Ada first met C1" in html and "Marg" not in html


def test_an_indented_dashes_line_does_not_end_the_front_matter(tiny: Path,
                                                              tmp_path: Path) -> None:
    _replace("dyads/C1-P1.md", "    text: SPOUSE-WORDS she phoned us at home.",
             "    text: |\n      SPOUSE-WORDS she phoned\n      ---\n"
             "      SPOUSE-PRIVATE at home.")(tiny)
    build(tiny, tmp_path / "site")
    for page in (tmp_path / "site").rglob("*"):
        if page.is_file() and page.suffix in {".html", ".json", ".js"}:
            assert "SPOUSE-PRIVATE" not in page.read_text(encoding="utf-8"), page


def test_dangerous_outputs_are_refused_through_the_deciding_function(tmp_path: Path) -> None:
    home = tmp_path / "home"
    study = home / "work" / "study"
    study.mkdir(parents=True)
    assert "root" in str(refuse_reason(Path("/"), study, home))
    assert "home directory" in str(refuse_reason(home, study, home))
    assert refuse_reason(study, study, home)
    assert refuse_reason(study.parent, study, home)


@pytest.mark.parametrize("where", ["file-parent", "empty"])
def test_unusable_output_locations_exit_2(where: str, tiny: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    out = str(blocker / "site") if where == "file-parent" else ""
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", out])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_study_folder_that_does_not_exist(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope"), "--out",
                                       str(tmp_path / "site")])
    assert result.exit_code == 2 and "study folder not found" in result.output


def test_hostile_labels_do_not_break_graphviz(tiny: Path, tmp_path: Path) -> None:
    _replace("model.yml", "    label: Listening\n", '    label: "<b>Listen\\\\"\n')(tiny)
    build(tiny, tmp_path / "site")
    html = (tmp_path / "site" / "model" / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;Listen\\" in html


def test_markdown_syntax_in_any_field_stays_text(tiny: Path, tmp_path: Path) -> None:
    for dyad in ("C1-P1", "C1-P2"):  # two cases each, so the counts are not suppressed
        _replace(f"dyads/{dyad}.md", "conditions: [diabetes]",
                 'conditions: ["[x](javascript:alert(1))", "y {: onclick=alert(2) }"]')(tiny)
    _replace("study.yml", "title: Tiny study", 'title: "Tiny [t](javascript:alert(3))"')(tiny)
    _replace("model.yml", "    definition: Hearing the patient out.",
             '    definition: "![i](x.png){: onerror=alert(4) }"')(tiny)
    build(tiny, tmp_path / "site", audience="review")
    for page in (tmp_path / "site").rglob("*.html"):
        parser = _LiveMarkup()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.live == [], page
    html = (tmp_path / "site" / "data" / "demographics.html").read_text(encoding="utf-8")
    assert "javascript&#58;alert" in html or "javascript:alert" in html  # shown as text
