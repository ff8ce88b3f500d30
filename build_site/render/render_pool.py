"""The site's pages and files rendered on both cores when there are many.

:func:`render_site` gives what rendering every page and then making every file in this
process gives: the same pages and files in the same order, and the same HTML blocks and
diagrams asked of the render context, in the same order (so ``fragments.json`` and the
fingerprint are the same bytes). Each page and each file maker is done apart
(:meth:`~build_site.render.context.RenderContext.apart`: what it asks for comes back with its
result instead of being kept), and the results are taken back in the declared order. Pages
depend on nothing another page renders, so where one is rendered does not change it
(``tests/test_render_pool.py`` builds a site both ways and compares every byte).

With :data:`POOL_MIN_PAGES` pages or more, or :data:`POOL_MIN_PAGES_CORE_FREE` when a core is
free (:func:`build_site.forked.core_free`, the rule MkDocs' split follows), they go to
:func:`build_site.forked_map.map_forked` (two forked workers; one process where it cannot fork,
on one core, beside another thread, or when anything fails in the pool, which then does every
page again here, so a page's error is raised from this process with its own message, file and
exit code). The files (the data downloads, about half a second at 1,000 dyads) are put first
in the workers' queue, so one worker makes them while the other renders pages, and the pages
whose template few pages share (the excerpt browser, the meta-matrix) before the many case
pages (:func:`_order`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from build_site.forked import core_free
from build_site.forked_map import map_forked, workers_for
from build_site.render.context import Asset, Page, RenderContext

# Below this many pages, one process unless a core is free. The workers cost about a fifth
# more CPU than one process (page copies, each worker's own caches; guide/performance.md,
# "The render stage (render4)"): on a busy machine, where the second worker gets no core of
# its own, a few hundred pages are rendered later in two processes than in one. The bundled
# study has about 70 pages, 230 dyads about 320, 1,000 dyads about 1,260.
POOL_MIN_PAGES = 600
POOL_MIN_PAGES_CORE_FREE = 200
"""From this many pages (and below :data:`POOL_MIN_PAGES`) the pages go to two workers when
a core is free: the second worker then halves the work for that fifth more CPU. The bundled
study (about 70 pages) stays in one process."""
# Pages per task: the pages' costs vary (a component page lists every excerpt of its code):
# small tasks keep both workers busy to the end.
CHUNK = 16

Maker = Callable[[], list[Asset]]


def render_site(ctx: RenderContext, pages: Sequence[Any], makers: Sequence[Maker],
                render: Callable[[Any], Page]) -> tuple[list[Page], list[Asset]]:
    """Every page rendered and every file made, as one process does them in order.

    Args:
        ctx: the render context the pages write through.
        pages: the declared pages to render, in navigation order.
        makers: the declared files' makers, in declaration order.
        render: renders one of ``pages``.

    Returns:
        The rendered pages and the files made, in declaration order.

    Raises:
        Whatever rendering a page or making a file raises, from this process.
    """
    pooled = workers_for(len(pages), pool_minimum(len(pages))) > 1
    if pooled:
        _load_templates(ctx)
    work: list[Callable[[], Any]] = [_page(render, p) for p in pages]
    work += list(makers)
    order = _order(pages, len(makers))
    # the pages decide (the files counted in would start a pool just below the threshold)
    done = map_forked(lambda i: ctx.apart(work[i]), order, 1 if pooled else len(order) + 1,
                      CHUNK)
    results: list[Any] = [None] * len(work)
    for index, (value, asked) in zip(order, done, strict=True):
        results[index] = (value, asked)
    for _, asked in results:
        ctx.take(asked)
    return ([value for value, _ in results[:len(pages)]],
            [asset for made, _ in results[len(pages):] for asset in made])


def pool_minimum(pages: int) -> int:
    """The fewest pages worth two workers for a site of ``pages`` pages now:
    :data:`POOL_MIN_PAGES`, or :data:`POOL_MIN_PAGES_CORE_FREE` when the site has that many
    and a core is free (the load average is read only then)."""
    low = min(POOL_MIN_PAGES, POOL_MIN_PAGES_CORE_FREE)
    if low <= pages < POOL_MIN_PAGES and core_free():
        return low
    return POOL_MIN_PAGES


def _order(pages: Sequence[Any], makers: int) -> list[int]:
    """The order the work is done in (the results are put back in declared order, so it
    changes nothing but how evenly two workers share it): the first page, rendered here
    before any fork (it loads what every page uses); then the files, the largest pieces, so
    that a worker starts on them at once; then the pages whose template fewer pages share
    first (site-wide tables: the excerpt browser, the meta-matrix), the many small case pages
    alike last, so that neither worker is left with a large page at the end."""
    shared = Counter(getattr(p, "template", "") for p in pages)
    rest = sorted(range(1, len(pages)), key=lambda i: shared[getattr(pages[i], "template", "")])
    return [*range(min(1, len(pages))), *range(len(pages), len(pages) + makers), *rest]


def _page(render: Callable[[Any], Page], page: Any) -> Callable[[], Page]:
    return lambda: render(page)


def _load_templates(ctx: RenderContext) -> None:
    """Compile (or read from the bytecode cache) every page template in this process before
    the fork, so the workers share them and never write the cache."""
    for name in ctx.env.list_templates():
        if name.endswith(".j2"):
            ctx.env.get_template(name)
