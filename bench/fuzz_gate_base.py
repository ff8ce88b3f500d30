"""Differential fuzzer: the whole leak gate and matcher now against a base commit's (adv4).

``bench/fuzz_gate_words.py`` takes only ``gate.py`` and ``svg_order.py`` from its base and so
reads the base's fast pass through *today's* word filter and matcher. This one runs the base's
whole package (``git archive BASE build_site``, e6f388b by default: pyahocorasick, the split
first look) in one worker process and this checkout's in another, and sends both the same
random texts: markup, entities, comments, soft hyphens and zero-width characters inside
names, non-ASCII and astral characters, lone surrogates, names at a text's very start and
end, seams far apart (fillers past the 1,024 characters a window shares) and near a window's
edge. For each identifier list (one reader each, kept over all texts as in a real scan) each
worker answers: the gate's verdict (``shown`` then ``_QuickScan.names_any``), the reference
verdict (``Matcher.contains(read, markup_variants)``) and ``Matcher.replace`` of the text.
A text the base flags and this checkout clears is a LEAK; any other difference is printed
too. Needs an environment with both ``pyahocorasick`` and ``ahocorasick_rs``.

Usage: python bench/fuzz_gate_base.py [--seconds 60] [--seed 1] [--base e6f388b]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LISTS: list[list[tuple[str, tuple[str, ...], bool]]] = [
    [("Margery Quill", ("Margery", "M. Quill"), False), ("Hope", (), False),
     ("Ana Reyes", (), False), ("Alcott", (), False)],
    [("Müller", (), False), ("Straße Nord", (), False), ("Zoë Kraft", (), False),
     ("Ørsted", (), False), ("Łukasz", (), False)],
    [("Иван Петров", (), False), ("王小明", (), False), ("Ωmega", (), False),
     ("𝐀lma", (), False)],
    [("<Ana>", (), False), ("Ana", (), False), ("Bell", (), False)],
    [("Sam", (), True), ("Will", (), False), ("Grace Lee", (), False), ("Lee", (), False)],
    [("ﬁona ﬂint", (), False), ("Ｐａｇｅ", (), False), ("Kasia-Marie", (), False),
     ("O'Brien", (), False)],
    [("x", (), False), ("Qi", (), False), ("Bo Li", (), False)],
    [("Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", (), False),
     ("Brennwick Family Practice", (), False), ("Noor", (), False)],
]
NAMES = ["Margery", "Quill", "M. Quill", "Hope", "HOPE", "hope", "Ana", "Reyes", "Alcott",
         "Müller", "Mu\u0308ller", "MÜLLER", "Muller", "Straße", "STRASSE", "Nord", "Zoë",
         "Zoe", "Kraft", "Ørsted", "Orsted", "Łukasz", "Lukasz", "Иван", "Петров", "Ivan",
         "王小明", "小明", "Ωmega", "ωmega", "𝐀lma", "Alma", "𝐚𝐥𝐦𝐚", "<Ana>", "Bell", "Sam", "sam",
         "SAM", "Will", "will", "Grace", "Lee", "ﬁona", "fiona", "ﬂint", "flint", "Ｐａｇｅ",
         "Page", "Kasia-Marie", "Kasia", "Marie", "O'Brien", "O’Brien", "Brien", "x", "X", "Qi",
         "Bo", "Li", "Аna", "Мargery", "Brennwick", "Family", "Practice", "Noor", "NOOR",
         "A" * 75, "a" * 74, "Ａｎａ"]
SPLITS = ["<b>", "</b>", "<i></i>", "<!-- c -->", "<!---->", "<span class=\"a\">", "</span>",
          "<br/>", "\u00ad", "\u200b", "\u200d", "\u2060", "\ufeff", "&shy;", "&#173;",
          "&#x200b;", "<b></b><i></i>", "\u0301", "<a title='>'>", "<wbr>", "&#77;", "\ud800",
          "|", "¹", "\U000e0041"]
FILL = ["", " ", "\n", "é", "ß", "日本", "𝕏", "\ud83d", "\udc00", "<", ">", "&amp;", "&lt;",
        "&gt;", "&#60;", "<p>", "</p>", "<div class=\"x\">", "</div>", "-", "_", "*", "'",
        "&nbsp;", "\x00", "\u202e", "\u202c", "ＭＩＸ", "İ", "ı", "ǅ", "ﬀ", "\u0130nan",
        "<text x=\"1\">", "</text>", "<svg>", "</svg>", "<tspan x=\"0\">", "</tspan>"]


def _split(rng: random.Random, name: str) -> str:
    """``name`` cut once or more by markup or invisible characters."""
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        if len(name) < 2:
            break
        cut = rng.randint(1, len(name) - 1)
        name = name[:cut] + rng.choice(SPLITS) + name[cut:]
    return name


def _filler(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:  # long: seams far apart, windows cut near their edges
        size = rng.choice([rng.randint(70, 90), rng.randint(1000, 1100), rng.randint(2000, 2600)])
        unit = rng.choice(["a", "b ", "é", "<b>x</b>", "<br>", "日", "𝕏", "z<i></i>"])
        return (unit * (size // len(unit) + 1))[:size]
    if roll < 0.5:
        return rng.choice(FILL)
    return "".join(rng.choice(FILL) for _ in range(rng.randint(1, 4)))


def random_text(rng: random.Random) -> str:
    """Names (often split) between fillers; a name may stand at the very start or end."""
    parts = []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.7:
            parts.append(_filler(rng))
        parts.append(_split(rng, rng.choice(NAMES)))
    if rng.random() < 0.5:
        parts.append(_filler(rng))
    return "".join(parts)


def worker() -> None:
    """Read JSON texts a line from stdin; answer each with its verdicts a line."""
    from build_site.deidentify import Matcher
    from build_site.privacy import gate
    from build_site.study import Identifier

    lists = [[Identifier(text=t, replacement="[x]", kind="person", variants=list(v),
                         case_sensitive=s) for t, v, s in listed] for listed in LISTS]
    readers = [(Matcher(listed), gate._QuickScan(Matcher(listed))) for listed in lists]
    for line in sys.stdin:
        text = json.loads(line)
        # as the gate's scan reads: with the readings' characters where the code has them
        # (gate6's shown_chars), so that path is compared with the base too
        # (gate7's shown_utf8: with the reading's UTF-8 too)
        with_chars = hasattr(gate, "shown_chars")
        with_utf8 = hasattr(gate, "shown_utf8")
        encoded = None
        if with_utf8:
            read, chars, encoded = gate.shown_utf8(text)
        else:
            read, chars = gate.shown_chars(text) if with_chars else (gate.shown(text), None)
        out: list[Any] = []
        for matcher, quick in readers:
            # a huge page (the first look's 16 M-character bound) is compared by verdicts
            out.append([quick.names_any(read, chars, encoded) if with_utf8
                        else quick.names_any(read, chars) if with_chars
                        else quick.names_any(read),
                        [i.text for i in matcher.contains(read, gate.markup_variants)],
                        matcher.replace(text) if len(text) < 1 << 20 else None])
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


def _start(path: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=path)
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)


def fuzz(base_tree: str, seconds: float, seed: int, given: list[str] | None = None,
         words: bool = False) -> int:
    """Compare for ``seconds`` of wall time (or the ``given`` texts); the number of leaks
    and other differences found."""
    rng = random.Random(seed)
    generate = random_text
    if words:  # the texts of bench/fuzz_gate_words.py instead
        sys.path.insert(0, str(HERE))
        from fuzz_gate_words import random_text as generate
    base, now = _start(base_tree), _start(str(HERE.parent))
    texts = flagged = leaks = other = 0
    end = time.monotonic() + seconds
    pending = list(given or [])
    while (pending if given is not None else time.monotonic() < end) and leaks + other < 30:
        text = pending.pop(0) if given is not None else generate(rng)
        line = json.dumps(text) + "\n"
        answers = []
        for proc in (base, now):
            assert proc.stdin and proc.stdout
            proc.stdin.write(line)
            proc.stdin.flush()
            answers.append(json.loads(proc.stdout.readline()))
        texts += 1
        for listed, old, new in zip(LISTS, *answers, strict=True):
            flagged += old[0]
            if old[0] and not new[0]:
                leaks += 1
                print("LEAK", [e[0] for e in listed], repr(text), old, new, flush=True)
            elif old != new:
                other += 1
                print("DIFF", [e[0] for e in listed], repr(text), old, new, flush=True)
    for proc in (base, now):
        assert proc.stdin
        proc.stdin.close()
        proc.wait()
    print(f"{texts} texts x {len(LISTS)} lists, {flagged} flagged at the base, "
          f"{leaks} leaks, {other} other differences")
    return leaks + other


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--base", default="e6f388b")
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--texts", help="a JSON file of texts to compare instead")
    parser.add_argument("--words-texts", action="store_true",
                        help="the random texts of bench/fuzz_gate_words.py instead")
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "archive", "--format=tar", args.base, "build_site"],
                                 capture_output=True, check=True, cwd=HERE.parent).stdout
        tar = Path(folder) / "base.tar"
        tar.write_bytes(archive)
        with tarfile.open(tar) as members:
            members.extractall(folder, filter="data")
        given = json.loads(Path(args.texts).read_text("utf-8")) if args.texts else None
        found = fuzz(folder, args.seconds, args.seed, given, args.words_texts)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
