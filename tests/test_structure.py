"""The guards that keep the structure: the layers (import-linter), lint and format (ruff), thin
commands, and a test case for every code in the catalogue."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aixin.rules.catalogue import CODES, catalogue
from conftest import CASES, REPO

PACKAGE = REPO / "scripts" / "aixin"
TESTS = REPO / "tests"
BIN = Path(sys.executable).parent
# Codes whose cases are not data folders: the test that makes each of them happen.
TESTED_BY_FUNCTION = {
    "Y001": ("test_loader", "test_oversize_bytes"),
    "Y012": ("test_loader", "test_unreadable_file_is_a_finding"),
    # Symbolic links, FIFOs and unreadable folders cannot be committed as case data.
    "R012": ("test_hostile_tree", "test_a_symlink_to_another_units_record_is_r012_and_never_followed"),
    "R013": ("test_hostile_tree", "test_a_fifo_is_r013_and_never_opened"),
    "R014": ("test_hostile_tree", "test_an_unreadable_folder_is_r014"),
    # A media file past the cap (10 MB of audio) is built in the test rather than committed.
    "R015": ("test_media_rules", "test_the_size_caps_are_per_kind_and_a_big_file_is_not_read_whole"),
    "A009": ("test_hostile_tree", "test_a_pull_request_adding_a_symlink_is_a009"),
    "A010": ("test_hostile_tree", "test_a_pull_request_committing_the_cache_is_a010"),
}
COMMAND_LINES = 120  # a command module is wiring: its options, one call, what to print


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_layers_are_kept():
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


@pytest.mark.slow
def test_ruff_finds_nothing():
    result = run(sys.executable, "-m", "ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_code_is_formatted():
    result = run(sys.executable, "-m", "ruff", "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_runs_ruff():
    config = (REPO / ".pre-commit-config.yaml").read_text("utf-8")
    assert "entry: ruff check" in config and "entry: ruff format" in config


@pytest.mark.parametrize("module", sorted((PACKAGE / "commands").glob("*.py")), ids=lambda p: p.name)
def test_command_modules_only_wire(module):
    lines = module.read_text("utf-8").splitlines()
    assert len(lines) <= COMMAND_LINES, f"{module.name} has {len(lines)} lines: move the work out of commands/"


def _codes_of_case_folders() -> set[str]:
    found = set()
    for expected in [
        *(CASES / "invalid").glob("*/expected.json"),
        *(TESTS / "cases" / "loader" / "invalid").glob("*/expected.json"),
    ]:
        doc = json.loads(expected.read_text("utf-8"))
        found |= {item["rule"] for item in (doc if isinstance(doc, list) else doc["findings"])}
    return found


def _codes_asserted_by_pull_request_scenarios() -> set[str]:
    """Every A code that a scenario in test_pr.py asserts as exactly found (`codes(…) == [...]`)."""
    text = (TESTS / "test_pr.py").read_text("utf-8")
    found = set()
    for listed in re.findall(r"codes\(.*?\) == \[([^\]]*)\]", text):
        found |= set(re.findall(r'"(A\d{3})"', listed))
    return found


def test_every_catalogued_code_has_a_case():
    import importlib

    covered = _codes_of_case_folders() | _codes_asserted_by_pull_request_scenarios()
    for code, (module, function) in TESTED_BY_FUNCTION.items():
        assert callable(getattr(importlib.import_module(module), function, None)), (code, module, function)
        assert code in (TESTS / f"{module}.py").read_text("utf-8")
        covered.add(code)
    missing = set(catalogue()) - covered
    assert not missing, f"no test case for {sorted(missing)}"


def test_the_catalogue_has_every_code_once_with_examples_for_every_rule():
    entries = catalogue()
    assert len(entries) == len(set(entries))
    letters = "YSRGMPLCTDQA"
    assert {code[0] for code in entries} == set(letters)
    for code, entry in entries.items():
        assert entry.code == code and entry.title and entry.applies_to, code
        if code not in CODES:  # the loader's, schema's and layout's codes have no examples
            assert entry.passes and entry.fails, code
    assert entries["Q001"].severity_label == "提示／警告" and "截止日期" in entries["Q001"].severity_note
