"""Where an archive is written, and how: never over anything, never half.

Every unit's folder and zip are made inside one temporary folder beside them and renamed into
place only when all are complete, so an error (or a killed run) leaves no half archive under the
real names; an error removes the temporary folder. Like `aixin card`'s PDF, an archive holds
personal data and is refused anywhere inside the repository.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aixin.core.errors import UsageError
from aixin.load.repository import inside

STORED = (".pdf", ".mp3", ".m4a", ".mp4", ".mov", ".jpg", ".jpeg", ".png")  # compressed already


def check_out(out: Path, root: Path) -> Path:
    """The folder the archives go into (made when missing); UsageError inside the repository."""
    target = out.resolve()
    if inside(target, root):
        raise UsageError(
            f"不能把档案写到仓库文件夹 {root} 里面（{out}）：那里的文件会被提交或放进网站，"
            "而档案里有女童和爱心妈妈的个人信息。请写到仓库以外的文件夹，如移动硬盘或桌面。"
        )
    if target.exists() and not target.is_dir():
        raise UsageError(f"{out} 是一个文件，不是文件夹；--out 请写一个文件夹，档案放在它里面")
    return target


def refuse_existing(out: Path, names: list[str]) -> None:
    """Stop before any work when an archive of the same year and unit is already there."""
    there = [out / n for n in names if os.path.lexists(out / n)]
    there += [out / f"{n}.zip" for n in names if os.path.lexists(out / f"{n}.zip")]
    if there:
        listed = "、".join(str(p) for p in there)
        raise UsageError(f"档案已存在，不会覆盖：{listed}。请换一个 --out 文件夹，或先把原来的档案移走。")


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A temporary folder inside `out`, removed when the block fails (and when it is emptied)."""
    out.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".aixin-archive-", dir=out))
    try:
        yield temp
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    shutil.rmtree(temp, ignore_errors=True)


def zip_folder(folder: Path, target: Path) -> None:
    """`target` holds `folder` itself (its name at the root), PDFs and media stored as they are."""
    with zipfile.ZipFile(target, "x") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                method = zipfile.ZIP_STORED if path.suffix.lower() in STORED else zipfile.ZIP_DEFLATED
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}", compress_type=method)


def move_into_place(temp: Path, out: Path, names: list[str]) -> list[tuple[Path, Path]]:
    """Rename each finished folder and zip from `temp` into `out`; (folder, zip) of each."""
    refuse_existing(out, names)  # one made meanwhile by another run is not replaced either
    placed = []
    for name in names:
        (temp / name).rename(out / name)
        (temp / f"{name}.zip").rename(out / f"{name}.zip")
        placed.append((out / name, out / f"{name}.zip"))
    return placed
