"""The build's notice with the study's metadata: the home page's head (JSON-LD and
``citation_*`` tags) and, for a demonstration study, "fictional" on every page and ``noindex``.
"""

from __future__ import annotations

from build_site.metadata.demonstration import NOTICE
from build_site.metadata.webmeta import home_head
from build_site.site_project import Notice
from build_site.study import Study


def with_metadata(notice: Notice | None, shown: Study, audience: str) -> Notice | None:
    """``notice`` (the banner a build already has, or None) with what the study's metadata
    adds: on a public build the home page's head; on a demonstration study the fictional
    banner after any other, and search engines asked not to index the site.

    Returns:
        The notice to build with (None when there is nothing to add to None).
    """
    text = notice.text if notice else ""
    noindex = notice.noindex if notice else False
    head = home_head(shown) if audience == "public" else ""
    if shown.meta.demonstration:
        text = f"{text} {NOTICE}".strip()
        noindex = True
    if not text and not head:
        return notice
    return Notice(text, noindex, head)
