"""Rendering the planned pages in two processes (site/render_all.py) gives the texts of rendering
them one after another, in order; a failure in either half is raised as in a serial render."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from aixin.site import render, render_all


def _pages(count: int) -> list:
    return [
        SimpleNamespace(
            template="reference.md.j2",
            title=f"示例页 {n}",
            context={"markdown": f"第 {n} 页"},
            searchable=n % 3 != 0,
            lightbox=False,
            boost=None,
            sources=[f"records/anju/girls/G{n:04d}.yaml"],
            path=f"girls/g{n}.md",
        )
        for n in range(count)
    ]


def test_two_processes_render_what_one_renders():
    pages = _pages(render_all.PARALLEL_FROM + 11)
    roots = ["../" * (n % 3) for n in range(len(pages))]
    serial = [render.render(page, root=root) for page, root in zip(pages, roots)]
    assert render_all.render_all(pages, roots) == serial
    assert len(set(serial)) == len(serial)


class _Process:
    def __str__(self) -> str:
        return f"进程 {os.getpid()}"


def test_the_second_half_is_rendered_in_another_process():
    pages = _pages(render_all.PARALLEL_FROM)
    for page in pages:
        page.context = {"markdown": _Process()}
    texts = render_all.render_all(pages, [""] * len(pages))
    half = len(pages) // 2
    here = f"进程 {os.getpid()}"
    assert all(here in text for text in texts[:half])
    assert not any(here in text for text in texts[half:]) and len({t.split("进程")[1] for t in texts[half:]}) == 1


class _Unprintable:
    def __str__(self) -> str:
        raise ValueError("这一页坏了")


def test_a_failure_in_the_workers_half_is_raised_here():
    pages = _pages(render_all.PARALLEL_FROM)
    pages[-1].context = {"markdown": _Unprintable()}  # in the second half: the worker's
    with pytest.raises(ValueError, match="这一页坏了"):
        render_all.render_all(pages, [""] * len(pages))
