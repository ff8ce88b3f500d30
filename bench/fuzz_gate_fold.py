"""Differential fuzzer (adv5): the leak gate on case-folding and UTF-8 length edge cases,
now against a base commit's whole package (``bench/fuzz_gate_base.py``'s two workers).

gate6 made the lower-case reading in UTF-8 (``bytes.lower``) and cut the seam windows from
it; this sends names and texts where ``str.lower`` and ``bytes.lower`` could part: Turkish
dotted and dotless I, German sharp s and capital sharp s, Greek capital and final sigma,
the Kelvin and ohm signs, ligatures, title-case digraphs, characters whose lower case has
another UTF-8 length (Ⱥ -> ⱥ, ẞ -> ß, İ -> i̇), each raw, as an HTML reference, as a JSON
``\\u`` escape (and surrogate pair) and percent-encoded, cut by markup, beside fillers that put
seams and window edges on multibyte characters.

Usage: python bench/fuzz_gate_fold.py [--seconds 60] [--seed 1] [--base a44b96f]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fuzz_gate_base as base

base.LISTS = [
    [("İnan Yıldız", (), False), ("Istanbul", (), False), ("Işık", (), False)],
    [("Straße", (), False), ("GROẞ", (), False), ("Weiß Platz", (), False)],
    [("ΟΔΥΣΣΕΑΣ", (), False), ("Σοφία", (), False), ("Νίκος", (), False)],
    [("Kelvin Ward", (), False), ("\u212aarl", (), False), ("\u2126mar", (), False)],
    [("ﬀoulkes", (), False), ("Ǆuro", (), False), ("ǅenan", (), False), ("Ⱥnna", (), False)],
    [("ſam", (), False), ("Ǳo", (), False), ("ǰose", (), False), ("ʼNeil", (), False)],
    [("KIM", (), True), ("Iris", (), False), ("Sky", (), False)],
]
_RAW = ["İnan", "INAN", "inan", "i\u0307nan", "Yıldız", "YILDIZ", "Yildiz", "Istanbul",
        "İstanbul", "ıstanbul", "ISTANBUL", "Işık", "IŞIK", "Straße", "STRASSE", "Strasse",
        "STRAẞE", "GROẞ", "groß", "GROSS", "Weiß", "WEISS", "Platz", "ΟΔΥΣΣΕΑΣ", "Οδυσσέας",
        "οδυσσεας", "Οδυσσεασ", "Σοφία", "ΣΟΦΙΑ", "σοφια", "Νίκος", "ΝΙΚΟΣ", "νικοσ",
        "Kelvin", "\u212aelvin", "KELVIN", "Ward", "\u212aarl", "Karl", "KARL", "\u2126mar",
        "Ωmar", "ωmar", "ﬀoulkes", "ffoulkes", "FFOULKES", "Ǆuro", "ǅuro", "ǆuro", "DŽuro",
        "ǅenan", "Ⱥnna", "ⱥnna", "ſam", "sam", "SAM", "Ǳo", "dzo", "ǰose", "J\u030cose",
        "ʼNeil", "ʼneil", "KIM", "Kim", "\u212aIM", "Iris", "IRİS", "ırıs", "Sky", "ſky", "SKY"]


def _encoded(rng: random.Random, name: str) -> str:
    """``name`` with one or more characters written another way: an HTML reference, a JSON
    escape, percent-encoding."""
    out = []
    for ch in name:
        roll = rng.random()
        if roll < 0.12:
            out.append(f"&#x{ord(ch):x};")
        elif roll < 0.2:
            out.append(f"&#{ord(ch)};")
        elif roll < 0.3:
            code = ord(ch)
            if code > 0xFFFF:
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04X}")
            else:
                out.append(f"\\u{code:04x}")
        elif roll < 0.36:
            out.append(quote(ch, safe=""))
        else:
            out.append(ch)
    return "".join(out)


base.NAMES = _RAW
base.FILL = [*base.FILL, "İ", "ẞ", "Σ", "ς", "\u212a", "Ⱥ", "ǅ", "ﬃ", "ŉ", "\u0345", "ΐ",
                         "\\n", "\\\\", "\\u00e9", "%C4%B0", "&#304;", "&Sigma;", "&szlig;",
                         "Ⱥ" * 700, "ẞ" * 400, "İ" * 500]
_plain_split = base._split


def _split(rng: random.Random, name: str) -> str:
    name = _encoded(rng, name) if rng.random() < 0.4 else name
    return _plain_split(rng, name)


base._split = _split
base.__file__ = __file__  # the workers run this file, with these lists

if __name__ == "__main__":
    base.main()
