"""Settings of the site configuration of the wrong type are refused naming file and line
(exit 2), before anything is built: they used to crash the build or be misread."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from build_site.cli import main


def _build(tiny: Path, tmp_path: Path, config: str) -> tuple[int, str, Path]:
    (tiny / "mkdocs.yml").write_text(config, encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(tiny), "--out", str(out)])
    return result.exit_code, result.output.replace("\n", ""), out


@pytest.mark.parametrize(("config", "line", "message"), [
    ("site_name: T\nextra: 3\n", 2, "'extra' must be a mapping of settings, not a number (3)"),
    ("site_name: T\nextra_css: notalist.css\n", 2,
     "'extra_css' must be a list, not a text ('notalist.css')"),
    ("site_name: T\ntheme:\n  palette:\n    - scheme: slate\n    - 7\n", 5,
     "item 2 of 'palette' must be a mapping (one scheme), not a number (7)"),
    ("site_name: T\nextra:\n  allow_external_resources: fonts.gstatic.com\n", 3,
     "'allow_external_resources' must be a list"),
    ("site_name: T\nmarkdown_extensions: footnotes\n", 2, "'markdown_extensions' must be a list"),
])
def test_a_setting_of_the_wrong_type_is_refused_naming_file_and_line(
        tiny: Path, tmp_path: Path, config: str, line: int, message: str) -> None:
    code, output, out = _build(tiny, tmp_path, config)
    assert code == 2, output
    assert f"{tiny / 'mkdocs.yml'}:{line}: {message}" in output
    assert "internal error" not in output and not out.exists()
