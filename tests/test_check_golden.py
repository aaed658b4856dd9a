"""`aixin check` end to end: a fixed tree with deliberate errors against golden text and JSON.

The fixture tree (tests/cases/rules/golden/) holds errors of several kinds: layout (R003),
loader (Y006), schema (S003), girl (G001, G002), mother (M001, M007), pairing (P002) and log
(L004) rules, plus the quota warnings. AIXIN_UPDATE_GOLDEN=1 rewrites the golden files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from aixin.cli import main
from aixin.core import dates
from conftest import CASES

GOLDEN = Path(__file__).parent / "golden"
ENV = {"AIXIN_TODAY": "2020-01-15", "GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None, "AIXIN_DEBUG": None}


def run(root: Path, *extra: str):
    return CliRunner().invoke(main, ["check", "--root", str(root), "--no-cache", *extra], env=ENV)


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; AIXIN_UPDATE_GOLDEN=1 rewrites it (then review the diff)."""
    path = GOLDEN / name
    if os.environ.get("AIXIN_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


@pytest.fixture
def golden_root(make_root):
    return make_root(CASES / "golden" / "records")


def test_today_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("AIXIN_TODAY", "2020-01-15")
    assert dates.beijing_today() == dt.date(2020, 1, 15)


def test_text_output_matches_golden(golden_root):
    result = run(golden_root)
    assert result.exit_code == 1, result.output
    assert_golden("check.txt", result.stdout)
    assert "截至 2020-01-15" in result.stdout


def test_json_output_matches_golden(golden_root):
    result = run(golden_root, "--format", "json")
    assert result.exit_code == 1, result.output
    assert_golden("check.json", result.stdout)
    data = json.loads(result.stdout)
    assert data["as_of"] == "2020-01-15"
    rules = {f["rule"] for f in data["findings"]}
    assert rules == {"G001", "G002", "L004", "M001", "M007", "P002", "Q001", "R003", "S003", "Y006"}
    assert not (golden_root / ".aixin-cache").exists()


def test_valid_tree_exits_zero(make_root):
    result = run(make_root(CASES / "valid" / "records"))
    assert result.exit_code == 0, result.output
    assert "0 个错误" in result.stdout
