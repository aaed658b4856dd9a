"""How fast is `aixin archive` for one unit? Prints its figures; a measurement, not a test.

Generates the fictional programme with `aixin demo` (or reuses --keep DIR), runs `aixin check`
once (the usual order: the records are checked before the year is archived, so the check's cache
is warm), then times `aixin archive --year 2019-2020 --unit UNIT` into a fresh folder (median of
--repeat runs) and prints the pairings, the PDFs' pages and the folder's and zip's size. The
default unit is the largest, 市直 (220 mothers at scale 1), and the processor time of the command
with its worker processes (on a shared machine the wall time depends on the others' load). The
issue's goal: under 60 s at scale 1.

    python benchmarks/archive_speed.py
    python benchmarks/archive_speed.py --keep /tmp/aixin-demo-1 --unit chuanshan --repeat 3
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

from measure import BIN, generate, timed

YEAR, AS_OF = "2019-2020", "2020-08-15"  # the demo's first programme year, just after its end
TARGET = 60.0  # seconds at scale 1


def run(scale: float, keep: Path | None, unit: str, repeat: int) -> bool:
    folder = keep or Path(tempfile.mkdtemp(prefix=f"aixin-archive-bench-{scale:g}-"))
    print(f"scale {scale:g} ({os.cpu_count()} cores), {folder}")
    if not (folder / "records").exists():
        generate(scale, folder)
    subprocess.run([str(BIN / "aixin"), "check", "--root", str(folder), "--as-of", AS_OF], stdout=subprocess.DEVNULL)
    times, peaks, cpus = [], [], []
    for number in range(repeat):
        out = Path(tempfile.mkdtemp(prefix="aixin-archive-out-"))
        try:
            command = [str(BIN / "aixin"), "archive", "--root", str(folder), "--year", YEAR, "--unit", unit]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            seconds, peak, code = timed([*command, "--as-of", AS_OF, "--out", str(out / "a")], folder)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            if code != 0:
                print(f"  run {number + 1} failed (exit {code})")
                return False
            times.append(seconds)
            peaks.append(peak)
            if number == 0:
                describe(out / "a")
        finally:
            shutil.rmtree(out, ignore_errors=True)
    median = sorted(times)[len(times) // 2]
    runs = ", ".join(f"{t:.1f}" for t in times)
    print(f"  aixin archive --unit {unit}: {median:.1f} s (runs: {runs}), peak {max(peaks)} MiB")
    # The processor time of the command and its workers: on a busy machine the wall time says little.
    load = os.getloadavg()[0]
    print(f"  processor time {min(cpus):.1f} s (user + system, all its processes; load average {load:.1f})")
    verdict = "within" if median < TARGET else "OVER"
    print(f"  goal < {TARGET:.0f} s at scale 1: {verdict}")
    return median < TARGET


def describe(out: Path) -> None:
    for zipped in sorted(out.glob("*.zip")):
        folder = out / zipped.stem
        pdfs = sorted((folder / "pairings").glob("*.pdf"))
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        print(
            f"  {folder.name}: {len(pdfs)} pairings' PDFs, folder {size / 1e6:.1f} MB, zip {zipped.stat().st_size / 1e6:.1f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", type=Path, default=None, help="reuse (or create) the demo in this folder")
    parser.add_argument("--unit", default="shizhi")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    raise SystemExit(0 if run(args.scale, args.keep, args.unit, args.repeat) else 1)


if __name__ == "__main__":
    main()
