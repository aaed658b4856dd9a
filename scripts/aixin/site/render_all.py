"""Every planned page's text, rendered in two processes when there are many: the pages are data
made before, each rendered alone (`render.render`), so halves of the list can be rendered apart.

The worker is forked (it inherits the planned pages and the compiled templates) and renders the
second half while this process renders the first; the texts come back in order, exactly those of
rendering them one after another. A failure in the worker is raised here as in a serial render.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence

from . import render

PARALLEL_FROM = 400  # below this many pages a second process costs more than it saves
_pages: Sequence = ()  # what the forked worker renders from (set just before forking)


def render_all(pages: Sequence, roots: Sequence[str]) -> list[str]:
    """`render.render(page, root=root)` of each page, in order."""
    if len(pages) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [render.render(page, root=root) for page, root in zip(pages, roots)]
    global _pages
    for template in sorted({page.template for page in pages}):  # compiled once, before forking
        render.environment().get_template(template)
    half = len(pages) // 2
    _pages = tuple(zip(pages, roots))
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            second = pool.apply_async(_render_range, (half, len(pages)))
            first = _render_range(0, half)
            return first + second.get()
    finally:
        _pages = ()


def _render_range(start: int, stop: int) -> list[str]:
    return [render.render(page, root=root) for page, root in _pages[start:stop]]
