"""A member-checking packet does not tell the clinician what one patient chose (issue 17
item 5)."""

from __future__ import annotations

import re
from pathlib import Path

from build_site.outputs.packets import write_packets
from build_site.pipeline import prepare


def test_packet_does_not_explain_absences_by_consent(tiny: Path, tmp_path: Path) -> None:
    written = write_packets(prepare(tiny, "packets", scan=False), tmp_path / "packets",
                            tmp_path / "cache")
    text = re.sub(r"<[^>]+>", " ", (tmp_path / "packets" / "C1" / "index.html")
                  .read_text(encoding="utf-8"))
    assert written and "Your patients' words" in text  # C1-P1 shares with the clinician
    assert not re.search(r"\b(agreed|consent\w*)\b", text, re.I)
