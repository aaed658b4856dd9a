"""Progress on a terminal, as a tqdm bar on stderr: the check calls it as files are read, the
import once per stage (reading, checking, writing)."""

from __future__ import annotations

import sys


class ProgressBar:
    """`progress(done, total)` for one task; `stage(what, done, total)` starts a new bar per stage."""

    def __init__(self, desc: str = "检查记录", unit: str = "个文件") -> None:
        self.bar = None
        self.desc, self.unit = desc, unit

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, desc=self.desc, unit=self.unit, file=sys.stderr, leave=False, dynamic_ncols=True
            )
        if self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def stage(self, what: str, done: int, total: int) -> None:
        if what != self.desc:
            self.close()
            self.desc = what
        self(done, total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
