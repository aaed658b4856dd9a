"""Cross-record findings land on the record that breaks the rule, and `aixin check PATH` shows
what PATH causes in other records (issue 9, items 1, 2, 4 and 10).

The later record of a conflict is the one reported (`RecordIndex.oldest_first`): in a pull request
or `aixin check FILE` the file named; else the later date the rule compares, then the later
filing date, then the record id. The other record is named as the existing one.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aixin.check.engine import run_check
from aixin.cli import main
from conftest import CASES, REPO

INVALID = CASES / "invalid"
LATER = dt.date(2020, 8, 1)  # after every bundled contact log: no L002 in the way
ENV = {"AIXIN_TODAY": "2020-08-01", "GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None, "AIXIN_DEBUG": None}
OLD = "records/chuanshan/pairings/chuanshan-p-5t1w6r.yaml"  # girl chuanshan-g-3m8x4p, mother chuanshan-m-7k2q9d
NEW = "records/chuanshan/pairings/chuanshan-p-2w8r5m.yaml"  # sorts before OLD by id


def found(root: Path, rules: set[str], targets=None, today=LATER, **options) -> list[tuple[str, str]]:
    result = run_check(root, [root / t for t in targets] if targets else None, today=today, use_cache=False,
                       jobs=1, **options)
    return sorted((f.rule, f.file) for f in result.findings if f.rule in rules)


def findings(root: Path, rule: str, **options):
    return [f for f in run_check(root, today=LATER, use_cache=False, jobs=1, **options).findings if f.rule == rule]


def set_field(root: Path, rel: str, field: str, value: str) -> None:
    path = root / rel
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if line.startswith(f"{field}:")]
    assert len(at) == 1, (rel, field)
    lines[at[0]] = f"{field}: {value}\n"
    path.write_text("".join(lines), "utf-8")


@pytest.fixture
def bundled(tmp_path) -> Path:
    """A copy of the repository's own records and schemas, with the issue's second pairing for
    girl chuanshan-g-3m8x4p (same mother, same launch day), filed later."""
    root = tmp_path / "bundled"
    shutil.copytree(REPO / "records", root / "records")
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copy(root / OLD, root / NEW)
    set_field(root, NEW, "filed_on", "2019-08-03")
    return root


# ---------------------------------------------------------------- item 1: the example


def test_second_pairing_on_launch_day_is_reported_on_the_new_one(bundled):
    (p005,) = findings(bundled, "P005")
    assert p005.file == NEW
    assert "已有进行中的结对 chuanshan-p-5t1w6r" in p005.message
    assert "chuanshan-p-2w8r5m" not in p005.message  # "this one" is the record itself
    # item 4: the girl and the mother by name, besides their codes
    assert "“示例女童甲”（chuanshan-g-3m8x4p）" in p005.message
    assert "“示例妈妈甲”（chuanshan-m-7k2q9d）" in p005.message
    assert OLD in p005.related


def test_on_a_complete_tie_the_record_id_decides_and_a_named_file_is_the_new_one(bundled):
    set_field(bundled, NEW, "filed_on", "2019-08-01")  # same started_on, same filed_on
    assert found(bundled, {"P005"}) == [("P005", OLD)]  # the last, stable tie-break: the id
    assert found(bundled, {"P005"}, targets=[NEW]) == [("P005", NEW)]  # the file she checks is hers
    assert found(bundled, {"P005"}, changed=[NEW]) == [("P005", NEW)]  # the file a pull request adds


def test_the_pull_request_wins_over_the_dates(bundled):
    set_field(bundled, NEW, "filed_on", "2019-08-03")
    assert found(bundled, {"P005"}, changed=[OLD]) == [("P005", OLD)]  # it changed the old one


# ---------------------------------------------------------------- item 1: every cross rule, both orders


def case_root(make_root, case: str) -> Path:
    return make_root(INVALID / case / "records")


P005_A = "records/chuanshan/pairings/chuanshan-p-cccc01.yaml"
P005_B = "records/chuanshan/pairings/chuanshan-p-cccc02.yaml"


@pytest.mark.parametrize(("a", "b", "reported"), [
    (("2019-08-01", "2019-08-01"), ("2019-08-05", "2019-08-05"), P005_B),  # b started later
    (("2019-08-05", "2019-08-05"), ("2019-08-01", "2019-08-01"), P005_A),  # a started later
    (("2019-08-05", "2019-08-09"), ("2019-08-05", "2019-08-05"), P005_A),  # same day, a filed later
    (("2019-08-05", "2019-08-05"), ("2019-08-05", "2019-08-05"), P005_B),  # all equal: the id
])
def test_p005_both_orders_and_equal_dates(make_root, a, b, reported):
    root = case_root(make_root, "p005-girl-paired-twice")
    for rel, (started, filed) in ((P005_A, a), (P005_B, b)):
        set_field(root, rel, "started_on", started)
        set_field(root, rel, "filed_on", filed)
    (p005,) = findings(root, "P005")
    existing = P005_A if reported == P005_B else P005_B
    assert p005.file == reported and p005.related[0] == existing
    assert Path(existing).stem in p005.message
    assert "测试妈妈" in p005.message and "示例女童" in p005.message


def p006_pairing(n: int) -> str:
    return f"records/chuanshan/pairings/chuanshan-p-cccc0{n}.yaml"


@pytest.mark.parametrize(("latest", "started"), [(1, "2019-08-09"), (4, "2019-08-04"), (2, "2019-08-04")])
def test_p006_reports_the_pairing_past_the_cap(make_root, latest, started):
    root = case_root(make_root, "p006-mother-over-limit")
    if latest != 4:
        set_field(root, p006_pairing(latest), "started_on", started)
        if started == "2019-08-04":  # the same day as cccc04, filed the same day: the id decides
            set_field(root, p006_pairing(latest), "filed_on", "2019-08-04")
    (p006,) = findings(root, "P006")
    reported = 4 if started == "2019-08-04" else latest
    assert p006.file == p006_pairing(reported)
    assert "已有 3 个进行中的结对" in p006.message and "测试妈妈甲" in p006.message
    others = {p006_pairing(n) for n in range(1, 5)} - {p006_pairing(reported)}
    assert others <= set(p006.related)
    assert all(Path(o).stem in p006.message for o in others)


def test_p007_reports_every_pairing_with_the_wrong_mode(make_root):
    root = case_root(make_root, "p007-mode-mismatch")
    one = "records/chuanshan/pairings/chuanshan-p-cccc01.yaml"
    two = "records/chuanshan/pairings/chuanshan-p-cccc02.yaml"
    assert found(root, {"P007"}) == [("P007", two)]
    set_field(root, one, "mode", "一对一")  # now the older one is wrong as well
    set_field(root, two, "mode", "一对多")
    assert found(root, {"P007"}) == [("P007", one)]
    set_field(root, two, "mode", "一对一")
    p007 = findings(root, "P007")
    assert [f.file for f in p007] == [one, two]
    mother = "records/chuanshan/mothers/chuanshan-m-bbbb01.yaml"
    assert p007[0].related == (two, mother) and p007[1].related == (one, mother)


D_CASES = {
    "D001": ("d001-mother-id-twice", "filed_on",
             "records/chuanshan/mothers/chuanshan-m-bbbb01.yaml", "records/anju/mothers/anju-m-bbbb02.yaml"),
    "D002": ("d002-girl-twice", "survey_date",
             "records/chuanshan/girls/chuanshan-g-aaaa01.yaml", "records/anju/girls/anju-g-aaaa01.yaml"),
    "D003": ("d003-id-twice", "date",
             "records/chuanshan/logs/chuanshan-p-cccc01/chuanshan-l-dddd01.yaml",
             "records/chuanshan/logs/chuanshan-p-cccc02/chuanshan-l-dddd01.yaml"),
}


@pytest.mark.parametrize("code", sorted(D_CASES))
@pytest.mark.parametrize("order", ["first later", "second later", "equal"])
def test_duplicates_are_reported_once_on_the_later_record(make_root, code, order):
    case, field, first, second = D_CASES[code]
    root = case_root(make_root, case)
    early, late = "2019-07-05", "2019-07-09"
    if code == "D003":
        early, late = "2019-09-15", "2019-09-20"
    dates = {"first later": (late, early), "second later": (early, late), "equal": (early, early)}[order]
    set_field(root, first, field, dates[0])
    set_field(root, second, field, dates[1])
    (finding,) = findings(root, code)
    if order == "equal":
        expected = max(first, second, key=lambda rel: (Path(rel).stem, rel))  # the id, then the file
    else:
        expected = first if order == "first later" else second
    existing = second if expected == first else first
    assert finding.file == expected and finding.related == (existing,)
    assert "已有" in finding.message and existing in finding.message
    # and a pull request that changes the older one is reported there
    (finding,) = findings(root, code, changed=[existing])
    assert finding.file == existing


# ---------------------------------------------------------------- item 10: D004


D004_OLD = "records/chuanshan/girls/chuanshan-g-aaaa02.yaml"  # surveyed 2019-07-05
D004_NEW = "records/chuanshan/girls/chuanshan-g-aaaa01.yaml"  # surveyed 2019-07-08, another guardian phone


def test_d004_same_name_birth_and_village_with_another_phone(make_root):
    root = case_root(make_root, "d004-girl-likely-twice")
    (d004,) = findings(root, "D004")
    assert d004.file == D004_NEW and d004.related == (D004_OLD,) and d004.severity.value == "warning"
    assert "示例女童甲" in d004.message and "示例镇示例村" in d004.message and D004_OLD in d004.message
    assert "13800000004" not in d004.message and "138****0004" in d004.message
    set_field(root, D004_OLD, "survey_date", "2019-07-09")  # the other order
    assert [f.file for f in findings(root, "D004")] == [D004_OLD]


@pytest.mark.parametrize(("field", "value", "codes"), [
    ("birth", "2010-04", set()),  # another birth month: two girls
    ("village", "另一村", set()),  # another village
    ("township", "另一镇", set()),
])
def test_d004_needs_all_four_to_agree(make_root, field, value, codes):
    root = case_root(make_root, "d004-girl-likely-twice")
    set_field(root, D004_NEW, field, value)
    assert {code for code, _ in found(root, {"D002", "D004"})} == codes


def test_d004_leaves_an_exact_duplicate_to_d002(make_root):
    root = case_root(make_root, "d004-girl-likely-twice")
    path = root / D004_NEW
    path.write_text(path.read_text("utf-8").replace('"13800000004"', '"13800000003"'), "utf-8")
    assert found(root, {"D002", "D004"}) == [("D002", D004_NEW)]


# ---------------------------------------------------------------- item 2: what PATH causes elsewhere


def cli(root: Path, *args: str):
    return CliRunner().invoke(main, ["check", "--root", str(root), "--no-cache", *args], env=ENV)


def test_check_path_shows_what_it_causes_in_other_records(bundled):
    result = cli(bundled, str(bundled / NEW))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{OLD}:") and "[P007]" in line)
    assert lines[at + 1].strip() == f"↳ 这一条由 {NEW} 引起，记在上面这个文件里"
    assert any(line.startswith(f"{NEW}:") and "[P005]" in line for line in lines)
    assert "3 个错误" in lines[-1]  # P005 and P007 on the new pairing, P007 on the old one


def test_json_names_the_cause(bundled):
    result = cli(bundled, "--format", "json", str(bundled / NEW))
    data = json.loads(result.stdout)["findings"]
    caused = [f for f in data if f["file"] == OLD]
    assert [f["rule"] for f in caused] == ["P007"] and caused[0]["caused_by"] == NEW
    assert all(f["caused_by"] is None for f in data if f["file"] == NEW)


def test_a_mother_file_shows_the_findings_of_her_pairings(bundled):
    set_field(bundled, NEW, "filed_on", "2019-08-03")
    mother = "records/chuanshan/mothers/chuanshan-m-7k2q9d.yaml"
    result = run_check(bundled, [bundled / mother], today=LATER, use_cache=False, jobs=1)
    assert {(f.rule, f.file) for f in result.findings} == {("P005", NEW), ("P007", NEW), ("P007", OLD)}
    assert all(result.cause(f) == mother for f in result.findings)


def test_github_annotation_says_which_changed_file_caused_it(bundled):
    result = cli(bundled, "--format", "github", str(bundled / NEW))
    (line,) = [line for line in result.stdout.splitlines() if f"file={OLD}" in line and "P007" in line]
    assert f"（由 {NEW} 引起）" in line


# ---------------------------------------------------------------- item 3: quota noise


def quota_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "[Q001]" in line]


def test_whole_run_gives_one_quota_warning_and_the_table(bundled):
    result = cli(bundled)
    (line,) = quota_lines(result.stdout)
    assert line.startswith("records/programme.yaml:7:") and "warning" in line and "船山区差 118 名" in line
    assert "招募进度（截至 2020-08-01）：" in result.stdout


def test_one_file_gets_no_quota_line_and_no_table(bundled):
    result = cli(bundled, str(bundled / OLD))
    assert quota_lines(result.stdout) == [] and "招募进度" not in result.stdout


def test_a_unit_folder_gets_its_own_shortfall_only(bundled):
    result = cli(bundled, str(bundled / "records" / "chuanshan"))
    (line,) = quota_lines(result.stdout)
    assert "船山区招募名额 120 名" in line and "warning" in line
    assert "招募进度" not in result.stdout
    assert "全市" not in line


def test_before_the_deadline_the_shortfall_is_information(bundled):
    env = {**ENV, "AIXIN_TODAY": "2019-07-20"}
    result = CliRunner().invoke(main, ["check", "--root", str(bundled), "--no-cache"], env=env)
    (line,) = quota_lines(result.stdout)
    assert ": info [Q001]" in line
    single = CliRunner().invoke(main, ["check", "--root", str(bundled), "--no-cache", str(bundled / OLD)], env=env)
    assert quota_lines(single.stdout) == []


def test_the_step_summary_keeps_the_table_for_a_partial_run(bundled, tmp_path):
    summary = tmp_path / "summary.md"
    CliRunner().invoke(main, ["check", "--root", str(bundled), "--no-cache", str(bundled / OLD)],
                       env={**ENV, "GITHUB_STEP_SUMMARY": str(summary)})
    assert "### 招募进度" in summary.read_text("utf-8")
