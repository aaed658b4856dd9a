"""Every rule against small fictional records trees in tests/cases/rules/.

`valid/` is a complete tree that must give no finding but the quota ones (Q001).
Each `invalid/<case>/` is a minimal tree plus `expected.json`: the exact findings as
(rule, file, line), Q001 ignored unless the case says `"include_quota": true`; a case whose
finding depends on the date (G012: from the next programme year) says `"today": "YYYY-MM-DD"`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from aixin.check.engine import run_check
from aixin.core.findings import Severity
from aixin.core.idnumber import normalise
from aixin.rules import RULES
from conftest import CASES, TODAY

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
LAYOUT_CODES = {f"R00{i}" for i in range(1, 7)}
SCHEMA_CODES = {f"S00{i}" for i in range(1, 7)}
# Rules whose case is built by a test instead of committed (listed in test_structure.TESTED_BY_FUNCTION).
BUILT_BY_A_TEST = {"R015"}  # an audio file past 10 MB
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ID_LIKE = re.compile(r"[0-9０-９]{17}[0-9０-９Xx]")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def check(root: Path, today: dt.date = TODAY):
    return run_check(root, today=today, use_cache=False, jobs=1)


def read_expected(case: Path) -> tuple[bool, list[dict]]:
    doc = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    if isinstance(doc, list):
        return False, doc
    return bool(doc.get("include_quota")), doc["findings"]


def personal_values(records: Path) -> set[str]:
    """Every ID number (as written and normalised) and mobile number in a case's files."""
    found = set()
    for path in records.rglob("*.yaml"):  # records only: photos are binary
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for value in ID_LIKE.findall(text):
                found |= {value, normalise(value)}
            found |= set(MOBILE.findall(text))
    return found


def case_today(case: Path) -> dt.date:
    doc = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    return dt.date.fromisoformat(doc["today"]) if isinstance(doc, dict) and "today" in doc else TODAY


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_case(case, make_root):
    include_quota, expected = read_expected(case)
    result = check(make_root(case / "records"), today=case_today(case))
    actual = sorted((f.rule, f.file, f.line) for f in result.findings if include_quota or f.rule != "Q001")
    assert actual == sorted((e["rule"], e["file"], e["line"]) for e in expected)
    secrets = personal_values(case / "records")
    for finding in result.findings:
        assert CHINESE.search(finding.message), finding
        assert CHINESE.search(finding.hint), finding
        for value in secrets:
            assert value not in finding.message and value not in finding.hint, (value, finding)


def test_valid_tree_gives_only_quota_findings(make_root):
    result = check(make_root(CASES / "valid" / "records"))
    assert [f for f in result.findings if f.rule != "Q001"] == []
    assert result.exit_code == 0
    assert result.counts == {"girl": 6, "mother": 5, "pairing": 6, "log": 11}


def test_every_rule_has_a_case():
    covered = set()
    for case in INVALID:
        covered |= {e["rule"] for e in read_expected(case)[1]}
    missing = (set(RULES) | LAYOUT_CODES | SCHEMA_CODES) - covered - BUILT_BY_A_TEST
    assert not missing, f"no invalid case for {sorted(missing)}"


def test_the_exception_is_what_keeps_the_pairing_valid(make_root):
    root = make_root(CASES / "valid" / "records")
    path = root / "records/chuanshan/pairings/chuanshan-p-4h7j2w.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("exception:")], encoding="utf-8")
    found = [(f.rule, f.file) for f in check(root).findings if f.rule != "Q001"]
    assert found == [("P004", "records/chuanshan/pairings/chuanshan-p-4h7j2w.yaml")]


def test_unquoted_phone_says_to_quote(make_root):
    result = check(make_root(CASES / "invalid" / "s003-phone-unquoted" / "records"))
    (finding,) = [f for f in result.findings if f.rule == "S003"]
    assert "引号" in finding.message and "引号" in finding.hint
    assert "138****0001" in finding.message


@pytest.mark.parametrize("case", ["s003-boolean-no", "s003-poor-household-chinese"])
def test_yes_no_words_are_not_booleans(case, make_root):
    result = check(make_root(CASES / "invalid" / case / "records"))
    (finding,) = [f for f in result.findings if f.rule == "S003"]
    assert "true" in finding.message and "false" in finding.message


def test_id_spelling_is_m002_not_m001(make_root):
    for case in ("m002-lowercase-x", "m002-full-width-digits"):
        rules = {f.rule for f in check(make_root(CASES / "invalid" / case / "records")).findings}
        assert "M002" in rules and "M001" not in rules, case


def quota_root(make_root, quotas: dict[str, int]) -> Path:
    """A root with one approved mother in chuanshan and the given quotas (others 0)."""
    root = make_root(CASES / "invalid" / "q001-quota-shortfall" / "records")
    programme = root / "records" / "programme.yaml"
    data = yaml.safe_load(programme.read_text(encoding="utf-8"))
    for unit in data["units"]:
        unit["quota"] = quotas.get(unit["id"], 0)
    data["total_quota"] = sum(quotas.values())
    programme.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("today", "severity"),
    [
        (dt.date(2019, 7, 29), Severity.INFO),
        (dt.date(2019, 7, 30), Severity.INFO),  # the report deadline itself
        (dt.date(2019, 7, 31), Severity.WARNING),
        (TODAY, Severity.WARNING),
    ],
)
def test_quota_severity_depends_on_the_deadline(today, severity, make_root):
    result = check(make_root(CASES / "invalid" / "q001-quota-shortfall" / "records"), today=today)
    quota = [f for f in result.findings if f.rule == "Q001"]
    assert len(quota) == 1  # one for the city, not one per unit
    assert {f.severity for f in quota} == {severity}


def test_quota_met_exactly_gives_no_finding(make_root):
    root = quota_root(make_root, {"chuanshan": 1})
    assert [f for f in check(root).findings if f.rule == "Q001"] == []
    root = quota_root(make_root, {"chuanshan": 2})
    found = check(root).findings
    assert [f.rule for f in found] == ["Q001"]  # one for the city, naming the unit
    assert "船山区差 1 名" in found[0].message


def test_mother_born_on_29_february_turns_20_on_29_february(make_root):
    """Born 2000-02-29: 19 on 2020-02-28, 20 on 2020-02-29 (a leap year)."""
    root = make_root(CASES / "invalid" / "m004-age-19" / "records")
    path = root / "records/chuanshan/mothers/chuanshan-m-bbbb01.yaml"
    text = path.read_text(encoding="utf-8").replace('"510903199907110021"', '"510903200002290027"')
    text = text.replace("birth: 1999-07", "birth: 2000-02")
    text = text[: text.index("county_approval:")]  # no approvals: they would predate the filing
    for filed, expected in (("2020-02-28", ["M004", "M007"]), ("2020-02-29", ["M007"])):
        path.write_text(text.replace("filed_on: 2019-07-10", f"filed_on: {filed}"), encoding="utf-8")
        found = sorted(f.rule for f in check(root, today=dt.date(2020, 3, 31)).findings if f.rule != "Q001")
        assert found == expected, filed


def test_a_badly_written_date_gives_one_finding(make_root):
    root = make_root(CASES / "invalid" / "s005-invalid-date" / "records")
    path = root / "records/chuanshan/girls/chuanshan-g-aaaa01.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2019-02-30", "2019-7-5"), encoding="utf-8")
    assert [f.rule for f in check(root).findings if f.rule != "Q001"] == ["S005"]
