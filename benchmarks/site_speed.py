"""How fast is `aixin build`? Prints its figures; it is a measurement, not a test.

Generates the fictional programme with `aixin demo` (or reuses --keep DIR), then for the city
site, one unit's site and the public site prints
  the time of `aixin build` (median of --repeat runs) and the peak memory of its process tree,
  the number of pages, the size of the site and of its search index (search_index.json),
and then times a bare `mkdocs build` of the same staged pages with the configuration the build
left beside them (build/<site>/docs.mkdocs.yml), into a scratch folder, so that aixin's own share
(reading and checking the records, pages, photos, staging) is visible.

    python benchmarks/site_speed.py
    python benchmarks/site_speed.py --keep /tmp/aixin-demo-1 --repeat 3 --unit anju
    python benchmarks/site_speed.py --keep /tmp/aixin-demo-1 --compare main --repeat 3

--compare REF times only the city site, alternating this code and the code of the Git revision
REF (its scripts/ exported to a scratch folder, run with this venv), on the same demo, and prints
how much slower or faster this code is (the issue's target: charts at most 10 % slower).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import BIN, generate, timed

MB = 1_000_000
TARGETS = {"city": 60.0, "unit": 15.0}  # seconds for `aixin build` at scale 1
SEARCH_INDEX_LIMIT = 8 * MB


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under `folder`."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return sum(sizes), len(sizes)


def median_run(command: list[str], cwd: Path, repeat: int) -> tuple[float, int, int, list[float]]:
    """(median seconds, highest peak MiB, exit code, every run's seconds) of the runs that
    succeeded; a failed run is reported and leaves the median (exit code: the last failure's)."""
    runs = [timed(command, cwd) for _ in range(repeat)]
    good = [r for r in runs if r[2] == 0]
    for number, (seconds, _, code) in enumerate(runs, 1):
        if code != 0:
            print(f"  run {number} of {Path(command[0]).name} {command[1]} failed after {seconds:.1f} s (exit {code})")
    if not good:
        return runs[-1][0], runs[-1][1], runs[-1][2], [r[0] for r in runs]
    seconds, _, _ = sorted(good)[len(good) // 2]
    return seconds, max(r[1] for r in good), 0, [r[0] for r in runs]


def measure_site(folder: Path, label: str, args: list[str], slug: str, repeat: int) -> dict | None:
    seconds, peak, code, runs = median_run([str(BIN / "aixin"), "build", "--root", str(folder), *args], folder, repeat)
    if code != 0:
        print(f"  {label:<15} aixin build {' '.join(args)} failed (exit {code})")
        return None
    build = folder / "build" / slug
    site = build / "site"
    size, files = folder_size(site)
    pages = sum(1 for _ in site.rglob("*.html"))
    index = site / "search" / "search_index.json"
    scratch = Path(tempfile.mkdtemp(prefix="aixin-mkdocs-"))
    try:
        bare, bare_peak, bare_code, _ = median_run(
            [
                str(BIN / "mkdocs"),
                "build",
                "--quiet",
                "--config-file",
                str(build / "docs.mkdocs.yml"),
                "--site-dir",
                str(scratch / "site"),
            ],
            folder,
            repeat,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    figures = {
        "label": label,
        "seconds": seconds,
        "peak": peak,
        "pages": pages,
        "size": size,
        "files": files,
        "index": index.stat().st_size if index.is_file() else 0,
        "mkdocs": bare if bare_code == 0 else None,
        "mkdocs_peak": bare_peak,
    }
    share = (
        f"{seconds - bare:6.1f} s ({(seconds - bare) / seconds:4.0%})"
        if figures["mkdocs"] is not None
        else "  (mkdocs build failed)"
    )
    print(
        f"  {label:<15} {seconds:7.1f} s {peak:6d} MiB {pages:7,d} {size / MB:8.1f} MB {files:6,d} "
        f"{figures['index'] / MB:8.2f} MB   {bare:7.1f} s {bare_peak:5d} MiB   {share}"
    )
    if repeat > 1:
        print(f"  {'':<15} aixin build runs: {', '.join(f'{r:.1f}' for r in runs)} s")
    return figures


def run(scale: float, keep: Path | None, unit: str, repeat: int, until: str | None = None) -> bool:
    folder = keep or Path(tempfile.mkdtemp(prefix=f"aixin-site-bench-{scale:g}-"))
    print(f"scale {scale:g} ({os.cpu_count()} cores), {folder}")
    if not (folder / "records").exists():
        generate(scale, folder, until)
    records = sum(1 for _ in (folder / "records").rglob("*.yaml"))
    print(f"  {records:,} record files")
    print(
        f"  {'site':<15} {'aixin build':>9} {'peak':>10} {'pages':>7} {'site size':>11} {'files':>6} "
        f"{'search idx':>11}   {'mkdocs alone':>12} {'peak':>9}   aixin's own share"
    )
    sites = {}
    for key, label, args, slug in (
        ("city", "city", ["--audience", "city"], "city"),
        ("unit", f"unit {unit}", ["--unit", unit], unit),
        ("public", "public", ["--audience", "public"], "public"),
    ):
        sites[key] = measure_site(folder, label, args, slug, repeat)
    ok = all(sites.values())
    for key, limit in TARGETS.items():
        if sites[key]:
            verdict = "ok" if sites[key]["seconds"] < limit else "OVER"
            print(f"  target {sites[key]['label']} build < {limit:g} s: {verdict} ({sites[key]['seconds']:.1f} s)")
    biggest = max((s for s in sites.values() if s), key=lambda s: s["index"], default=None)
    if biggest:
        verdict = "ok" if biggest["index"] < SEARCH_INDEX_LIMIT else "OVER"
        print(
            f"  target search index < {SEARCH_INDEX_LIMIT / MB:g} MB: {verdict} "
            f"({biggest['label']} {biggest['index'] / MB:.2f} MB)"
        )
    if keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return ok


def compare(ref: str, keep: Path | None, repeat: int, until: str | None = None) -> bool:
    """The city site's build with this code and with REF's, alternately, on the same demo."""
    folder = keep or Path(tempfile.mkdtemp(prefix="aixin-site-bench-compare-"))
    if not (folder / "records").exists():
        generate(1.0, folder, until)
    scratch = Path(tempfile.mkdtemp(prefix="aixin-before-"))
    try:
        repo = Path(__file__).resolve().parent.parent
        archive = subprocess.run(["git", "archive", ref, "scripts"], cwd=repo, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(scratch)], input=archive.stdout, check=True)
        run_cli = "import sys; from aixin.cli import main; sys.argv[0] = 'aixin'; main()"
        before = ["env", f"PYTHONPATH={scratch / 'scripts'}", sys.executable, "-c", run_cli]
        builds = {ref: before, "this code": [str(BIN / "aixin")]}
        args = ["build", "--root", str(folder), "--audience", "city"]
        timed([*builds["this code"], *args], folder)  # warm the check's cache and the photos' copies
        runs: dict[str, list[float]] = {name: [] for name in builds}
        for _ in range(repeat):
            for name, command in builds.items():
                seconds, _, code = timed([*command, *args], folder)
                if code != 0:
                    print(f"  {name}: aixin build failed (exit {code})")
                    return False
                runs[name].append(seconds)
        median = {name: sorted(times)[len(times) // 2] for name, times in runs.items()}
        for name, times in runs.items():
            print(f"  city site, {name:<12} {median[name]:6.1f} s (runs {', '.join(f'{t:.1f}' for t in times)})")
        change = median["this code"] / median[ref] - 1
        verdict = "ok" if change <= 0.10 else "OVER"
        print(f"  target at most 10 % slower than {ref}: {verdict} ({change:+.1%})")
        return change <= 0.10
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (default 1)")
    parser.add_argument("--keep", type=Path, help="reuse (or create and keep) the demo in this folder")
    parser.add_argument("--unit", default="chuanshan", help="the unit whose site is measured (default chuanshan)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each build; the median is shown")
    parser.add_argument("--until", help="demo logs up to this day (YYYY-MM-DD); default one programme year")
    parser.add_argument("--compare", metavar="REF", help="time the city site against the code of Git revision REF")
    args = parser.parse_args()
    if args.compare:
        sys.exit(0 if compare(args.compare, args.keep, max(1, args.repeat), args.until) else 1)
    sys.exit(0 if run(args.scale, args.keep, args.unit, max(1, args.repeat), args.until) else 1)


if __name__ == "__main__":
    main()
