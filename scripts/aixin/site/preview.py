"""Preview while editing: `mkdocs serve --dirty` in the repository redoes only what a change alters.

MkDocs executes its hooks files anew on every rebuild, but an imported module stays: so what the
preview remembers between rebuilds lives here, one `Preview` per docs folder.

- Pages (`Preview.render`): a page is rendered again only when what it is made from differs from
  the last rebuild: its template, title, sources, flags and context, pickled, whose digest is the
  page's fingerprint. Pickling sees every field (a `Finding` compares equal without its message;
  `1 == True`), and what cannot be pickled is simply rendered. Aggregate pages (dashboard, units,
  待跟进, year pages) are fingerprinted like the others: they are rendered when their figures move.
- The docs folder (`Preview.write`): only files whose text or source differs from what this process
  wrote last are written, so their modification times tell MkDocs' dirty build which pages to
  rebuild. When something every page shows changes (the nav, the footer's stamp, mkdocs.yml), every
  page is touched and all are rebuilt.
- The site (`preview_hooks.py`): Material's search plugin, in a dirty build, indexes only the
  rebuilt pages and drops the old entries of the first of them only; `merge_search_index` keeps
  the entries of the pages not rebuilt, replaces those of the rebuilt ones, in a full build's
  order, so the index equals a full build's; the outputs of pages that no longer exist are removed.

`aixin build` never uses any of this: it is always a full build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import render as render_module
from . import stage

if TYPE_CHECKING:
    from .build import Generated

log = logging.getLogger("mkdocs.aixin.preview")
INDEX = ("search", "search_index.json")


def fingerprint(page, root: str) -> bytes | None:
    """A digest of everything `render.render(page, root)` reads, or None when it cannot be pickled."""
    try:
        data = pickle.dumps((page, root), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None
    return hashlib.blake2b(data, digest_size=16).digest()


def _signature(path: Path) -> tuple | None:
    """What tells a file apart from its former self without reading it (None: no such file). Not
    its ctime: `aixin build` hard-links the assets and photos it stages, which changes theirs."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


@dataclass
class SearchState:
    """The search entries of every page as the last build of `site_dir` indexed them, by page URL."""

    site_dir: str = ""
    entries: dict[str, list] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # this build's pages, in MkDocs' build order
    fresh: dict[str, list] = field(default_factory=dict)  # the pages this build indexed
    mark: int = 0  # how many entries of the plugin's index were already taken
    outputs: tuple[str, set[str]] = ("", set())  # the last build's site folder and the files it wrote


@dataclass
class Preview:
    """What one serving process remembers of the docs folder it regenerates."""

    pages: dict[str, tuple[bytes | None, str]] = field(default_factory=dict)  # path → (fingerprint, text)
    texts: dict[str, str] | None = None  # what the docs folder holds, as this process last wrote it
    copies: dict[str, tuple[Path, tuple | None]] = field(default_factory=dict)  # path → (source, its signature)
    stats: dict[str, tuple | None] = field(default_factory=dict)  # path → signature of the file written
    settings: tuple | None = None  # what every page shows: nav, stamp, mkdocs.yml
    rendered: list[str] = field(default_factory=list)  # the pages rendered by the last regeneration
    started: float = 0.0  # when the last regeneration began (perf_counter)
    written: list[str] = field(default_factory=list)  # the files written by the last regeneration
    search: SearchState = field(default_factory=SearchState)

    # ------------------------------------------------------------------ pages

    def render(self, page, root: str = "") -> str:
        """The page's Markdown: the last rebuild's when its fingerprint is unchanged."""
        key = fingerprint(page, root)
        known = self.pages.get(page.path)
        if key is not None and known is not None and known[0] == key:
            return known[1]
        text = render_module.render(page, root=root)
        self.pages[page.path] = (key, text)
        self.rendered.append(page.path)
        return text

    # ------------------------------------------------------------------ the docs folder

    def write(self, staged: stage.Staged, docs: Path) -> int:
        """Bring `docs` in line with `staged`, writing only what differs from the last write."""
        self.written = []
        if self.texts is None:  # the first build: what is on disk is unknown, compare bytes
            count = stage.write_changed(staged, docs)
            self._remember(staged, docs)
            self.written = ["*"] * count  # how many, not which
            return count
        staged.texts.setdefault(stage.MARKER, self.texts.get(stage.MARKER, ""))
        for path, text in staged.texts.items():
            if self.texts.get(path) == text and self._untouched(docs, path):
                continue
            self._put(docs, path, text.encode("utf-8"))
        copies = {}
        for path, source in staged.copies.items():
            copies[path] = (source, _signature(source))
            if self.copies.get(path) == copies[path] and self._untouched(docs, path):
                continue
            self._put(docs, path, source.read_bytes())
        for path in sorted((set(self.texts) | set(self.copies)) - staged.paths()):
            self._remove(docs, path)
        self.texts, self.copies = dict(staged.texts), copies
        self.pages = {path: known for path, known in self.pages.items() if path in self.texts}
        return len(self.written)

    def settle(self, docs: Path, generated: Generated, config_file: str | None) -> None:
        """After `generate`: when what every page shows changed, every page is rebuilt."""
        settings = (json.dumps(generated.nav, ensure_ascii=False), generated.stamp, _bytes(config_file))
        if self.settings is not None and settings != self.settings:
            self.touch_pages(docs)
            log.info("导航、页脚或 mkdocs.yml 有变化，所有页面都要重新生成")
        self.settings = settings
        log.info(
            "按记录重新生成了 %s 页（共 %s 页），改写 %s 个文件，用时 %.1f 秒",
            f"{len(self.rendered):,}",
            f"{generated.pages:,}",
            f"{len(self.written):,}",
            time.perf_counter() - self.started,
        )

    def touch_pages(self, docs: Path) -> None:
        """Make every page newer than its output, so that a dirty build rebuilds them all."""
        for path in [*(self.texts or {}), *self.copies]:
            if path.endswith(".md"):
                os.utime(docs / path)
                self.stats[path] = _signature(docs / path)

    def _remember(self, staged: stage.Staged, docs: Path) -> None:
        self.texts = dict(staged.texts)
        self.copies = {path: (source, _signature(source)) for path, source in staged.copies.items()}
        self.stats = {path: _signature(docs / path) for path in staged.paths()}

    def _untouched(self, docs: Path, path: str) -> bool:
        """The file is still the one this process wrote (nobody else changed or removed it)."""
        return path in self.stats and _signature(docs / path) == self.stats[path]

    def _put(self, docs: Path, path: str, data: bytes) -> None:
        target = docs / path
        try:
            target.write_bytes(data)
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        self.stats[path] = _signature(target)
        self.written.append(path)

    def _remove(self, docs: Path, path: str) -> None:
        target = docs / path
        target.unlink(missing_ok=True)
        self.stats.pop(path, None)
        self.written.append(path)
        folder = target.parent
        while folder != docs and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


_PREVIEWS: dict[str, Preview] = {}


def preview_for(docs: Path | str) -> Preview:
    """The preview state of a docs folder, kept for as long as this process lives."""
    return _PREVIEWS.setdefault(str(Path(docs).resolve()), Preview())


def begin(docs: Path) -> Preview:
    """Before `generate(…, preview=…)` regenerates `docs` (mkdocs_hooks.on_config)."""
    state = preview_for(docs)
    state.rendered, state.started = [], time.perf_counter()
    return state


def _bytes(path: str | None) -> bytes:
    try:
        return Path(path).read_bytes() if path else b""
    except OSError:
        return b""


# ------------------------------------------------------------------ the search index and stale pages


def _search_plugin(config):
    """Material's search plugin of this build, when it is on."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and hasattr(index, "entries") and hasattr(plugin, "search_index_prev"):
            return plugin
    return None


def start_build(config) -> None:
    """Before MkDocs reads any page: nothing of this build is indexed yet."""
    state = preview_for(config.docs_dir).search
    state.fresh, state.mark, state.order = {}, 0, []


def remember_order(config, files) -> None:
    """The pages in the order MkDocs builds them (a full build indexes them in this order)."""
    from mkdocs.structure.files import InclusionLevel

    state = preview_for(config.docs_dir).search
    state.order = [f.page.url for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve) if f.page]
    current = {f.abs_dest_path for f in files if f.abs_dest_path}
    if state.outputs[0] == config.site_dir:  # outputs of files that are gone: a full build has none
        for stale in sorted(state.outputs[1] - current):
            Path(stale).unlink(missing_ok=True)
    state.outputs = (config.site_dir, current)


def take_entries(config, page) -> None:
    """After the search plugin indexed `page`: its entries are the ones added since the last page."""
    plugin = _search_plugin(config)
    if plugin is None:
        return
    state = preview_for(config.docs_dir).search
    entries = plugin.search_index.entries
    state.fresh[page.url] = entries[state.mark :]
    state.mark = len(entries)


def merge_search_index(config) -> None:
    """Before the search plugin writes its index: every page's entries, the rebuilt pages' new ones
    and the others' from the last build (of this process, or the index already in the site), in
    build order; the plugin then writes exactly what a full build would."""
    plugin = _search_plugin(config)
    state = preview_for(config.docs_dir).search
    if plugin is None or not state.order:  # no search, or the build's pages were not seen
        return
    known = state.entries if state.site_dir == config.site_dir else _index_on_disk(Path(config.site_dir))
    merged: dict[str, list] = {}
    for url in state.order:
        merged[url] = state.fresh[url] if url in state.fresh else known.get(url, [])
    plugin.search_index.entries = [entry for url in state.order for entry in merged[url]]
    plugin.search_index_prev = None  # its own merging would append the rebuilt pages at the end
    state.entries, state.site_dir = merged, config.site_dir


def _index_on_disk(site_dir: Path) -> dict[str, list]:
    """The entries of an existing site's index by page URL (`mkdocs build --dirty` in a new process)."""
    try:
        docs = json.loads(site_dir.joinpath(*INDEX).read_text("utf-8")).get("docs", [])
    except (OSError, ValueError, AttributeError):
        return {}
    found: dict[str, list] = {}
    for entry in docs if isinstance(docs, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("location"), str):
            found.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
    return found
