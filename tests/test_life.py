"""The pairing's whole life: how it ends (a reason from the list), a girl who is no longer
left-behind (P012, P013), a mother who withdraws (P014), a girl past the age limit at the yearly
review (G012), and re-pairing a girl whose pairing ended. Dates are fixed; the clock is never read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from aixin.check.engine import run_check
from aixin.domain import eligibility
from aixin.load.loader import load_file
from aixin.load.repository import open_repository
from aixin.sheets.importer import import_file
from aixin.sheets.layout import build_forms
from aixin.sheets.template import write_templates
from conftest import CASES, REPO, TODAY, build_root

INVALID = CASES / "invalid"
PAIRINGS = "records/chuanshan/pairings"
FIRST, SECOND = f"{PAIRINGS}/chuanshan-p-cccc01.yaml", f"{PAIRINGS}/chuanshan-p-cccc02.yaml"
GIRL = "records/chuanshan/girls/chuanshan-g-aaaa01.yaml"
MOTHER = "records/chuanshan/mothers/chuanshan-m-bbbb01.yaml"
END_REASONS = ["父母返乡", "女童超龄", "迁出", "爱心妈妈退出", "监护人不再同意", "其他"]


def findings(root: Path, today: dt.date = TODAY) -> list[tuple[str, str, int]]:
    result = run_check(root, today=today, use_cache=False, jobs=1)
    return sorted((f.rule, f.file, f.line) for f in result.findings if f.rule != "Q001")


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text("utf-8") + text, "utf-8")


# --- ending a pairing, and pairing the girl again ------------------------------------------


def test_a_girl_whose_pairing_ended_can_be_paired_again(make_root):
    """P005, P006 and P007 count only what holds the girl now: an ended pairing does not."""
    root = make_root(INVALID / "p005-girl-paired-twice" / "records")
    assert ("P005", SECOND, 5) in findings(root)
    edit(root, FIRST, "status: 进行中", "status: 已结束\nended_on: 2019-08-04\nend_reason: 爱心妈妈退出")
    assert findings(root) == []


def test_end_reason_is_one_of_the_list_and_other_needs_its_words(make_root):
    root = make_root(INVALID / "p005-girl-paired-twice" / "records")
    edit(root, FIRST, "status: 进行中", "status: 已结束\nended_on: 2019-08-04\nend_reason: 女童随父母外出就读")
    assert findings(root) == [("S004", FIRST, 11)]
    edit(root, FIRST, "end_reason: 女童随父母外出就读", "end_reason: 其他")
    assert findings(root) == [("S001", FIRST, 1)]
    edit(root, FIRST, "end_reason: 其他", "end_reason: 其他\nend_reason_other: 女童转学到外县")
    assert findings(root) == []


def test_the_schema_offers_the_end_reasons_in_order():
    schema = open_repository(REPO).schemas.schemas["pairing"]
    assert schema["properties"]["end_reason"]["enum"] == END_REASONS


# --- a girl who is no longer left-behind ----------------------------------------------------


def test_no_longer_left_behind_then_paired_is_an_error_and_an_ended_pairing_is_fine(make_root):
    root = make_root(INVALID / "p012-paired-after-left-behind-ended" / "records")
    assert findings(root) == [("P012", SECOND, 7)]
    # Paired on the very day she stopped being left-behind: not pairable either.
    edit(root, SECOND, "started_on: 2019-10-01", "started_on: 2019-09-01")
    assert findings(root) == [("P012", SECOND, 7)]
    edit(root, SECOND, "started_on: 2019-09-01", "started_on: 2019-08-31")
    assert findings(root) == [("P013", SECOND, 9)]  # paired before: it should end now


def test_an_active_pairing_of_a_girl_no_longer_left_behind_should_end(make_root):
    root = make_root(INVALID / "p013-left-behind-ended-still-paired" / "records")
    assert findings(root) == [("P013", FIRST, 9)]
    edit(root, FIRST, "status: 进行中", "status: 已结束\nended_on: 2019-12-01\nend_reason: 迁出")
    assert findings(root) == []


def test_a_left_behind_end_date_in_the_future_is_g009(make_root):
    root = make_root(INVALID / "p013-left-behind-ended-still-paired" / "records")
    edit(root, GIRL, "  date: 2019-12-01\n  reason: 迁出", "  date: 2020-02-01\n  reason: 迁出")
    assert ("G009", GIRL, 36) in findings(root)


# --- a mother who withdraws -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("status: 已结束\nended_on: 2019-12-31\nend_reason: 爱心妈妈退出", []),  # ended on the day: fine
        ("status: 已结束\nended_on: 2019-11-30\nend_reason: 爱心妈妈退出", []),
        ("status: 已结束\nended_on: 2020-01-10\nend_reason: 爱心妈妈退出", [("P014", FIRST, 10)]),
        ("status: 进行中", [("P014", FIRST, 9)]),
    ],
)
def test_a_withdrawn_mothers_pairings_end_by_her_withdrawal(make_root, status, expected):
    root = make_root(INVALID / "p014-withdrawn-mother-still-paired" / "records")
    edit(root, FIRST, "status: 进行中", status)
    assert findings(root) == expected


def test_a_withdrawn_mother_is_not_paired_after_it(make_root):
    root = make_root(INVALID / "p014-withdrawn-mother-still-paired" / "records")
    edit(root, MOTHER, "  date: 2019-12-31", "  date: 2019-07-31")
    edit(root, FIRST, "status: 进行中", "status: 已结束\nended_on: 2019-12-31\nend_reason: 爱心妈妈退出")
    assert findings(root) == [("P014", FIRST, 7)]  # started 2019-08-01, after she withdrew


# --- past the age limit at the yearly review ------------------------------------------------


def test_the_programme_year_turns_on_1_august():
    programme = open_repository(REPO).programme
    assert programme.programme_year(dt.date(2020, 7, 31)) == (dt.date(2019, 8, 1), dt.date(2020, 7, 31))
    assert programme.programme_year(dt.date(2020, 8, 1)) == (dt.date(2020, 8, 1), dt.date(2021, 7, 31))


@pytest.mark.parametrize(
    ("birth", "thirteen", "review"),
    [
        ("2006-09", dt.date(2019, 9, 30), dt.date(2020, 8, 1)),
        ("2006-07", dt.date(2019, 7, 31), dt.date(2019, 8, 1)),  # 13 before the year turns
        ("2006-08", dt.date(2019, 8, 31), dt.date(2020, 8, 1)),
        ("2007-02", dt.date(2020, 2, 29), dt.date(2020, 8, 1)),  # a leap February
    ],
)
def test_the_review_after_the_thirteenth_birthday(birth, thirteen, review):
    programme = open_repository(REPO).programme
    assert eligibility.over_age_review(birth, programme) == (thirteen, review)


def test_a_girl_past_the_age_limit_is_flagged_from_the_next_programme_year(make_root):
    root = make_root(INVALID / "g012-thirteen-at-review" / "records")
    assert findings(root, dt.date(2020, 7, 31)) == []  # 13 since September 2019, not yet reviewed
    assert findings(root, dt.date(2020, 8, 1)) == [("G012", GIRL, 5)]
    # An approval to go on, given at the review, silences it; one from before does not.
    append(root, FIRST, "exception:\n  reason: 继续帮扶到小学毕业\n  approved_by: 船山区妇联\n  date: 2020-07-31\n")
    assert findings(root, dt.date(2020, 8, 1)) == [("G012", GIRL, 5)]
    edit(root, FIRST, "  date: 2020-07-31", "  date: 2020-08-01")
    assert findings(root, dt.date(2020, 8, 1)) == []


def test_a_girl_past_the_age_limit_whose_pairing_ended_is_not_flagged(make_root):
    root = make_root(INVALID / "g012-thirteen-at-review" / "records")
    edit(root, FIRST, "status: 进行中", "status: 已结束\nended_on: 2020-07-31\nend_reason: 女童超龄")
    assert findings(root, dt.date(2020, 10, 1)) == []


# --- the spreadsheets read the new fields ---------------------------------------------------


def test_the_forms_have_the_new_columns(tmp_path):
    repo = open_repository(REPO)
    forms = build_forms(repo.schemas.schemas, repo.programme.units)
    assert forms["pairing"].column("结束原因").choices == tuple(END_REASONS)
    assert forms["pairing"].column("其他结束原因") is not None
    assert forms["girl"].column("不再是留守女童·原因").choices == ("父母返乡", "迁出", "其他")
    assert forms["mother"].column("退出活动·日期").kind == "date"
    path = write_templates(tmp_path / "t", {"mother": forms["mother"]})[0]
    headers = [c.value for c in openpyxl.load_workbook(path)["附件2 爱心妈妈"][1]]
    assert any(str(h).startswith("退出活动·原因") for h in headers), headers


def test_import_reads_the_end_reason_and_a_withdrawal(tmp_path):
    root = build_root(REPO / "records", tmp_path / "repo")
    path = tmp_path / "结对.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "附件3 结对帮扶卡"
    row = {
        "填报时间": "2019-08-02", "爱心妈妈编号": "chuanshan-m-7k2q9d", "留守女童编号": "chuanshan-g-3m8x4p",
        "结对方式": "一对一", "结对日期": "2019-08-02", "关爱寄语": "孩子，有什么心事都可以告诉妈妈。",
        "结对状态": "已结束", "结束日期": "2019-08-20", "结束原因": "其他", "其他结束原因": "女童转学到外县",
    }  # fmt: skip
    sheet.append(list(row))
    sheet.append(list(row.values()))
    workbook.save(path)
    result = import_file(root, path, "chuanshan", today=dt.date(2020, 8, 1))
    written = [root / rel for kind, rel, _ in result.written if kind == "pairing"]
    assert len(written) == 1, [issue.text() for issue in result.issues]
    data = load_file(written[0], "pairing").data
    assert (data["end_reason"], data["end_reason_other"]) == ("其他", "女童转学到外县")


# --- what the pages show --------------------------------------------------------------------

VALID = CASES / "valid" / "records"
SITE_FIXTURE = Path(__file__).parent / "cases" / "site" / "records"


def test_pages_show_the_end_reason_a_girl_no_longer_left_behind_and_a_withdrawal(make_root, tmp_path):
    from aixin.site import build as site_build
    from aixin.site.audience import CITY_AUDIENCE

    root = make_root(VALID)
    ended = "records/chuanshan/pairings/chuanshan-p-2b9v7n.yaml"
    edit(root, ended, "end_reason: 爱心妈妈退出", "end_reason: 其他\nend_reason_other: 爱心妈妈搬到外地居住")
    append(root, "records/chuanshan/girls/chuanshan-g-u4y8t2.yaml",
           "left_behind_ended:\n  date: 2020-01-10\n  reason: 父母返乡\n  note: 父母回乡开店\n")
    docs = tmp_path / "docs"
    site_build.generate(root, CITY_AUDIENCE, docs, today=TODAY)
    girl = (docs / "girls" / "chuanshan-g-k7m1z3.md").read_text("utf-8")
    assert "<td>其他：爱心妈妈搬到外地居住</td>" in girl
    pairing = (docs / "pairings" / "chuanshan-p-2b9v7n.md").read_text("utf-8")
    assert "<tr><th>结束原因</th><td>其他：爱心妈妈搬到外地居住</td></tr>" in pairing
    home = (docs / "girls" / "chuanshan-g-u4y8t2.md").read_text("utf-8")
    assert "<th>不再是留守女童</th>" in home and "父母返乡" in home and "父母回乡开店" in home
    mother = (docs / "mothers" / "chuanshan-m-h3j6n9.md").read_text("utf-8")
    assert "<th>退出活动</th>" in mother and "搬到外地居住，改由其他爱心妈妈为女童结对" in mother


def test_a_unit_site_blanks_other_units_people_in_the_other_end_reason(tmp_path):
    """船山区 sees 市直's pairing for its girl: a name of 安居区's girl in its end reason is blanked."""
    from aixin.site.audience import REDACTED, Audience, restrict
    from aixin.site.collect import collect

    root = build_root(SITE_FIXTURE, tmp_path / "repo")
    rel = "records/shizhi/pairings/shizhi-p-zl4dur.yaml"
    edit(root, rel, "status: \"进行中\"", "status: 已结束\nended_on: 2020-01-10\nend_reason: 其他\n"
         "end_reason_other: 改为和孙小雪一起参加集体活动")
    site = restrict(collect(root, TODAY), Audience("unit", "chuanshan"))
    other = site.data.pairings["shizhi-p-zl4dur"].data["end_reason_other"]
    assert other == f"改为和{REDACTED}一起参加集体活动"


# --- guided entry ---------------------------------------------------------------------------


def test_new_pairing_lists_a_withdrawn_mother_as_such_and_refuses_her(tmp_path):
    from test_new import GIRL as EXAMPLE_GIRL
    from test_new import MOTHER as EXAMPLE_MOTHER
    from test_new import make_repo, new

    root = make_repo(tmp_path, EXAMPLE_MOTHER, EXAMPLE_GIRL)
    append(root, f"records/chuanshan/mothers/{EXAMPLE_MOTHER}.yaml", "withdrawn:\n  date: 2019-12-31\n  reason: 搬到外地居住\n")
    answered = ["2020-01-02", "2020-01-02", "1", "", "1"]  # filed, started, 进行中, no exception, the mother
    result = new(root, "pairing", "--unit", "chuanshan", answers_=answered)
    assert f"示例妈妈甲，2019-12-31 已退出活动，没有进行中的结对（{EXAMPLE_MOTHER}）" in result.output
    assert "错误［P014］爱心妈妈“示例妈妈甲”" in result.output and "没有写入任何文件" in result.output


def test_new_pairing_lists_a_girl_no_longer_left_behind_as_such_and_refuses_her(tmp_path):
    from test_new import GIRL as EXAMPLE_GIRL
    from test_new import MOTHER as EXAMPLE_MOTHER
    from test_new import make_repo, new

    root = make_repo(tmp_path, EXAMPLE_MOTHER, EXAMPLE_GIRL)
    append(root, f"records/chuanshan/girls/{EXAMPLE_GIRL}.yaml", "left_behind_ended:\n  date: 2019-12-31\n  reason: 迁出\n")
    answered = ["2020-01-02", "2020-01-02", "1", "", "1", "1"]  # ..., the mother, the girl
    result = new(root, "pairing", "--unit", "chuanshan", answers_=answered)
    assert f"示例女童甲，2010-03 出生，2019-12-31 起不再是留守女童，未结对（{EXAMPLE_GIRL}）" in result.output
    assert "错误［P012］女童“示例女童甲”" in result.output and "没有写入任何文件" in result.output
