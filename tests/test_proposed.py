"""A new mother and her pairing in one pull request: the pairing status 待审批 (proposed).

A coordinator files a new mother (county-approved, no city opinion yet) with her pairing as
待审批; it counts as no active pairing anywhere; city staff approve her and set the pairing to
进行中 in the same change. Records come from the valid example tree (tests/cases/rules/valid),
where 测试妈妈丁 (chuanshan-m-e2f4g8k1) is county-approved and awaits the city, plus one new
girl in the target group with no pairing (chuanshan-g-w8x2r5).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aixin.check.engine import run_check
from aixin.cli import main
from aixin.domain import terms
from aixin.domain.records import Record, RecordIndex
from aixin.site.audience import CITY_AUDIENCE, restrict
from aixin.site.collect import CITY, collect
from aixin.site.pages import plan
from conftest import CASES, REPO, TODAY, build_root
from test_pr import CHUANSHAN, ENV, commit, edit, git
from test_pr import CITY as CITY_STAFF
from test_sheets import GOOD, MOTHERS, PAIRINGS, run_import, texts, write_xlsx
from test_sheets import MOTHER as MOTHER_ROW
from test_sheets import TODAY as SHEETS_TODAY

VALID = CASES / "valid" / "records"
MOTHER = "records/chuanshan/mothers/chuanshan-m-e2f4g8k1.yaml"  # county-approved 2019-08-02, no city opinion
NEW_GIRL = "chuanshan-g-w8x2r5"
PROPOSED, ACTIVE, ENDED = "待审批", "进行中", "已结束"  # the stored words, as a coordinator writes them
NEW = "records/chuanshan/pairings/chuanshan-p-n3w7q2.yaml"
CITY_APPROVAL = "city_approval:\n  decision: 同意\n  by: 遂宁市妇联\n  date: 2019-08-20\n"
COUNTY_APPROVAL = "county_approval:\n  decision: 同意\n  opinion: 同意推荐\n  by: 船山区妇联\n  date: 2019-08-02\n"


def pairing_text(status: str = PROPOSED, started_on: str = "2019-08-05", extra: str = "") -> str:
    return (
        "filed_on: 2019-08-05\nmother: chuanshan-m-e2f4g8k1\n"
        f"girl: {NEW_GIRL}\nmode: 一对一\nstarted_on: {started_on}\n"
        f"message: 孩子，愿你健康快乐地成长。\nstatus: {status}\n{extra}"
    )


def add_girl(root: Path) -> None:
    """A girl in the target group, like 示例女童乙 but another child."""
    text = (root / "records/chuanshan/girls/chuanshan-g-9q2w5e.yaml").read_text("utf-8")
    text = text.replace("示例女童乙", "示例女童庚").replace('"13800000013"', '"13800000093"')
    (root / f"records/chuanshan/girls/{NEW_GIRL}.yaml").write_text(text, "utf-8")


def findings(root: Path) -> list:
    return [f for f in run_check(root, today=TODAY, use_cache=False, jobs=1).findings if f.rule != "Q001"]


@pytest.fixture
def tree(make_root) -> Path:
    root = make_root(VALID)
    add_girl(root)
    return root


@pytest.fixture
def repo(tmp_path) -> Path:
    """As in test_pr: `main` holds the valid example records and the roster; HEAD on branch `change`."""
    root = build_root(VALID, tmp_path / "repo")
    shutil.copy(REPO / "records" / "coordinators.yaml", root / "records" / "coordinators.yaml")
    git(root, "init", "--quiet", "--initial-branch=main")
    commit(root)
    git(root, "checkout", "--quiet", "-b", "change")
    return root


@pytest.fixture
def sheets_root(tmp_path) -> Path:
    """The bundled example records, as the spreadsheet tests use them."""
    return build_root(REPO / "records", tmp_path / "repo")


# ---------------------------------------------------------------- the record rules


def test_a_proposed_pairing_of_a_county_approved_mother_passes(tree):
    (tree / NEW).write_text(pairing_text(), "utf-8")
    assert findings(tree) == []


def test_an_active_pairing_of_a_mother_awaiting_the_city_names_the_missing_approval(tree):
    (tree / NEW).write_text(pairing_text(ACTIVE), "utf-8")
    (found,) = findings(tree)
    assert (found.rule, found.file) == ("P003", NEW)
    assert "还缺少市妇联意见" in found.message and "区县" not in found.message
    assert "待审批" in found.hint


def test_p003_says_both_approvals_are_missing(tree):
    edit(tree, MOTHER, COUNTY_APPROVAL, "")
    (tree / NEW).write_text(pairing_text(ACTIVE), "utf-8")
    (found,) = findings(tree)
    assert found.rule == "P003" and "还缺少区县（园区）意见和市妇联意见" in found.message
    assert "county_approval" in found.hint and "待审批" in found.hint


def test_p003_says_the_city_refused(tree):
    edit(tree, MOTHER, COUNTY_APPROVAL, COUNTY_APPROVAL + CITY_APPROVAL.replace("同意", "不同意"))
    for status in (ACTIVE, PROPOSED):
        (tree / NEW).write_text(pairing_text(status), "utf-8")
        (found,) = findings(tree)
        assert found.rule == "P003" and "市妇联意见是“不同意”" in found.message, status
        assert "删去这条结对" in found.hint


def test_a_proposed_pairing_needs_the_county_approval(tree):
    edit(tree, MOTHER, COUNTY_APPROVAL, "")
    (tree / NEW).write_text(pairing_text(), "utf-8")
    (found,) = findings(tree)
    assert found.rule == "P003" and "还缺少区县（园区）意见" in found.message and "市妇联" not in found.message


def test_a_proposed_pairing_for_an_already_paired_girl_is_p005_on_the_proposed_one(tree):
    """The girl is taken while her pairing is in progress: a 待审批 pairing for her is refused when
    filed, not only once city staff activate it; even on the same day, the active one is the existing one."""
    taken = pairing_text(started_on="2019-08-01").replace(NEW_GIRL, "chuanshan-g-3m8x4p")
    (tree / NEW).write_text(taken, "utf-8")
    (found,) = findings(tree)
    assert (found.rule, found.file) == ("P005", NEW)
    assert "已有进行中的结对 chuanshan-p-5t1w6r" in found.message


def test_two_proposed_pairings_for_one_girl_is_p005_on_the_later(tree):
    (tree / NEW).write_text(pairing_text(), "utf-8")
    later = NEW.replace("n3w7q2", "n3w7q3")
    (tree / later).write_text(pairing_text(started_on="2019-08-06"), "utf-8")
    (found,) = findings(tree)
    assert (found.rule, found.file) == ("P005", later)
    assert "已有待审批的结对 chuanshan-p-n3w7q2" in found.message


def test_approving_the_mother_without_activating_the_pairing_is_p011(tree):
    (tree / NEW).write_text(pairing_text(), "utf-8")
    edit(tree, MOTHER, COUNTY_APPROVAL, COUNTY_APPROVAL + CITY_APPROVAL)
    (found,) = findings(tree)
    assert (found.rule, found.file, found.line) == ("P011", NEW, 7)
    assert "进行中" in found.hint and "2019-08-20" in found.hint


def test_activated_with_the_approval_passes_and_the_start_follows_the_approval(tree):
    edit(tree, MOTHER, COUNTY_APPROVAL, COUNTY_APPROVAL + CITY_APPROVAL)
    (tree / NEW).write_text(pairing_text(ACTIVE, started_on="2019-08-20"), "utf-8")
    assert findings(tree) == []
    (tree / NEW).write_text(pairing_text(ACTIVE, started_on="2019-08-05"), "utf-8")
    assert [f.rule for f in findings(tree)] == ["P003"]  # the start stays after the approval


def test_a_proposed_pairing_with_an_end_date_is_p001(tree):
    (tree / NEW).write_text(pairing_text(extra="ended_on: 2019-09-01\n"), "utf-8")
    (found,) = findings(tree)
    assert found.rule == "P001" and "待审批" in found.message


def test_a_proposed_pairing_is_not_active_for_the_pairing_counts(tree):
    """Two proposed pairings of one mother both say 一对一: P007 counts only active pairings."""
    (tree / NEW).write_text(pairing_text(), "utf-8")
    second_girl = (tree / f"records/chuanshan/girls/{NEW_GIRL}.yaml").read_text("utf-8")
    second_girl = second_girl.replace("示例女童庚", "示例女童辛").replace('"13800000093"', '"13800000094"')
    (tree / "records/chuanshan/girls/chuanshan-g-w8x2r6.yaml").write_text(second_girl, "utf-8")
    other = pairing_text().replace(NEW_GIRL, "chuanshan-g-w8x2r6")  # another girl with no pairing
    (tree / "records/chuanshan/pairings/chuanshan-p-n3w7q3.yaml").write_text(other, "utf-8")
    assert findings(tree) == []


def test_the_index_and_terms_leave_a_proposed_pairing_out_of_the_active_ones():
    index = RecordIndex()
    for suffix, status in (("aaaa", ACTIVE), ("bbbb", PROPOSED), ("cccc", ENDED)):
        data = {"mother": "chuanshan-m-m1", "girl": f"chuanshan-g-{suffix}", "status": status, "started_on": "2019-08-01"}
        index.add(Record("pairing", "chuanshan", f"chuanshan-p-{suffix}", f"{suffix}.yaml", data))
    assert [p.id for p in index.active_pairings("mother", "chuanshan-m-m1")] == ["chuanshan-p-aaaa"]
    assert [terms.is_proposed({"status": s}) for s in (ACTIVE, PROPOSED, ENDED)] == [False, True, False]


def test_a_contact_log_of_a_proposed_pairing_is_refused(tree):
    (tree / NEW).write_text(pairing_text(), "utf-8")
    log = tree / "records/chuanshan/logs/chuanshan-p-n3w7q2/chuanshan-l-n3w7q2.yaml"
    log.parent.mkdir(parents=True)
    log.write_text("pairing: chuanshan-p-n3w7q2\ndate: 2019-08-10\nkind: 电话\nwith: [女童]\nsummary: 电话问候。\n", "utf-8")
    (found,) = findings(tree)
    assert (found.rule, found.file) == ("L006", log.relative_to(tree).as_posix())


# ---------------------------------------------------------------- the site


def test_the_site_shows_a_proposed_pairing_and_does_not_count_it(tree):
    before = collect(tree, TODAY).counts
    (tree / NEW).write_text(pairing_text(), "utf-8")
    data = collect(tree, TODAY)
    for unit in ("chuanshan", CITY):
        assert data.counts[unit].pairings_active == before[unit].pairings_active
        assert data.counts[unit].pairings_ended == before[unit].pairings_ended
        assert data.counts[unit].girls_paired == before[unit].girls_paired
    pages = {p.path: p for p in plan(restrict(data, CITY_AUDIENCE), {}, {}, {})}
    girl = next(p for path, p in pages.items() if NEW_GIRL in path)
    assert girl.context["status"] == "结对待审批"
    (row,) = girl.context["pairings"]
    assert row["active"] is False and row["item"].data["status"] == "待审批"


# ---------------------------------------------------------------- the pull request


def pr_findings(root: Path, author: str) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--no-cache", "--format", "json",
                                       "--pr", "--base", "main", "--author", author], env=ENV)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, [f for f in json.loads(result.stdout)["findings"] if f["rule"] != "Q001"]


def test_a_coordinator_files_a_proposed_pairing_in_one_pull_request(repo):
    add_girl(repo)
    (repo / NEW).write_text(pairing_text(), "utf-8")
    commit(repo)
    assert pr_findings(repo, CHUANSHAN) == (0, [])


def on_main(repo: Path) -> None:
    """The new girl and the proposed pairing are already on main, as after the first pull request."""
    git(repo, "checkout", "--quiet", "main")
    add_girl(repo)
    (repo / NEW).write_text(pairing_text(), "utf-8")
    commit(repo)
    git(repo, "checkout", "--quiet", "change")
    git(repo, "merge", "--quiet", "main")


def test_a_coordinator_may_not_activate_it_before_the_city_approves(repo):
    on_main(repo)
    (repo / NEW).write_text(pairing_text(ACTIVE), "utf-8")
    commit(repo)
    code, found = pr_findings(repo, CHUANSHAN)
    assert code == 1 and [(f["rule"], f["file"]) for f in found] == [("P003", NEW)]


def test_city_staff_approve_the_mother_and_activate_the_pairing_in_one_change(repo):
    on_main(repo)
    edit(repo, MOTHER, COUNTY_APPROVAL, COUNTY_APPROVAL + CITY_APPROVAL)
    (repo / NEW).write_text(pairing_text(ACTIVE, started_on="2019-08-20"), "utf-8")
    commit(repo)
    assert pr_findings(repo, CITY_STAFF) == (0, [])


def test_city_staff_who_approve_only_the_mother_are_told_to_activate_the_pairing(repo):
    on_main(repo)
    edit(repo, MOTHER, COUNTY_APPROVAL, COUNTY_APPROVAL + CITY_APPROVAL)
    commit(repo)
    code, found = pr_findings(repo, CITY_STAFF)
    assert code == 1 and [(f["rule"], f["file"]) for f in found] == [("P011", NEW)]


# ---------------------------------------------------------------- the import


def without_city_opinion(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("市妇联意见")}


def test_an_import_of_a_new_mother_with_her_pairing_files_it_as_proposed(tmp_path, sheets_root):
    sheets = {**GOOD, MOTHERS: [without_city_opinion(MOTHER_ROW)]}
    result = run_import(sheets_root, write_xlsx(tmp_path / "新妈妈.xlsx", sheets))
    assert result.exit_code == 0, texts(result)
    (pairing,) = [rel for kind, rel, _ in result.written if kind == "pairing"]
    assert "status: 待审批" in (sheets_root / pairing).read_text("utf-8")
    lines = result.lines()
    (note,) = [line for line in lines if "待审批" in line]
    assert note.startswith(f"「{PAIRINGS}」第2行") and "测试妈妈乙" in note and "还没有市妇联意见" in note
    check = run_check(sheets_root, today=SHEETS_TODAY, use_cache=False, jobs=1)
    assert [f for f in check.findings if f.file == pairing] == []


def test_an_import_leaves_the_pairing_of_an_approved_mother_active(tmp_path, sheets_root):
    result = run_import(sheets_root, write_xlsx(tmp_path / "汇总.xlsx", GOOD))
    assert result.exit_code == 0, texts(result)
    (pairing,) = [rel for kind, rel, _ in result.written if kind == "pairing"]
    assert "status: 进行中" in (sheets_root / pairing).read_text("utf-8")
    assert not any("待审批" in line for line in result.lines())


def test_an_import_without_the_county_opinion_says_so(tmp_path, sheets_root):
    mother = {k: v for k, v in without_city_opinion(MOTHER_ROW).items() if not k.startswith("县区")}
    result = run_import(sheets_root, write_xlsx(tmp_path / "新妈妈.xlsx", {**GOOD, MOTHERS: [mother]}))
    assert result.exit_code == 1 and result.written == []
    (p003,) = [line for line in texts(result) if "[P003]" in line]
    assert "还缺少区县（园区）意见和市妇联意见，不能结对" in p003 and "county_approval" in p003

