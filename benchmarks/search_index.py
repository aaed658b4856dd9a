"""How big is the search index, what fills it, and does a given name find every girl who has it?

Reads a built site's search/search_index.json (builds the city site first with --build) and
prints the index size against the 8 MB goal, its bytes by kind of page (girls, mothers,
pairings with their contact-log text, the rest), and for the most common given names among the
girls on file, how many of them the search finds (the search worker's own rule: a query finds
a page when one of the page's words starts with it). A measurement, not a test.

    aixin demo --out /tmp/x --scale 1
    python benchmarks/search_index.py --root /tmp/x --build
    python benchmarks/search_index.py --root /tmp/x --site build/chuanshan/site
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import yaml

from aixin.site.search import given_name
from measure import BIN

MB = 1_000_000
SEARCH_INDEX_LIMIT = 8 * MB


def words(doc: dict, separator: re.Pattern) -> set[str]:
    text = html.unescape(re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"]))
    return {w.lower() for w in separator.split(text) if w}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, required=True, help="the repository (e.g. made by aixin demo)")
    parser.add_argument("--site", type=Path, default=Path("build/city/site"), help="the built site, under --root")
    parser.add_argument("--build", action="store_true", help="run aixin build --audience city first")
    parser.add_argument("--names", type=int, default=5, help="how many given names to try (default 5)")
    args = parser.parse_args()
    if args.build:
        subprocess.run([str(BIN / "aixin"), "build", "--root", str(args.root)], check=True, stdout=subprocess.DEVNULL)
    path = args.root / args.site / "search" / "search_index.json"
    size = path.stat().st_size
    index = json.loads(path.read_text("utf-8"))
    docs, separator = index["docs"], re.compile(index["config"]["separator"])
    verdict = "ok" if size < SEARCH_INDEX_LIMIT else "OVER"
    print(f"search index {size / MB:.2f} MB ({len(docs):,} entries): target < {SEARCH_INDEX_LIMIT / MB:g} MB {verdict}")
    by_kind: Counter = Counter()
    for doc in docs:
        kind = doc["location"].split("/")[0] if "/" in doc["location"] else "(top)"
        by_kind[kind if kind in ("girls", "mothers", "pairings", "units", "guide", "reference") else "other"] += len(
            json.dumps(doc, separators=(",", ":"))
        )
    for kind, count in by_kind.most_common():
        print(f"  {kind:<10} {count / MB:7.2f} MB")
    girls = {}
    for file in sorted((args.root / "records").glob("*/girls/*.yaml")):
        data = yaml.load(file.read_text("utf-8"), Loader=yaml.BaseLoader) or {}
        girls[file.stem] = data.get("name")
    pages = {d["location"]: words(d, separator) for d in docs if d["location"].startswith("girls/")}
    common = Counter(g for g in map(given_name, girls.values()) if g).most_common(args.names)
    for name, count in common:
        found = sum(1 for ws in pages.values() if any(w.startswith(name) for w in ws))
        print(f"  given name {name}: {count} girls on file, search finds {found} girls' pages")


if __name__ == "__main__":
    main()
