"""The cite page's BibTeX and RIS: the blocks it shows and the files it offers."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from build_site.metadata.bibliographic import bibtex, ris
from build_site.render.context import Asset
from build_site.study import Study

REFERENCE_FILES = ("citation.bib", "citation.ris")


def reference_files(study: Study) -> list[Asset]:
    """``citation.bib`` and ``citation.ris`` at the site's root, beside ``CITATION.cff``."""
    return [Asset("citation.bib", bibtex(study).encode()),
            Asset("citation.ris", ris(study).encode())]


def reference_blocks(study: Study) -> dict[str, Any]:
    """The cite page's context: ``bibtex`` and ``ris`` as escaped ``<pre>`` blocks."""
    def block(text: str, kind: str) -> Markup:
        return Markup('<pre class="bs-reference" data-format="{}" data-search-exclude>'
                      "<code>{}</code></pre>").format(
            kind, escape(text.replace("\r\n", "\n").rstrip("\n")))
    return {"bibtex": block(bibtex(study), "bibtex"), "ris": block(ris(study), "ris")}
