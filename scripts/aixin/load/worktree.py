"""The record files a Git work tree adds or changes against its last commit.

In a coordinator's own clone those are the records she is working on: the new side of a
conflict between two records (a second pairing for a girl), as a pull request's files are in CI.
One `git status`; nothing at all when Git is missing, the folder is not the top of a work tree
(a copy of the records, a test folder inside another repository), or Git refuses the folder.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

TIMEOUT_S = 30
# Git must not ask for anything, nor read a GIT_DIR or GIT_WORK_TREE the caller happened to set.
_ENV = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {"GIT_TERMINAL_PROMPT": "0"}


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=TIMEOUT_S,
            env=_ENV,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def uncommitted_records(root: Path) -> frozenset[str]:
    """Repository-relative paths of the `.yaml` files under records/ that are new (untracked or
    added) or modified since the last commit; deleted files are left out."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or Path(os.fsdecode(top.strip())).resolve() != root.resolve():
        return frozenset()
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", "records/")
    if status is None:
        return frozenset()
    found = set()
    for entry in status.split(b"\0"):
        if len(entry) < 4 or b"D" in entry[:2]:
            continue
        path = os.fsdecode(entry[3:])
        if path.endswith(".yaml"):
            found.add(path)
    return frozenset(found)


STATE_MAX_CHANGED = 2000  # more uncommitted files than this: no shortcut (reading them all costs a scan)


def records_state(root: Path) -> bytes | None:
    """A hash of what records/ holds, from Git rather than from a scan: the last commit's records
    tree, then each file `git status` lists (untracked, changed or ignored) with its bytes. Equal
    hashes mean equal records. None outside the top of a work tree, before a first commit, or
    with too many uncommitted files; the callers then scan as usual."""
    return records_status(root)[0]


def records_status(root: Path) -> tuple[bytes | None, frozenset[str]]:
    """(`records_state`, `uncommitted_records`) from one `git status`: a report that misses its
    shortcut checks next, and a second `git status` of 400,000 files costs it a second."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or Path(os.fsdecode(top.strip())).resolve() != root.resolve():
        return None, frozenset()
    tree = _git(root, "rev-parse", "--verify", "--quiet", "HEAD:records")
    status = _git(
        root,
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--ignored=matching",
        "--no-renames",
        "--",
        "records/",
    )
    if status is None:
        return None, frozenset()
    entries = [entry for entry in status.split(b"\0") if len(entry) >= 4]
    changed = frozenset(
        path
        for entry in entries
        if b"D" not in entry[:2] and entry[:2] != b"!!" and (path := os.fsdecode(entry[3:])).endswith(".yaml")
    )
    if tree is None or len(entries) > STATE_MAX_CHANGED:
        return None, changed
    digest = hashlib.blake2b(tree + b"\0" + status, digest_size=16)
    for entry in entries:
        path = root / os.fsdecode(entry[3:])
        if path.is_dir():  # an ignored or untracked folder: git does not list what is inside
            return None, changed
        try:
            digest.update(b"\0" + (path.read_bytes() if path.is_file() and not path.is_symlink() else b"-"))
        except OSError:
            return None, changed
    return digest.digest(), changed


def head_commit(root: Path) -> str | None:
    """The short id of the last commit of the work tree whose top is `root`, or None (no Git, not
    the top of a work tree, no commit yet)."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or Path(os.fsdecode(top.strip())).resolve() != root.resolve():
        return None
    head = _git(root, "rev-parse", "--short", "HEAD")
    return os.fsdecode(head.strip()) if head else None
