"""Gold-set mode of the detector benchmark: recall per kind and false alarms per 10,000 words.

Two gold sets:

* hand-annotated transcripts (default ``tests/deidentify/gold/osce-gold.yml``): every identifier
  with its file, kind, exact text and offsets (code points of the file as stored, line endings
  included; the annotation rule is at the top of that file);
* a study's own identifier list: every listed form found in the study's shown texts (before
  replacement) is an identifier of its kind; every other detection is a candidate false alarm.

A gold identifier counts as found when a detection overlaps it, and as found whole when one
detection covers all of it (a finding that names half a surname teaches the team to list half).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from build_site.deidentify.detectors import Detection, detect
from build_site.load import decode_text

_KINDS = {"person": "name"}  # identifiers.yml kinds to detector categories


@dataclass(frozen=True)
class Gold:
    """One annotated identifier: where (file, offsets into the text the detectors see)."""

    file: str
    kind: str
    text: str
    start: int
    end: int


@dataclass
class GoldResult:
    """Per kind ``[found, total]`` and ``[found whole, total]``; misses; false alarms (file,
    category, text); words scanned."""

    found: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    whole: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[Gold] = field(default_factory=list)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)
    words: int = 0

    @property
    def recall(self) -> float:
        """Share of gold identifiers overlapped by a detection (0 to 1)."""
        return _share(self.found)

    @property
    def whole_recall(self) -> float:
        """Share of gold identifiers covered whole by one detection (0 to 1)."""
        return _share(self.whole)

    @property
    def false_alarms_per_10k(self) -> float:
        """Detections that overlap no gold identifier, per 10,000 words scanned."""
        return len(self.false_alarms) * 10_000 / self.words if self.words else 0.0


def _share(counts: dict[str, list[int]]) -> float:
    hits = sum(h for h, _ in counts.values())
    total = sum(t for _, t in counts.values())
    return hits / total if total else 1.0


def stored_text(path: Path) -> str:
    """A transcript as stored: UTF-8 (BOM dropped) or UTF-16 with a BOM, line endings kept."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def _to_read(stored: str, offset: int) -> int:
    """An offset into the stored text as an offset into the text the pipeline reads (CRLF
    becomes LF in :func:`build_site.load.decode_text`)."""
    return offset - stored.count("\r\n", 0, offset)


def load_gold(path: Path) -> tuple[dict[str, str], list[Gold]]:
    """The gold file's transcripts (file name -> text as the pipeline reads it) and its
    identifiers, with offsets moved into that text.

    Raises:
        ValueError: when an entry's text is not at its offsets in the stored file (naming the
            entry), so a stale annotation cannot pass silently.
    """
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    folder = path.parent / data["transcripts"]
    texts: dict[str, str] = {}
    gold: list[Gold] = []
    for name in data["files"]:
        stored = stored_text(folder / name)
        texts[name] = decode_text((folder / name).read_bytes(), name)
        for item in data["identifiers"]:
            if item["file"] != name:
                continue
            if stored[item["start"]:item["end"]] != item["text"]:
                raise ValueError(f"{path.name}: {item} does not match {name} at its offsets")
            gold.append(Gold(name, item["kind"], item["text"], _to_read(stored, item["start"]),
                             _to_read(stored, item["end"])))
    return texts, gold


def score(texts: dict[str, str], gold: list[Gold], allowed: list[str] | None = None,
          ) -> GoldResult:
    """Run the detectors on every text and score them against ``gold``."""
    result = GoldResult()
    by_file: dict[str, list[Gold]] = defaultdict(list)
    for item in gold:
        by_file[item.file].append(item)
    for name, text in texts.items():
        found = detect(text, allowed or [])
        result.words += len(text.split())
        for item in by_file.get(name, []):
            _count(result, item, found)
        for d in found:
            if not any(d.start < g.end and d.end > g.start for g in by_file.get(name, [])):
                result.false_alarms.append((name, d.category, d.text))
    return result


def _count(result: GoldResult, item: Gold, found: list[Detection]) -> None:
    result.found[item.kind][1] += 1
    result.whole[item.kind][1] += 1
    overlapping = [d for d in found if d.start < item.end and d.end > item.start]
    if overlapping:
        result.found[item.kind][0] += 1
    else:
        result.misses.append(item)
    if any(d.start <= item.start and d.end >= item.end for d in overlapping):
        result.whole[item.kind][0] += 1


def run_gold(path: Path) -> GoldResult:
    """Score the detectors on a hand-annotated gold file."""
    texts, gold = load_gold(path)
    return score(texts, gold)


def run_study(study_dir: Path) -> GoldResult:
    """Score the detectors on a study's shown texts before replacement, with its identifier
    list as the gold set and its vocabulary allowed (as ``check`` does)."""
    from build_site.deidentify.findings import shown_texts, vocabulary
    from build_site.deidentify.matching import Matcher
    from build_site.pipeline import load_and_validate

    study = load_and_validate(study_dir)
    matcher = Matcher(study.identifiers)
    texts: dict[str, str] = {}
    gold: list[Gold] = []
    for n, item in enumerate(shown_texts(study)):
        key = f"{item.file}#{n}"
        texts[key] = text = unicodedata.normalize("NFC", item.text)
        for hit in matcher.find(text):
            raw = str(getattr(hit.identifier.kind, "value", hit.identifier.kind))
            kind = _KINDS.get(raw, raw)
            gold.append(Gold(key, kind, text[hit.start:hit.end], hit.start, hit.end))
    return score(texts, gold, vocabulary(study))


def main(argv: list[str], repo: Path) -> int:
    """``--gold [GOLD] [STUDY]``: print both tables; exit 0 (the floors live in the tests)."""
    gold = Path(argv[0]) if argv else repo / "tests" / "deidentify" / "gold" / "osce-gold.yml"
    study = Path(argv[1]) if len(argv) > 1 else repo / "casestudies"
    print(report(run_gold(gold), f"gold set: {gold.name}"))
    print()
    print(report(run_study(study), f"study: {study.name} (its identifier list as gold)"))
    return 0


def report(result: GoldResult, title: str) -> str:
    """The result as a plain-text table, then the misses and the false alarms."""
    lines = [title, f"{'kind':<16}{'found':>8}{'whole':>8} / total", "-" * 40]
    for kind in sorted(result.found):
        (hits, total), (whole, _) = result.found[kind], result.whole[kind]
        lines.append(f"{kind:<16}{hits:>8}{whole:>8} / {total}  ({hits / total:.0%})")
    lines.append("-" * 40)
    lines.append(f"recall: {result.recall:.1%} (whole: {result.whole_recall:.1%})")
    lines.append(f"false alarms: {len(result.false_alarms)} in {result.words} words = "
                 f"{result.false_alarms_per_10k:.1f} per 10,000 words")
    lines += [f"missed: {g.file} {g.kind} {g.text!r}" for g in result.misses]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for _, category, text in result.false_alarms:
        counts[(category, text)] += 1
    lines += [f"false alarm: {c} {t!r} x{n}" for (c, t), n in sorted(counts.items())]
    return "\n".join(lines)
