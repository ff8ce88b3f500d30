from __future__ import annotations

from pathlib import Path

import pytest

from build_site.errors import UsageError
from build_site.publish import MARKER, check_output, publish, refuse_reason, staging_dir


def test_dangerous_outputs_are_refused(tmp_path: Path) -> None:
    home = tmp_path / "home" / "me"
    study = home / "proj" / "casestudies"
    study.mkdir(parents=True)
    assert refuse_reason(Path("/"), study, home) is not None
    assert refuse_reason(home, study, home) is not None
    assert refuse_reason(home.parent, study, home) is not None
    assert refuse_reason(study, study, home) is not None
    assert refuse_reason(study / "site", study, home) is not None
    assert refuse_reason(study.parent, study, home) is not None
    assert refuse_reason(home / "proj" / "site", study, home) is None


def test_foreign_non_empty_folder_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    with pytest.raises(UsageError, match="not created by build-site"):
        check_output(out, tmp_path / "study", home=tmp_path / "home")
    assert (out / "thesis.docx").read_text() == "precious"


def test_swap_replaces_marked_output(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = staging_dir(out)
    (first / "index.html").write_text("one")
    publish(first, out)
    second = staging_dir(out)
    (second / "index.html").write_text("two")
    publish(second, out)
    assert (out / "index.html").read_text() == "two"
    assert (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_stale_temporaries_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "site"
    stale = staging_dir(out)
    fresh = staging_dir(out)
    assert not stale.exists() and fresh.exists()
    assert oct(fresh.stat().st_mode & 0o777) == "0o700"
