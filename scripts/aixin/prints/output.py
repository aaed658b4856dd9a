"""Where a print goes: a new .pdf file outside the repository, written whole.

Signs and certificates carry names, so like `aixin card`'s PDF they are never written inside the
repository (records/ and docs/ are committed, a site is published, anything beside them is one
`git add` away), never over an existing file, and never half-written (`load.writer.create_new`).
"""

from __future__ import annotations

from pathlib import Path

from aixin.core.errors import UsageError
from aixin.load.repository import refuse_inside
from aixin.load.writer import create_new


def checked_out(root: Path, out: Path, what: str) -> Path:
    """`out` resolved, or a UsageError: not .pdf, a folder, an existing file, inside the repository."""
    if out.suffix.lower() != ".pdf":
        raise UsageError(f"{what}的文件名应以 .pdf 结尾，现在是“{out.name}”。")
    refuse_inside(root, out, what)
    target = out.resolve()
    if target.is_dir():
        raise UsageError(f"{out} 是一个文件夹；请写出文件名，如 {out / (what + '.pdf')}")
    if target.exists():
        raise UsageError(f"文件已存在，不会覆盖：{target}。请用 --out 换一个文件名，或先删除原来的文件。")
    return target


def write_new(target: Path, data: bytes) -> None:
    """The PDF, written whole, and never over a file that appeared meanwhile."""
    try:
        create_new(target, data)
    except FileExistsError:
        raise UsageError(f"文件已存在，不会覆盖：{target}。请用 --out 换一个文件名，或先删除原来的文件。") from None
