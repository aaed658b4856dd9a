"""The search index made beside the pages: a forked process indexes each page while MkDocs renders
the next, so that the build uses both of the machine's cores.

Material's search plugin indexes a page (parses it, cuts its Chinese words) in the middle of
building it. Here its index is handed to a process forked when the pages are about to be built
(`start`, from fastpath's on_env): it holds the same index object, jieba with the words it was
taught and the fast path's memory of cuts, so it makes exactly the entries the plugin would have
made. The plugin's own index in the main process forwards each page to it (`Beside`), or indexes
the page itself when the worker has fallen behind (the two share the work, whichever is faster at
the moment), and puts every entry back in the pages' order just before it writes
search_index.json.

Only for a whole build outside the preview (`extra.aixin_regenerate` unset, not `--dirty`), where
fork exists, with the fast path on; whichever process indexes a page also takes the fast path's
indexed part of it (fastpath.indexed_part). A failure in the worker is the build's
failure, with the worker's message.
"""

from __future__ import annotations

import multiprocessing
import traceback
from types import SimpleNamespace

from mkdocs.exceptions import PluginError

_DONE = None  # what the main process sends after the last page
_started: list = []  # the plugins whose index is beside, for stop_all


def wanted(config, plugin) -> bool:
    return bool(
        plugin is not None
        and plugin.config.enabled
        and not getattr(plugin, "is_dirty", False)
        and not config.extra.get("aixin_regenerate")
        and "fork" in multiprocessing.get_all_start_methods()
        and not isinstance(getattr(plugin, "search_index", None), Beside)
    )


def start(plugin, shorten) -> None:
    """Fork the indexing process and make the plugin's index forward pages to it. `shorten`: what the
    page's content becomes before it is parsed (fastpath.indexed_part)."""
    index = plugin.search_index
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    done = context.RawValue("q", 0)  # pages the worker has indexed, for the main process to see
    worker = context.Process(target=_serve, args=(theirs, ours, index, shorten, done), name="aixin-search", daemon=True)
    worker.start()
    theirs.close()
    plugin.search_index = Beside(index, ours, worker, shorten, done)
    _started.append(plugin)


def stop_all() -> None:
    """After a failed build: end the workers, give the plugins their own index back."""
    while _started:
        plugin = _started.pop()
        beside = getattr(plugin, "search_index", None)
        if isinstance(beside, Beside):
            beside.close()
            plugin.search_index = beside.index


BACKLOG = 2  # pages the worker may have waiting before the main process indexes one itself


class Beside:
    """The plugin's index as the main process sees it: pages go to the worker, entries come back.
    When the worker falls behind (more than BACKLOG pages waiting), the main process indexes the
    page itself rather than wait, so that the two share the work whichever is faster; the
    entries are put back in the pages' order."""

    def __init__(self, index, connection, worker, shorten, done) -> None:
        self.index, self.connection, self.worker = index, connection, worker
        self.shorten, self.done = shorten, done
        self.sent = 0
        self.order: list[tuple[int, int] | None] = []  # per page: its entries here (start, end), or None: there
        self.lost = False  # the worker stopped reading: its message waits at the end

    def add_entry_from_context(self, page) -> None:
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        if self.lost or self.sent - self.done.value > BACKLOG:
            start = len(self.index.entries)
            self.index.add_entry_from_context(_shortened(page, page.content, self.shorten))
            self.order.append((start, len(self.index.entries)))
            return
        try:
            self.connection.send((page.url, page.title, page.meta, page.content, page.toc))
        except OSError:
            self.lost = True
            return self.add_entry_from_context(page)
        self.sent += 1
        self.order.append(None)

    def generate_search_index(self, prev) -> str:
        try:
            if not self.lost:
                self.connection.send(_DONE)
            outcome, value = self.connection.recv()
        except (EOFError, OSError) as exc:
            raise PluginError(f"搜索索引没能生成：建索引的进程意外退出（{exc or type(exc).__name__}）") from None
        finally:
            self.close()
        if outcome != "entries":
            raise PluginError(f"搜索索引没能生成：{value}")
        self.index.entries = _merged(self.order, self.index.entries, *value)
        _started[:] = [p for p in _started if getattr(p, "search_index", None) is not self]
        return self.index.generate_search_index(prev)

    def close(self) -> None:
        self.connection.close()
        self.worker.join(timeout=5)
        if self.worker.is_alive():
            self.worker.kill()
            self.worker.join()

    def __getattr__(self, name):  # anything else the plugin or another hook reads of its index
        return getattr(self.index, name)


def _shortened(page, content: str, shorten) -> SimpleNamespace:
    return SimpleNamespace(url=page.url, title=page.title, meta=page.meta, content=shorten(content), toc=page.toc)


def _merged(order: list, here: list, there: list, sizes: list[int]) -> list:
    """Every page's entries in the pages' order, from the two processes' lists."""
    merged, at, sent = [], 0, iter(sizes)
    for place in order:
        if place is None:
            size = next(sent)
            merged.extend(there[at : at + size])
            at += size
        else:
            merged.extend(here[place[0] : place[1]])
    return merged


def _serve(connection, other_end, index, shorten, done) -> None:
    """The worker: index every page sent, then send the entries back, with how many each page made."""
    other_end.close()
    sizes = []
    try:
        while (sent := connection.recv()) is not _DONE:
            url, title, meta, content, toc = sent
            before = len(index.entries)
            index.add_entry_from_context(
                SimpleNamespace(url=url, title=title, meta=meta, content=shorten(content), toc=toc)
            )
            sizes.append(len(index.entries) - before)
            done.value += 1
        connection.send(("entries", (index.entries, sizes)))
    except EOFError:  # the main process ended the build
        return
    except Exception:  # noqa: BLE001 (sent to the main process, which fails the build with it)
        connection.send(("error", traceback.format_exc(limit=3)))
        while connection.recv() is not _DONE:  # the pages still sent: read and dropped
            pass
    finally:
        connection.close()
