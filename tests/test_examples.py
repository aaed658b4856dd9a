"""The bundled example records: every unit and record type, and nothing wrong with them; a
programme that has run since 2019, so that every page has something to show."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from aixin.check.engine import run_check
from aixin.core.findings import Severity
from aixin.domain.programme import from_data
from aixin.domain.terms import KINDS
from aixin.load.loader import load_file
from conftest import REPO

# The examples' logs run to November 2026: checked as of the first day after, not the wall clock.
EXAMPLES_AS_OF = dt.date(2026, 12, 1)
RECENT = ("2026-08", "2026-09", "2026-10")  # the last three whole months before the as-of day


def records(kind: str) -> dict[str, dict]:
    folder = {"girl": "girls", "mother": "mothers", "pairing": "pairings"}.get(kind)
    paths = REPO.glob(f"records/*/{folder}/*.yaml") if folder else REPO.glob("records/*/logs/*/*.yaml")
    return {p.stem: load_file(p, p.name).data for p in sorted(paths)}


def test_examples_cover_every_unit_and_kind():
    programme = from_data(load_file(REPO / "records/programme.yaml", "records/programme.yaml").data)
    result = run_check(REPO, use_cache=False, jobs=1, today=EXAMPLES_AS_OF)
    assert all(result.counts[kind] > 0 for kind in KINDS)
    units_with_records = {path.parts[0] for path in (p.relative_to(REPO / "records") for p in (REPO / "records").rglob("*.yaml")) if len(path.parts) > 1}
    assert units_with_records == {*programme.unit_ids, "city"}  # the city's commendations and trainings
    for unit in programme.units:
        folder = REPO / "records" / unit.id
        assert any((folder / "mothers").glob("*.yaml")), unit.id
        assert any((folder / "pairings").glob("*.yaml")), unit.id
        if unit.kind != "city":  # city organs recruit mothers; the girls live in the counties and parks
            assert any((folder / "girls").glob("*.yaml")), unit.id


def test_examples_pass_the_check():
    result = run_check(REPO, today=EXAMPLES_AS_OF, use_cache=False, jobs=1)
    assert result.exit_code == 0
    assert result.count(Severity.ERROR) == 0
    # Ten example mothers cannot fill a quota of 1,000: only the quota shortfall may be reported.
    assert {f.rule for f in result.findings} <= {"Q001"}


def test_examples_have_a_whole_life_withdrawn_mother_and_re_paired_girl():
    pairings, mothers, girls = records("pairing"), records("mother"), records("girl")
    by_girl = defaultdict(list)
    for pid, p in pairings.items():
        by_girl[p["girl"]].append(p)
    re_paired = [g for g, ps in by_girl.items() if len(ps) > 1]
    assert re_paired, "a girl whose pairing ended and who was paired again"
    for gid in re_paired:
        first, then = sorted(by_girl[gid], key=lambda p: p["started_on"])
        assert first["status"] == "已结束" and first["ended_on"] < then["started_on"] and then["status"] == "进行中"
    withdrawn = {mid: m["withdrawn"]["date"] for mid, m in mothers.items() if "withdrawn" in m}
    assert withdrawn
    for p in pairings.values():
        if p["mother"] in withdrawn:
            assert p["status"] == "已结束" and p["ended_on"] <= withdrawn[p["mother"]]
            assert p["end_reason"] == "爱心妈妈退出"
    assert any("left_behind_ended" in g for g in girls.values())
    reasons = {p.get("end_reason") for p in pairings.values()}
    assert {"女童超龄", "父母返乡", "爱心妈妈退出"} <= reasons


def test_examples_most_active_pairings_keep_in_touch_one_or_two_lapse():
    active = {pid for pid, p in records("pairing").items() if p["status"] == "进行中"}
    girl, guardian = defaultdict(set), defaultdict(set)
    for log in records("log").values():
        if "女童" in log["with"] and log["kind"] not in ("访老师", "访监护人"):
            girl[log["pairing"]].add(log["date"][:7])
        if "临时监护人" in log["with"]:
            guardian[log["pairing"]].add(log["date"][:7])
    kept = {pid for pid in active if all(m in girl[pid] and m in guardian[pid] for m in RECENT)}
    assert len(active) >= 8
    assert 1 <= len(active - kept) <= 2 and len(kept) >= 0.75 * len(active)
    assert max(log["date"] for log in records("log").values()) < EXAMPLES_AS_OF.isoformat()
