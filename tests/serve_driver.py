"""Drive MkDocs' own serve builder on a repository copy, as `mkdocs serve [--dirty]` does, without
the web server: a first build, then one rebuild after each edit. Run in its own process (MkDocs
keeps plugins with a start-up event, Material's search among them, for the life of the process).

    python serve_driver.py ROOT SITE dirty|full EDITS.json  → JSON on stdout, one entry per build

EDITS.json: a list of edits, each {"file": path in ROOT, "text": new content, or null to delete}.
Each entry tells the files the preview wrote into docs/generated, the pages it rendered, the pages
MkDocs wrote again (HTML files of docs/generated's pages whose time changed) and the seconds (wall
and CPU) of the build.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import _serve_url

from aixin.site import preview


def serve_builds(root: Path, site: Path, dirty: bool, edits: list[dict]) -> list[dict]:
    """mkdocs.commands.serve.serve's get_config and builder, called once and after each edit."""

    def get_config():
        return load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=dirty)
    config.site_url = serve_url = _serve_url("127.0.0.1", 8000, "/")

    def builder(config=None):
        if config is None:
            config = get_config()
            config.site_url = serve_url
        build(config, serve_url=serve_url, dirty=dirty)

    state = preview.preview_for(root / "docs" / "generated")
    reports = []
    for number, edit in enumerate([None, *edits]):
        if edit is not None:
            target = root / edit["file"]
            if edit["text"] is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(edit["text"], "utf-8")
        before = _page_times(root, site)
        wall, cpu = time.perf_counter(), time.process_time()
        builder(config if number == 0 else None)
        seconds, cpu = time.perf_counter() - wall, time.process_time() - cpu
        after = _page_times(root, site)
        reports.append(
            {
                "seconds": seconds,
                "cpu": cpu,
                "written": sorted(state.written),
                "rendered": sorted(state.rendered),
                "built": sorted(p for p, t in after.items() if before.get(p) != t),
            }
        )
    return reports


def _page_times(root: Path, site: Path) -> dict[str, int]:
    """The modification time of each page's HTML file in the site."""
    docs = root / "docs" / "generated"
    pages = [p.relative_to(docs).with_suffix(".html") for p in docs.rglob("*.md")] if docs.is_dir() else []
    return {p.as_posix(): (site / p).stat().st_mtime_ns for p in pages if (site / p).is_file()}


if __name__ == "__main__":
    root, site, mode, edits = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    result = serve_builds(root, site, mode == "dirty", json.loads(Path(edits).read_text("utf-8")))
    print(json.dumps(result, ensure_ascii=False))
