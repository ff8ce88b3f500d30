"""Charts rendered at build time to inline SVG with matplotlib (no JavaScript needed).

Output is reproducible: a fixed hash salt, no date in the metadata, text kept as ``<text>`` so
the site's stylesheet can colour it for light and dark palettes, and a transparent background.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from build_site.analyse import SaturationSeries

_RC: dict[str, Any] = {
    "svg.hashsalt": "build-site",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    # A mid grey reads against both Material palettes; text is coloured by the stylesheet.
    "axes.edgecolor": "#8a8a8a",
    "xtick.color": "#8a8a8a",
    "ytick.color": "#8a8a8a",
}


def saturation_chart(series: SaturationSeries, judged_after: int | None,
                     cache_dir: Path | None = None) -> str:
    """An SVG chart: bars of new codes per interview, a line of cumulative codes, and a dashed
    vertical line where the team judged saturation reached (``judged_after``), if given.

    With ``cache_dir`` the SVG is kept there, keyed by a hash of the plotted numbers, the
    matplotlib version and this module's source, so a rebuild with the same numbers neither
    imports matplotlib nor draws.

    Returns:
        The ``<svg>`` element as text (no XML prolog), labelled for screen readers.
    """
    orders = [p.order for p in series.points]
    new = [p.added for p in series.points]
    total = [p.cumulative for p in series.points]
    if cache_dir is None:
        return _draw(orders, new, total, judged_after)
    key = hashlib.sha256(json.dumps([
        metadata.version("matplotlib"), Path(__file__).read_text(encoding="utf-8"),
        orders, new, total, judged_after]).encode()).hexdigest()
    path = cache_dir / f"{key}.svg"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    svg = _draw(orders, new, total, judged_after)
    cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(svg, encoding="utf-8")
    tmp.replace(path)
    return svg


def _draw(orders: list[int], new: list[int], total: list[int], judged_after: int | None) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(_RC):  # type: ignore[arg-type]
        fig, ax = plt.subplots(figsize=(7.2, 3.2))
        ax.bar(orders, new, color="#26a69a", label="New codes in this interview", gid="bars")
        ax.plot(orders, total, color="#ef6c00", marker="o", markersize=3,
                label="Codes so far (cumulative)", gid="cumulative")
        if judged_after:
            ax.axvline(judged_after + 0.5, color="#888888", linestyle="--",
                       label="Saturation judged by the team")
        ax.set_xlabel("Interview, in the order conducted")
        ax.set_ylabel("Codes")
        ax.legend(frameon=False, loc="center right")
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
        plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    label = ("Chart of new codes per interview and cumulative codes across "
             f"{len(orders)} interviews")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
