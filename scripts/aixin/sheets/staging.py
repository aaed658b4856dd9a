"""All or nothing on disk: an import's files are written into `<root>/.aixin-import/<id>/` first
(outside records/, on the same filesystem), and moved into records/ only when every one is written.

The journal `<id>/journal.json` says how far an import got. Written last before the moves (state
`moving`, with every path), it means: all files are staged, finish the moves. Without a journal
the staging folder is an import that stopped while writing: nothing of it is in records/, and it
is removed. `recover(root)` does both and says what it did; the importer runs it, under the
repository's write lock, before reading the records. A move links the staged file to its place
(`os.link`, which never replaces a file) and then removes the staged copy.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from pathlib import Path

from aixin.load.writer import write_new

STAGING = ".aixin-import"
JOURNAL = "journal.json"


class Staging:
    """One import's staging folder: `add` every file, then `commit` moves them all into place."""

    def __init__(self, root: Path):
        self.root = root
        self.folder = root / STAGING / uuid.uuid4().hex[:12]
        self.folder.mkdir(parents=True)
        self.paths: list[str] = []

    def add(self, rel: str, text: str) -> None:
        write_new(self.folder / rel, text)
        self.paths.append(rel)

    def add_file(self, rel: str, data: bytes) -> None:
        """Stage a binary file (a re-encoded photo), created exclusively like a record."""
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as handle:
            handle.write(data)
        self.paths.append(rel)

    def commit(self) -> None:
        _write_journal(self.folder, self.paths)
        _finish(self.root, self.folder, self.paths)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        _remove_empty(self.root / STAGING)


def recover(root: Path) -> list[str]:
    """Finish or undo the imports a crash left behind; one Chinese line for each."""
    said = []
    base = root / STAGING
    for folder in sorted(base.iterdir()) if base.is_dir() else ():
        if not folder.is_dir():
            continue
        paths = _read_journal(folder)
        if paths is None:
            shutil.rmtree(folder, ignore_errors=True)
            said.append("上一次导入在写入过程中被中断，没有写入任何记录；中断时留下的临时文件已删除。")
        else:
            done = _finish(root, folder, paths)
            said.append(
                f"上一次导入在移入记录时被中断：已完成它，共 {len(paths)} 条记录（这次补上 {done} 条）。"
                "请运行 aixin check 检查后再提交。"
            )
    _remove_empty(base)
    return said


def _write_journal(folder: Path, paths: list[str]) -> None:
    tmp = folder / (JOURNAL + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump({"state": "moving", "paths": paths}, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / JOURNAL)  # the journal appears whole or not at all


def _read_journal(folder: Path) -> list[str] | None:
    try:
        journal = json.loads((folder / JOURNAL).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    paths = journal.get("paths") if isinstance(journal, dict) else None
    if journal.get("state") != "moving" or not isinstance(paths, list):
        return None
    return [p for p in paths if isinstance(p, str) and ".." not in Path(p).parts and not Path(p).is_absolute()]


def _finish(root: Path, folder: Path, paths: list[str]) -> int:
    """Move every staged file that is still there into place; the number moved."""
    moved = 0
    for rel in paths:
        staged, target = folder / rel, root / rel
        if not staged.exists():
            continue  # moved before the interruption
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # linked before the interruption, not yet unlinked
            os.link(staged, target)
            moved += 1
        staged.unlink()
    shutil.rmtree(folder, ignore_errors=True)
    _remove_empty(root / STAGING)
    return moved


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()
