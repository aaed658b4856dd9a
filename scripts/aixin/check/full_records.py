"""Every record file in full, parsed once per content, for the site.

The site shows every field of every record, so each build read and parsed all 22,000 files of a
city again (the check keeps only the fields its cross-record rules need); the parsing, not the
reading, is what cost. Here each file is still read, and its path and bytes hashed, as the
check's own entries are keyed; a file seen before with the same bytes gets its parsed data and
schema validity back from the check's cache folder, under the same salt (code, schemas,
programme) and HMAC (`cache.py`), so nothing stale or foreign is ever served. A file that is not
a plain file, or too big, is loaded by the loader as always, with its finding.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from aixin.domain.layout import CACHE_FOLDER
from aixin.load import loader
from aixin.load.repository import Repository

from .cache import Cache, salt
from .worker import file_key

RECORDS_FILE = "records.marshal"


@dataclass(frozen=True)
class FullRecord:
    """A record file as the site uses it: its data (None: unusable, `reason` says why) and
    whether the schema accepts it."""

    data: dict | None
    valid: bool
    reason: str = ""


class FullRecords:
    """Load record files through the cache; `save()` keeps exactly the files loaded this time."""

    def __init__(self, repo: Repository, *, use_cache: bool = True) -> None:
        self.repo = repo
        folder = repo.root / CACHE_FOLDER if use_cache else None
        self.cache = Cache(folder, salt(repo.root / "schemas", repo.programme_raw, "full records"))
        self.stored: dict = self.cache.stored(RECORDS_FILE) or {}
        self.kept: dict = {}
        self.parsed = 0  # files not found in the cache

    def load(self, rel: str, kind: str, key: bytes | None = None) -> FullRecord:
        """`key`: the file's content key as the check's scan knew it (`CheckResult.keys`): a file
        stored under it is not read again."""
        row = self.stored.get(key) if key is not None else None
        if row is not None:
            self.kept[key] = row
            return FullRecord(*row)
        raw = _read(self.repo.root / rel)
        if raw is None:  # not a plain file, too big or unreadable: the loader says which
            return self._entry(loader.load_file(self.repo.root / rel, rel), kind)
        key = file_key(rel, raw)  # as the check's scan keys it: its keys find these rows too
        row = self.stored.get(key)
        if row is None:
            record = self._entry(loader.load_bytes(raw, rel), kind)
            row = (record.data, record.valid, record.reason)
            self.parsed += 1
        self.kept[key] = row
        return FullRecord(*row)

    def save(self) -> None:
        if self.parsed or self.kept.keys() != self.stored.keys():
            self.cache.store(RECORDS_FILE, self.kept)

    def _entry(self, loaded: loader.Loaded, kind: str) -> FullRecord:
        if loaded.data is None:
            return FullRecord(None, False, loaded.findings[0].message if loaded.findings else "无法读取")
        return FullRecord(loaded.data, self.repo.schemas.is_valid_fast(kind, loaded.data))


def _read(path) -> bytes | None:
    """The bytes of a regular file of at most the loader's size, read as the loader reads it."""
    try:
        fd = os.open(path, loader.READ_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > loader.MAX_FILE_BYTES:
            return None
        return os.read(fd, loader.MAX_FILE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
