"""The downloads of a demonstration study, marked fictional row by row."""

from __future__ import annotations

import csv
import io
import json

from build_site.render.downloads import to_csv, to_json

MARK_COLUMN = "demonstration"
MARK_VALUE = "fictional"
MARK = (MARK_COLUMN, MARK_VALUE)
"""The mark as :mod:`build_site.render.downloads` writes it while making the files (a build
does so: the same bytes as :func:`mark_downloads`, without reading each file back, issue 25;
``tests/render/test_downloads.py`` compares the two)."""


def mark_downloads(files: dict[str, bytes]) -> dict[str, bytes]:
    """The downloads of a demonstration study, each saying it is fictional wherever a row or
    record may be copied out on its own: a last CSV column ``demonstration`` holding
    ``fictional`` on every row; that key on every JSON record (a JSON object gets it at the
    top). Other files are returned unchanged.

    Args:
        files: file name -> bytes as :mod:`build_site.render.downloads` makes them.
    """
    out = dict(files)
    for name, data in files.items():
        if name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
            out[name] = to_csv([*rows[0], MARK_COLUMN], [[*r, MARK_VALUE] for r in rows[1:]])
        elif name.endswith(".json"):
            value = json.loads(data)
            if isinstance(value, list):
                value = [{**v, MARK_COLUMN: MARK_VALUE} if isinstance(v, dict) else v
                         for v in value]
            elif isinstance(value, dict):
                value = {**value, MARK_COLUMN: MARK_VALUE}
            out[name] = to_json(value)
    return out
