"""The search index made beside the pages: a forked process indexes each page while MkDocs renders
the next, so that the build uses both of the machine's cores.

Material's search plugin indexes a page (parses it, cuts its Chinese words) in the middle of
building it. Here its index is handed to a process forked when the pages are about to be built
(`start`, from fastpath's on_env): it holds the same index object, jieba with the words it was
taught and the fast path's memory of cuts, so it makes exactly the entries the plugin would have
made, in the same order. The plugin's own index in the main process only forwards each page to it
(`Beside`), and gets every entry back just before it writes search_index.json.

Only for a whole build outside the preview (`extra.aixin_regenerate` unset, not `--dirty`), where
fork exists, with the fast path on; the worker also takes the fast path's indexed part of a page
(fastpath.indexed_part), so the main process does not. A failure in the worker is the build's
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
    ours, theirs = multiprocessing.get_context("fork").Pipe()
    worker = multiprocessing.get_context("fork").Process(
        target=_serve, args=(theirs, ours, index, shorten), name="aixin-search", daemon=True
    )
    worker.start()
    theirs.close()
    plugin.search_index = Beside(index, ours, worker)
    _started.append(plugin)


def stop_all() -> None:
    """After a failed build: end the workers, give the plugins their own index back."""
    while _started:
        plugin = _started.pop()
        beside = getattr(plugin, "search_index", None)
        if isinstance(beside, Beside):
            beside.close()
            plugin.search_index = beside.index


class Beside:
    """The plugin's index as the main process sees it: pages go to the worker, entries come back."""

    def __init__(self, index, connection, worker) -> None:
        self.index, self.connection, self.worker = index, connection, worker
        self.lost = False  # the worker stopped reading: its message waits at the end

    def add_entry_from_context(self, page) -> None:
        search = page.meta.get("search") or {}
        if search.get("exclude") or self.lost:
            return
        try:
            self.connection.send((page.url, page.title, page.meta, page.content, page.toc))
        except OSError:
            self.lost = True

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
        self.index.entries = value
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


def _serve(connection, other_end, index, shorten) -> None:
    """The worker: index every page sent, then send the entries back."""
    other_end.close()
    try:
        while (sent := connection.recv()) is not _DONE:
            url, title, meta, content, toc = sent
            index.add_entry_from_context(
                SimpleNamespace(url=url, title=title, meta=meta, content=shorten(content), toc=toc)
            )
        connection.send(("entries", index.entries))
    except EOFError:  # the main process ended the build
        return
    except Exception:  # noqa: BLE001 (sent to the main process, which fails the build with it)
        connection.send(("error", traceback.format_exc(limit=3)))
        while connection.recv() is not _DONE:  # the pages still sent: read and dropped
            pass
    finally:
        connection.close()
