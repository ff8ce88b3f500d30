"""``build-site check``: everything a public build would refuse or warn about, in one report.

:func:`check_study` prepares the study as the review copy would (so every case the team may
publish is read) and gathers, without stopping at the first: listed identifiers that text
published as written would carry, possible identifiers the list missed, ties between dyads and
clinicians a study that hides them would still show, consent findings in published free text
(``prepared.text``, :mod:`build_site.privacy`), private files tracked by git, advisory
findings in the private transcripts and, on request, the disclosure risk per participant. The
command-line interface only prints the report and picks the exit code from
:attr:`CheckReport.refused`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from build_site.analyse.risk import Exposure, exposures
from build_site.consent.choices import ConsentStatement, find_consent_statements
from build_site.consent.contrastive import Contrastive, find_contrastive
from build_site.deidentify import collisions
from build_site.deidentify.echo import echo_warnings
from build_site.deidentify.findings import Finding, transcript_findings, unresolved
from build_site.errors import Problem
from build_site.insider import Statement, insider_statements, refusals
from build_site.pipeline import Prepared, declare_pages, prepare
from build_site.placeholders import Placeholder, find_placeholders, placeholder_clinicians
from build_site.relation_claims import uncited_warnings


@dataclass
class CheckReport:
    """What ``check`` found in a study.

    Attributes:
        prepared: the study as prepared for review.
        published_as_written: each form of a listed identifier found in text published as
            written (ids, labels, team names), naming the form, its entry and the fix.
        findings: unresolved possible identifiers (a public build is refused for those in
            what it publishes).
        linkages: ties between dyads and clinicians in a study that hides them.
        transcript_notes: possible identifiers in the private transcripts (advisory).
        tracked_private: files under ``private/`` that git tracks.
        exposures: the disclosure risk per participant, when asked for.
        insider: why a public build is refused for insiders (:func:`insider.refusals`).
        statements: with ``--insider``, every public statement from a patient's side, per
            clinician and per other person present (:func:`insider.insider_statements`).
        contrastive: criticism of clinicians outside the study in published narratives and
            summaries, when study.yml does not publish contrastive comments (refused).
        consent_statements: sentences on case pages that state one person's consent choice
            (refused).
        placeholders: every placeholder an importer wrote that is still in the study
            (:mod:`build_site.placeholders`); ``blocking`` those a public build would publish
            (refused, exit 2).
    """

    prepared: Prepared
    published_as_written: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    linkages: list[Problem] = field(default_factory=list)
    transcript_notes: list[Finding] = field(default_factory=list)
    tracked_private: list[str] = field(default_factory=list)
    exposures: list[Exposure] | None = None
    insider: list[Problem] = field(default_factory=list)
    statements: list[Statement] | None = None
    contrastive: list[Contrastive] = field(default_factory=list)
    consent_statements: list[ConsentStatement] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)
    blocking: list[Placeholder] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """Whether a public build would be refused for privacy (exit 3)."""
        return bool(self.published_as_written or self.findings or self.linkages
                    or self.prepared.text.consent or self.insider
                    or self.contrastive or self.consent_statements)

    @property
    def warnings(self) -> list[str]:
        """Warnings for the team (an empty identifier list, and the like)."""
        from build_site.pipeline import no_identifiers

        found = ([no_identifiers(self.prepared.study_dir)]
                 if not self.prepared.study.identifiers else [])
        return (found + uncited_warnings(self.prepared.study, self.prepared.study_dir)
                + echo_warnings(self.prepared.study))


def check_study(study_dir: Path, risk: bool = False, insider: bool = False) -> CheckReport:
    """Check the study in ``study_dir`` as a public build would, reporting every problem.

    Args:
        study_dir: the study folder.
        risk: also compute the disclosure risk per participant (``check --risk``).
        insider: also list the public statements from each patient's side
            (``check --risk --insider``).

    Returns:
        The :class:`CheckReport`.

    Raises:
        StudyError: the study folder or its site configuration is invalid, or a hand-written
            page takes a generated page's place (exit 2): nothing else can be checked until
            it is read.
    """
    prepared = prepare(study_dir, "review")
    declare_pages(prepared)  # a hand-written page where a generated one goes: exit 2, as build
    study = prepared.study
    return CheckReport(
        prepared=prepared,
        published_as_written=collisions(study),
        findings=prepared.findings,
        linkages=prepared.linkages,
        transcript_notes=unresolved(transcript_findings(study), study),
        tracked_private=tracked_private_files(study_dir, study.meta.demonstration),
        exposures=exposures(prepared.public) if risk else None,
        insider=refusals(study_dir, prepared.deidentified, prepared.public),
        statements=insider_statements(prepared.public) if insider else None,
        contrastive=find_contrastive(prepared.public, study_dir),
        consent_statements=find_consent_statements(prepared.public, study_dir),
        placeholders=find_placeholders(study, study_dir),
        blocking=find_placeholders(prepared.public, study_dir, placeholder_clinicians(study)),
    )


def tracked_private_files(study: Path, demonstration: bool) -> list[str]:
    """Files under the study's ``private/`` that git tracks (none reported for a
    demonstration study, whose private folder is committed on purpose)."""
    if demonstration or not (study / "private").is_dir():
        return []
    try:
        done = subprocess.run(["git", "ls-files", "--", "private"], cwd=study,
                              capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return [line for line in done.stdout.splitlines() if line] if done.returncode == 0 else []
