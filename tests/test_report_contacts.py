"""`aixin report contacts`: the care figures of the bundled records as text, JSON and a workbook,
as of a fixed day (never the clock)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from aixin import cli
from conftest import REPO

AS_OF = "2020-03-05"
PHONE_OR_ID = re.compile(r"(?<![0-9])[0-9]{11,}")


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "bundled"
    shutil.copytree(REPO / "records", root / "records")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


def run(root, *args):
    return CliRunner().invoke(cli.main, ["report", "contacts", "--root", str(root), "--as-of", AS_OF, *args])


def test_text_lists_every_active_pairing_most_late_first_with_what_it_owes(root):
    result = run(root, "--unit", "chuanshan")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(f"待跟进：船山区（截至 {AS_OF}）\n进行中的结对 2 对")
    first, second = out.index("1. chuanshan-p-5t1w6r"), out.index("2. chuanshan-p-bqfnat")
    assert first < second  # 186 days late before 125
    assert "最近联系 2019-09-15，逾期 186 天" in out
    assert "✗ 每月联系 — 未完成：2019-08、2019-10、2019-11、2019-12 等共 6 期" in out
    assert "爱心妈妈 示例妈妈甲 · 女童 示例女童甲" in out
    assert not PHONE_OR_ID.search(out)


def test_another_units_girl_is_named_by_her_unit_only_as_on_the_unit_site(root):
    unit = run(root, "--unit", "shizhi").output
    assert "女童 船山区的女童" in unit and "chuanshan-g-7ndasn" not in unit
    city = run(root).output
    assert "shizhi-p-" in city and "女童 船山区的女童" not in city


def test_json_holds_the_figures_of_the_text(root):
    result = run(root, "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["as_of"] == AS_OF and doc["unit"] is None
    assert [o["key"] for o in doc["obligations"]][:2] == ["first_meeting", "monthly_contact"]
    assert doc["total"]["active"] == len(doc["pairings"]) == 11
    assert [p["days_late"] for p in doc["pairings"]] == sorted((p["days_late"] for p in doc["pairings"]), reverse=True)
    first = doc["pairings"][0]
    monthly = next(d for d in first["duties"] if d["key"] == "monthly_contact")
    assert monthly["owed"] and monthly["periods_missed"][0] == "2019-08" and monthly["due"] == "2019-09-01"
    chuanshan = next(u for u in doc["units"] if u["unit"] == "chuanshan")
    assert chuanshan["name"] == "船山区" and chuanshan["completion"]["first_meeting"] == 0.5


def test_the_workbook_has_a_row_per_pairing_and_is_never_written_over(root, tmp_path):
    out = tmp_path / "待跟进.xlsx"
    result = run(root, "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["结对", "各单位", "待市妇联审核"]
    sheet = book["结对"]
    headers = [c.value for c in sheet[2]]
    assert headers[:7] == ["结对编号", "单位", "爱心妈妈", "女童", "结对日期", "最近联系", "逾期天数"]
    assert headers[-1] == "跟进情况" and "每月联系" in headers
    assert sheet.cell(3, 1).value == "chuanshan-p-5t1w6r" and sheet.cell(3, 7).value == 186
    monthly = sheet.cell(3, headers.index("每月联系") + 1)
    assert monthly.value.startswith("未完成：2019-08") and monthly.fill.fgColor.rgb.endswith("FDE2E1")
    assert sheet.max_row == 2 + 11 and sheet.print_title_rows == "$2:$2"
    assert book["各单位"].cell(book["各单位"].max_row, 1).value == "全市"
    before = out.read_bytes()
    again = run(root, "--format", "xlsx", "--out", str(out))
    assert again.exit_code == 2 and "不会覆盖" in again.output and out.read_bytes() == before


def test_usage_errors(root):
    assert run(root, "--format", "xlsx").exit_code == 2  # a workbook needs --out
    unknown = run(root, "--unit", "nowhere")
    assert unknown.exit_code == 2 and "单位代码“nowhere”不存在" in unknown.output


# ---------------------------------------------------------------- the Git shortcut


@pytest.fixture
def clone(root):
    from test_pr import commit, git

    git(root, "init", "--quiet", "--initial-branch=main")
    commit(root)
    return root


def counting(monkeypatch):
    from aixin.commands import report

    calls = []
    real = report._produce

    def produce(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(report, "_produce", produce)
    return calls


def test_an_unchanged_clone_reuses_the_last_report_and_any_change_makes_a_new_one(clone, monkeypatch):
    calls = counting(monkeypatch)
    first = run(clone).stdout
    assert run(clone).stdout == first and len(calls) == 1  # nothing changed: not even a scan
    log = next((clone / "records/anju/logs").glob("*/*.yaml"))
    log.write_text(log.read_text("utf-8").replace("kind: ", "kind: 微信\n# was: ", 1), "utf-8")
    changed = run(clone).stdout
    assert len(calls) == 2 and changed != first
    log.write_text(log.read_text("utf-8") + "# 又改了一次\n", "utf-8")  # still uncommitted: its bytes count
    run(clone)
    assert len(calls) == 3
    run(clone, "--unit", "anju")
    other_day = CliRunner().invoke(cli.main, ["report", "contacts", "--root", str(clone), "--as-of", "2020-03-06"])
    assert other_day.exit_code == 0 and len(calls) == 5  # what is asked and the day are in the key


def test_outside_git_there_is_no_shortcut(root, monkeypatch):
    from aixin.load.worktree import records_state

    assert records_state(root) is None
    calls = counting(monkeypatch)
    run(root)
    run(root)
    assert len(calls) == 2
