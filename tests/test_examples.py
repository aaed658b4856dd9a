"""The bundled example records: every unit and record type, and nothing wrong with them."""

from __future__ import annotations

import datetime as dt

from aixin.check.engine import run_check
from aixin.core.findings import Severity
from aixin.domain.programme import from_data
from aixin.load.loader import load_file
from conftest import REPO


def test_examples_cover_every_unit_and_kind():
    programme = from_data(load_file(REPO / "records/programme.yaml", "records/programme.yaml").data)
    result = run_check(REPO, use_cache=False, jobs=1)
    assert all(result.counts[kind] > 0 for kind in ("girl", "mother", "pairing", "log"))
    units_with_records = {path.parts[0] for path in (p.relative_to(REPO / "records") for p in (REPO / "records").rglob("*.yaml")) if len(path.parts) > 1}
    assert units_with_records == set(programme.unit_ids)
    for unit in programme.units:
        folder = REPO / "records" / unit.id
        assert any((folder / "mothers").glob("*.yaml")), unit.id
        assert any((folder / "pairings").glob("*.yaml")), unit.id
        if unit.kind != "city":  # city organs recruit mothers; the girls live in the counties and parks
            assert any((folder / "girls").glob("*.yaml")), unit.id


# The examples run to July 2020: checked as of the end of that programme year, not the wall clock
# (from 1 August 2020 on, their girls grow past 12 while still paired: G012 at each yearly review).
EXAMPLES_AS_OF = dt.date(2020, 7, 31)


def test_examples_pass_the_check():
    result = run_check(REPO, today=EXAMPLES_AS_OF, use_cache=False, jobs=1)
    assert result.exit_code == 0
    assert result.count(Severity.ERROR) == 0
    # Ten example mothers cannot fill a quota of 1,000: only the quota shortfall may be reported.
    assert {f.rule for f in result.findings} <= {"Q001"}
