"""The checks of published text old (``tests/checks_reference.py``, as at ceb631f) against
new on a study folder, in one process, each timed in CPU seconds (issue 25, checks3).

    PYTHONPATH=. python bench/checks_diff.py STUDY [STUDY ...]

For each study (prepared as a public build): ``scan_published_text``, then
``find_contrastive`` and ``find_consent_statements`` on the shown and the public selection;
prints old and new CPU s and how many findings, and exits 1 when any result differs."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import build_site.consent.choices as choices
import build_site.consent.contrastive as contrastive
import build_site.privacy as privacy
from build_site.deidentify import Matcher
from build_site.deidentify.fields import replaced_prose
from build_site.load import load_study_folder
from build_site.pipeline import _study_lines, prepare
from tests import checks_reference as reference


def _timed(job: Callable[[], object]) -> tuple[object, float]:
    start = time.process_time()
    result = job()
    return result, time.process_time() - start


def compare(folder: Path) -> bool:
    """Print old and new CPU s of each check on ``folder``; True when every result is equal."""
    privacy.POOL_MIN_PASSAGES = contrastive.POOL_MIN_TEXTS = 10**9  # one process, both ways
    p = prepare(folder, "public", scan=False)
    prose = replaced_prose(load_study_folder(folder), Matcher(p.study.identifiers))
    args = (p.study, p.deidentified, p.public, p.handwritten, _study_lines(folder), prose)
    jobs: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("scan_published_text", lambda: reference.scan_published_text(*args),
         lambda: privacy.scan_published_text(*args))]
    for name, study in (("shown", p.shown), ("public", p.public)):
        jobs += [(f"find_contrastive({name})",
                  lambda s=study: reference.find_contrastive(s, folder),
                  lambda s=study: contrastive.find_contrastive(s, folder)),
                 (f"find_consent_statements({name})",
                  lambda s=study: reference.find_consent_statements(s, folder),
                  lambda s=study: choices.find_consent_statements(s, folder))]
    same = True
    for name, old_job, new_job in jobs:
        old, old_s = _timed(old_job)
        new, new_s = _timed(new_job)
        count = (len(old) if isinstance(old, list) else
                 sum(len(getattr(old, k)) for k in ("consent", "resolved", "review",
                                                    "sensitive")))
        same &= old == new
        print(f"{folder.name:14s} {name:32s} old {old_s:6.3f}  new {new_s:6.3f} CPU s  "
              f"findings {count:4d}  {'same' if old == new else 'DIFFERENT'}")
    return same


if __name__ == "__main__":
    sys.exit(0 if all([compare(Path(a)) for a in sys.argv[1:]]) else 1)
