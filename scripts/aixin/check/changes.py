"""Which files changed since the last run, and every file's entry, checking only what changed.

A file whose stat signature the cache can trust (see cache.py) is not even opened. The others
are read in worker processes and checked unless their content key is the one already known.
Entries of unchanged files are loaded from the cache only when they are needed: a run in
which no content changed reuses the whole previous result and never loads them.
"""

from __future__ import annotations

import marshal
import os
import time
from dataclasses import dataclass, field

from . import worker
from .cache import RACY_NS, SIGNATURE, Cache, FileTable, fingerprint, signature

CHUNK = 500
# Rewriting the per-file cache costs ~0.5 s at 180,000 files: after a handful of changes the next
# run simply reads those few files again (the whole-run result is saved every time).
RESAVE_FROM = 64
_NO_SIGNATURE = bytes(SIGNATURE.size)


def chunks(items: list, size: int = CHUNK) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclass
class Scan:
    rels: list[str]
    keys: list
    signatures: bytes
    scanned_ns: int
    table: FileTable | None
    entries: list = field(repr=False)
    reused: dict[int, int] = field(default_factory=dict)  # position -> position in the old table
    changed: int = 0

    @property
    def print(self) -> bytes:
        return fingerprint(self.rels, self.keys)

    def all_entries(self, cache: Cache, run) -> list:
        """Every file's entry, loading the unchanged ones from the cache (or checking them anew)."""
        if self.reused:
            old = cache.entries(self.table) if self.table else None
            if old is None:  # the entries file is gone or belongs to another table: check again
                _check(self, [(i, self.rels[i], None) for i in sorted(self.reused)], run, None, None)
            else:
                for position, old_position in self.reused.items():
                    self.entries[position] = old[old_position]
            self.reused = {}
        return self.entries

    def save(self, cache: Cache, run) -> None:
        """Remember this run's files when enough changed to be worth rewriting the cache."""
        if self.changed and (self.changed >= RESAVE_FROM or self.table is None):
            entries = self.all_entries(cache, run)
            cache.save_files(FileTable(self.print, self.scanned_ns, self.rels, self.signatures, self.keys), entries)


def scan(root: str, rels: list[str], cache: Cache, run, progress) -> Scan:
    """Stat every file, trust what the cache may, and check the rest in the workers."""
    table = cache.table()
    scanned_ns = time.time_ns()
    limit = table.recorded_ns - RACY_NS if table else 0
    same_order = table is not None and table.rels == rels
    old_position = {} if same_order or table is None else {rel: j for j, rel in enumerate(table.rels)}
    count = len(rels)
    signatures = bytearray()
    keys: list = [None] * count
    todo = []
    reused = {}
    for i, rel in enumerate(rels):
        try:
            stat = os.stat(f"{root}/{rel}")
        except OSError:
            signatures += _NO_SIGNATURE
            todo.append((i, rel, None))
            continue
        sig = signature(stat)
        signatures += sig
        j = i if same_order else old_position.get(rel)
        if j is not None and table.signature(j) == sig and stat.st_mtime_ns < limit and stat.st_ctime_ns < limit:
            keys[i] = table.keys[j]
            reused[i] = j
        else:
            todo.append((i, rel, table.keys[j] if j is not None else None))
    result = Scan(rels, keys, bytes(signatures), scanned_ns, table, [None] * count, reused, len(todo))
    _check(result, todo, run, progress, old_position if not same_order else None)
    return result


def _check(result: Scan, todo: list[tuple], run, progress, old_position) -> None:
    """Read, hash and (if new) check the files in `todo`, in the workers."""
    batches = chunks(todo)
    done = 0
    size = SIGNATURE.size
    for blob, batch in zip(run(worker.check_chunk, [[(rel, key) for _, rel, key in b] for b in batches]), batches):
        for (position, rel, _known), (_, key, entry) in zip(batch, marshal.loads(blob)):
            if key is None:  # unreadable or oversized: its signature stands for its content
                key = b"sig:" + result.signatures[position * size : (position + 1) * size]
            result.keys[position] = key
            if entry is None:  # same content as the old table's entry
                result.reused[position] = position if old_position is None else old_position[rel]
            else:
                result.entries[position] = entry
                result.reused.pop(position, None)
        done += len(batch)
        if progress:
            progress(done, len(todo))
