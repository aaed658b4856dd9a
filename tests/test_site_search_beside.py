"""The search index made in a forked worker beside the pages (site/search_beside.py): the same
entries as Material's index makes alone, a failure in the worker fails the build with its message,
and `aixin build` really uses it (the both-ways site comparison is in test_site_fastpath.py)."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from material.plugins.search.plugin import SearchIndex
from mkdocs.exceptions import PluginError

from aixin.cli import main
from aixin.site import fastpath, search_beside
from conftest import REPO

PAGES = [
    SimpleNamespace(
        url="girls/a.html",
        title="示例甲",
        meta={"title": "示例甲"},
        toc=[],
        content="<h1>示例甲</h1><p>安居区 · 长溪镇</p><section data-search-exclude><p>私</p></section>",
    ),
    SimpleNamespace(url="girls/b.html", title="示例乙", meta={"search": {"exclude": True}}, toc=[], content="<p>x</p>"),
    SimpleNamespace(
        url="mothers/c.html",
        title="示例丙",
        meta={"tags": ["妈妈"], "search": {"boost": 2}},
        toc=[],
        content="<h1>示例丙</h1><p>2026 年 家访 两次</p>",
    ),
]


def _plugin() -> SimpleNamespace:
    return SimpleNamespace(
        config=SimpleNamespace(enabled=True),
        is_dirty=False,
        search_index=SearchIndex(lang=["zh"], separator="", pipeline=[], fields={}),
    )


def _alone() -> str:
    index = SearchIndex(lang=["zh"], separator="", pipeline=[], fields={})
    for page in PAGES:
        index.add_entry_from_context(SimpleNamespace(**{**vars(page), "content": fastpath.indexed_part(page.content)}))
    return index.generate_search_index(None)


def test_the_worker_makes_the_entries_the_index_makes_alone():
    plugin = _plugin()
    search_beside.start(plugin, fastpath.indexed_part)
    assert isinstance(plugin.search_index, search_beside.Beside)
    for page in PAGES:
        plugin.search_index.add_entry_from_context(page)
    made = plugin.search_index.generate_search_index(None)
    assert made == _alone()
    assert '"location":"mothers/c.html"' in made and "girls/b.html" not in made and "私" not in made
    assert not plugin.search_index.worker.is_alive()


def test_the_two_processes_share_the_pages_and_keep_their_order():
    main = os.getpid()
    go = multiprocessing.get_context("fork").Event()

    def held_there(content: str) -> str:  # the worker waits: the main process takes the pages it cannot
        if os.getpid() != main:
            go.wait()
        return fastpath.indexed_part(content)

    plugin = _plugin()
    search_beside.start(plugin, held_there)
    pages = [SimpleNamespace(**{**vars(page), "url": f"{n}-{page.url}"}) for n in range(15) for page in PAGES]
    for page in pages:
        plugin.search_index.add_entry_from_context(page)
    go.set()
    beside = plugin.search_index
    made = beside.generate_search_index(None)
    there = [place for place in beside.order if place is None]
    assert len(there) == search_beside.BACKLOG + 1 and len(beside.order) == 30  # the rest indexed here
    alone = SearchIndex(lang=["zh"], separator="", pipeline=[], fields={})
    for page in pages:
        alone.add_entry_from_context(SimpleNamespace(**{**vars(page), "content": fastpath.indexed_part(page.content)}))
    assert made == alone.generate_search_index(None)


_MAIN = os.getpid()


def _breaks_on_b(content: str) -> str:  # in the worker only: the main process indexes the rest
    if "家访" in content and os.getpid() != _MAIN:
        raise ValueError("坏的页面")
    return content


def test_a_failure_in_the_worker_fails_the_build_with_its_message():
    plugin = _plugin()
    search_beside.start(plugin, _breaks_on_b)
    for page in PAGES * 20:  # pages keep coming after the failure: none is lost in a broken pipe
        plugin.search_index.add_entry_from_context(page)
    with pytest.raises(PluginError, match="坏的页面"):
        plugin.search_index.generate_search_index(None)
    assert not plugin.search_index.worker.is_alive()


def test_a_failed_build_ends_the_worker_and_gives_the_index_back():
    plugin = _plugin()
    own = plugin.search_index
    search_beside.start(plugin, fastpath.indexed_part)
    worker = plugin.search_index.worker
    fastpath.on_build_error(RuntimeError("x"))
    assert plugin.search_index is own and not worker.is_alive()


@pytest.mark.parametrize(
    ("extra", "dirty", "wanted"), [({}, False, True), ({"aixin_regenerate": True}, False, False), ({}, True, False)]
)
def test_only_for_a_whole_build_outside_the_preview(extra, dirty, wanted):
    plugin = _plugin()
    plugin.is_dirty = dirty
    assert search_beside.wanted(SimpleNamespace(extra=extra), plugin) is wanted


def test_aixin_build_indexes_beside_and_tells_its_steps(tmp_path, monkeypatch):
    started = []
    real = search_beside.start
    monkeypatch.setattr(search_beside, "start", lambda plugin, shorten: started.append(plugin) or real(plugin, shorten))
    for part in ("records", "schemas"):
        shutil.copytree(REPO / part, tmp_path / part)
    result = CliRunner().invoke(main, ["build", "--root", str(tmp_path), "--as-of", "2026-11-30", "--timings"])
    assert result.exit_code == 0, result.output
    assert len(started) == 1
    # --timings: each step's seconds, on one line (benchmarks/site_speed.py reads MkDocs' from it)
    steps = re.search(r"各步用时：(.+)", result.output).group(1).split("，")
    assert [step.split(" ")[0] for step in steps] == ["读取记录", "照片", "生成页面", "MkDocs"]
    assert all(re.fullmatch(r"\S+ \d+\.\d\d 秒", step) for step in steps)
    assert (tmp_path / "build" / "city" / "site" / "search" / "search_index.json").stat().st_size > 10_000
