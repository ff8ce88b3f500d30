"""Differential fuzzer for the leak gate's first look for words (branch adv3, issue 25).

The same random texts (markup, entities, invisible and look-alike characters, names split
by tags, SVG text with x positions, attributes, JSON and CSS strings, NUL, long words) are
read by the gate's fast pass as it was at a base commit (before
``privacy/word_filter.py``; c4f5b6b by default, its ``gate.py`` and ``svg_order.py`` taken
from git) and as it is now, each with one reader per identifier list kept over all texts
(so tags read clean are passed over as in a real scan). Any text the two disagree on is
printed with the reference verdict (``Matcher.contains(read, markup_variants)``): a text
the base flags and this one clears is a leak. ``--reference`` also compares every verdict
with the reference. ``--mutant`` checks the fuzzer itself: it reads the text between tags
joined without spaces nowhere (no window around a seam), which it must notice.

Usage: python bench/fuzz_gate_words.py [--seconds 60] [--seed 1] [--base c4f5b6b]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from build_site.deidentify import Matcher
from build_site.privacy import gate
from build_site.study import Identifier


def _ident(text: str, variants: tuple[str, ...] = (), sensitive: bool = False) -> Identifier:
    return Identifier(text=text, replacement="[x]", kind="person", variants=list(variants),
                      case_sensitive=sensitive)


LISTS = [
    [_ident("Margery Quill", ("Margery", "M. Quill")), _ident("Hope"), _ident("Ana Reyes"),
     _ident("Alcott")],
    [_ident("Room 12B", ("12B",)), _ident("O'Brien"), _ident("Jean-Luc Picard"),
     _ident("Müller"), _ident("Straße Nord")],
    [_ident("Family Practice Unit"), _ident("Will"), _ident("May"), _ident("Grace Lee"),
     _ident("Lee")],
    [_ident("王小明"), _ident("Who?"), _ident("Dr. Ann Bell"), _ident("Ann"), _ident("R2D2")],
    [_ident("x y"), _ident("ab cd ef"), _ident("q"), _ident("Ωmega Ωne")],
    [_ident("<Ana>"), _ident("Ana")],
    [_ident("Sam", sensitive=True), _ident("Reed Mill"), _ident("1234"), _ident("Zoë Kraft")],
    [_ident("Ａｎｎａ Ｐａｇｅ"), _ident("ﬁona ﬂint"), _ident("Anna-Page"), _ident("ann's")],
]
WORDS = ["Margery", "Quill", "Mar", "gery", "Qu", "ill", "Hope", "hope", "HOPE", "Ana",
         "Reyes", "Re", "yes", "Alcott", "Al", "cott", "Room", "12B", "12", "B", "O'Brien", "O",
         "Brien", "O’Brien", "Jean-Luc", "Jean", "Luc", "Picard", "Müller", "Muller", "Mu",
         "ller", "Straße", "Strasse", "Nord", "Family", "Practice", "Unit", "Will", "will", "May",
         "may", "Grace", "Lee", "王", "小明", "王小明", "Who", "?", "Dr.", "Dr", "Ann", "Bell",
         "R2D2", "R2", "D2", "x", "y", "ab", "cd", "ef", "q", "Ωmega", "Ωne", "Sam", "sam", "SAM",
         "Reed", "Mill", "1234", "34", "Zoë", "Zoe", "Kraft", "Ａｎｎａ", "Ｐａｇｅ", "Anna",
         "Page", "ﬁona", "fiona", "ﬂint", "flint", "Anna-Page", "ann's", "'s", "Мargery", "Аna",
         "M.", "Quill’s"]
SEPARATORS = [" ", "  ", "\n", "\t", "_", "*", "**", "-", "'", "’", ".", ",", "", "", "",
              "\u00ad", "\u200b", "\u00a0", "\x00", "|", "—", "¹", "é", "ß", "&nbsp;", "&#77;",
              "&#x4d;", "&amp;", "\\u0041", "1", "a", "Z"]
TAGS = ["<b>", "</b>", "<i></i>", "<!-- c -->", "<!---->", '<span class="a">', "</span>",
        "<br/>", '<img alt="', '">', "<a title='", "'>", '<div aria-label="', '<p data-x="',
        "<", ">", "<svg>", "</svg>", '<text x="10">', '<text x="0">',
        '<text x="5 6 7 8 9 10 11">', "</text>", '<tspan x="30">', '<tspan x="0">', "<tspan>",
        "</tspan>", "<text>", '<text y="1">', "<style>a:after{content:'", "'}</style>",
        '<script>var s="', '";</script>', '<TEXT X="2">', "</TEXT>", '<text x="1" a=">">',
        "<text\nx='3'>"]
SPLITTERS = [*TAGS[:8], "\u00ad", "\u200b", "<b></b><i></i>", "<!-- -->"]


def _piece(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        piece = rng.choice(WORDS)
    elif roll < 0.7:
        piece = rng.choice(SEPARATORS)
    elif roll < 0.95:
        piece = rng.choice(TAGS)
    else:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                       for _ in range(rng.randint(30, 80)))
    if len(piece) > 1 and rng.random() < 0.2:  # split by markup or an invisible character
        cut = rng.randint(1, len(piece) - 1)
        piece = piece[:cut] + rng.choice(SPLITTERS) + piece[cut:]
    return piece


def random_text(rng: random.Random) -> str:
    """One text of up to 25 random pieces."""
    return "".join(_piece(rng) for _ in range(rng.randint(1, 25)))


def base_gate(commit: str, folder: Path) -> ModuleType:
    """``build_site/privacy/gate.py`` as it was at ``commit``, with its ``svg_order``."""
    for name in ("gate", "svg_order"):
        source = subprocess.run(["git", "show", f"{commit}:build_site/privacy/{name}.py"],
                                capture_output=True, text=True, check=True).stdout
        source = source.replace("from build_site.privacy.svg_order import",
                                "from base_svg_order import")
        (folder / f"base_{name}.py").write_text(source, "utf-8")
    sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location("base_gate", folder / "base_gate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["base_gate"] = module
    spec.loader.exec_module(module)
    return module


def fuzz(base: ModuleType, seconds: float, seed: int, reference: bool) -> int:
    """Compare the verdicts for ``seconds`` of CPU time; the number of disagreements."""
    rng = random.Random(seed)
    matchers = [Matcher(listed) for listed in LISTS]
    readers = [(m, base._QuickScan(m), gate._QuickScan(m)) for m in matchers]
    texts = flagged = disagreements = 0
    end = time.process_time() + seconds
    while time.process_time() < end and disagreements < 20:
        text = random_text(rng)
        # now as the gate's scan reads (gate7): the characters and UTF-8 of shown_utf8
        read, chars, encoded = gate.shown_utf8(text)
        texts += 1
        for matcher, before, now in readers:
            old, new = before.names_any(read), now.names_any(read, chars, encoded)
            flagged += old
            ref = bool(matcher.contains(read, gate.markup_variants)) if (
                reference or old != new) else old
            if old != new or ref != new:
                disagreements += 1
                print(f"base {old} now {new} reference {ref}",
                      [i.text for i in matcher.identifiers], repr(text), flush=True)
    print(f"{texts} texts x {len(LISTS)} lists, {flagged} verdicts 'names someone' at the "
          f"base, {disagreements} disagreements")
    return disagreements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--base", default="c4f5b6b")
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--mutant", action="store_true")
    args = parser.parse_args()
    if args.mutant:
        from build_site.privacy.word_filter import WordFilter

        WordFilter.glued_windows = lambda self, gaps: " ".join(gaps)  # type: ignore[method-assign]
        WordFilter.seam_windows = lambda self, read: ""  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as folder:
        found = fuzz(base_gate(args.base, Path(folder)), args.seconds, args.seed,
                     args.reference)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
