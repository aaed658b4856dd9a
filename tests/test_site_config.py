"""The configuration `aixin build` writes beside its staged pages: portable, so that MkDocs and
Zensical (which panics on an absolute docs_dir) both build it, and the pair can be moved."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from mkdocs.config import load_config

from aixin.site import build as site_build


def _staged(folder: Path) -> tuple[Path, Path]:
    out = folder / "site"
    docs = folder / "site.aixin-docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", "utf-8")
    generated = site_build.Generated(nav=[{"首页": "index.md"}], pages=1, stamp="数据截至 2026-12-01")
    return docs, site_build._write_config(docs, out, generated, {})


def test_docs_and_site_folders_are_written_relative_to_the_config(tmp_path):
    docs, config_file = _staged(tmp_path / "build")
    written = yaml.safe_load(config_file.read_text("utf-8"))
    assert written["docs_dir"] == "site.aixin-docs" and written["site_dir"] == "site.tmp"
    # The theme override and the hooks live in the installed package: absolute, and present.
    assert Path(written["theme"]["custom_dir"]).is_absolute() and Path(written["theme"]["custom_dir"]).is_dir()
    assert all(Path(hook).is_file() for hook in written["hooks"])


def test_mkdocs_reads_the_moved_config_with_its_moved_pages(tmp_path):
    docs, config_file = _staged(tmp_path / "build")
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    shutil.copytree(docs, moved / docs.name)
    shutil.copy(config_file, moved / config_file.name)
    shutil.rmtree(docs)
    config = load_config(config_file=str(moved / config_file.name))
    assert Path(config.docs_dir) == moved / "site.aixin-docs"
    assert Path(config.site_dir) == moved / "site.tmp"
