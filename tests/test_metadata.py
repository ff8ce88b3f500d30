"""Research metadata (issue 23 items 5 and 6): ORCID iDs, the home page's JSON-LD and
``citation_*`` tags, BibTeX and RIS, deposit files, the Frictionless data package of the
downloads, the supplement's RO-Crate, and a demonstration study that never passes for real."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from build_site.errors import StudyError
from build_site.metadata.bibliographic import bib_escape, bibtex, ris
from build_site.metadata.demonstration import reserved_domain
from build_site.metadata.deposit import datacite_metadata, zenodo_metadata
from build_site.metadata.fictional_downloads import mark_downloads
from build_site.metadata.orcid import TEST_ORCID, check_digit, orcid_problem
from build_site.metadata.webmeta import citation_tags, home_head, script_json
from build_site.outputs.package import package
from build_site.pipeline import build, load_and_validate
from build_site.render.downloads import citation_cff
from build_site.signoff import fingerprint

REAL_ORCID = "0000-0001-5109-3700"  # ORCID's own documentation example (Laure Haak)
OVERVIEW = "overview: A two-clinician fixture for the tests."
HOSTILE = 'Smith & "Jones" </script><script>alert(1)</script>'


def _real(tiny: Path, title: str = "Tiny study", extra: str = "") -> Path:
    """``tiny`` as a real (not demonstration) study with a team, publisher and article."""
    path = tiny / "study.yml"
    text = path.read_text().replace("demonstration: true", "demonstration: false")
    text = text.replace("title: Tiny study", f"title: {json.dumps(title)}").replace(
        OVERVIEW, "overview: A **bold** claim with [a link](data/cite.md).")
    path.write_text(text + (
        "license: CC BY 4.0\npublisher: Example University Press\n"
        "date_released: '2026-11-29'\nkeywords: [care, trust]\n"
        "citation: {text: Cite me, doi: 10.1234/site.5678}\n"
        "article: {text: The article, doi: 10.1234/article.42}\n"
        "team:\n"
        f"  - {{name: Ana M. Pérez, affiliation: Example University, orcid: '{REAL_ORCID}'}}\n"
        "  - {name: Bo Li}\n" + extra))
    return tiny


def _demo_team(tiny: Path, orcid: str = TEST_ORCID) -> Path:
    path = tiny / "study.yml"
    path.write_text(path.read_text().replace(OVERVIEW, "overview: A *fictional* study.")
                    + "team:\n"
                    f"  - {{name: J. Doe, affiliation: Example University, orcid: '{orcid}'}}\n")
    return tiny


# --- ORCID -----------------------------------------------------------------------------------

def test_orcid_check_digit_follows_iso_7064_mod_11_2() -> None:
    assert check_digit("000000021825009") == "7"
    assert check_digit("000000021694233") == "X"  # ORCID's example of an X check digit
    assert orcid_problem(TEST_ORCID) is None
    assert orcid_problem("https://orcid.org/0000-0002-1694-233X") is None
    assert "check digit is 8" in str(orcid_problem("0000-0002-1825-0098"))
    assert "not an ORCID iD" in str(orcid_problem("0000-0002-1825"))


def test_a_mistyped_orcid_is_refused_with_its_file_and_line(tiny: Path) -> None:
    path = tiny / "study.yml"
    lines = len(path.read_text().splitlines())
    path.write_text(path.read_text() + "team:\n  - name: A B\n    orcid: 0000-0002-1825-0098\n")
    with pytest.raises(StudyError) as exc:
        load_and_validate(tiny)
    [problem] = exc.value.problems
    assert problem.file == "study.yml" and problem.line == lines + 3
    assert "check digit" in problem.message


# --- web addresses and DOIs ------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value", "says"), [
    ("url", "javascript:alert(5)", "not a web address"),
    ("url", "data:text/html,<script>alert(1)</script>", "not a web address"),
    ("url", "https://doi.org\\@example.org/10.1038/x", "backslash"),
    ("url", "https://doi.org@example.org/10.1038/x", "user name before '@'"),
    ("url", "https://example.org/a b", "percent-encode"),
    ("doi", '10.1234/x"><script>alert(4)</script>', "not a DOI"),
    ("doi", "10.1234/a b", "not a DOI"),
    ("doi", "https://doi.org/10.1234/x", "write the DOI bare"),
])
@pytest.mark.parametrize("key", ["citation", "article"])
def test_a_reference_takes_only_web_addresses_and_dois(tiny: Path, key: str, field: str,
                                                       value: str, says: str) -> None:
    path = _real(tiny) / "study.yml"
    text = path.read_text()
    lines = len(text.splitlines())
    path.write_text(text.replace(f"{key}: {{", "# ") + f"{key}:\n  text: x\n"
                    f"  {field}: {json.dumps(value)}\n")
    with pytest.raises(StudyError) as exc:
        load_and_validate(tiny)
    [problem] = exc.value.problems
    assert problem.file == "study.yml" and problem.line == lines + 3, problem
    assert problem.message.startswith(f"{key}.{field}: ") and says in problem.message


def test_good_web_addresses_and_dois_pass(tiny: Path) -> None:
    _real(tiny, extra="based_on: {text: B, url: 'HTTPS://Example.ORG:8080/a/@me?x=1#y', "
                      "doi: 10.1000.10/(a)b;c}\n")
    meta = load_and_validate(tiny).meta
    assert meta.based_on and meta.based_on.doi == "10.1000.10/(a)b;c"


# --- demonstration ---------------------------------------------------------------------------

def test_a_demonstration_refuses_a_real_orcid_a_doi_and_a_real_address(tiny: Path) -> None:
    path = _demo_team(tiny, REAL_ORCID) / "study.yml"
    path.write_text(path.read_text() + "citation: {text: x, doi: 10.1/x, url: 'https://a.edu'}\n")
    with pytest.raises(StudyError) as exc:
        load_and_validate(tiny)
    messages = " | ".join(p.message for p in exc.value.problems)
    assert "real person's iD" in messages and "has no DOI" in messages
    assert "real address" in messages
    assert all(p.file == "study.yml" and p.line > 0 for p in exc.value.problems)


D1_DOI = "10.1038/s41586-020-2649-2"


@pytest.mark.parametrize(("yaml_text", "where", "found"), [
    (f"citation: {{text: 'Real A. A real study. 2026. doi:{D1_DOI}'}}", "citation.text", D1_DOI),
    (f"article: {{text: 'Real A. https://doi.org/{D1_DOI}'}}", "article.text", D1_DOI),
    ("publisher: 'Uni, 10%2E1038%2Fs41586-020-2649-2'", "publisher", D1_DOI),
    (f"citation: {{text: x, url: 'https://example.org/{D1_DOI}'}}", "citation.url", D1_DOI),
    (f"team: [{{name: A, affiliation: 'Real University, https://orcid.org/{REAL_ORCID}'}}]",
     "team.0.affiliation", REAL_ORCID),
    ("team: [{name: A, role: 'PI (0000\u20130001\u20135109\u20133700)'}]", "team.0.role",
     REAL_ORCID),
    ("title: 'Tiny study 0000 0001 5109 3700'", "title", "0000 0001 5109 3700"),
    ("keywords: ['10.1038/abc']", "keywords.0", "10.1038/abc"),
])
def test_a_demonstration_refuses_a_doi_or_orcid_inside_its_text(
        tiny: Path, yaml_text: str, where: str, found: str) -> None:
    path = tiny / "study.yml"
    text = path.read_text().replace("title: Tiny study\n", "")
    lines = len(text.splitlines())
    added = yaml_text if yaml_text.startswith("title") else f"title: T\n{yaml_text}"
    path.write_text(f"{text}{added}\n")
    with pytest.raises(StudyError) as exc:
        load_and_validate(tiny)
    [problem] = exc.value.problems
    assert problem.file == "study.yml" and problem.line == lines + len(added.splitlines())
    assert problem.message.startswith(f"{where}: '{found}") and "demonstration" in problem.message


def test_a_demonstration_may_cite_a_real_source_in_its_prose_and_use_the_test_orcid(
        tiny: Path) -> None:
    path = tiny / "study.yml"
    path.write_text(path.read_text().replace(OVERVIEW, f"overview: Transcripts from doi:{D1_DOI}.")
                    + f"team: [{{name: A, affiliation: 'Example U, orcid.org/{TEST_ORCID}'}}]\n")
    assert load_and_validate(tiny).meta.team[0].affiliation.endswith(TEST_ORCID)


def test_a_demonstration_address_is_checked_where_a_browser_goes() -> None:
    # WHATWG URL parsing: a backslash is a slash, so the host is doi.org, not example.org.
    assert not reserved_domain(f"https://doi.org\\@example.org/{D1_DOI}")
    assert not reserved_domain("https://doi.org@example.org/")  # userinfo: refused outright
    assert not reserved_domain("javascript://example.org/%0aalert(1)")


def test_reserved_example_domains() -> None:
    assert reserved_domain("https://example.org/a") and reserved_domain("http://x.example/")
    assert reserved_domain("https://site.test") and reserved_domain("https://www.example.com")
    assert not reserved_domain("https://example.org.evil.com") and not reserved_domain("https://a.org")


def test_demonstration_metadata_says_fictional_and_has_no_citation_tags(tiny: Path) -> None:
    study = load_and_validate(_demo_team(tiny))
    assert citation_tags(study) == []
    head = home_head(study)
    assert "citation_" not in head
    data = json.loads(re.search(r">(.*)</script>", head).group(1))  # type: ignore[union-attr]
    assert "fictional" in data["name"] and "Fictional" in data["description"]
    assert data["creator"][0]["@id"] == f"https://orcid.org/{TEST_ORCID}"
    for made in (zenodo_metadata(study), datacite_metadata(study)):
        text = json.dumps(made)
        assert "fictional" in text and "doi" not in text.lower().replace("doi:", "")
    assert "fictional" in yaml.safe_load(citation_cff(study))["title"]
    assert "fictional" in bibtex(study) and "N1  - Fictional" in ris(study)


def test_demonstration_downloads_say_fictional_on_every_row() -> None:
    files = {"a.csv": b"\xef\xbb\xbfid,text\r\nx,\"=1\"\r\n", "b.json": b'[{"id": "x"}]',
             "c.json": b'{"rows": []}', "d.qdc": b"<x/>"}
    marked = mark_downloads(files)
    assert marked["a.csv"].decode("utf-8-sig").splitlines() == [
        "id,text,demonstration", "x,'=1,fictional"]
    assert json.loads(marked["b.json"]) == [{"id": "x", "demonstration": "fictional"}]
    assert json.loads(marked["c.json"])["demonstration"] == "fictional"
    assert marked["d.qdc"] == b"<x/>"


# --- web metadata ----------------------------------------------------------------------------

def test_json_ld_cannot_close_its_script_element() -> None:
    text = script_json({"name": HOSTILE})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": HOSTILE}


def test_real_study_head_has_escaped_citation_tags(tiny: Path) -> None:
    study = load_and_validate(_real(tiny, title=HOSTILE))
    tags = dict(citation_tags(study))
    assert tags["citation_doi"] == "10.1234/site.5678"
    assert tags["citation_author_orcid"] == f"https://orcid.org/{REAL_ORCID}"
    assert tags["citation_publication_date"] == "2026/11/29"
    assert tags["citation_abstract"] == "A bold claim with a link."
    head = home_head(study)
    assert head.count("</script>") == 1 and "<script>alert" not in head
    assert 'content="Smith &amp; &quot;Jones&quot; &lt;/script&gt;' in head
    data = json.loads(re.search(r">(.*)</script>", head).group(1))  # type: ignore[union-attr]
    assert data["name"] == HOSTILE and data["@type"] == "Dataset"
    assert data["identifier"] == "https://doi.org/10.1234/site.5678"
    assert data["creator"][0]["affiliation"]["name"] == "Example University"


def test_home_page_head_under_both_engines(tiny: Path, tmp_path: Path) -> None:
    _real(tiny)
    for engine in ("mkdocs", "zensical"):
        out = tmp_path / engine
        build(tiny, out, engine=engine)  # type: ignore[arg-type]
        home = (out / "index.html").read_text("utf-8")
        head = home.split("</head>")[0]
        assert head.count('type="application/ld+json"') == 1, engine
        assert '<meta name="citation_title" content="Tiny study">' in head, engine
        assert "noindex" not in head, engine
        other = (out / "data" / "cite.html").read_text("utf-8")
        assert "citation_title" not in other and "ld+json" not in other, engine
        assert "https://orcid.org/" + REAL_ORCID in home and "Example University" in home


def test_demonstration_site_is_noindex_and_fictional_on_every_page(tiny: Path,
                                                                    tmp_path: Path) -> None:
    build(_demo_team(tiny), tmp_path / "site")
    pages = list((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        if page.name == "404.html":
            continue
        text = page.read_text("utf-8")
        assert "Fictional demonstration study" in text, page
        assert '<meta name="robots" content="noindex,nofollow">' in text, page
        assert "citation_" not in text.split("</head>")[0], page


# --- reference formats and deposits ----------------------------------------------------------

def test_bibtex_and_ris_of_a_real_study(tiny: Path) -> None:
    study = load_and_validate(_real(tiny, title="Care & {trust} 100%"))
    entry = bibtex(study)
    assert entry.startswith("@misc{Prez2026,") and r"Care \& \{trust\} 100\%" in entry
    assert "author = {Pérez, Ana M. and Li, Bo}" in entry and "doi = {10.1234/site.5678}" in entry
    assert entry.count("{") == entry.count("}") + entry.count(r"\}") - entry.count(r"\{")
    assert bib_escape("a_b#c~") == r"a\_b\#c\textasciitilde{}"
    record = ris(study).split("\r\n")
    assert record[0] == "TY  - DATA" and "AU  - Pérez, Ana M." in record
    assert "DO  - 10.1234/site.5678" in record and "PB  - Example University Press" in record
    assert record[-2] == "ER  - "


def test_deposit_files_carry_orcid_affiliation_publisher_and_article(tiny: Path) -> None:
    study = load_and_validate(_real(tiny))
    datacite = datacite_metadata(study)
    assert datacite["publisher"] == "Example University Press"
    assert datacite["relatedIdentifiers"] == [{
        "relatedIdentifier": "10.1234/article.42", "relatedIdentifierType": "DOI",
        "relationType": "IsSupplementTo"}]
    first = datacite["creators"][0]
    assert first["nameIdentifiers"][0]["nameIdentifier"] == f"https://orcid.org/{REAL_ORCID}"
    assert first["affiliation"] == [{"name": "Example University"}]
    assert datacite["descriptions"][0]["description"] == "A bold claim with a link."
    zenodo = zenodo_metadata(study)
    assert zenodo["creators"][0] == {"name": "Pérez, Ana M.", "affiliation": "Example University",
                                     "orcid": REAL_ORCID}
    assert zenodo["description"] == "A bold claim with a link."
    assert {"relation": "isSupplementTo", "identifier": "10.1234/article.42",
            "scheme": "doi"} in zenodo["related_identifiers"]
    cff = yaml.safe_load(citation_cff(study))
    assert cff["authors"][0]["orcid"] == f"https://orcid.org/{REAL_ORCID}"
    assert cff["abstract"] == "A bold claim with a link." and cff["doi"] == "10.1234/site.5678"


def test_datacite_publisher_is_never_the_tool(tiny: Path) -> None:
    study = load_and_validate(_demo_team(tiny))
    assert datacite_metadata(study)["publisher"] == "Example University"


# --- Frictionless data package ---------------------------------------------------------------

def test_datapackage_validates_with_frictionless(tiny: Path, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    build(tiny, tmp_path / "site")
    data = tmp_path / "site" / "data"
    descriptor = json.loads((data / "datapackage.json").read_text("utf-8"))
    names = {r["path"] for r in descriptor["resources"]}
    assert names == {p.name for p in data.glob("*.csv")}
    report = frictionless.validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "type", "note"])
    assert "fictional" in descriptor["title"]
    # the validation is real: a CSV that no longer matches its schema fails it
    csv = data / "excerpts.csv"
    csv.write_text(csv.read_text("utf-8-sig").replace("id,", "ident,", 1), "utf-8")
    assert not frictionless.validate(str(data / "datapackage.json")).valid


# --- RO-Crate --------------------------------------------------------------------------------

def _check_rocrate(crate: dict, names: set[str]) -> dict[str, dict]:
    """Structure checks of RO-Crate 1.1 (w3id.org/ro/crate/1.1/structure.html and
    root-data-entity.html): the context, a flat graph of unique ids, the metadata descriptor,
    the root data entity with its required properties, every part an entity, every local
    data entity a file of the crate, and every reference resolvable in the graph or a URL."""
    assert crate["@context"] == "https://w3id.org/ro/crate/1.1/context"
    graph = crate["@graph"]
    ids = [e["@id"] for e in graph]
    assert len(ids) == len(set(ids))
    by_id = {e["@id"]: e for e in graph}
    descriptor = by_id["ro-crate-metadata.json"]
    assert descriptor["@type"] == "CreativeWork"
    assert descriptor["conformsTo"] == {"@id": "https://w3id.org/ro/crate/1.1"}
    assert descriptor["about"] == {"@id": "./"}
    root = by_id["./"]
    assert root["@type"] == "Dataset"
    for key in ("name", "description", "datePublished", "license"):
        assert root[key], key
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", root["datePublished"])
    for entity in graph:
        for value in entity.values():
            for ref in value if isinstance(value, list) else [value]:
                if isinstance(ref, dict) and set(ref) == {"@id"}:
                    target = ref["@id"]
                    assert target in by_id or target.startswith("https://"), target
                assert not isinstance(ref, dict) or set(ref) == {"@id"}, "graph must be flat"
    for part in root["hasPart"]:
        entity = by_id[part["@id"]]
        if entity["@type"] == "File":
            assert entity["@id"] in names, entity["@id"]
        else:
            assert entity["@type"] == "Dataset" and entity["@id"].endswith("/")
            assert any(n.startswith(entity["@id"]) for n in names)
    return by_id


def test_supplement_zip_has_a_valid_rocrate(tiny: Path, tmp_path: Path) -> None:
    _real(tiny)
    path = tiny / "study.yml"
    path.write_text(path.read_text() + "sign_off: {role: PI, by: AB, date: 2026-11-29, "
                    f'manifest: "{fingerprint(tiny)}"}}\n')
    with zipfile.ZipFile(package(tiny, tmp_path / "s.zip")) as archive:
        names = set(archive.namelist())
        crate = json.loads(archive.read("ro-crate-metadata.json"))
        datacite = json.loads(archive.read("datacite.json"))
    by_id = _check_rocrate(crate, names)
    assert {"CITATION.cff", "datacite.json", ".zenodo.json", "site/",
            "site/data/excerpts.csv"} <= {p["@id"] for p in by_id["./"]["hasPart"]}
    person = by_id[f"https://orcid.org/{REAL_ORCID}"]
    assert person["@type"] == "Person"
    assert by_id[person["affiliation"]["@id"]]["name"] == "Example University"
    assert by_id["./"]["isPartOf"] == {"@id": "https://doi.org/10.1234/article.42"}
    assert datacite["publisher"] == "Example University Press"
