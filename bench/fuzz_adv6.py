"""Differential fuzzers (adv6) for the second round of issue 25's merges (ceb631f..92942df).

- ``narrative``: :func:`~build_site.render.plain_narrative.plain_html` against
  :func:`~build_site.render.html.converted_html` (Python-Markdown and nh3) on random texts
  of letters, digits, the safe punctuation, headings, brackets, placeholders and the
  characters at its edges (line and paragraph separators, form feed, vertical tab, NBSP,
  combining marks, other scripts' digits, full-width and superscript forms, "_", "&", "<");
  and every code point above U+007F alone in four positions (``--code-points``).
- ``yaml``: :func:`~build_site.yamlsource.load_yaml` with libyaml (``_build``) against the
  pure-Python loader on random documents (tags, merges, anchors and aliases, YAML 1.1
  booleans and numbers, timestamps, non-string keys, BOMs): values, types, lines, errors.
- ``checks``: checks3's published-text checks against ``tests/checks_reference.py``.

Each prints how many texts it tried and how many differed (the first few shown).
Usage: python bench/fuzz_adv6.py narrative|yaml|checks [--seconds 60] [--seed 1]
       python bench/fuzz_adv6.py narrative --code-points
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_EDGES = ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\r", "\t", "\u00a0", "é", "e\u0301",
          "\u0663", "\uff11", "\u00b2", "\uff21", "\u0130", "\u017f", "\u1d43", "\u02b0", "ª",
          "\u3005", "\u2160", "\u00bd", "_", "&", "<", "*", "\ufe64", "\u2024", "  ", "# ",
          "## ", "####### ", "\n# ", "\n\n# ", "[a small town]", "](", "] (", "][", "\uff3b",
          "\x00", "\ufeff", "\u200b"]


def _differ(name: str, text: str, new: Any, old: Any, shown: list[int]) -> bool:
    if new == old:
        return False
    shown[0] += 1
    if shown[0] <= 10:
        print(name, repr(text), "\n  new:", repr(new), "\n  old:", repr(old))
    return True


def narrative(rng: random.Random, end: float) -> tuple[int, int]:
    from build_site.render.html import converted_html
    from build_site.render.plain_narrative import plain_html

    alphabet = [*"abcXYZ019 .,;:'\"?!-()/%[]#\n\n\n", *_EDGES]
    tried = bad = 0
    shown = [0]
    while time.time() < end:
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        text = "Word " + text if rng.random() < 0.7 else text
        plain = plain_html(text)
        if plain is None:
            continue
        tried += 1
        bad += _differ("narrative", text, plain, str(converted_html(text)), shown)
    return tried, bad


def code_points() -> tuple[int, int]:
    from build_site.render.html import converted_html
    from build_site.render.plain_narrative import plain_html

    tried = bad = 0
    shown = [0]
    for point in range(0x80, 0x110000):
        c = chr(point)
        for text in (f"A{c}b", f"{c}b", f"# A{c}", f"Ab\n{c}\n\nx{c}"):
            plain = plain_html(text)
            if plain is not None:
                tried += 1
                bad += _differ("code point", text, plain, str(converted_html(text)), shown)
    return tried, bad


_SCALARS = ["1", "-1", "0", "012", "0x1F", "1:30", "1.5", ".inf", ".nan", "~", "null", "Null",
            "true", "True", "yes", "no", "y", "n", "on", "off", "2026-11-29", "'quoted'",
            '"q\\ty"', "!!str 12", "!!int 12", "!!int 0x1F", "!!float 1", "!!bool yes",
            "!!bool maybe", "!!null x", "!!binary aGk=", "!!timestamp 2020-01-02",
            "!!set {a, b}", "!!omap [a: 1]", "!!python/none ''", "!foo x", "! 12", "''", "",
            ">-\n    folded", "|\n    lit", "&a 1", "*a", "<<", "=", "-0", "1e3", "+1",
            "1_000", "\ufeffx", "é", "!!int", "!!float"]
_KEYS = ["a", "b", "1", "1.5", "true", "null", "~", "<<", "=", "? [x]", "!!int 3", "!!str 3",
         "!!bool yes", "'a'", "a b", "*a", "&k a", '"a"']


def _document(rng: random.Random, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for _ in range(rng.randint(1, 4)):
        key, r = rng.choice(_KEYS), rng.random()
        if depth < 2 and r < 0.2:
            lines += [f"{key}:", *("  " + line for line in _document(rng, depth + 1))]
        elif depth < 2 and r < 0.3:
            lines.append(f"{key}:")
            lines += ["  - " + rng.choice(_SCALARS).replace("\n", "\n    ")
                      for _ in range(rng.randint(1, 3))]
        elif r < 0.4:
            pairs = ", ".join(f"{rng.choice(_KEYS)}: {rng.choice(_SCALARS[:20])}"
                              for _ in range(2))
            lines.append(f"{key}: {{{pairs}}}")
        else:
            lines.append(f"{key}: {rng.choice(_SCALARS)}")
    return lines


def _yaml_shape(text: str) -> Any:
    from build_site.yamlsource import LineDict, LineList, YamlProblem, load_yaml

    def shape(v: Any) -> Any:
        if isinstance(v, LineDict):
            return ("map", v.line, v.key_lines, {k: shape(x) for k, x in v.items()})
        if isinstance(v, LineList):
            return ("seq", v.line, v.item_lines, [shape(x) for x in v])
        return ("nan",) if isinstance(v, float) and v != v else (type(v).__name__, v)

    try:
        return shape(load_yaml(text))
    except YamlProblem as exc:
        return ("problem", exc.line, exc.message)
    except Exception as exc:  # compared, and counted: load_yaml should raise YamlProblem only
        return ("error", type(exc).__name__, str(exc))


def yaml_paths(rng: random.Random, end: float) -> tuple[int, int]:
    import build_site.yamlsource as ys

    tried = bad = 0
    shown = [0]
    fast_loader = ys._CLoader
    while time.time() < end:
        text = "\n".join(_document(rng)) + "\n"
        tried += 1
        fast = _yaml_shape(text)
        ys._CLoader = None
        try:
            slow = _yaml_shape(text)
        finally:
            ys._CLoader = fast_loader
        bad += _differ("yaml", text, fast, slow, shown) or _differ(
            "yaml error", text, fast[0] == "error", False, shown)
    return tried, bad


_WORDS = ("consent consented agreed to take part be quoted not to be recorded did not agree "
          "wish asked not withheld was were is are permission quote publish Dr. Mercer Smith "
          "dismissed judged rude cold stress worst the surgeon a specialist another doctor ER "
          "doctor physician before didn't look shook his head HIV hiv AIDS aids PrEP ptsd "
          "suicidal self-harm same-sex came out prison jail aged 93 ninety years old 12 May "
          "2001 in 1931 for 40 years age 45 forty-five year-old St. Mr. Ms.").split()
_JUNK = [" ", " ", "\n", ". ", "! ", "? ", ", ", "’", "'", '"', ")", "\u017f", "\u212a",
         "\u0130", "\u0131", "é", "\u00a0", "\u2028", "—", "-", "\x00", "Ｄｒ", "ＨＩＶ",
         "\u200b", "x", "_", "1", "\u0663"]


def checks(rng: random.Random, end: float) -> tuple[int, int]:
    from build_site.consent import choices, contrastive
    from build_site.privacy import numbers, sensitive
    from build_site.privacy.texts import normalised
    from tests import checks_reference as ref

    tried = bad = 0
    shown = [0]
    while time.time() < end:
        parts = [rng.choice(_WORDS) if rng.random() < 0.6 else rng.choice(_JUNK)
                 for _ in range(rng.randint(1, 25))]
        text = " ".join(parts) if rng.random() < 0.6 else "".join(parts)
        if rng.random() < 0.3:
            text = text.upper() if rng.random() < 0.5 else text.title()
        tried += 1
        pairs = [("choices", choices._choices(text), ref._choices(text)),
                 ("contrastive", list(contrastive.contrastive_sentences(text)),
                  list(ref.contrastive_sentences(text))),
                 ("numbers", list(numbers.number_hits(text)), list(ref.number_hits(text))),
                 ("disclosures", list(sensitive.disclosures(text)),
                  list(ref.disclosures(text))),
                 ("words", normalised(text), [w for w, _, _ in ref.tokens(text)])]
        bad += any([_differ(name, text, new, old, shown) for name, new, old in pairs])
    return tried, bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=["narrative", "yaml", "checks"])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--code-points", action="store_true")
    args = parser.parse_args()
    rng, end = random.Random(args.seed), time.time() + args.seconds
    if args.which == "narrative" and args.code_points:
        tried, bad = code_points()
    else:
        tried, bad = {"narrative": narrative, "yaml": yaml_paths, "checks": checks}[
            args.which](rng, end)
    print(f"{args.which}: {tried} tried, {bad} differed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
