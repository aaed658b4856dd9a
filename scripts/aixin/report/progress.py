"""The check's progress on a terminal: `run_check(progress=…)` calls it as files are read."""

from __future__ import annotations

import sys


class ProgressBar:
    """The engine's `progress(done, total)` callback, drawn as a tqdm bar on stderr."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, desc="检查记录", unit="个文件", file=sys.stderr, leave=False, dynamic_ncols=True
            )
        if self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
