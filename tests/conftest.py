"""Shared helpers: build a temporary repository root from a records tree under tests/cases/."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CASES = Path(__file__).parent / "cases" / "rules"
TODAY = dt.date(2020, 1, 15)  # a fixed "today", so that the cases never age


@pytest.fixture(autouse=True)
def cache_key_outside_home(tmp_path_factory, monkeypatch):
    """The check cache's HMAC key lives outside the repository (~/.cache/aixin by default); tests
    keep theirs in one temporary folder of the session instead of the user's home."""
    monkeypatch.setenv("AIXIN_CACHE_KEY_DIR", str(tmp_path_factory.getbasetemp() / "cache-key"))


def build_root(records: Path, dest: Path) -> Path:
    """`dest` with a copy of `records`, plus the repository's programme.yaml and schemas/."""
    shutil.copytree(records, dest / "records")
    shutil.copy(REPO / "records" / "programme.yaml", dest / "records" / "programme.yaml")
    shutil.copytree(REPO / "schemas", dest / "schemas")
    return dest


@pytest.fixture
def make_root(tmp_path):
    """make_root(records_dir) -> a fresh root in tmp_path holding those records."""
    count = 0

    def make(records: Path) -> Path:
        nonlocal count
        count += 1
        return build_root(records, tmp_path / f"root{count}")

    return make
