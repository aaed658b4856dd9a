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

A cache folder may come from anywhere (committed to the repository, copied from another
machine), and `marshal` must never load bytes that this user's aixin did not write. So every file
starts with an HMAC-SHA256 of the rest, keyed by a secret kept outside the repository
(`key_dir()`: $AIXIN_CACHE_KEY_DIR, else $XDG_CACHE_HOME/aixin, else ~/.cache/aixin; the file
`key`, mode 0600, created exclusively on first use); a file whose HMAC does not verify is
treated as no cache, before a byte of it is unmarshalled. Without a usable key there is no cache.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the whole aixin package: rules and care code are in the salt
CACHE_FORMAT = 7
RACY_NS = 2_000_000_000  # far above any file system's timestamp granularity


KEY_BYTES = 32
MAC_BYTES = 32  # HMAC-SHA256
KEY_DIR_VARIABLE = "AIXIN_CACHE_KEY_DIR"


def key_dir() -> Path:
    """Where the cache key lives: never in a repository, so a clone cannot bring its own."""
    chosen = os.environ.get(KEY_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache") / "aixin"


def cache_key() -> bytes | None:
    """This user's secret cache key, created on first use (mode 0600, exclusively, so two runs
    starting at once agree on one key); None when it cannot be read or made (then no cache)."""
    try:
        path = key_dir() / "key"
    except RuntimeError:  # no home folder
        return None
    for _ in range(2):
        try:
            with open(path, "rb") as handle:
                key = handle.read(KEY_BYTES + 1)
            return key if len(key) == KEY_BYTES else None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            continue  # another run made it first: read theirs
        except OSError:
            return None
        try:
            key = os.urandom(KEY_BYTES)
            os.write(fd, key)
        except OSError:
            return None
        finally:
            os.close(fd)
        return key
    return None


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
    """Files in the cache folder: the file table, the per-file entries, the last result, the
    yearly review's rows per pairing, a report's output."""

    def __init__(self, folder: Path | None, salt_value: str, key: bytes | None = None):
        self.salt = salt_value
        self.key = (key or cache_key()) if folder else None
        self.folder = folder if self.key else None  # no key, no cache: nothing unverified is loaded

    def _mac(self, body: bytes) -> bytes:
        return hmac.digest(self.key or b"", body, "sha256")

    def _load(self, name: str):
        if not self.folder:
            return None
        try:
            with open(self.folder / name, "rb") as handle:
                stored = handle.read()
            mac, body = stored[:MAC_BYTES], stored[MAC_BYTES:]
            if not hmac.compare_digest(mac, self._mac(body)):
                return None  # not written by this user's aixin: never unmarshalled
            # loads() on the bytes: load() on a file reads object by object, 5x slower
            stored_salt, payload = marshal.loads(body)
        except (OSError, EOFError, ValueError, TypeError):
            return None  # missing or damaged: simply rebuilt
        return payload if stored_salt == self.salt else None

    def _save(self, name: str, payload) -> None:
        if not self.folder:
            return
        try:
            body = marshal.dumps((self.salt, payload))
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{name}-", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(self._mac(body))
                handle.write(body)
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
        return self._keyed("result.marshal", print_)

    def save_result(self, print_: bytes, payload) -> None:
        self._save("result.marshal", (print_, payload))

    def annual_result(self, print_: bytes):
        """The yearly review's rows made with the result of `print_` (domain.annual.to_row)."""
        return self._keyed("annual-result.marshal", print_)

    def save_annual_result(self, print_: bytes, row) -> None:
        self._save("annual-result.marshal", (print_, row))

    def seen(self, state: bytes):
        """(result key, tree findings) of the last whole check of records/ in `state` (load.worktree.records_state)."""
        return self._keyed("seen.marshal", state)

    def save_seen(self, state: bytes, seen: tuple) -> None:
        if self.seen(state) != seen:
            self._save("seen.marshal", (state, seen))

    def pairing_years(self) -> dict:
        """Each pairing's yearly-review rows (domain.annual.to_row) by the hash of its files' content keys."""
        stored = self._load("annual.marshal")
        return stored if isinstance(stored, dict) else {}

    def save_pairing_years(self, rows: dict) -> None:
        self._save("annual.marshal", rows)

    def output(self, key: bytes):
        """What a report made from records whose state was `key` (load.worktree.records_state)."""
        return self._keyed("output.marshal", key)

    def save_output(self, key: bytes, payload) -> None:
        self._save("output.marshal", (key, payload))

    def _keyed(self, name: str, key: bytes):
        """The payload kept in file `name` beside the key it was made for, if that key is `key`."""
        stored = self._load(name)
        return stored[1] if stored and stored[0] == key else None

    def stored(self, name: str):
        """The payload another part of the check keeps in file `name` (check.full_records), or None."""
        return self._load(name)

    def store(self, name: str, payload) -> None:
        self._save(name, payload)
