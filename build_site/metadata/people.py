"""The team as metadata formats want it: family and given names, ORCID URL, affiliation."""

from __future__ import annotations

from dataclasses import dataclass

from build_site.metadata.orcid import orcid_url
from build_site.study import Person


@dataclass(frozen=True)
class Author:
    """One team member: ``name`` as written, ``family`` and ``given`` (the last word is the
    family name; a one-word name is all family), ``orcid`` (URL form, or "") and
    ``affiliation``."""

    name: str
    family: str
    given: str
    orcid: str
    affiliation: str

    @property
    def family_first(self) -> str:
        """``Family, Given`` (or the family name alone)."""
        return f"{self.family}, {self.given}" if self.given else self.family


def authors(team: list[Person]) -> list[Author]:
    """The team as :class:`Author` records, in the order written."""
    out = []
    for person in team:
        given, _, family = person.name.strip().rpartition(" ")
        out.append(Author(person.name, family or person.name, given,
                          orcid_url(person.orcid) if person.orcid else "", person.affiliation))
    return out
