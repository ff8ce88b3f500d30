"""Benchmark build-site on synthetic studies of growing size (issue 8).

Run from the repository root::

    .venv/bin/python bench/bench.py                      # N = 23, 230, 1000; 3 runs each
    .venv/bin/python bench/bench.py --sizes 23,230 --runs 5
    .venv/bin/python bench/bench.py --quick              # N = 23 once: CI's smoke test
    .venv/bin/python bench/bench.py --profile 230        # cProfile of one cold build

For every size N it writes a synthetic study (``build_site.synth``, N dyads, N x 5/23
clinicians, 8 excerpts per dyad, seed 1) and then, for each run:

1. a *cold* build: a new process running ``python -m build_site build STUDY --out OUT`` with an
   empty output folder and build directory (so no diagram cache); the process is the real
   command with read-only hooks on the CLI's call of the pipeline, its progress callback and
   MkDocs' ``load_config``, which copy the ``BuildReport`` (stage timings, diagram counts), CPU
   seconds per stage and the MkDocs configuration into a JSON file: the side channel;
2. a *no-op rebuild*: the same command again, same folders, nothing changed;
3. the *flat-nav baseline*: plain ``mkdocs build`` (a new process) of the Markdown the cold
   build assembled in ``.OUT.build/docs/``, with its diagram and excerpt markers replaced by
   their HTML (so the baseline builds the full content inline, as the Markdown was written
   before those were swapped in after Markdown), with the same theme, plugins and extensions
   but every clinician and dyad page in one flat "Case studies" nav section;
4. *Zensical*: the cold build again with ``--engine zensical`` (a new process, the whole
   pipeline with Zensical in place of MkDocs), when it is installed.

Medians over the runs are printed as tables (and written as Markdown with ``--markdown``),
with the machine's cores, memory and load. Numbers on a shared 2-core machine are noisy: the
load average at the start of each size is reported beside them. Exit status: 0 when every
build succeeded, 1 otherwise (no timing is asserted).

Only the standard library is imported at module level, so the child processes pay nothing
for this script.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CHILD = "_child-build"
EXCERPTS_PER_DYAD = 8
SEED = 1
FLAT_SECTION = "Case studies"


# --- the child: one build, reported through a JSON side channel ------------------------------

def child_build(study: str, out: str, report_path: str, profile_path: str | None) -> int:
    """Run ``python -m build_site build STUDY --out OUT --quiet`` in this process and write
    what the build reported to ``report_path`` as JSON.

    Args:
        study, out: the command's arguments.
        report_path: where to write the JSON report.
        profile_path: when given, profile the build with cProfile and dump the stats there.

    Returns:
        The command's exit code.
    """
    import copy
    import resource
    import runpy

    import mkdocs.config

    import build_site.cli as cli
    import build_site.pipeline as pipeline

    captured: dict[str, Any] = {}
    # The build command calls ``build_site.pipeline.build`` (imported when it runs); sources
    # before the cli/ package called it through the name ``run_build`` in ``build_site.cli``.
    # Wrap whichever the measured source has.
    holder = cli.__dict__ if "run_build" in cli.__dict__ else pipeline.__dict__
    name = "run_build" if holder is cli.__dict__ else "build"
    real_build, real_load = holder[name], mkdocs.config.load_config

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # dot and forked workers, once reaped
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    stage_cpu: dict[str, float] = {}

    def build_hook(*args: Any, **kwargs: Any) -> Any:
        # CPU seconds per stage, read where the pipeline reports each stage's end: much less
        # sensitive than wall time to other work on a shared machine.
        inner = kwargs.get("progress") or (lambda _: None)
        last = [cpu()]

        def progress(name: str) -> None:
            now = cpu()
            stage_cpu[name] = now - last[0]
            last[0] = now
            inner(name)

        kwargs["progress"] = progress
        report = real_build(*args, **kwargs)
        captured["report"] = report
        return report

    def load_hook(config_file: Any = None, **overrides: Any) -> Any:
        # A deep copy: MkDocs' validation empties the extension dicts it is given.
        captured["mkdocs"] = {"config_file": str(config_file), **copy.deepcopy(overrides)}
        return real_load(config_file=config_file, **overrides)

    # The diagrams and excerpt blocks swapped in after Markdown (build_site.render.fragments),
    # kept so the baseline can build the Markdown with them inline, as it was written before.
    real_mkdocs = pipeline.__dict__.get("mkdocs_build")

    def mkdocs_hook(*args: Any, **kwargs: Any) -> Any:
        fragments = kwargs.get("fragments", args[7] if len(args) > 7 else None)
        with open(report_path + ".fragments.json", "w", encoding="utf-8") as handle:
            json.dump(fragments or {}, handle)  # streamed: no second copy in memory
        return real_mkdocs(*args, **kwargs)

    if real_mkdocs is not None:
        pipeline.__dict__["mkdocs_build"] = mkdocs_hook
    holder[name] = build_hook
    mkdocs.config.load_config = load_hook
    sys.argv = ["build_site", "build", study, "--out", out, "--quiet"]
    code: int = 0
    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    try:
        runpy.run_module("build_site", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        if profiler is not None and profile_path:
            profiler.disable()
            profiler.dump_stats(profile_path)
    report = captured.get("report")
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    data: dict[str, Any] = {
        "exit_code": code,
        "build_site": str(Path(cli.__file__).parent),
        "cpu_self": own.ru_utime + own.ru_stime,
        "cpu_children": kids.ru_utime + kids.ru_stime,
        "stage_cpu": stage_cpu,
        "maxrss_kb": own.ru_maxrss,
        "children_maxrss_kb": kids.ru_maxrss,
        "mkdocs": captured.get("mkdocs"),
    }
    tidy_gate = sys.modules.get("build_site.tidy_gate")  # tidy riding in the gate's pass
    data["tidy_cpu_in_gate"] = getattr(tidy_gate, "last_tidy_cpu", None)
    if report is not None:
        data |= {
            "timings": report.timings, "pages": report.pages,
            "diagrams_rendered": report.diagrams_rendered,
            "diagrams_cached": report.diagrams_cached, "files_written": report.files_written,
            "warnings": report.warnings, "findings": len(getattr(report, "findings", [])),
        }
    Path(report_path).write_text(json.dumps(data, default=str), encoding="utf-8")
    return code


# --- the parent -------------------------------------------------------------------------------

@dataclass
class Run:
    """What one cold build, its no-op rebuild and the baselines measured."""

    cold_wall: float = 0.0
    cold: dict[str, Any] = field(default_factory=dict)
    noop_wall: float = 0.0
    noop: dict[str, Any] = field(default_factory=dict)
    output_bytes: int = 0
    output_files: int = 0
    baseline_wall: float | None = None
    baseline_build: float | None = None
    baseline_cpu: float | None = None
    baseline_bytes: int = 0
    zensical_wall: float | None = None
    zensical_note: str = ""
    errors: list[str] = field(default_factory=list)


SOURCE: Path | None = None
"""Folder holding the ``build_site`` package to measure (``--source``); None: the installed one."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    if SOURCE is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(SOURCE), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep)
    return env


def export_source(rev: str, work: Path) -> Path:
    """Export ``build_site/`` as committed at ``rev`` into ``work`` (``git archive``), so the
    benchmark measures a commit rather than a working tree others may be editing.

    Raises:
        subprocess.CalledProcessError: ``rev`` is not a commit of this repository.
    """
    target = work / f"source-{re.sub(r'[^A-Za-z0-9._-]', '_', rev)}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev,
                              "build_site"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def _timed(cmd: list[str], **kwargs: Any) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run ``cmd``; return the process, its wall seconds and its CPU seconds (user + system,
    its own children included), read from this process's RUSAGE_CHILDREN before and after."""
    import resource

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    before, start = cpu(), time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    return proc, time.perf_counter() - start, cpu() - before


def _run_child(study: Path, out: Path, report: Path,
               profile: Path | None = None) -> tuple[float, dict[str, Any], str]:
    cmd = [sys.executable, str(Path(__file__).resolve()), CHILD, str(study), str(out),
           str(report)]
    if profile is not None:
        cmd.append(str(profile))
    proc, wall, _ = _timed(cmd, env=_env())
    data = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    data.setdefault("exit_code", proc.returncode)
    return wall, data, proc.stderr[-2000:]


def _tree_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def _project_config(captured: dict[str, Any], site_dir: Path, nav: Any) -> dict[str, Any]:
    """A standalone ``mkdocs.yml`` for the assembled project: the configuration file the build
    used, with the overrides it passed to MkDocs, another ``site_dir`` and ``nav``."""
    import yaml

    with open(captured["config_file"], encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    if "INHERIT" in raw:
        raise ValueError("configurations with INHERIT are not supported by the benchmark")
    config = {**raw, **{k: v for k, v in captured.items() if k != "config_file"}}
    config.update(site_dir=str(site_dir), nav=nav, strict=False)
    return config


def flat_nav(nav: list[Any]) -> list[Any]:
    """Our navigation with the case-study section flattened: one section listing the
    overview, every clinician page and every dyad page, the naive layout.

    Args:
        nav: the navigation the build used.

    Returns:
        The flat-nav version.
    """
    def leaves(item: Any) -> list[Any]:
        if isinstance(item, str):
            return [item]
        out: list[Any] = []
        for title, value in item.items():
            if isinstance(value, list):
                for child in value:
                    out += leaves(child)
            else:
                out.append({title: value})
        return out

    flat: list[Any] = []
    for item in nav:
        title = next(iter(item)) if isinstance(item, dict) else None
        if title == FLAT_SECTION:
            pages = leaves(item)
            clinicians = [p for p in pages if "clinicians/" in str(next(iter(p.values())))]
            dyads = [p for p in pages if "dyads/" in str(next(iter(p.values())))]
            rest = [p for p in pages if p not in clinicians and p not in dyads]
            flat.append({title: rest + clinicians + dyads})
        else:
            flat.append(item)
    return flat


def _baseline(run: Run, work: Path, docs: Path) -> None:
    import yaml

    captured = run.cold.get("mkdocs")
    if not captured:
        run.errors.append("baseline: the cold build did not reach MkDocs")
        return
    site = work / "baseline-site"
    shutil.rmtree(site, ignore_errors=True)
    config = _project_config(captured, site, flat_nav(captured["nav"]))
    config["docs_dir"] = str(docs)
    path = work / "baseline.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    proc, run.baseline_wall, run.baseline_cpu = _timed(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(path)], env=_env())
    built = re.search(r"Documentation built in ([\d.]+) seconds", proc.stderr)
    run.baseline_build = float(built.group(1)) if built else None
    if proc.returncode != 0:
        run.errors.append(f"baseline mkdocs exit {proc.returncode}: {proc.stderr[-500:]}")
        run.baseline_wall = run.baseline_build = run.baseline_cpu = None
        return
    run.baseline_bytes = _tree_size(site)[0]
    shutil.rmtree(site, ignore_errors=True)


def zensical_status(python: str) -> str:
    """Empty when Zensical imports in ``python`` (0.1 and later need its separate theme
    package, ``zensical_ui``, as well), else why not."""
    probe = subprocess.run(
        [python, "-c", "import importlib, zensical; from importlib.metadata import version; "
                       "v = version('zensical'); "
                       "v.startswith('0.0.') or importlib.import_module('zensical_ui')"],
        capture_output=True, text=True, check=False)
    if probe.returncode == 0:
        return ""
    lines = [line for line in probe.stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else f"exit {probe.returncode}"


def _zensical(run: Run, work: Path, study: Path, python: str) -> None:
    """A cold build of ``study`` with the Zensical engine (``build --engine zensical``, a new
    process of ``python``, which must have build-site and Zensical): the whole pipeline, as
    the cold build, with Zensical in place of MkDocs."""
    why = zensical_status(python)
    if why:
        run.zensical_note = f"not available: {why}"
        return
    site = work / "zensical-site"
    shutil.rmtree(site, ignore_errors=True)
    proc, wall, _ = _timed([python, "-m", "build_site", "build", str(study), "--out", str(site),
                            "--engine", "zensical", "--quiet"], env=_env(), cwd=work)
    if proc.returncode != 0:
        tail = " ".join(proc.stderr.strip().splitlines()[-3:])
        run.zensical_note = f"failed (exit {proc.returncode}): {tail[:300]}"
        return
    missing = [p for p in ("index.html", "model/index.html", "dyads") if not (site / p).exists()]
    run.zensical_wall = wall
    run.zensical_note = f"missing {missing}" if missing else "ok"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(work / f".{site.name}.build", ignore_errors=True)


_MARKER = re.compile(r"<!--bs-(?:diagram|block):([0-9a-f]{64})-->")


def inline_fragments(docs: Path, fragments_file: Path, target: Path) -> Path:
    """A copy of the assembled ``docs`` with every diagram and excerpt marker replaced by its
    HTML (from the cold build's side channel): the Markdown as the pipeline wrote it before
    those were swapped in after Markdown, so the baseline stays plain MkDocs on the full
    content. Returns ``docs`` itself when there is nothing to inline (older sources)."""
    try:
        fragments: dict[str, str] = json.loads(fragments_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return docs
    if not fragments:
        return docs
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(docs, target)
    for page in target.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if "<!--bs-" in text:
            page.write_text(_MARKER.sub(lambda m: fragments[m.group(1)], text), encoding="utf-8")
    return target


def measure(study: Path, work: Path, zensical_python: str) -> Run:
    """One cold build, one no-op rebuild, the flat-nav baseline and Zensical, in ``work``."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    out = work / "site"
    run = Run()
    run.cold_wall, run.cold, err = _run_child(study, out, work / "cold.json")
    if run.cold.get("exit_code") != 0:
        run.errors.append(f"cold build exit {run.cold.get('exit_code')}: {err}")
        return run
    run.output_bytes, run.output_files = _tree_size(out)
    run.noop_wall, run.noop, err = _run_child(study, out, work / "noop.json")
    if run.noop.get("exit_code") != 0:
        run.errors.append(f"no-op rebuild exit {run.noop.get('exit_code')}: {err}")
    build_dir = work / f".{out.name}.build"
    fragments = work / "cold.json.fragments.json"  # older sources: the side channel
    if not fragments.is_file():
        fragments = build_dir / "fragments.json"  # the file the fragment extension reads
    docs = inline_fragments(build_dir / "docs", fragments, work / "inlined-docs")
    _baseline(run, work, docs)
    _zensical(run, work, study, zensical_python)
    return run


def _median(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


@dataclass
class SizeResult:
    """Medians over the runs of one size."""

    dyads: int
    clinicians: int
    runs: list[Run]
    load: tuple[float, float, float]

    def med(self, get: Callable[[Run], float | None]) -> float | None:
        return _median([get(r) for r in self.runs if not r.errors or r.cold.get("timings")])


def _stage(run: Run, name: str, which: str = "cold", key: str = "timings") -> float | None:
    timings: dict[str, float] = getattr(run, which).get(key) or {}
    return timings.get(name)


def _stage_getter(name: str, key: str = "timings") -> Callable[[Run], float | None]:
    return lambda run: _stage(run, name, "cold", key)


def _own_stages(run: Run, which: str = "cold", key: str = "timings",
                gate: bool = True) -> float | None:
    """Seconds in the project's own stages: everything but the MkDocs build (and but the
    leak gate when ``gate`` is false: issue 25 asks for both figures). Where tidy rides in
    the gate's pass (a ``tidy+gate`` stage, ``build_site/tidy_gate.py``), "but the gate"
    keeps tidy's share of that stage (:func:`_tidy_share`)."""
    timings: dict[str, float] = getattr(run, which).get(key) or {}
    if not timings:
        return None
    if gate:
        return sum(v for k, v in timings.items() if k != "mkdocs")
    share = _tidy_share(run, which, key) if "tidy+gate" in timings else 0.0
    if share is None:
        return None
    left_out = {"mkdocs", "gate", "tidy+gate"}
    return sum(v for k, v in timings.items() if k not in left_out) + share


def _tidy_share(run: Run, which: str = "cold", key: str = "timings") -> float | None:
    """Tidy's part of the ``tidy+gate`` stage: its processor seconds inside the pass (summed
    over the processes, measured there) for ``stage_cpu``; for wall seconds, the stage's wall
    time in the proportion of tidy's CPU to the stage's CPU (an estimate: both share the
    same processes and cores). None when not measured."""
    data: dict[str, Any] = getattr(run, which)
    tidy_cpu = data.get("tidy_cpu_in_gate")
    stage_cpu = (data.get("stage_cpu") or {}).get("tidy+gate")
    if tidy_cpu is None:
        return None
    if key == "stage_cpu":
        return float(tidy_cpu)
    wall = (data.get("timings") or {}).get("tidy+gate")
    if wall is None or not stage_cpu:
        return None
    return float(wall) * min(1.0, float(tidy_cpu) / float(stage_cpu))


def _own_without_gate(run: Run) -> float | None:
    return _own_stages(run, gate=False)


def _cpu(run: Run, which: str) -> float | None:
    data: dict[str, Any] = getattr(run, which)
    if "cpu_self" not in data:
        return None
    return float(data["cpu_self"]) + float(data.get("cpu_children", 0.0))


def tables(results: list[SizeResult]) -> list[tuple[list[str], list[list[str]]]]:
    """The result tables: (header, rows) each."""
    stages: list[str] = []
    for res in results:
        for run in res.runs:
            for name in run.cold.get("timings") or {}:
                if name not in stages:
                    stages.append(name)
    cold_head = ["dyads", "clin.", "pages", "cold wall s", *(f"{s} s" for s in stages),
                 "own stages s", "own/mkdocs", "own stages but gate s", "own but gate/mkdocs",
                 "diagrams rendered/cached", "peak RSS MB",
                 "output MB", "files"]
    cold_rows = []
    for res in results:
        first = res.runs[0].cold
        own, mk = res.med(_own_stages), res.med(lambda r: _stage(r, "mkdocs"))
        own_but_gate = res.med(_own_without_gate)
        cold_rows.append([
            str(res.dyads), str(res.clinicians), str(first.get("pages", "-")),
            _fmt(res.med(lambda r: r.cold_wall)),
            *(_fmt(res.med(_stage_getter(s)), 2) for s in stages),
            _fmt(own, 2), _fmt(own / mk if own is not None and mk else None, 2),
            _fmt(own_but_gate, 2),
            _fmt(own_but_gate / mk if own_but_gate is not None and mk else None, 2),
            f"{first.get('diagrams_rendered', '-')}/{first.get('diagrams_cached', '-')}",
            _fmt(res.med(lambda r: r.cold.get("maxrss_kb", 0) / 1024), 0),
            _fmt(res.med(lambda r: r.output_bytes / 1e6)),
            str(res.runs[0].output_files),
        ])
    other_head = ["dyads", "no-op wall s", "no-op own stages s", "no-op mkdocs s",
                  "no-op diagrams rendered/cached", "no-op files written",
                  "baseline mkdocs build s", "baseline wall s", "baseline CPU s",
                  "baseline MB", "our mkdocs / baseline", "our mkdocs CPU / baseline CPU",
                  "our cold wall / baseline wall", "zensical s",
                  "cold wall per dyad ms", "load avg at start"]
    other_rows = []
    for res in results:
        run0 = res.runs[0]
        mk = res.med(lambda r: _stage(r, "mkdocs"))
        base = res.med(lambda r: r.baseline_build)
        base_wall = res.med(lambda r: r.baseline_wall)
        base_cpu = res.med(lambda r: r.baseline_cpu)
        mk_cpu = res.med(_stage_getter("mkdocs", "stage_cpu"))
        cold = res.med(lambda r: r.cold_wall)
        zens = res.med(lambda r: r.zensical_wall)
        other_rows.append([
            str(res.dyads), _fmt(res.med(lambda r: r.noop_wall)),
            _fmt(res.med(lambda r: _own_stages(r, "noop")), 2),
            _fmt(res.med(lambda r: _stage(r, "mkdocs", "noop")), 2),
            f"{run0.noop.get('diagrams_rendered', '-')}/{run0.noop.get('diagrams_cached', '-')}",
            str(run0.noop.get("files_written", "-")),
            _fmt(base), _fmt(base_wall), _fmt(base_cpu),
            _fmt(res.med(lambda r: r.baseline_bytes / 1e6)),
            _fmt(mk / base if mk is not None and base else None, 2),
            _fmt(mk_cpu / base_cpu if mk_cpu is not None and base_cpu else None, 2),
            _fmt(cold / base_wall if cold is not None and base_wall else None, 2),
            _fmt(zens) if zens is not None else run0.zensical_note or "-",
            _fmt(cold * 1000 / res.dyads if cold is not None else None, 0),
            " ".join(f"{x:.1f}" for x in res.load),
        ])
    cpu_head = ["dyads", "cold CPU s (this process + children)",
                "of which child processes s (dot, forked workers)",
                *(f"{s} CPU s" for s in stages), "of which tidy in tidy+gate CPU s",
                "own stages CPU s", "no-op CPU s",
                "no-op own stages CPU s", "no-op mkdocs CPU s"]
    cpu_rows = []
    for res in results:
        cpu_rows.append([
            str(res.dyads),
            _fmt(res.med(lambda r: _cpu(r, "cold")), 1),
            _fmt(res.med(lambda r: r.cold.get("cpu_children")), 1),
            *(_fmt(res.med(_stage_getter(s, "stage_cpu")), 2) for s in stages),
            _fmt(res.med(lambda r: _tidy_share(r, "cold", "stage_cpu")), 2),
            _fmt(res.med(lambda r: _own_stages(r, "cold", "stage_cpu")), 2),
            _fmt(res.med(lambda r: _cpu(r, "noop")), 1),
            _fmt(res.med(lambda r: _own_stages(r, "noop", "stage_cpu")), 2),
            _fmt(res.med(lambda r: _stage(r, "mkdocs", "noop", "stage_cpu")), 2),
        ])
    return [(cold_head, cold_rows), (cpu_head, cpu_rows), (other_head, other_rows)]


def _text_table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def _md_table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> dict[str, str]:
    """Facts about this machine and the software measured."""
    facts = {"cores (nproc)": str(len(os.sched_getaffinity(0)))}
    try:
        meminfo = Path("/proc/meminfo").read_text(encoding="utf-8")
        total = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
        if total:
            facts["memory"] = f"{int(total.group(1)) / 1024 / 1024:.1f} GiB"
        cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        if cpu:
            facts["cpu"] = cpu.group(1).strip()
    except OSError:
        pass
    facts["python"] = platform.python_version()
    versions = subprocess.run(
        [sys.executable, "-c",
         "import importlib.metadata as m\n"
         "for p in ('build-site', 'mkdocs', 'mkdocs-material', 'zensical'):\n"
         "    try: print(p, m.version(p))\n"
         "    except m.PackageNotFoundError: print(p, 'not installed')"],
        capture_output=True, text=True, check=False).stdout
    for line in versions.splitlines():
        name, _, version = line.partition(" ")
        facts[name] = version
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    facts["graphviz"] = dot.stderr.strip().replace("dot - graphviz version ", "")
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--",
                            "build_site"], capture_output=True, text=True,
                           check=False).stdout.strip()
    facts["commit"] = head + (" (build_site/ has uncommitted changes)" if dirty else "")
    return facts


def profile(size: int, work: Path, top: int) -> int:
    """Profile one cold build of ``size`` dyads with cProfile and print the top functions."""
    import pstats

    study = _study(work, size)
    out = work / f"profile-{size}" / "site"
    shutil.rmtree(out.parent, ignore_errors=True)
    out.parent.mkdir(parents=True)
    stats_path = work / f"profile-{size}.pstats"
    wall, data, err = _run_child(study, out, out.parent / "report.json", stats_path)
    print(f"cold build of {size} dyads under cProfile: {wall:.1f} s wall, exit "
          f"{data.get('exit_code')}; stages: "
          + ", ".join(f"{k} {v:.2f}" for k, v in (data.get("timings") or {}).items()))
    if data.get("exit_code") != 0:
        print(err, file=sys.stderr)
        return 1
    stats = pstats.Stats(str(stats_path))
    for key in ("cumulative", "tottime"):
        print(f"\n--- top {top} by {key} ---")
        stats.sort_stats(key).print_stats(top)
    print(f"stats kept in {stats_path}")
    return 0


def _clinicians(dyads: int) -> int:
    """The synthetic study's clinicians for ``dyads`` (the bundled study's ratio), from the
    measured source: its generator module, or the command module of sources before that."""
    try:
        from build_site.synth import default_clinicians
    except ImportError:
        try:  # sources before refi_qda/ and synth.py left io/
            from build_site.io.synth import default_clinicians  # type: ignore[no-redef]
        except ImportError:  # sources before the cli/ package
            from build_site.io.synth_cli import default_clinicians  # type: ignore[no-redef]
    return int(default_clinicians(dyads))


def _study(work: Path, dyads: int) -> Path:
    # The study is written (and signed off) by the build_site that will build it, when that
    # version has the generator; else by this working tree's.
    generators = ("synth.py", "io/synth.py")  # io/synth.py: sources before synth.py left io/
    source = SOURCE if SOURCE and any((SOURCE / "build_site" / g).is_file()
                                      for g in generators) else REPO
    if str(source) not in sys.path:
        sys.path.insert(0, str(source))
    try:
        from build_site.synth import write_synthetic_study
    except ImportError:
        from build_site.io.synth import write_synthetic_study  # type: ignore[no-redef]

    study = work / f"study-{dyads}"
    if not study.is_dir():
        write_synthetic_study(study, dyads, _clinicians(dyads), EXCERPTS_PER_DYAD, SEED)
    return study


def main(argv: list[str] | None = None) -> int:
    """Parse options, run the benchmark, print the tables.

    Returns:
        0 when every build succeeded, 1 otherwise.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="23,230,1000",
                        help="comma-separated numbers of dyads [23,230,1000]")
    parser.add_argument("--runs", type=int, default=3, help="repetitions per size [3]")
    parser.add_argument("--max-runs-1000", type=int, default=1,
                        help="cap on runs for sizes of 1000 dyads and more [1]")
    parser.add_argument("--quick", action="store_true",
                        help="N = 23, one run: CI's smoke test")
    parser.add_argument("--workdir", type=Path,
                        help="where studies and builds go [a new temporary folder]")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--markdown", type=Path, help="also write the results as Markdown")
    parser.add_argument("--zensical-python", default=sys.executable,
                        help="interpreter that has zensical installed [this one]")
    parser.add_argument("--source", metavar="REV",
                        help="measure build_site/ as committed at REV (e.g. HEAD) instead of "
                             "the working tree")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="instead: profile one cold build of N dyads with cProfile")
    parser.add_argument("--top", type=int, default=35, help="functions listed by --profile")
    args = parser.parse_args(argv)

    sizes = [23] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    runs = 1 if args.quick else max(1, args.runs)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="build-site-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    global SOURCE
    try:
        if args.source:
            SOURCE = export_source(args.source, work)
        if args.profile:
            return profile(args.profile, work, args.top)
        facts = machine()
        if args.source:
            rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", args.source],
                                 capture_output=True, text=True, check=False).stdout.strip()
            facts["commit"] = f"{rev} (build_site/ exported with git archive)"
        print("machine: " + "; ".join(f"{k} {v}" for k, v in facts.items()), flush=True)
        results: list[SizeResult] = []
        failed = False
        for size in sizes:
            study = _study(work, size)

            load = os.getloadavg()
            n_runs = min(runs, args.max_runs_1000) if size >= 1000 else runs
            size_runs = []
            for i in range(n_runs):
                run = measure(study, work / f"n{size}-run{i}", args.zensical_python)
                size_runs.append(run)
                status = "; ".join(run.errors) or "ok"
                print(f"N={size} run {i + 1}/{n_runs}: cold {run.cold_wall:.1f} s, no-op "
                      f"{run.noop_wall:.1f} s, baseline {_fmt(run.baseline_wall)} s: {status}",
                      flush=True)
                failed = failed or bool(run.errors)
                if i < n_runs - 1:
                    shutil.rmtree(work / f"n{size}-run{i}", ignore_errors=True)
            results.append(SizeResult(size, _clinicians(size), size_runs, load))
        print()
        for head, rows in tables(results):
            print(_text_table(head, rows))
            print()
        if args.markdown:
            parts = ["Machine: " + "; ".join(f"{k} {v}" for k, v in facts.items()) + ".",
                     f"Command: `.venv/bin/python bench/bench.py {' '.join(argv or sys.argv[1:])}`"]
            parts += [_md_table(h, r) for h, r in tables(results)]
            args.markdown.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
        return 1 if failed else 0
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == CHILD:
        sys.exit(child_build(sys.argv[2], sys.argv[3], sys.argv[4],
                             sys.argv[5] if len(sys.argv) > 5 else None))
    sys.exit(main())
