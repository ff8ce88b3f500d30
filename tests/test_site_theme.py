"""A team's theme merges into the defaults, and no page loads anything from another host
(issue 20, item 4)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from build_site.cli import main
from build_site.errors import StudyError
from build_site.offline import external_host, external_loads
from build_site.pipeline import build
from build_site.site_project import default_config
from build_site.site_theme import key_line, merged_theme
from tests.conftest import tree_hash


def _default_theme() -> dict:
    return yaml.safe_load(default_config().read_text(encoding="utf-8"))["theme"]


def _merge(team: object, tmp_path: Path) -> dict:
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump({"theme": team}), encoding="utf-8")
    return merged_theme(_default_theme(), team, config)


def test_palette_colours_go_into_each_default_scheme(tmp_path: Path) -> None:
    theme = _merge({"palette": {"primary": "indigo"}}, tmp_path)
    assert theme["name"] == "material" and theme["font"] is False
    assert [s["scheme"] for s in theme["palette"]] == ["default", "slate"]
    assert all(s["primary"] == "indigo" and s["accent"] == "deep orange" and s["toggle"]
               for s in theme["palette"])
    assert theme["features"] == _default_theme()["features"]


def test_features_are_a_union_and_remove_features_takes_one_out(tmp_path: Path) -> None:
    theme = _merge({"features": ["navigation.tabs", "navigation.footer"],
                    "remove_features": ["navigation.prune"]}, tmp_path)
    defaults = _default_theme()["features"]
    assert theme["features"] == [f for f in defaults if f != "navigation.prune"] + [
        "navigation.footer"]
    assert "remove_features" not in theme


def test_a_palette_naming_a_scheme_or_a_list_is_the_teams_own(tmp_path: Path) -> None:
    assert _merge({"palette": {"scheme": "slate"}}, tmp_path)["palette"] == {"scheme": "slate"}
    schemes = [{"scheme": "default", "primary": "red"}]
    assert _merge({"palette": schemes}, tmp_path)["palette"] == schemes


def test_nested_mappings_merge_and_another_theme_is_left_alone(tmp_path: Path) -> None:
    theme = _merge({"icon": {"repo": "fontawesome/brands/git-alt"}}, tmp_path)
    assert theme["icon"] == {"repo": "fontawesome/brands/git-alt"}
    assert theme["palette"] == _default_theme()["palette"]
    assert _merge({"name": "readthedocs"}, tmp_path) == {"name": "readthedocs"}
    assert _merge("material", tmp_path)["features"] == _default_theme()["features"]


def test_a_malformed_palette_names_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ntheme:\n  features: [toc.follow]\n  palette: teal\n",
                      encoding="utf-8")
    with pytest.raises(StudyError) as refused:
        merged_theme(_default_theme(), {"palette": "teal"}, config)
    assert f"{config}:4: 'palette' must be a mapping" in str(refused.value)


def test_key_line_follows_nested_keys(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ntheme:\n  name: material\n  font:\n    text: Roboto\n",
                      encoding="utf-8")
    assert key_line(config, "theme", "font") == 4
    assert key_line(config, "theme", "palette") == 2  # the deepest key found
    assert key_line(config, "plugins") == 0


def _site_with_theme(tiny: Path, tmp_path: Path, theme: str) -> tuple[Path, str]:
    (tiny / "mkdocs.yml").write_text("site_name: Tiny\n" + theme, encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    return out, result.output


def test_a_palette_only_theme_keeps_dark_mode_and_tabs_and_loads_nothing_from_elsewhere(
        tiny: Path, tmp_path: Path) -> None:
    # The reported case: only a palette colour set; before, the whole default theme went.
    out, output = _site_with_theme(tiny, tmp_path, "theme:\n  name: material\n  palette:\n"
                                                  "    primary: indigo\n")
    assert (out / "index.html").is_file(), output
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="md-tabs"' in page
    schemes = re.findall(r'<input class="md-option" data-md-color-media="[^"]*" '
                         r'data-md-color-scheme="(\w+)" data-md-color-primary="(\w+)"', page)
    assert schemes == [("default", "indigo"), ("slate", "indigo")]
    assert "fonts.googleapis.com" not in page
    assert external_loads(out) == []


def test_a_theme_without_name_builds(tiny: Path, tmp_path: Path) -> None:
    out, output = _site_with_theme(tiny, tmp_path, "theme:\n  palette: {accent: amber}\n")
    assert (out / "index.html").is_file(), output
    assert 'data-md-color-accent="amber"' in (out / "index.html").read_text(encoding="utf-8")


def test_web_fonts_are_refused_naming_page_url_and_line(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(tiny, out)
    before = tree_hash(out)
    (tiny / "mkdocs.yml").write_text("site_name: Tiny\ntheme:\n  font:\n    text: Roboto\n",
                                     encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    text = result.output.replace("\n", "")
    assert result.exit_code == 2, result.output
    assert "404.html (and " in text and "loads https://fonts.gstatic.com from another host" in (
        text)
    assert f"remove theme.font at {tiny / 'mkdocs.yml'}:3" in text
    assert tree_hash(out) == before


def test_an_opt_in_allows_a_host(tiny: Path, tmp_path: Path) -> None:
    out, output = _site_with_theme(
        tiny, tmp_path, "theme:\n  font:\n    text: Roboto\nextra:\n  allow_external_resources:"
                        " [fonts.googleapis.com, fonts.gstatic.com]\n")
    assert (out / "index.html").is_file(), output
    assert {load.host for load in external_loads(out)} == {"fonts.googleapis.com",
                                                          "fonts.gstatic.com"}


def test_a_hand_written_image_from_elsewhere_is_refused_but_a_link_is_fine(
        tiny: Path, tmp_path: Path) -> None:
    docs = tiny / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("# About\n\n[Our lab](https://example.org/lab)\n",
                                   encoding="utf-8")
    out = tmp_path / "site"
    linked = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    assert linked.exit_code == 0, linked.output
    (docs / "about.md").write_text('# About\n\n<img src="https://example.org/logo.png" '
                                   'alt="logo">\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    assert result.exit_code == 2
    assert ("docs/about.md:3: loads https://example.org/logo.png from another host (<img src>; "
            "built as about.html)") in result.output.replace("\n", "")


def test_every_kind_of_load_is_found(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        '<html><head><link rel="stylesheet" href="https://cdn.example/a.css">'
        '<link rel="preconnect" href="https://fonts.gstatic.com">'
        '<link rel="canonical" href="https://study.example/page.html">'
        '<script src="//cdn.example/b.js"></script>'
        '<style>@import "https://cdn.example/c.css"; /* url(https://in.comment/) */</style>'
        '</head><body><a href="https://example.org/">a link</a>'
        '<img srcset="local.png 1x, https://img.example/d.png 2x">'
        '<div style="background: url(\'https://img.example/e.png\')"></div>'
        '<svg><image href="https://img.example/f.png"/></svg>'
        '<iframe src=" https:\\\\video.example/g"></iframe></body></html>', encoding="utf-8")
    (tmp_path / "style.css").write_text("body { background: url(https://img.example/h.png) }"
                                        " .x { background: url(data:image/png;base64,AA) }",
                                        encoding="utf-8")
    found = {(load.page, load.url) for load in external_loads(tmp_path)}
    assert found == {
        ("page.html", "https://cdn.example/a.css"), ("page.html", "https://fonts.gstatic.com"),
        ("page.html", "//cdn.example/b.js"), ("page.html", "https://cdn.example/c.css"),
        ("page.html", "https://img.example/d.png"), ("page.html", "https://img.example/e.png"),
        ("page.html", "https://img.example/f.png"), ("page.html", " https:\\\\video.example/g"),
        ("style.css", "https://img.example/h.png")}


def test_what_counts_as_another_host() -> None:
    assert external_host("https://A.example/x") == "a.example"
    assert external_host("//cdn.example/x") == "cdn.example"
    assert external_host("\\\\cdn.example/x") == "cdn.example"
    assert external_host("assets/x.css") is None
    assert external_host("data:text/css,x") is None
    assert external_host("#top") is None


def test_a_mkdocs_configuration_error_names_the_line(tiny: Path, tmp_path: Path) -> None:
    _out, output = _site_with_theme(tiny, tmp_path, "copyright:\n  - a list\n")
    assert f"{tiny / 'mkdocs.yml'}:2: MkDocs: Config value 'copyright'" in output.replace(
        "\n", "")


def test_a_refused_setting_names_the_line(tiny: Path, tmp_path: Path) -> None:
    _out, output = _site_with_theme(tiny, tmp_path, "hooks:\n  - evil.py\n")
    assert f"{tiny / 'mkdocs.yml'}:2: refused: 'hooks'" in output.replace("\n", "")


def test_a_yaml_syntax_error_in_the_configuration_names_the_line(
        tiny: Path, tmp_path: Path) -> None:
    _out, output = _site_with_theme(tiny, tmp_path, "theme:\n  palette:\n\t primary: red\n")
    text = output.replace("\n", "")
    assert f"{tiny / 'mkdocs.yml'}:4: not valid YAML" in text and "remove the tag" not in text


def test_what_materials_script_fetches_because_of_the_page_is_found(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        '<html><head><script id="__config" type="application/json">{"base": "."}</script>'
        '<script>var t=document.createElement("script");'
        't.src="https://www.googletagmanager.com/gtag/js?id=G-1"</script>'
        '<script>__md_scope=new URL(".",location)</script></head><body>'
        '<a href="https://github.com/team/study" data-md-component="source">repo</a>'
        '<pre class="mermaid"><code>graph LR; a--&gt;b</code></pre></body></html>',
        encoding="utf-8")
    hosts = {load.host for load in external_loads(tmp_path)}
    assert hosts == {"www.googletagmanager.com", "api.github.com", "unpkg.com"}


def test_a_repository_link_in_the_header_is_refused_for_its_api_fetch(
        tiny: Path, tmp_path: Path) -> None:
    _out, output = _site_with_theme(tiny, tmp_path, "repo_url: https://github.com/team/study\n")
    assert "loads https://api.github.com/repos from another host (Material's repository facts" in (
        output.replace("\n", ""))


def test_an_empty_key_keeps_the_default(tmp_path: Path) -> None:
    theme = _merge({"font": None, "palette": None, "language": "fr"}, tmp_path)
    assert theme["font"] is False and theme["language"] == "fr"
    assert theme["palette"] == _default_theme()["palette"]
