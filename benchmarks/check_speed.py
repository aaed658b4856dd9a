"""How fast is `aixin check`? Prints its figures; it is a measurement, not a test.

For each scale: generate the fictional programme with `aixin demo`, then time
  cold     no cache at all,
  warm     run again with nothing changed,
  one      run again after one record changed,
each as the median of --repeat runs, and the peak memory of the whole process tree. With --compare it also times
`check-jsonschema` validating the same files against the same schemas and prints the ratio.

    python benchmarks/check_speed.py --scale 1 --compare
    python benchmarks/check_speed.py --scale 10
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from measure import BIN, generate, timed

TARGETS = {1: {"cold": 3.0}, 10: {"cold": 20.0, "warm": 3.0, "one": 3.0}}


def change_one_record(folder: Path) -> None:
    girl = next((folder / "records").glob("*/girls/*.yaml"))
    girl.write_text(girl.read_text("utf-8") + f"# 基准测试改动了这条记录 {time.time()}\n", "utf-8")


def check_jsonschema(folder: Path) -> float:
    """check-jsonschema on every record file, each kind against its schema, in batches."""
    start = time.perf_counter()
    for kind, pattern in (
        ("girl", "*/girls/*.yaml"),
        ("mother", "*/mothers/*.yaml"),
        ("pairing", "*/pairings/*.yaml"),
        ("log", "*/logs/*/*.yaml"),
    ):
        files = sorted(str(p) for p in (folder / "records").glob(pattern))
        for i in range(0, len(files), 2000):
            subprocess.run(
                [
                    str(BIN / "check-jsonschema"),
                    "--schemafile",
                    str(folder / f"schemas/{kind}.schema.json"),
                    *files[i : i + 2000],
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
    return time.perf_counter() - start


def run(scale: float, compare: bool, keep: Path | None, repeat: int, until: str | None = None) -> None:
    print(f"scale {scale:g} ({os.cpu_count()} cores)")
    # One folder per scale under --keep: two scales must never share one demo.
    name = f"scale-{scale:g}" + (f"-until-{until}" if until else "")
    folder = keep / name if keep else Path(tempfile.mkdtemp(prefix=f"aixin-bench-{scale:g}-"))
    if not (folder / "records").exists():
        generate(scale, folder, until)
    check = [str(BIN / "aixin"), "check", "--format", "json"]
    figures = {}
    for label in ("cold", "warm", "one"):
        runs = []
        for _ in range(repeat):
            if label == "cold":
                shutil.rmtree(folder / ".aixin-cache", ignore_errors=True)
            elif label == "one":
                change_one_record(folder)
            runs.append(timed(check, folder))
        seconds, peak, code = sorted(runs)[len(runs) // 2]  # the median run
        figures[label] = seconds
        print(
            f"  aixin check {label:<5} {seconds:6.2f} s   peak memory {max(r[1] for r in runs):5d} MiB   "
            f"exit {code}   (median of {repeat}: {', '.join(f'{r[0]:.2f}' for r in runs)})"
        )
    for label, limit in TARGETS.get(int(scale) if scale >= 1 else 0, {}).items():
        verdict = "ok" if figures[label] < limit else "OVER TARGET"
        print(f"  target {label} < {limit:g} s: {verdict}")
    if compare:
        other = check_jsonschema(folder)
        print(
            f"  check-jsonschema   {other:6.2f} s   ratio {other / figures['cold']:.1f}x slower than aixin check (cold)"
        )
    if keep is None:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, action="append", help="demo scale (repeatable); default 1 and 10")
    parser.add_argument("--compare", action="store_true", help="also time check-jsonschema on the same files")
    parser.add_argument("--keep", type=Path, help="reuse (or create and keep) the demo in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is shown")
    parser.add_argument("--until", help="demo logs up to this day (YYYY-MM-DD); default one programme year")
    args = parser.parse_args()
    for scale in args.scale or [1.0, 10.0]:
        run(scale, args.compare, args.keep, args.repeat, args.until)


if __name__ == "__main__":
    main()
