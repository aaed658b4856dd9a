"""How fast is `aixin report contacts` for the whole city? Prints its figures; a measurement, not a test.

The care figures are computed by the check's cross-record step and kept in the check's
content-keyed cache (the programme file, with the obligations' parameters, and the as-of date
are part of its key). On the demo of each scale it times, each as the median of --repeat runs:
  no cache   no cache at all: the report reads and checks every file first (a cold `aixin check`),
  cold       the first report after `aixin check` of the same day: the figures come with the
             check's cached result (the usual order: CI or a coordinator checks, then reports),
  warm       the report again with nothing changed (the demo is committed to Git first, as a records
             repository is a clone: `git status` then shows nothing has changed, and no file is scanned),
  one        the report after one contact log changed, uncommitted (per-file cache, cross step and figures again),
  as-of      the report as of another day (the date is in the cache key: everything again),
the JSON output (warm), and `aixin check` (warm) for comparison.

    python benchmarks/report_speed.py --scale 1
    python benchmarks/report_speed.py --scale 10 --keep /tmp/aixin-bench
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from measure import BIN, generate, median_of, timed

AS_OF = "2020-07-31"  # the demo's programme year: logs reach it
OTHER_DAY = "2020-06-30"
TARGETS = {"cold": 5.0, "warm": 1.0}  # the goal, on scale 10


def change_one_log(folder: Path) -> None:
    log = next((folder / "records").glob("*/logs/*/*.yaml"))
    log.write_text(log.read_text("utf-8") + f"# 基准测试改动了这条记录 {time.time()}\n", "utf-8")


def commit(folder: Path) -> None:
    start = time.perf_counter()
    (folder / ".gitignore").write_text(".aixin-cache/\n", "utf-8")
    for args in (
        ["init", "--quiet"],
        ["add", "-A"],
        ["-c", "user.name=bench", "-c", "user.email=b@example.org", "commit", "-qm", "demo"],
    ):
        subprocess.run(["git", "-C", str(folder), *args], check=True, stdout=subprocess.DEVNULL)
    print(f"  committed the demo to Git in {time.perf_counter() - start:.1f} s")


def run(scale: float, keep: Path | None, repeat: int) -> None:
    print(f"scale {scale:g} ({os.cpu_count()} cores)")
    folder = keep / f"scale-{scale:g}" if keep else Path(tempfile.mkdtemp(prefix=f"aixin-report-{scale:g}-"))
    if not (folder / "records").exists():
        generate(scale, folder)
    if not (folder / ".git").exists():  # a records repository is a Git clone: the report's shortcut needs one
        commit(folder)
    report = [str(BIN / "aixin"), "report", "contacts", "--as-of", AS_OF]  # text, the default
    check = [str(BIN / "aixin"), "check", "--format", "json", "--as-of", AS_OF]
    figures = {}

    def measure(label: str, command: list[str], before) -> None:
        figures[label] = median_of(label, command, folder, repeat, before, width=10)

    def no_cache() -> None:
        shutil.rmtree(folder / ".aixin-cache", ignore_errors=True)

    def after_check() -> None:
        no_cache()
        timed(check, folder)
        # the check's result is cached; the report now only reads it

    measure("no cache", report, no_cache)
    measure("cold", report, after_check)
    measure("warm", report, lambda: None)
    measure("one", report, lambda: change_one_log(folder))
    timed(report, folder)
    measure("as-of", [*report[:-1], OTHER_DAY], lambda: timed(report, folder))
    timed(report, folder)
    timed([*report, "--format", "json"], folder)  # the format is part of the key: made once first
    measure("warm json", [*report, "--format", "json"], lambda: None)
    timed(check, folder)
    measure("check warm", check, lambda: None)
    if scale >= 10:
        for label, limit in TARGETS.items():
            print(f"  target {label} < {limit:g} s: {'ok' if figures[label] < limit else 'OVER TARGET'}")
    if keep is None:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, action="append", help="demo scale (repeatable); default 10")
    parser.add_argument("--keep", type=Path, help="reuse (or create and keep) the demo in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is shown")
    args = parser.parse_args()
    for scale in args.scale or [10.0]:
        run(scale, args.keep, args.repeat)


if __name__ == "__main__":
    main()
