"""One writer at a time: the repository's write lock for `import`, `new` and `photo add`.

    with write_lock(root, "aixin import"):
        ...  # read the records, decide, write

The lock is an exclusive advisory lock (flock; on Windows msvcrt.locking) on `<root>/.aixin-lock`,
held for as long as the block runs and released by the system when the process ends, even after
`kill -9`: a stale lock file is harmless. A second writer is refused at once with a Chinese
UsageError naming the command that holds it, rather than waiting or writing duplicates.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from aixin.core.errors import UsageError

LOCK_FILE = ".aixin-lock"


@contextlib.contextmanager
def write_lock(root: Path, command: str = "aixin") -> Iterator[None]:
    """Hold the repository's write lock for the block; UsageError if another command holds it."""
    path = Path(root) / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            holder = _holder(fd)
            raise UsageError(
                f"另一个 aixin 命令{holder}正在写入这个仓库（导入、新建记录或添加照片），"
                "为了不写入重复或不完整的记录，这次没有执行。请等它结束后再运行一次。"
            )
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {command}\n".encode())
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            _unlock(fd)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() if hasattr(os, "pread") else ""
    except OSError:
        text = ""
    pid, _, command = text.partition(" ")
    return f"（{command}，进程 {pid}）" if pid.isdigit() and command else ""


try:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
