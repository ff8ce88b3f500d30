"""The "page not found" page under a sub-path (issue 23 item 7).

A web server shows ``404.html`` at whatever address was asked for, so its links cannot be
relative to the page; MkDocs writes them absolute from ``site_url``'s path, and from ``/`` when
the study gives no ``site_url``. A journal hosts a supplement under a sub-path
(``https://journal.example/suppl/123/``), often at an address the team does not know when it
builds: there, links starting at ``/`` lead out of the supplement. So when ``404.html`` is
written for the domain root, its links are made relative and resolved against a ``<base>``
that a small script in the head sets to the site root the reader's visit has recorded
(``build-site.js`` stores it in ``sessionStorage`` on every other page), or to ``/`` when there
is none (a reader who comes straight to a wrong address: what MkDocs did before). A
``site_url`` with a path is left as MkDocs wrote it: it already names the root.
"""

from __future__ import annotations

import re
from pathlib import Path

NOT_FOUND = "404.html"
ROOT_KEY = "bs-site-root"
MARKER = '<meta name="bs-not-found" content="root-relative">'
_ROOT_BASE = re.compile(r'("base":\s*)"/"')
_ROOT_LINK = re.compile(r'\b(href|src)="/(?!/)')
_ROOT_SCOPE = 'new URL("/",location)'
# Runs before any link of the page is resolved; accepts only an http(s) or file root.
_BASE_SCRIPT = (
    "<script>(function(){var r=null;try{r=sessionStorage.getItem(\"" + ROOT_KEY + "\")}"
    "catch(e){}if(!r||!/^(https?|file):\\/\\/[^\"<>]*\\/$/.test(r))r=\"/\";"
    "document.write('<base href=\"'+r+'\">')})()</script>"
)


# Runs right after the theme's configuration and before its script reads it: the base, from
# which the theme finds the search index and worker, becomes the root <base> names.
_CONFIG_SCRIPT = (
    "<script>(function(){var c=document.getElementById(\"__config\"),"
    "b=document.querySelector(\"base\");if(!c||!b)return;try{var j=JSON.parse(c.textContent);"
    "j.base=b.href;if(j.search)j.search=new URL(j.search,b.href).href;"
    "c.textContent=JSON.stringify(j)}catch(e){}})()</script>"
)
_CONFIG = re.compile(r'(<script id="__config" type="application/json">.*?</script>)', re.S)
_ROOT_SEARCH = re.compile(r'("search":\s*)"/(?!/)')


def written_for_root(html: str) -> bool:
    """Whether ``html`` (a built ``404.html``) links from the domain root (``"base": "/"``)."""
    return bool(_ROOT_BASE.search(html))


def relative_to_recorded_root(html: str) -> str:
    """``html`` (a ``404.html`` written for the domain root) with every root-absolute
    ``href``/``src`` made relative, the theme's base, search worker and storage scope relative
    too, the head opened by :data:`MARKER` and the script that sets ``<base>``, and the
    theme's configuration followed by the script that makes its base that root. Other text
    unchanged."""
    html = _ROOT_LINK.sub(r'\1="', html)
    html = _ROOT_SEARCH.sub(r'\1"', html)
    html = _ROOT_BASE.sub(r'\1"."', html)
    html = _CONFIG.sub(lambda m: m.group(1) + _CONFIG_SCRIPT, html, count=1)
    html = html.replace(_ROOT_SCOPE, 'new URL(".",document.baseURI)')
    return re.sub(r"<head>", "<head>" + MARKER + _BASE_SCRIPT, html, count=1)


def fix_not_found(site: Path) -> bool:
    """Rewrite ``site``'s ``404.html`` (see the module) when it links from the domain root.

    Returns:
        True when the page was rewritten; False when there is none or it names a sub-path.
    """
    page = site / NOT_FOUND
    if not page.is_file():
        return False
    html = page.read_text(encoding="utf-8")
    if not written_for_root(html):
        return False
    page.write_text(relative_to_recorded_root(html), encoding="utf-8")
    return True
