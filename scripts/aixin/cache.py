"""Check results keyed by file content, so that an unchanged repository is not checked twice.

Nothing stale can be served: every per-file entry is keyed by a hash of the file's path and
bytes, a whole-run result by a hash of all those keys, and both files belong to one "salt" —
a hash of the aixin code, the schemas, the programme file and today's date. Change any of them
and the cache is ignored. Entries are plain tuples stored with `marshal` (the fastest loader
for plain data); files are replaced atomically, so an interrupted run leaves the old cache.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CACHE_FORMAT = 3


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


def fingerprint(scanned: list[tuple]) -> bytes:
    """One hash of every scanned file's path, place and content key: equal means nothing changed."""
    return hashlib.blake2b(marshal.dumps(scanned), digest_size=16).digest()


class Cache:
    """Two files in the cache folder: per-file entries, and the last whole-run result."""

    def __init__(self, folder: Path | None, salt_value: str):
        self.folder = folder
        self.salt = salt_value

    def _load(self, name: str):
        if not self.folder:
            return None
        try:
            with open(self.folder / name, "rb") as handle:
                stored_salt, payload = marshal.load(handle)
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

    def entries(self) -> dict[bytes, tuple]:
        return self._load("files.marshal") or {}

    def save_entries(self, entries: dict[bytes, tuple]) -> None:
        self._save("files.marshal", entries)

    def result(self, print_: bytes):
        stored = self._load("result.marshal")
        return stored[1] if stored and stored[0] == print_ else None

    def save_result(self, print_: bytes, payload) -> None:
        self._save("result.marshal", (print_, payload))
