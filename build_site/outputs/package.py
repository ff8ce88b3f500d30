"""``build-site package``: the public site as a self-contained journal supplement (a zip).

The zip holds the public build, which opens straight from disk (``file://``): relative links,
no directory URLs, offline search (Material's offline plugin with a vendored iframe-worker
shim), no external fonts or scripts. Beside the site it carries the citation
(``CITATION.cff``), the licence, and deposit metadata generated from ``study.yml``: a
``.zenodo.json`` (Zenodo's deposit metadata) and ``datacite.json`` (DataCite Metadata Schema
4.4 properties, as JSON). Publishing is refused (exit 3) until ``study.yml`` records a sign-off
of exactly this content. The zip is reproducible: sorted entries, fixed permissions and entry
times from ``SOURCE_DATE_EPOCH`` (or the sign-off date).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

from build_site.consent.archive import for_archive, left_out
from build_site.errors import PrivacyError, Problem, UsageError
from build_site.insider import clinician_page_problems
from build_site.manifest import build_manifest, signed_off, source_date_epoch
from build_site.metadata.deposit import datacite_metadata, title, zenodo_metadata
from build_site.metadata.rocrate import METADATA_FILE, rocrate_json
from build_site.pipeline import build, build_directory, prepare
from build_site.privacy.gate import scan_tree
from build_site.render.downloads import citation_cff
from build_site.study import Study

ARCHIVE_NOTE = ("\nThis supplement leaves out the material of the participants who agreed to "
                "appear on the study's website but not to be archived.\n")


def write_zip(folder: Path, target: Path, epoch: int) -> None:
    """Zip ``folder`` into ``target`` reproducibly (sorted, fixed times and permissions)."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    tmp = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    tmp.replace(target)


def require_sign_off(study_dir: Path, config: Path | None = None) -> tuple[Study, Study]:
    """Load ``study_dir`` and check that ``study.yml`` signs off exactly what a public build
    would publish (the rule of :func:`build_site.manifest.signed_off`); every export of the
    public site (the supplement zip, the PDF) starts here.

    An export is a deposit: a clinician's page in it may not tell a case that the deposit
    leaves out for consent (``archive: false``, :func:`build_site.insider.
    clinician_page_problems` on the selection of :func:`build_site.consent.archive.
    for_archive`); the public build refuses the same for withdrawn and unpublished cases.

    Returns:
        The validated study (its identifier list is what the leak gate searches for) and its
        de-identified public selection.

    Raises:
        PrivacyError: a clinician page tells a case the deposit leaves out, or the content is
            not signed off (exit 3); StudyError: invalid input (exit 2).
    """
    prepared = prepare(study_dir, "public", config, scan=False)  # the build scans
    study, public = prepared.study, prepared.shown
    if told := clinician_page_problems(prepared.deidentified, for_archive(public)):
        raise PrivacyError(told)
    manifest = build_manifest(prepared)
    if not signed_off(public, manifest):
        raise PrivacyError([Problem("study.yml", 0, "publishing refused: the content is not "
                                    f"signed off (its fingerprint is {manifest.digest})",
                                    "build-site manifest --changes lists what changed since "
                                    "the sign-off; review it and record the sign-off with "
                                    "build-site manifest --record --by NAME --role ROLE")])
    return study, public


def package(study_dir: Path, target: Path, config: Path | None = None) -> Path:
    """Build the public site of ``study_dir`` and write the supplement zip to ``target``.

    Raises:
        PrivacyError: the content is not signed off, or the leak gate found a listed
            identifier (exit 3; nothing written); StudyError: invalid input (exit 2).
    """
    if target.suffix.lower() != ".zip":
        raise UsageError("the package must be a .zip file", "name it e.g. supplement.zip",
                         target)
    study, public = require_sign_off(study_dir, config)
    with tempfile.TemporaryDirectory(prefix=".build-site-package-") as folder:
        root = Path(folder) / "supplement"
        build(study_dir, root / "site", config, archive=True)  # archive: false stays out
        shutil.rmtree(build_directory(root / "site"))  # the build's working copy stays out
        (root / "CITATION.cff").write_bytes(citation_cff(public))
        (root / ".zenodo.json").write_text(json.dumps(zenodo_metadata(public), indent=2,
                                                      sort_keys=True) + "\n", encoding="utf-8")
        (root / "datacite.json").write_text(json.dumps(datacite_metadata(public), indent=2,
                                                       sort_keys=True) + "\n", encoding="utf-8")
        (root / "LICENSE.txt").write_text(f"{title(public.meta)}\n\n"
                                          f"Licence: {public.meta.license or 'not stated'}\n",
                                          encoding="utf-8")
        (root / "README.txt").write_text(
            f"{title(public.meta)}\n\nOpen site/index.html in a web browser; the site works "
            "from disk, without a server or an internet connection.\n"
            + (ARCHIVE_NOTE if left_out(public) else ""), encoding="utf-8")
        (root / "site" / ".build-site").unlink(missing_ok=True)
        (root / METADATA_FILE).write_text(rocrate_json(public, root), encoding="utf-8")
        leaks = scan_tree(root, study.identifiers, study.reviewed.file_digests())
        if leaks:
            raise PrivacyError([Problem(leak.where, 0, "listed identifier found in the package",
                                        "nothing was written") for leak in leaks])
        target.parent.mkdir(parents=True, exist_ok=True)
        write_zip(root, target, source_date_epoch(public))
    return target
