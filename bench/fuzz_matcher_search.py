"""Differential fuzzer for the matcher's Aho-Corasick search (branch gate5, issue 25).

``Matcher`` searched with pyahocorasick until ``ahocorasick_rs`` replaced it. This reads the
same random texts (those of ``bench/fuzz_gate_words.py``: markup, entities, invisible and
look-alike characters, names split by tags, long words) with the matcher as it was at a base
commit (its ``deidentify/matching.py`` taken from git; it needs ``pyahocorasick``, which the
lock no longer holds: run it with an environment of that base) and as it is now, for each
identifier list, and compares ``contains`` (the entries, in order), ``find`` (the hits) and
``replace``. Prints each disagreement and the counts; exit 1 when there is one.

Usage: python bench/fuzz_matcher_search.py [--seconds 60] [--seed 1] [--base e6f388b]
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

from fuzz_gate_words import LISTS, random_text

from build_site.deidentify import Matcher
from build_site.privacy import gate


def base_matching(commit: str, folder: Path) -> ModuleType:
    """``build_site/deidentify/matching.py`` as it was at ``commit``."""
    source = subprocess.run(["git", "show", f"{commit}:build_site/deidentify/matching.py"],
                            capture_output=True, text=True, check=True).stdout
    (folder / "base_matching.py").write_text(source, "utf-8")
    spec = importlib.util.spec_from_file_location("base_matching", folder / "base_matching.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["base_matching"] = module
    spec.loader.exec_module(module)
    return module


def fuzz(base: ModuleType, seconds: float, seed: int) -> int:
    """Compare for ``seconds`` of CPU time; the number of disagreements."""
    rng = random.Random(seed)
    pairs = [(base.Matcher(listed), Matcher(listed)) for listed in LISTS]
    texts = named = disagreements = 0
    end = time.process_time() + seconds
    while time.process_time() < end and disagreements < 20:
        text = random_text(rng)
        read = gate.shown(text)
        texts += 1
        for before, now in pairs:
            old = [i.text for i in before.contains(read, gate.markup_variants)]
            new = [i.text for i in now.contains(read, gate.markup_variants)]
            named += bool(old)
            same = old == new and [(h.start, h.end, h.identifier.text) for h in before.find(
                read)] == [(h.start, h.end, h.identifier.text) for h in now.find(read)]
            if not same or before.replace(read) != now.replace(read):
                disagreements += 1
                print(f"base {old} now {new}", repr(text), flush=True)
    print(f"{texts} texts x {len(LISTS)} lists, {named} found naming someone at the base, "
          f"{disagreements} disagreements")
    return disagreements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--base", default="e6f388b")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        found = fuzz(base_matching(args.base, Path(folder)), args.seconds, args.seed)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
