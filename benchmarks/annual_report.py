"""How fast is `aixin report annual` for the whole city? Prints its figures; a measurement, not a test.

The yearly review is summed from the rows the check's cross-record step makes and caches with its
result (`domain.annual.to_row`: the records the review reads and each pairing's figures in each
year on record, as of the check's day; per pairing also kept by its files' content keys), so a
report after the check reads no log and rebuilds no index; its output is kept like the contacts
report's (`check/figures.py`: reused while `git status` shows the records unchanged). On a demo with at least one finished programme year (default
`--until 2021-08-01`: 2019-2020 and 2020-2021, the second compared with the first), each the
median of --repeat runs:
  no cache   no cache at all: the report reads and checks every file first (a cold `aixin check`),
  cold       the first report after `aixin check` of the same day (the usual order: CI or a
             coordinator checks, then reports): the per-file entries come from the check's cache,
  warm       the report again with nothing changed (the demo is committed to Git first),
  unit       one unit's report, cold (after the check),
  xlsx       the city's workbook, cold (after the check).

    python benchmarks/annual_report.py --scale 10 --keep /tmp/aixin-bench
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from measure import BIN, generate, median_of, timed
from report_speed import commit

UNTIL = "2021-08-01"
YEAR = "2020-2021"
TARGETS = {"cold": 5.0}  # the goal, on scale 10


def run(scale: float, keep: Path | None, repeat: int, until: str) -> None:
    print(f"scale {scale:g} until {until} ({os.cpu_count()} cores)")
    name = f"annual-{scale:g}-{until}"
    folder = keep / name if keep else Path(tempfile.mkdtemp(prefix=f"aixin-{name}-"))
    if not (folder / "records").exists():
        generate(scale, folder, until)
    if not (folder / ".git").exists():
        commit(folder)
    report = [str(BIN / "aixin"), "report", "annual", "--year", YEAR, "--as-of", until]
    check = [str(BIN / "aixin"), "check", "--format", "json", "--as-of", until]
    figures = {}
    out = folder.parent / f"{name}.xlsx"

    def measure(label: str, command: list[str], before) -> None:
        figures[label] = median_of(label, command, folder, repeat, before, width=9)

    def no_cache() -> None:
        shutil.rmtree(folder / ".aixin-cache", ignore_errors=True)

    def after_check() -> None:
        no_cache()
        timed(check, folder)
        out.unlink(missing_ok=True)

    measure("no cache", report, no_cache)
    measure("cold", report, after_check)
    measure("warm", report, lambda: None)
    measure("unit", [*report, "--unit", "chuanshan"], after_check)
    measure("xlsx", [*report, "--format", "xlsx", "--out", str(out)], after_check)
    out.unlink(missing_ok=True)
    if scale >= 10:
        for label, limit in TARGETS.items():
            print(f"  target {label} < {limit:g} s: {'ok' if figures[label] < limit else 'OVER TARGET'}")
    if keep is None:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, action="append", help="demo scale (repeatable); default 10")
    parser.add_argument("--until", default=UNTIL, help=f"the demo's contact log up to this day (default {UNTIL})")
    parser.add_argument("--keep", type=Path, help="reuse (or create and keep) the demo in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is shown")
    args = parser.parse_args()
    for scale in args.scale or [10.0]:
        run(scale, args.keep, args.repeat, args.until)


if __name__ == "__main__":
    main()
