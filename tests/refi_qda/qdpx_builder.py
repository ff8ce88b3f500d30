"""Small hand-made REFI-QDA projects for the tests: XML snippets and a ``.qdpx`` writer.

Every fixture project is built here from the committed text in ``tests/fixtures/qdpx/`` so
each vendor quirk has a project of its own that shows only that quirk.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from build_site.study import Clinician, Dyad, Study

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "qdpx"
INTERVIEW = (FIXTURES / "interview.txt").read_text(encoding="utf-8")
NS = "urn:QDA-XML:project:1.0"
USER = "5d7e0c4a-0000-4000-8000-00000000aaaa"


def guid(n: int) -> str:
    """A valid, readable GUID numbered ``n``."""
    return f"5d7e0c4a-0000-4000-8000-{n:012d}"


def span(text: str, phrase: str) -> tuple[int, int]:
    """Start and end (code points, end exclusive) of ``phrase`` in ``text``."""
    start = text.index(phrase)
    return start, start + len(phrase)


@dataclass
class Sel:
    """A selection: positions, the GUIDs of its codes, an optional name and note."""

    start: int
    end: int
    codes: list[str]
    name: str = ""
    note: str | None = None
    n: int = 0


@dataclass
class Src:
    """A text source: where its text is, and its selections."""

    n: int
    name: str
    path: str | None = None
    content: str | None = None
    rich: str | None = None
    selections: list[Sel] = field(default_factory=list)
    note: str | None = None


def code_xml(n: int, name: str, children: str = "", colour: str | None = None,
             description: str = "", note: str | None = None) -> str:
    """A ``<Code>`` element."""
    attrs = f' color="{colour}"' if colour else ""
    inner = f"<Description>{escape(description)}</Description>" if description else ""
    inner += f'<NoteRef targetGUID="{note}"/>' if note else ""
    return (f'<Code guid="{guid(n)}" name="{escape(name)}" isCodable="true"{attrs}>'
            f"{inner}{children}</Code>")


def source_xml(src: Src) -> str:
    """A ``<TextSource>`` element with its selections."""
    attrs = f' plainTextPath="{escape(src.path)}"' if src.path is not None else ""
    attrs += f' richTextPath="{escape(src.rich)}"' if src.rich else ""
    name = f' name="{escape(src.name)}"' if src.name else ""
    body = (f"<PlainTextContent>{escape(src.content)}</PlainTextContent>"
            if src.content is not None else "")
    for i, sel in enumerate(src.selections):
        codings = "".join(f'<Coding guid="{guid(9000 + src.n * 100 + i * 10 + j)}" '
                          f'creatingUser="{USER}"><CodeRef targetGUID="{c}"/></Coding>'
                          for j, c in enumerate(sel.codes))
        note = f'<NoteRef targetGUID="{sel.note}"/>' if sel.note else ""
        sel_name = f' name="{escape(sel.name)}"' if sel.name else ""
        body += (f'<PlainTextSelection guid="{guid(5000 + src.n * 100 + i)}"{sel_name} '
                 f'startPosition="{sel.start}" endPosition="{sel.end}">{codings}{note}'
                 "</PlainTextSelection>")
    body += f'<NoteRef targetGUID="{src.note}"/>' if src.note else ""
    return f'<TextSource guid="{guid(100 + src.n)}"{name}{attrs}>{body}</TextSource>'


def project_xml(codes: str, sources: list[Src], *, name: str = "Hand-made study",
                origin: str = "hand-made 1.0", extra_before_sources: str = "",
                extra_after_sources: str = "", declaration: str = "") -> str:
    """A whole ``project.qde``."""
    declaration = declaration or '<?xml version="1.0" encoding="utf-8"?>'
    return (f"{declaration}"
            f'<Project xmlns="{NS}" name="{escape(name)}" origin="{escape(origin)}">'
            f'<Users><User guid="{USER}" name="RB"/></Users>'
            f"<CodeBook><Codes>{codes}</Codes></CodeBook>{extra_before_sources}"
            f"<Sources>{''.join(source_xml(s) for s in sources)}</Sources>"
            f"{extra_after_sources}</Project>")


def write_qdpx(path: Path, qde: str | bytes, files: dict[str, bytes | str] | None = None,
               qde_name: str = "project.qde") -> Path:
    """Write a ``.qdpx`` archive: the project XML under ``qde_name`` plus ``files``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, qde.encode("utf-8") if isinstance(qde, str) else qde)
        for name, data in (files or {}).items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


TRUST, NO_JUDGEMENT, TELLING, ACCESS = guid(1), guid(2), guid(3), guid(4)
CODES = (code_xml(1, "Trust", code_xml(2, "No judgement", description="Expected blame.")
                  + code_xml(3, "Telling first"), colour="#FF8800")
         + code_xml(4, "Access"))


def standard_selections(text: str) -> list[Sel]:
    """Three selections of the interview: two after an emoji (positions count code points),
    one across line breaks."""
    nl = "\r\n" if "\r\n" in text else "\n"
    return [
        Sel(*span(text, "She never judged me. Not once"), [NO_JUDGEMENT, TRUST]),
        Sel(*span(text, "I was nervous — the café by the clinic was closed"), [ACCESS]),
        Sel(*span(text, f"drinking.{nl}I: And now?{nl}P: Now I tell her things"), [TELLING]),
    ]


def cases(study: Study) -> list[Clinician | Dyad]:
    """Every case study of ``study``: dyads, then clinicians."""
    return [*study.dyads, *study.clinicians]
