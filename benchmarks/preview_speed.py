"""How fast is the preview (`mkdocs serve --dirty` in the repository) after one record changes?
Prints its figures; it is a measurement, not a test.

Generates the fictional programme with `aixin demo` (or reuses --keep DIR, whose records/ and
schemas/ are copied, never written), lays it out as a repository (the checkout's hand-written
docs/, a mkdocs.yml like the repository's with this checkout's hooks), then runs MkDocs' own serve
builder as `mkdocs serve --dirty` calls it (tests/serve_driver.py, in its own process, no web
server): the first build, then one rebuild after each of these single-record edits:
  girl      a girl's name changed (her page, her pairings', the mothers', the unit's tables)
  log       a contact log added to a pairing (its page, the care figures: 待跟进, units, dashboard)
  mother    a mother's phone changed (her page and the pairing cards that show it)
For each build: wall and CPU seconds, pages rendered, files written into docs/generated, HTML
pages MkDocs wrote again. Target (issue 12): a rebuild after one record change ≤ 3 s at scale 1.

    python benchmarks/preview_speed.py
    python benchmarks/preview_speed.py --keep /tmp/aixin-demo-1
    python benchmarks/preview_speed.py --keep /tmp/aixin-demo-1 --mode full   # plain `mkdocs serve`
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import generate, speed_probe

CHECKOUT = Path(__file__).resolve().parents[1]
DRIVER = CHECKOUT / "tests" / "serve_driver.py"
TARGET = 3.0  # seconds, a rebuild after one record change at scale 1
AS_OF = "2020-07-31"  # the demo's first programme year ends: every figure is in play


def repository(records: Path, folder: Path) -> Path:
    """A repository in `folder` with the demo's records, the checkout's docs and hooks."""
    for part in ("records", "schemas"):
        shutil.copytree(records / part, folder / part)
    shutil.copytree(CHECKOUT / "docs", folder / "docs", ignore=shutil.ignore_patterns("generated", "dev"))
    site = CHECKOUT / "scripts" / "aixin" / "site"
    text = (CHECKOUT / "mkdocs.yml").read_text("utf-8").replace("scripts/aixin/site/", f"{site}/")
    (folder / "mkdocs.yml").write_text(text, "utf-8")
    return folder


def edits(root: Path) -> list[tuple[str, dict]]:
    """The single-record edits, each as serve_driver.py takes it."""
    girl = sorted((root / "records").glob("*/girls/*.yaml"))[0]
    mother = sorted((root / "records").glob("*/mothers/*.yaml"))[0]
    logs = sorted((root / "records").glob("*/logs/*"))[0]
    unit = logs.parts[-3]
    log = f"pairing: {logs.name}\ndate: 2020-07-20\nkind: 电话\nwith: [女童]\nsummary: 电话问候，聊了暑假的安排。\n"
    return [
        ("girl", _changed(root, girl, r"^name: (.+)$", lambda m: f"name: {m.group(1)}改")),
        ("log", {"file": f"records/{unit}/logs/{logs.name}/{unit}-l-preview1.yaml", "text": log}),
        ("mother", _changed(root, mother, r"^phone: \"?1(\d+)\"?$", lambda m: f'phone: "19{m.group(1)[1:]}"')),
    ]


def _changed(root: Path, file: Path, pattern: str, replace) -> dict:
    text, count = re.subn(pattern, replace, file.read_text("utf-8"), count=1, flags=re.M)
    assert count == 1, f"{file}: {pattern} not found"
    return {"file": file.relative_to(root).as_posix(), "text": text}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--keep", type=Path, help="a demo folder to reuse (records/ and schemas/ are copied)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--mode", choices=("dirty", "full"), default="dirty", help="full: plain `mkdocs serve`")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="aixin-preview-"))
    try:
        source = args.keep
        if source is None or not (source / "records").is_dir():
            source = source or scratch / "demo"
            print(f"aixin demo --scale {args.scale} → {source}")
            generate(args.scale, source)
        root = repository(source, scratch / "repo")
        named = edits(root)
        (scratch / "edits.json").write_text(json.dumps([e for _, e in named], ensure_ascii=False), "utf-8")
        env = {**os.environ, "AIXIN_TODAY": AS_OF, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
        load = os.getloadavg()
        probe = speed_probe()
        command = [
            sys.executable,
            str(DRIVER),
            str(root),
            str(scratch / "site"),
            args.mode,
            str(scratch / "edits.json"),
        ]
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(done.stderr[-3000:])
        builds = json.loads(done.stdout)
        pages = sum(1 for _ in (root / "docs" / "generated").rglob("*.md"))
        print(f"mkdocs serve {'--dirty ' if args.mode == 'dirty' else ''}on {pages:,} pages, as of {AS_OF}")
        print(f"load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (2 cores); {probe}")
        print(f"{'build':<22}{'wall s':>8}{'CPU s':>8}{'rendered':>10}{'written':>9}{'HTML':>7}")
        for (label, _), built in zip([("first (full)", None), *named], builds):
            written = "all" if "*" in built["written"] else len(built["written"])
            row = f"{label:<22}{built['seconds']:>8.2f}{built['cpu']:>8.2f}{len(built['rendered']):>10,}"
            print(f"{row}{written:>9}{len(built['built']):>7,}")
        slowest = max(b["seconds"] for b in builds[1:])
        verdict = "met" if slowest <= TARGET else "NOT met"
        print(f"slowest rebuild after one record change: {slowest:.2f} s (target ≤ {TARGET:.0f} s: {verdict})")
        load = os.getloadavg()
        print(f"load average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; {speed_probe()}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
