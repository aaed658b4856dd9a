"""`aixin check --pr`: who may change what, on a real Git repository with a main branch and a pull request.

Each test commits the valid example tree (tests/cases/rules/valid) with the repository's programme,
schemas and coordinators.yaml on `main`, branches, makes the pull request's change, commits it,
and runs the check through the CLI as the workflow does. Accounts (records/coordinators.yaml):
shili-chuanshan-1 coordinates chuanshan, shili-anju-1 anju, shili-shifulian-1 is city staff.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from aixin.cli import main
from aixin.core.findings import Severity
from aixin.pullrequest import PR_RULES
from aixin.rules import RULES
from aixin.rules.catalogue import CODES
from conftest import CASES, REPO, build_root

ENV = {"AIXIN_TODAY": "2020-01-15", "GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None, "AIXIN_DEBUG": None}
CHUANSHAN = "shili-chuanshan-1"
ANJU = "shili-anju-1"
CITY = "shili-shifulian-1"
GIRL = "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml"  # named by pairing chuanshan-p-5t1w6r
LONE_GIRL = "records/chuanshan/girls/chuanshan-g-u4y8t2.yaml"  # named by no pairing
PAIRING = "records/chuanshan/pairings/chuanshan-p-5t1w6r.yaml"  # has three contact logs
MOTHER = "records/chuanshan/mothers/chuanshan-m-e2f4g8k1.yaml"  # no city approval yet
APPROVED = "records/chuanshan/mothers/chuanshan-m-7k2q9d4x.yaml"
ANJU_GIRL = "records/anju/girls/anju-g-5n7c1r.yaml"
CITY_APPROVAL = "city_approval:\n  decision: 同意\n  by: 遂宁市妇联\n  date: 2019-07-29\n"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=test@example.invalid",
                           "-c", "commit.gpgsign=false", *args], cwd=root, capture_output=True,
                          text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository whose `main` holds the valid example records; HEAD on branch `change`."""
    root = build_root(CASES / "valid" / "records", tmp_path / "repo")
    shutil.copy(REPO / "records" / "coordinators.yaml", root / "records" / "coordinators.yaml")
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "示例记录")
    git(root, "checkout", "--quiet", "-b", "change")
    return root


def commit(root: Path) -> None:
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--allow-empty", "-m", "修改")


def check(root: Path, author: str, base: str = "main"):
    """Run the pull-request check; return (exit code, findings of the pull-request rules)."""
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--no-cache", "--format", "json",
                                       "--pr", "--base", base, "--author", author], env=ENV)
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.stdout)["findings"]
    return result.exit_code, [f for f in findings if f["rule"].startswith("A") or f["file"].endswith("coordinators.yaml")]


def codes(findings) -> list[str]:
    return sorted(f["rule"] for f in findings)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


# ---------------------------------------------------------------- whose files


def test_the_example_tree_is_clean_with_no_change(repo):
    commit(repo)
    assert check(repo, CHUANSHAN) == (0, [])


def test_coordinator_edits_her_own_unit(repo):
    (repo / LONE_GIRL).write_text((repo / LONE_GIRL).read_text("utf-8") + "notes: 已电话回访监护人。\n", "utf-8")
    new = repo / "records/chuanshan/girls/chuanshan-g-n3w7q2.yaml"
    new.write_text((repo / LONE_GIRL).read_text("utf-8"), "utf-8")
    commit(repo)
    assert check(repo, CHUANSHAN)[1] == []


def test_login_compares_without_case(repo):
    (repo / LONE_GIRL).write_text((repo / LONE_GIRL).read_text("utf-8") + "notes: 已回访。\n", "utf-8")
    commit(repo)
    assert check(repo, "Shili-Chuanshan-1")[1] == []


def test_coordinator_edits_another_unit(repo):
    (repo / ANJU_GIRL).write_text((repo / ANJU_GIRL).read_text("utf-8") + "notes: 改别人的。\n", "utf-8")
    commit(repo)
    code, found = check(repo, CHUANSHAN)
    assert code == 1 and codes(found) == ["A004"]
    assert found[0]["file"] == ANJU_GIRL and found[0]["line"] == 1
    assert "安居区（anju）" in found[0]["message"] and "船山区（chuanshan）" in found[0]["message"]
    assert check(repo, ANJU)[1] == []


def test_rename_across_units_is_caught(repo):
    moved = "records/anju/girls/chuanshan-g-u4y8t2.yaml"
    git(repo, "mv", LONE_GIRL, moved)
    commit(repo)
    assert git(repo, "diff", "--name-status", "-M", "main...HEAD").startswith("R100")
    code, found = check(repo, ANJU)  # anju's coordinator takes a chuanshan record
    assert codes(found) == ["A004"]
    assert found[0]["file"] == moved and LONE_GIRL in found[0]["message"]
    assert "船山区（chuanshan）" in found[0]["message"]
    code, found = check(repo, CHUANSHAN)  # chuanshan's coordinator gives it away
    assert codes(found) == ["A004"] and "安居区（anju）" in found[0]["message"]


def test_city_files_are_city_only(repo):
    edit(repo, "records/programme.yaml", "max_girls_per_mother: 3", "max_girls_per_mother: 4")
    edit(repo, "records/coordinators.yaml", "  shili-shifulian-2: 市妇联示例工作人员乙\n",
         "  shili-shifulian-2: 市妇联示例工作人员乙\n  shili-chuanshan-1: 自己加的\n")
    (repo / "schemas" / "girl.schema.json").write_text("{}", "utf-8")
    (repo / ".github").mkdir()
    (repo / ".github" / "CODEOWNERS").write_text("* @shili-chuanshan-1\n", "utf-8")
    commit(repo)
    code, found = check(repo, CHUANSHAN)
    assert codes(found).count("A005") == 4
    assert {f["file"] for f in found if f["rule"] == "A005"} == {
        "records/programme.yaml", "records/coordinators.yaml", "schemas/girl.schema.json", ".github/CODEOWNERS"}


def test_city_staff_may_change_anything(repo):
    edit(repo, "records/programme.yaml", "max_girls_per_mother: 3", "max_girls_per_mother: 4")
    (repo / ANJU_GIRL).write_text((repo / ANJU_GIRL).read_text("utf-8") + "notes: 市妇联核对。\n", "utf-8")
    commit(repo)
    assert check(repo, CITY)[1] == []


def test_permissions_come_from_the_target_branch(repo):
    """Adding yourself as city staff in the pull request itself grants nothing."""
    edit(repo, "records/coordinators.yaml", "  shili-shifulian-2: 市妇联示例工作人员乙\n",
         "  shili-shifulian-2: 市妇联示例工作人员乙\n  shili-chuanshan-1: 自己加的\n")
    (repo / ANJU_GIRL).write_text((repo / ANJU_GIRL).read_text("utf-8") + "notes: 改别人的。\n", "utf-8")
    commit(repo)
    assert codes(check(repo, CHUANSHAN)[1]) == ["A004", "A005"]


# ---------------------------------------------------------------- the city's records (issue 11)

COMMENDATION = "records/city/commendations/city-c-7q3k9m.yaml"
COMMENDATION_TEXT = (
    "year: 2019-2020\nmother: chuanshan-m-7k2q9d4x\ntitle: 优秀爱心妈妈\n"
    "awarded_by: 遂宁市妇女联合会\ndate: 2020-01-10\n"
)


def _add_commendation(root: Path) -> None:
    (root / COMMENDATION).parent.mkdir(parents=True, exist_ok=True)
    (root / COMMENDATION).write_text(COMMENDATION_TEXT, "utf-8")


def test_a_coordinator_adding_a_commendation_is_refused(repo):
    _add_commendation(repo)
    commit(repo)
    code, found = check(repo, CHUANSHAN)
    assert code == 1 and codes(found) == ["A011"]
    assert found[0]["file"] == COMMENDATION and "表彰和培训由市妇联登记" in found[0]["message"]


def test_city_staff_may_add_a_commendation(repo):
    _add_commendation(repo)
    commit(repo)
    assert check(repo, CITY) == (0, [])


def test_a_coordinator_changing_or_removing_a_city_record_is_refused(repo):
    _add_commendation(repo)
    commit(repo)
    git(repo, "branch", "--force", "main")  # the commendation is on main now
    edit(repo, COMMENDATION, "date: 2020-01-10", "date: 2020-01-11")
    commit(repo)
    assert codes(check(repo, CHUANSHAN)[1]) == ["A011"]
    git(repo, "branch", "--force", "main")
    (repo / COMMENDATION).unlink()
    commit(repo)
    assert codes(check(repo, ANJU)[1]) == ["A011"]


# ---------------------------------------------------------------- who the author is


def test_unknown_author(repo):
    (repo / LONE_GIRL).write_text((repo / LONE_GIRL).read_text("utf-8") + "notes: 已回访。\n", "utf-8")
    commit(repo)
    code, found = check(repo, "someone-new")
    assert code == 1 and codes(found) == ["A001"]
    assert found[0]["file"] == "records/coordinators.yaml" and found[0]["line"] == 1
    assert "someone-new" in found[0]["message"] and "市妇联" in found[0]["hint"]


def test_target_branch_without_a_roster(repo):
    git(repo, "checkout", "--quiet", "main")
    git(repo, "rm", "--quiet", "records/coordinators.yaml")
    commit(repo)
    git(repo, "checkout", "--quiet", "-b", "later")
    commit(repo)
    assert codes(check(repo, CITY)[1]) == ["A002"]


def test_roster_mistakes_are_findings(repo):
    edit(repo, "records/coordinators.yaml", "  hedong:\n", "  hedongg:\n")
    edit(repo, "records/coordinators.yaml", "shili-anju-1:", "Shili_Anju:")
    commit(repo)
    code, found = check(repo, CITY)
    assert code == 1
    assert codes(found) == ["A003", "S005"]
    text = (repo / "records/coordinators.yaml").read_text("utf-8").splitlines()
    by_rule = {f["rule"]: f for f in found}
    assert "Shili_Anju" in by_rule["S005"]["message"]
    assert text[by_rule["A003"]["line"] - 2].strip() == "hedongg:"  # the line of its value, as for any field


# ---------------------------------------------------------------- the city's approval


def test_coordinator_sets_city_approval(repo):
    (repo / MOTHER).write_text((repo / MOTHER).read_text("utf-8") + CITY_APPROVAL, "utf-8")
    commit(repo)
    code, found = check(repo, CHUANSHAN)
    assert code == 1 and codes(found) == ["A006"]
    lines = (repo / MOTHER).read_text("utf-8").splitlines()
    assert lines[found[0]["line"] - 1].startswith("  decision")  # the value of city_approval
    assert "填写了" in found[0]["message"]


def test_city_staff_sets_city_approval(repo):
    (repo / MOTHER).write_text((repo / MOTHER).read_text("utf-8") + CITY_APPROVAL, "utf-8")
    commit(repo)
    assert check(repo, CITY)[1] == []


@pytest.mark.parametrize(("old", "new", "verb"), [
    ("  by: 遂宁市妇联\n  date: 2019-07-28\n", "  by: 遂宁市妇联\n  date: 2019-07-27\n", "改动了"),
    ("city_approval:\n  decision: 同意\n  opinion: 同意\n  by: 遂宁市妇联\n  date: 2019-07-28\n", "", "删除了"),
])
def test_coordinator_changes_or_removes_city_approval(repo, old, new, verb):
    edit(repo, APPROVED, old, new)
    commit(repo)
    found = check(repo, CHUANSHAN)[1]
    assert codes(found) == ["A006"] and verb in found[0]["message"]


def test_coordinator_may_edit_the_rest_of_an_approved_mother(repo):
    edit(repo, APPROVED, "skills: 语文辅导", "skills: 语文辅导、书法")
    commit(repo)
    assert check(repo, CHUANSHAN)[1] == []


# ---------------------------------------------------------------- deleting records


def test_deleting_a_girl_still_in_a_pairing(repo):
    (repo / GIRL).unlink()
    commit(repo)
    code, found = check(repo, CHUANSHAN)
    assert code == 1 and codes(found) == ["A007"]
    assert found[0]["file"] == GIRL and found[0]["line"] == 1
    assert "chuanshan-p-5t1w6r" in found[0]["message"]


def test_deleting_an_unreferenced_girl(repo):
    (repo / LONE_GIRL).unlink()
    commit(repo)
    assert check(repo, CHUANSHAN)[1] == []


def test_deleting_a_pairing_with_logs(repo):
    (repo / PAIRING).unlink()
    shutil.rmtree(repo / "records/chuanshan/logs/chuanshan-p-5t1w6r")
    commit(repo)
    found = check(repo, CITY)[1]  # not even the city deletes history
    assert codes(found) == ["A008"] and "3 条联系记录" in found[0]["message"]


def test_renaming_a_referenced_mother_is_a_deletion(repo):
    git(repo, "mv", APPROVED, "records/chuanshan/mothers/chuanshan-m-aaaa1111.yaml")
    commit(repo)
    found = check(repo, CHUANSHAN)[1]
    assert codes(found) == ["A007"]
    assert found[0]["file"] == "records/chuanshan/mothers/chuanshan-m-aaaa1111.yaml"


def test_ending_a_pairing_passes(repo):
    edit(repo, PAIRING, "status: 进行中", "status: 已结束\nended_on: 2019-12-31\nend_reason: 迁出")
    # The mother's other pairing is now her only one (P007 asks for 一对一).
    edit(repo, "records/chuanshan/pairings/chuanshan-p-8z4k2m.yaml", "mode: 一对多", "mode: 一对一")
    commit(repo)
    code, found = check(repo, CHUANSHAN)
    assert found == []
    assert code == 0


# ---------------------------------------------------------------- usage


def test_base_that_does_not_exist(repo):
    result = CliRunner().invoke(main, ["check", "--root", str(repo), "--pr", "--base", "origin/nope",
                                       "--author", CHUANSHAN], env=ENV)
    assert result.exit_code == 2 and "origin/nope" in result.output


@pytest.mark.parametrize("args", [["--pr"], ["--pr", "--base", "main"], ["--base", "main"],
                                  ["--author", CHUANSHAN], ["--pr", "--base", "main", "--author", "x", "records"]])
def test_options_go_together(repo, args):
    result = CliRunner().invoke(main, ["check", "--root", str(repo), *args], env=ENV)
    assert result.exit_code == 2 and "--pr" in result.output


def test_outside_a_git_repository(tmp_path):
    root = build_root(CASES / "valid" / "records", tmp_path / "plain")
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--pr", "--base", "main",
                                       "--author", CHUANSHAN], env=ENV)
    assert result.exit_code == 2 and "git" in result.output


# ---------------------------------------------------------------- the catalogue


@pytest.mark.parametrize("code", sorted(PR_RULES))
def test_pr_rule_is_documented(code):
    rule = PR_RULES[code]
    assert re.fullmatch(r"A\d{3}", code) and rule.code == code and rule.scope == "pull_request"
    assert rule.severity is Severity.ERROR
    assert re.search(r"[\u4e00-\u9fff]", rule.title)
    assert "通过：" in rule.doc and "不通过：" in rule.doc


def test_pr_codes_are_their_own():
    assert sorted(PR_RULES) == [f"A{n:03}" for n in range(1, len(PR_RULES) + 1)]
    assert not set(PR_RULES) & (set(RULES) | set(CODES))


# ---------------------------------------------------------------- cross-record findings on the pull request's files


def test_a_second_pairing_is_reported_on_the_file_the_pull_request_adds(repo):
    """Issue 9: the same dates as the merged pairing, and an id that sorts before it: the
    pull request's own file is the new one, and the merged one is named as the existing one."""
    new = "records/chuanshan/pairings/chuanshan-p-2w8r5m.yaml"
    shutil.copy(repo / PAIRING, repo / new)
    commit(repo)
    result = CliRunner().invoke(main, ["check", "--root", str(repo), "--no-cache", "--format", "json",
                                       "--pr", "--base", "main", "--author", CHUANSHAN], env=ENV)
    findings = json.loads(result.stdout)["findings"]
    (p005,) = [f for f in findings if f["rule"] == "P005"]
    assert p005["file"] == new and "已有进行中的结对 chuanshan-p-5t1w6r" in p005["message"]


def test_what_the_pull_request_causes_in_a_merged_file_says_so(repo):
    """A second pairing for anju's mother (一对一 so far): the merged pairing's P007 is located in
    a file outside the diff, and its annotation names the pull request's file as the cause."""
    old = "records/anju/pairings/anju-p-3r6t9y.yaml"
    new = "records/anju/pairings/anju-p-2a7k4m.yaml"
    shutil.copy(repo / old, repo / new)
    commit(repo)
    args = ["check", "--root", str(repo), "--no-cache", "--pr", "--base", "main", "--author", ANJU]
    result = CliRunner().invoke(main, [*args, "--format", "json"], env=ENV)
    findings = json.loads(result.stdout)["findings"]
    assert [f["file"] for f in findings if f["rule"] == "P005"] == [new]
    (merged,) = [f for f in findings if f["rule"] == "P007" and f["file"] == old]
    assert merged["caused_by"] == new
    annotations = CliRunner().invoke(main, [*args, "--format", "github"], env=ENV).stdout
    (line,) = [line for line in annotations.splitlines() if f"file={old}" in line and "P007" in line]
    assert f"（由 {new} 引起）" in line
