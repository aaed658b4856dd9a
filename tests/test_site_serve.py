"""`mkdocs build`/`mkdocs serve` with the repository's mkdocs.yml regenerate pages from records/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow

GIRL = "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml"


def _mkdocs(root: Path, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "AIXIN_TODAY": "2020-01-15"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(out)]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)


def test_each_build_regenerates_pages_from_the_records(tmp_path):
    root = tmp_path / "repo"
    for folder in ("records", "schemas"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("generated"))
    shutil.copytree(REPO / "scripts" / "aixin" / "site", root / "scripts" / "aixin" / "site")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")

    first = _mkdocs(root, tmp_path / "out")
    assert first.returncode == 0, first.stderr
    page = tmp_path / "out" / "girls" / "chuanshan-g-3m8x4p.html"
    assert "示例女童甲" in page.read_text("utf-8")
    assert '<div class="aixin-stamp">数据截至 2020-01-15</div>' in page.read_text("utf-8")  # no Git in tmp
    assert "<!-- 由 aixin 根据" in (root / "docs" / "generated" / "girls" / "chuanshan-g-3m8x4p.md").read_text("utf-8")

    girl = root / GIRL
    girl.write_text(girl.read_text("utf-8").replace("name: 示例女童甲", "name: 示例女童改"), "utf-8")
    second = _mkdocs(root, tmp_path / "out")
    assert second.returncode == 0, second.stderr
    assert "示例女童改" in page.read_text("utf-8") and "示例女童甲" not in page.read_text("utf-8")
