"""REFI-QDA exchange: import a QDA project (``.qdpx``) or code book (``.qdc``) as a new study
folder, and export a study back as a ``.qdpx`` project.

REFI-QDA is the exchange standard of the Rotterdam Exchange Format Initiative that ATLAS.ti,
NVivo, MAXQDA, QualCoder and Taguette share; its QDA-XML 1.0 schema (``Project.xsd``,
namespace ``urn:QDA-XML:project:1.0``) describes the project file, and text positions are
Unicode code points counted from 0 with an exclusive end. The work is split by direction:

- :mod:`build_site.refi_qda.safe_zip`: the archive, read without trusting it;
- :mod:`build_site.refi_qda.qde`: the project XML, parsed safely into dataclasses;
- :mod:`build_site.refi_qda.read`: the archive's project XML and source texts, vendor quirks
  included;
- :mod:`build_site.refi_qda.readers`: the readers by file suffix; each returns a
  :class:`~build_site.refi_qda.qde.QdaProject`, the seam for other import formats;
- :mod:`build_site.refi_qda.import_plan` and :mod:`build_site.refi_qda.mapping`: which sources
  and cases become which dyads and clinicians, and how CRLF was counted;
- :mod:`build_site.refi_qda.study_import`: project -> the files of the study folder;
- :mod:`build_site.refi_qda.study_files`: ids, YAML and the all-or-nothing folder write;
- :mod:`build_site.refi_qda.apply` and :mod:`build_site.refi_qda.consent_sheet`: a mapping's
  roles, consent, status and publish flags and a consent sheet, at import or afterwards;
- :mod:`build_site.refi_qda.write`: study -> ``.qdpx``.

This module holds the four operations the commands in :mod:`build_site.cli.qda_commands` run.
"""

from __future__ import annotations

from pathlib import Path

from build_site.errors import EXIT_INTERNAL, Problem, StudyError
from build_site.pipeline import load_and_validate
from build_site.refi_qda.apply import ApplyReport, apply_to_folder
from build_site.refi_qda.consent_sheet import ConsentSheet
from build_site.refi_qda.import_plan import ImportOptions, ImportReport
from build_site.refi_qda.mapping import Mapping
from build_site.refi_qda.readers import reader_for
from build_site.refi_qda.safe_zip import Limits
from build_site.refi_qda.study_files import check_target, write_folder
from build_site.refi_qda.study_import import build_files
from build_site.refi_qda.write import ExportOptions, ExportReport, export_study

__all__ = ["ApplyReport", "ExportOptions", "ExportReport", "ImportOptions", "ImportReport",
           "Limits", "apply_mapping", "export_qdpx", "import_qdc", "import_qdpx"]


def _check_study(folder: Path) -> None:
    """Refuse to publish an imported folder that ``build-site check`` would reject."""
    try:
        load_and_validate(folder)
    except StudyError as exc:
        raise StudyError(
            [Problem(p.file, p.line, f"the imported study does not validate: {p.message}",
                     "this is a bug in import-qdpx; nothing was written")
             for p in exc.problems], exit_code=EXIT_INTERNAL) from None


def import_qdpx(path: Path, to: Path, options: ImportOptions | None = None,
                limits: Limits | None = None) -> ImportReport:
    """Import the REFI-QDA project ``path`` (``.qdpx``) as the new study folder ``to``.

    The folder is written all at once, and only after it validates as a study; on any
    failure nothing is left behind.

    Args:
        path: the ``.qdpx`` archive.
        to: a folder that does not exist yet, or is empty.
        options: line endings, speaker and mapping file (see :class:`ImportOptions`).
        limits: caps on the archive's entries and unpacked bytes (default:
            ``build_site.refi_qda.safe_zip.DEFAULT_LIMITS``).

    Returns:
        The :class:`ImportReport` (also written as ``import-report.md`` in the folder).

    Raises:
        UsageError: ``to`` exists and is not empty, or is a file (exit code 2).
        StudyError: the file is missing, not REFI-QDA, hostile (zip bomb, entity expansion,
            a path leaving the archive, too many entries) or the mapping file is wrong
            (exit code 2); the imported folder would not validate (exit code 1, a bug).
    """
    check_target(to)
    project = reader_for(".qdpx")(path, limits)
    files, report = build_files(project, options or ImportOptions(), path.name)
    write_folder(to, files, check=_check_study)
    return report


def import_qdc(path: Path, to: Path, options: ImportOptions | None = None,
               limits: Limits | None = None) -> ImportReport:
    """Import the REFI-QDA code book ``path`` (``.qdc``) as a new study folder ``to``: its
    ``codebook.yml``, with placeholders (model, one clinician and one dyad) that keep the
    folder valid until the team adds its case studies.

    Returns:
        The :class:`ImportReport`.

    Raises:
        UsageError, StudyError: as :func:`import_qdpx`.
    """
    check_target(to)
    project = reader_for(".qdc")(path, limits)
    files, report = build_files(project, options or ImportOptions(), path.name, "import-qdc")
    write_folder(to, files, check=_check_study)
    return report


def _check_applied(folder: Path) -> None:
    """Refuse changes after which the study would not validate (exit code 2)."""
    try:
        load_and_validate(folder)
    except StudyError as exc:
        raise StudyError(
            [Problem(p.file, p.line, f"after applying, the study would not validate: "
                                     f"{p.message}", p.hint or "nothing was changed")
             for p in exc.problems]) from None


def apply_mapping(study: Path, mapping: Mapping | None, sheet: ConsentSheet | None
                  ) -> ApplyReport:
    """Apply a mapping file and a consent sheet to an imported study folder (roles, consent,
    status, publish flags; see :mod:`build_site.refi_qda.apply`), rewriting only the case
    files whose values change.

    Returns:
        The :class:`ApplyReport`.

    Raises:
        StudyError: the folder is not a study, the mapping or sheet names what the study lacks
            or asks what cannot be done afterwards, or the result would not validate (exit
            code 2); nothing is changed.
    """
    return apply_to_folder(study, mapping, sheet, _check_applied)


def export_qdpx(study: Path, out: Path, options: ExportOptions | None = None) -> ExportReport:
    """Export the study folder ``study`` as the REFI-QDA project ``out`` (``.qdpx``): code
    book, sources, selections and codings (QDA-XML 1.0, valid against ``Project.xsd``).

    Returns:
        The :class:`ExportReport`.

    Raises:
        StudyError: the study does not validate (exit code 2).
        UsageError: ``out`` is a folder, lies in a folder that could be published, or its
            parent does not exist (exit code 2).
    """
    return export_study(study, out, options or ExportOptions())
