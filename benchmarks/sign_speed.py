"""How fast is `aixin sign --unit` for a unit as large as 市直 (quota 220)? A measurement, not a test.

Generates the fictional programme with `aixin demo` at a scale that gives 市直 at least 220 mothers
with a sign for 2019-2020 (scale 1 gives 216: a few withdraw or wait for the city), then times
`aixin sign --unit shizhi --year 2019-2020` (a fresh PDF each run), as the median of --repeat runs.

    python benchmarks/sign_speed.py
    python benchmarks/sign_speed.py --scale 1.2 --keep /tmp/aixin-bench
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from measure import BIN, generate

UNIT, YEAR, WANTED = "shizhi", "2019-2020", 220
TARGET = 10.0  # seconds, the goal


def sign_once(folder: Path, out: Path) -> tuple[float, int]:
    """(seconds, signs made) of one `aixin sign --unit`."""
    out.unlink(missing_ok=True)
    command = [str(BIN / "aixin"), "sign", "--unit", UNIT, "--year", YEAR, "--out", str(out), "--root", str(folder)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    made = re.search(r"标识牌 (\d+) 块", result.stdout)
    return elapsed, int(made[1]) if made else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.2, help="demo scale (default 1.2: 市直 then has ≥ 220 signs)")
    parser.add_argument("--keep", type=Path, help="reuse (or create and keep) the demo in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is shown")
    args = parser.parse_args()
    folder = args.keep / f"scale-{args.scale:g}" if args.keep else Path(tempfile.mkdtemp(prefix="aixin-bench-sign-"))
    if not (folder / "records").exists():
        generate(args.scale, folder)
    with tempfile.TemporaryDirectory(prefix="aixin-bench-sign-out-") as out_dir:
        runs = [sign_once(folder, Path(out_dir) / "标识牌.pdf") for _ in range(args.repeat)]
    seconds, signs = sorted(runs)[len(runs) // 2]
    print(f"scale {args.scale:g}: aixin sign --unit {UNIT} --year {YEAR}: {signs} signs in {seconds:.2f} s")
    print(f"  (median of {args.repeat}: {', '.join(f'{r[0]:.2f}' for r in runs)})")
    if signs < WANTED:
        print(f"  only {signs} signs: use a larger --scale to measure {WANTED}")
    print(f"  target < {TARGET:g} s for {WANTED}: {'ok' if seconds < TARGET and signs >= WANTED else 'NOT MET'}")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
