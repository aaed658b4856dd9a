"""The typed layer stays typed: mypy, configured in pyproject.toml ([tool.mypy]: the rules, the
domain's terms and the findings), reports no error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_mypy_passes():
    done = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=600
    )
    assert done.returncode == 0, f"mypy found problems:\n{done.stdout}{done.stderr}"
