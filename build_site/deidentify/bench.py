"""De-identification benchmark: ``python -m build_site.deidentify.bench [CORPUS] [STUDY]``;
with ``--gold [GOLD] [STUDY]`` its gold-set mode (:mod:`build_site.deidentify.goldbench`):
recall per kind and false alarms per 10,000 words on hand-annotated transcripts and on a study.

Prints, per category, how many planted identifiers were replaced (listed ones, in adversarial
forms) or flagged (unlisted ones), how many false alarms fired on a study (default: the
bundled one, before its review list), and the leak gate's throughput in MB/s.
Targets: every listed form replaced (0 leaks), at least 95% of unlisted items flagged.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from build_site.deidentify import Matcher, deidentify
from build_site.deidentify.detectors import detect
from build_site.deidentify.findings import find_all
from build_site.privacy.gate import scan_tree
from build_site.study import Identifier

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO / "tests" / "fixtures" / "planted" / "corpus.yml"


@dataclass
class BenchResult:
    """Outcomes: per category ``[hits, total]``; the misses; false alarms; gate MB/s."""

    listed: list[int] = field(default_factory=lambda: [0, 0])
    listed_misses: list[str] = field(default_factory=list)
    kept: list[int] = field(default_factory=lambda: [0, 0])
    unlisted: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    unlisted_misses: list[str] = field(default_factory=list)
    clean_false_alarms: int = 0
    study_false_alarms: int = 0
    gate_mb_per_s: float = 0.0

    @property
    def unlisted_rate(self) -> float:
        """Share of unlisted planted items flagged (0 to 1)."""
        hits = sum(h for h, _ in self.unlisted.values())
        total = sum(t for _, t in self.unlisted.values())
        return hits / total if total else 1.0


def load_corpus(path: Path) -> dict[str, Any]:
    """Read the planted corpus (YAML)."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def run(corpus: dict[str, Any], study_dir: Path | None) -> BenchResult:
    """Score the matcher and detectors on ``corpus`` and count false alarms on ``study_dir``."""
    result = BenchResult()
    identifiers = [Identifier.model_validate(i) for i in corpus["identifiers"]]
    matcher = Matcher(identifiers)
    for case in corpus["listed"]:
        result.listed[1] += 1
        replaced = matcher.replace(case["text"])
        leaked = [i.text for i in Matcher(identifiers).contains(replaced)]
        if case["form"] in replaced or leaked:
            result.listed_misses.append(case["form"])
        else:
            result.listed[0] += 1
    for case in corpus.get("keep", []):
        result.kept[1] += 1
        result.kept[0] += case["word"] in matcher.replace(case["text"])
    for case in corpus["unlisted"]:
        counts = result.unlisted[case["category"]]
        counts[1] += 1
        start = case["text"].index(case["item"])
        end = start + len(case["item"])
        if any(d.start < end and d.end > start for d in detect(case["text"])):
            counts[0] += 1
        else:
            result.unlisted_misses.append(f"{case['category']}: {case['item']}")
    result.clean_false_alarms = sum(len(detect(t)) for t in corpus.get("false_alarms_ok", []))
    if study_dir is not None:
        from build_site.pipeline import load_and_validate

        study = load_and_validate(study_dir)
        result.study_false_alarms = len(find_all(deidentify(study)))
        result.gate_mb_per_s = _gate_speed(study.identifiers)
    return result


def _gate_speed(identifiers: list[Identifier]) -> float:
    text = ("<p>She said the visits felt like coming home, and he listened. " * 40 + "</p>\n")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for n in range(40):
            (root / f"page{n}.html").write_text(text * 10, encoding="utf-8")
        size = sum(p.stat().st_size for p in root.iterdir())
        scan_tree(root, identifiers)  # warm the theme hashes
        started = time.perf_counter()
        scan_tree(root, identifiers)
        return size / 1e6 / (time.perf_counter() - started)


def report(result: BenchResult) -> str:
    """The result as a plain-text table."""
    lines = ["category            found / planted", "-" * 36]
    lines.append(f"{'listed (replaced)':<20}{result.listed[0]:>5} / {result.listed[1]}")
    lines.append(f"{'vocabulary kept':<20}{result.kept[0]:>5} / {result.kept[1]}")
    for category, (hits, total) in sorted(result.unlisted.items()):
        lines.append(f"{category:<20}{hits:>5} / {total}")
    lines.append("-" * 36)
    lines.append(f"unlisted flagged: {result.unlisted_rate:.1%} (target 95%)")
    lines.append(f"leaks of listed forms: {len(result.listed_misses)} (target 0)")
    lines.append(f"false alarms on clean sentences: {result.clean_false_alarms}")
    lines.append(f"false alarms on the study (before review): {result.study_false_alarms}")
    lines.append(f"leak gate throughput: {result.gate_mb_per_s:.1f} MB/s")
    for miss in result.listed_misses + result.unlisted_misses:
        lines.append(f"missed: {miss!r}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the benchmark; exit 1 when a target is missed."""
    if argv[:1] == ["--gold"]:
        from build_site.deidentify.goldbench import main as gold_main

        return gold_main(argv[1:], REPO)
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    study = Path(argv[1]) if len(argv) > 1 else REPO / "casestudies"
    result = run(load_corpus(corpus), study)
    print(report(result))
    ok = not result.listed_misses and result.unlisted_rate >= 0.95
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
