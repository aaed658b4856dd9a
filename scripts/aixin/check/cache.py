"""Check results keyed by file content, so that an unchanged repository is not checked twice.

Nothing stale can be served. Every per-file entry holds the hash of the file's path and bytes
(its content key) and is reused only for that content; a whole-run result is keyed by a hash of
all content keys; and everything belongs to one "salt" — a hash of the aixin code, the schemas,
the programme file and today's date — so that changing any of them ignores the whole cache.

To know a file's content without reading it, an entry also keeps the file's stat signature
(size, mtime, ctime, inode), as Git's index does. Any write to a file changes its ctime, which
no program can set back; a signature is trusted only when the file was last changed at least
`RACY_NS` before the run that recorded it, so that a second write within the same clock tick
cannot hide (Git's "racy clean" rule). Anything else is read and hashed again.

Entries are plain tuples stored with `marshal` (the fastest loader for plain data); files are
replaced atomically, so an interrupted run leaves the previous cache intact.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CACHE_FORMAT = 6
RACY_NS = 2_000_000_000  # far above any file system's timestamp granularity


def salt(schema_dir: Path, programme_bytes: bytes, today: str) -> str:
    """The hash every cached item shares: code, schemas, programme, date, Python version."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{CACHE_FORMAT}|{sys.version}|{today}|".encode())
    for source in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(source.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(source.read_bytes())
    for schema in sorted(schema_dir.glob("*.json")):
        digest.update(schema.name.encode())
        digest.update(schema.read_bytes())
    digest.update(programme_bytes)
    return digest.hexdigest()


def fingerprint(rels: list[str], keys: list) -> bytes:
    """One hash of every file's path and content key: equal means nothing changed.

    Hashed from explicit bytes: marshal's output depends on object sharing, not only on values.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(b"\n".join(rel.encode() + b"\0" + key for rel, key in zip(rels, keys)))
    return digest.digest()


# A file's stat signature: size, mtime and ctime in ns, inode; packed, so that 200,000 of them
# load as one bytes object.
SIGNATURE = struct.Struct("<qqqQ")


def signature(stat: os.stat_result) -> bytes:
    return SIGNATURE.pack(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


@dataclass
class FileTable:
    """What the last run saw: every path, its signature and content key, in one order."""

    print: bytes  # fingerprint(rels, keys): names the matching entries file
    recorded_ns: int  # when the signatures were taken
    rels: list[str]
    signatures: bytes
    keys: list

    def signature(self, position: int) -> bytes:
        size = SIGNATURE.size
        return self.signatures[position * size : (position + 1) * size]


class Cache:
    """Three files in the cache folder: the file table, the per-file entries, the last result."""

    def __init__(self, folder: Path | None, salt_value: str):
        self.folder = folder
        self.salt = salt_value

    def _load(self, name: str):
        if not self.folder:
            return None
        try:
            with open(self.folder / name, "rb") as handle:
                # loads() on the bytes: load() on a file reads object by object, 5x slower
                stored_salt, payload = marshal.loads(handle.read())
        except (OSError, EOFError, ValueError, TypeError):
            return None  # missing or damaged: simply rebuilt
        return payload if stored_salt == self.salt else None

    def _save(self, name: str, payload) -> None:
        if not self.folder:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{name}-", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                marshal.dump((self.salt, payload), handle)
            os.replace(tmp, self.folder / name)
        except OSError:
            pass  # the cache only saves time; a read-only checkout still checks correctly

    def table(self) -> FileTable | None:
        stored = self._load("table.marshal")
        return FileTable(*stored) if stored else None

    def entries(self, table: FileTable) -> list | None:
        """The per-file entries in `table`'s order, or None if they do not belong to it."""
        stored = self._load("entries.marshal")
        return stored[1] if stored and stored[0] == table.print else None

    def save_files(self, table: FileTable, entries: list) -> None:
        """Entries first: a table is only ever saved after the entries it names."""
        self._save("entries.marshal", (table.print, entries))
        self._save("table.marshal", (table.print, table.recorded_ns, table.rels, table.signatures, table.keys))

    def result(self, print_: bytes):
        stored = self._load("result.marshal")
        return stored[1] if stored and stored[0] == print_ else None

    def save_result(self, print_: bytes, payload) -> None:
        self._save("result.marshal", (print_, payload))
