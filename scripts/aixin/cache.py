"""Per-file check results keyed by file content, so an unchanged repository is not read twice.

A result can never be stale: its key is a hash of the file's bytes and path, and the whole cache
belongs to one "salt" — a hash of the aixin code, the schemas, the programme file and today's
date. Change any of them and every entry is ignored. Entries are plain tuples stored with
`marshal`, the fastest loader for plain data; the file is replaced atomically.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CACHE_FORMAT = 1


def salt(schema_dir: Path, programme_bytes: bytes, today: str) -> str:
    """The hash that every entry of one cache shares: code, schemas, programme, date, Python."""
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


def file_key(rel: str, raw: bytes) -> bytes:
    return hashlib.blake2b(rel.encode() + b"\0" + raw, digest_size=16).digest()


class Cache:
    """A dict of key -> entry, loaded from and saved to one file in the cache folder."""

    def __init__(self, folder: Path | None, salt_value: str):
        self.path = folder / "check.marshal" if folder else None
        self.salt = salt_value
        self.entries: dict[bytes, tuple] = {}
        if self.path and self.path.is_file():
            try:
                with open(self.path, "rb") as handle:
                    stored_salt, entries = marshal.load(handle)
                if stored_salt == salt_value:
                    self.entries = entries
            except (OSError, EOFError, ValueError, TypeError):
                self.entries = {}  # a damaged cache is simply rebuilt

    def save(self, entries: dict[bytes, tuple]) -> None:
        """Keep exactly the entries of this run (so deleted files do not pile up)."""
        if not self.path:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".check-", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                marshal.dump((self.salt, entries), handle)
            os.replace(tmp, self.path)
        except OSError:
            pass  # the cache only saves time; a read-only checkout still checks correctly
