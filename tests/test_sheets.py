"""Spreadsheets: blank forms, importing filled-in rows as records, and the summary export.

Every workbook and CSV file is made here with openpyxl or csv, as a coordinator's Excel would
save it; the repository is a copy of the bundled example records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from aixin.check.engine import run_check
from aixin.cli import main
from aixin.core import idnumber
from aixin.core.errors import UsageError as SheetsError
from aixin.core.findings import Severity
from aixin.load.loader import load_file
from aixin.load.repository import open_repository
from aixin.sheets.cells import EXCEL_ID
from aixin.sheets.export import write_export
from aixin.sheets.importer import import_file
from aixin.sheets.layout import build_forms
from aixin.sheets.template import write_templates
from conftest import REPO, build_root

GIRLS, MOTHERS, PAIRINGS, LOGS = "附件1 留守女童", "附件2 爱心妈妈", "附件3 结对帮扶卡", "联系记录"
TODAY = dt.date(2020, 8, 1)  # after every date in the rows imported here
EXAMPLES_AS_OF = dt.date(2026, 12, 1)  # after every date in the example records (they run to November 2026)
NEW_ID = re.compile(r"^chuanshan-[gmpl]-[0123456789abcdefghjkmnpqrstvwxyz]{6}$")
MOTHER_NUMBER = idnumber.make("510903", dt.date(1986, 5, 3), 42)  # fictional, a woman's
EXISTING_MOTHER_NUMBER = "510903198506120021"  # records/chuanshan/mothers/chuanshan-m-7k2q9d.yaml

GIRL = {
    "建档日期": dt.datetime(2019, 7, 6), "女童姓名": "测试女童乙", "出生年月": dt.datetime(2011, 4, 1),
    "乡镇（街道）": "示例镇", "村（社区）": "示例村", "是否建档立卡贫困户": "否", "父母外出情况": "父母均外出",
    "父亲姓名": "测试父亲乙", "父亲联系电话": 13800001111, "父亲外出日期": "2018/3/1",
    "母亲姓名": "测试母亲乙", "母亲外出日期": dt.datetime(2018, 3, 1),
    "临时监护人姓名": "测试祖母乙", "临时监护人联系电话": "0825-2001111", "与临时监护人的关系": "祖母",
    "现居住地址": "船山区示例镇示例村1组", "目前需求": "学习辅导、精神关爱",
    "监护人同意·同意人": "测试祖母乙", "监护人同意·同意人与女童的关系": "祖母", "监护人同意·同意日期": "2019-07-06",
}
MOTHER = {
    "填报时间": "2019-07-11", "姓名": "测试妈妈乙", "出生年月": "1986-05", "联系电话": "13900001111",
    "学历": "本科", "政治面貌": "群众", "身份证号码": MOTHER_NUMBER,
    "家庭住址（常住地）·常住地所在单位": "船山区", "家庭住址（常住地）·详细地址": "船山区示例路2号", "工作单位": "示例公司",
    "县区（园区）妇联意见·审核结论": "同意", "县区（园区）妇联意见·签章单位或经办人": "船山区妇联",
    "县区（园区）妇联意见·日期": "2019-07-20", "市妇联意见·审核结论": "同意",
    "市妇联意见·签章单位或经办人": "遂宁市妇联", "市妇联意见·日期": "2019-07-28",
}
PAIRING = {  # names the new mother and girl of the same file by who they are
    "填报时间": "2019-08-02", "爱心妈妈姓名": "测试妈妈乙", "爱心妈妈身份证号码": MOTHER_NUMBER,
    "留守女童姓名": "测试女童乙", "留守女童出生年月": "2011-04", "结对方式": "一对一", "结对日期": "2019-08-02",
    "关爱寄语": "孩子，有什么心事都可以告诉妈妈。", "结对状态": "进行中",
}
LOG = {"结对编号": "chuanshan-p-5t1w6r", "日期": "2019-09-01", "方式": "电话", "联系对象": "女童、临时监护人",
       "内容摘要": "电话联系，了解开学后的学习情况。"}
GOOD = {GIRLS: [GIRL], MOTHERS: [MOTHER], PAIRINGS: [PAIRING], LOGS: [LOG]}


@pytest.fixture
def root(tmp_path) -> Path:
    return build_root(REPO / "records", tmp_path / "repo")


@pytest.fixture
def forms(root):
    repo = open_repository(root)
    return build_forms(repo.schemas.schemas, repo.programme.units)


def write_xlsx(path: Path, sheets: dict[str, list[dict]], headers: dict[str, list[str]] | None = None) -> Path:
    """A workbook as a coordinator makes one: a header row, then one row per record."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        columns = (headers or {}).get(name) or list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column) for column in columns])
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[dict], encoding: str) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "records").rglob("*"))


def texts(result) -> list[str]:
    return [issue.text() for issue in result.issues]


def run_import(root, path, partial=False):
    return import_file(root, path, "chuanshan", partial=partial, today=TODAY)


def refused(root, path, expected: list[str]) -> None:
    """The import reports each expected place (and message part) and writes nothing."""
    before = listing(root)
    result = run_import(root, path)
    lines = texts(result)
    for wanted in expected:
        assert any(wanted in line for line in lines), (wanted, lines)
    assert result.exit_code == 1
    assert result.written == []
    assert listing(root) == before


# --- template ------------------------------------------------------------------------------

def test_template_has_a_workbook_per_form_with_headers_notes_and_checks(tmp_path, forms):
    written = write_templates(tmp_path / "t", forms)
    assert [p.name for p in written] == ["附件1-留守女童.xlsx", "附件2-爱心妈妈.xlsx", "附件3-结对帮扶卡.xlsx", "联系记录.xlsx"]
    girl = openpyxl.load_workbook(written[0])
    sheet = girl[GIRLS]
    headers = [c.value for c in sheet[1]]
    assert {"父亲姓名", "父亲联系电话", "父亲外出日期", "临时监护人联系电话", "监护人同意·同意人", "是否建档立卡贫困户"} <= set(headers)
    notes = [c.value for c in sheet[2]]
    assert all(note.startswith("【") for note in notes)
    assert notes[headers.index("女童姓名")].startswith("【必填】")
    assert notes[headers.index("父亲外出日期")].startswith("【“父母外出情况”为“父亲外出”或“父母均外出”时必填】")
    assert sheet.freeze_panes == "A3"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    column = openpyxl.utils.get_column_letter(headers.index("是否建档立卡贫困户") + 1)
    assert lists[f"{column}3"] == '"是,否"'
    column = openpyxl.utils.get_column_letter(headers.index("与临时监护人的关系") + 1)
    assert "祖母" in lists[f"{column}3"]

    mother = openpyxl.load_workbook(written[1])[MOTHERS]
    headers = [c.value for c in mother[1]]
    id_column = openpyxl.utils.get_column_letter(headers.index("身份证号码") + 1)
    phone_column = openpyxl.utils.get_column_letter(headers.index("联系电话") + 1)
    assert mother.column_dimensions[id_column].number_format == "@"
    assert mother.column_dimensions[phone_column].number_format == "@"
    choices = {v.formula1 for v in mother.data_validations.dataValidation}
    assert '"小学,初中,高中,中专,大专,本科,硕士研究生,博士研究生"' in choices
    assert any("船山区" in formula for formula in choices if formula)  # the unit, by its Chinese name
    log = openpyxl.load_workbook(written[3])[LOGS]
    assert [c.value for c in log[1]][:3] == ["结对编号", "日期", "方式"]


def test_template_is_deterministic_and_never_overwrites(tmp_path, root):
    runner = CliRunner()
    first = runner.invoke(main, ["template", "--out", str(tmp_path / "a"), "--root", str(root)])
    second = runner.invoke(main, ["template", "--out", str(tmp_path / "b"), "--root", str(root)])
    assert first.exit_code == second.exit_code == 0, first.output
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
    before = (tmp_path / "a" / "联系记录.xlsx").read_bytes()
    again = runner.invoke(main, ["template", "--out", str(tmp_path / "a"), "--root", str(root)])
    assert again.exit_code == 2
    assert "已存在，不会覆盖" in again.output
    assert (tmp_path / "a" / "联系记录.xlsx").read_bytes() == before


def test_a_filled_in_template_imports(tmp_path, root, forms):
    """The template's own notes row is skipped; values typed under it are read."""
    path = write_templates(tmp_path / "t", {"girl": forms["girl"]})[0]
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[GIRLS]
    headers = [c.value for c in sheet[1]]
    for key, value in GIRL.items():
        sheet.cell(3, headers.index(key) + 1, value)
    workbook.save(path)
    result = run_import(root, path)
    assert result.exit_code == 0, texts(result)
    assert [kind for kind, _, _ in result.written] == ["girl"]


# --- import --------------------------------------------------------------------------------

def test_import_of_a_good_workbook_writes_records_that_pass_the_check(tmp_path, root):
    path = write_xlsx(tmp_path / "单位汇总.xlsx", GOOD)
    result = run_import(root, path)
    assert result.exit_code == 0, texts(result)
    assert [kind for kind, _, _ in result.written] == ["girl", "mother", "pairing", "log"]
    files = {kind: root / rel for kind, rel, _ in result.written}
    for kind, file in files.items():
        assert NEW_ID.match(file.stem), file
        text = file.read_text("utf-8")
        assert text.startswith(f"# yaml-language-server: $schema=../../../{'../' if kind == 'log' else ''}schemas/{kind}.schema.json\n")
        assert "由 aixin import 从 单位汇总.xlsx" in text.splitlines()[1]
    girl = load_file(files["girl"], "girl").data
    assert girl["survey_date"] == "2019-07-06"  # an Excel date cell
    assert girl["birth"] == "2011-04"  # 2011-04 that Excel made a date
    assert girl["father"] == {"name": "测试父亲乙", "phone": "13800001111", "left_on": "2018-03-01"}
    assert girl["poor_household"] is False and girl["needs"] == ["学习辅导", "精神关爱"]
    mother = load_file(files["mother"], "mother").data
    assert mother["residence"]["unit"] == "chuanshan" and mother["id_number"] == MOTHER_NUMBER
    pairing = load_file(files["pairing"], "pairing").data
    assert (pairing["mother"], pairing["girl"]) == (files["mother"].stem, files["girl"].stem)
    assert files["log"].parent.name == "chuanshan-p-5t1w6r"

    check = run_check(root, today=EXAMPLES_AS_OF, use_cache=False, jobs=1)
    assert [f for f in check.findings if f.severity is Severity.ERROR] == []
    assert check.exit_code == 0


def test_excel_number_id_is_refused_with_an_explanation(tmp_path, root):
    rows = [{**MOTHER, "身份证号码": 5.10903198605030e17},
            {**MOTHER, "姓名": "测试妈妈丙", "身份证号码": 510903198605030000}]
    path = write_xlsx(tmp_path / "m.xlsx", {MOTHERS: rows})
    refused(root, path, [f"附件2 爱心妈妈 第2行「身份证号码」：错误 {EXCEL_ID}",
                         f"附件2 爱心妈妈 第3行「身份证号码」：错误 {EXCEL_ID}"])


def test_excel_number_id_in_a_csv_file_is_refused(tmp_path, root):
    path = write_csv(tmp_path / "mothers.csv", [{**MOTHER, "身份证号码": "5.10903E+17"}], "utf-8")
    refused(root, path, [f"mothers.csv 第2行「身份证号码」：错误 {EXCEL_ID}"])


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_files_in_gb18030_or_with_a_bom_are_read(tmp_path, root, encoding):
    path = write_csv(tmp_path / "爱心妈妈.csv", [MOTHER], encoding)
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = run_import(root, path)
    assert result.exit_code == 0, texts(result)
    (kind, rel, source), = result.written
    assert load_file(root / rel, rel).data["name"] == "测试妈妈乙"
    assert source == "爱心妈妈.csv 第2行"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_csv_problems_name_the_chinese_header(tmp_path, root, encoding):
    other = idnumber.make("510903", dt.date(1984, 2, 9), 8)
    path = write_csv(tmp_path / "mothers.csv", [MOTHER, {**MOTHER, "姓名": "测试妈妈丁", "出生年月": "1984-02", "身份证号码": other,
                                                         "学历": "大学"}], encoding)
    refused(root, path, ["mothers.csv 第3行「学历」：错误 [S004] “学历”的值“大学”不在可选范围内"])


def test_duplicates_within_the_file_and_against_the_repository_are_skipped(tmp_path, root):
    existing_girl = {**GIRL, "女童姓名": "示例女童甲", "出生年月": "2010-03", "临时监护人联系电话": "0825-2000001"}
    path = write_xlsx(tmp_path / "d.xlsx", {
        GIRLS: [existing_girl, GIRL, GIRL],
        MOTHERS: [{**MOTHER, "身份证号码": EXISTING_MOTHER_NUMBER}],
    })
    before = listing(root)
    result = run_import(root, path)
    lines = texts(result)
    assert any(line.startswith("附件1 留守女童 第2行：重复 与已有记录 records/chuanshan/girls/chuanshan-g-3m8x4p.yaml 重复") for line in lines), lines
    assert "附件1 留守女童 第4行：重复 与「附件1 留守女童」第3行重复（姓名“测试女童乙”、出生年月 2011-04、临时监护人电话 0825-***1111），没有导入" in lines
    assert any(line.startswith("附件2 爱心妈妈 第2行：重复 与已有记录 records/chuanshan/mothers/chuanshan-m-7k2q9d.yaml 重复（身份证号码 5109**********0021）") for line in lines), lines
    assert result.exit_code == 0
    assert [row for _, _, row in result.written] == ["d.xlsx 「附件1 留守女童」第3行"]  # only the new girl
    assert len(listing(root)) == len(before) + 1


def test_a_file_of_duplicates_only_writes_nothing(tmp_path, root):
    path = write_xlsx(tmp_path / "d.xlsx", {MOTHERS: [{**MOTHER, "身份证号码": EXISTING_MOTHER_NUMBER}]})
    before = listing(root)
    result = run_import(root, path)
    assert result.exit_code == 0 and result.written == []
    assert "没有新记录需要写入。" in result.lines()
    assert listing(root) == before


def test_missing_required_columns_are_named(tmp_path, root):
    girl = {key: value for key, value in GIRL.items() if key not in ("女童姓名", "临时监护人联系电话")}
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [girl]})
    refused(root, path, ["附件1 留守女童 第1行「女童姓名」：错误 缺少这一列（必填）",
                         "附件1 留守女童 第1行「临时监护人联系电话」：错误 缺少这一列（必填）"])


def test_an_unknown_column_is_an_error_with_a_guess(tmp_path, root):
    girl = {**GIRL, "父亲电话": "13800002222"}
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [girl]})
    refused(root, path, ["附件1 留守女童 第1行「父亲电话」：错误 不认识这一列"])


def test_an_extra_unknown_sheet_is_reported_but_not_fatal(tmp_path, root):
    path = write_xlsx(tmp_path / "x.xlsx", {**GOOD, "统计": [{"乡镇": "示例镇", "人数": 3}]})
    result = run_import(root, path)
    assert result.exit_code == 0
    assert any(line.startswith("统计：警告 不认识这个工作表，已跳过") for line in texts(result))
    assert len(result.written) == 4


def test_a_file_with_no_known_sheet_is_an_error(tmp_path, root):
    path = write_xlsx(tmp_path / "x.xlsx", {"统计": [{"乡镇": "示例镇", "人数": 3}]})
    refused(root, path, ["统计：警告 不认识这个工作表", "x.xlsx：错误 文件中没有可以导入的表"])


def test_a_bad_date_is_reported_at_its_cell(tmp_path, root):
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [{**GIRL, "建档日期": "2019-13-45"}]})
    refused(root, path, ["附件1 留守女童 第2行「建档日期」：错误 [S005] “建档日期”不是有效的日期：“2019-13-45”"])


def test_a_bad_choice_is_reported_at_its_cell(tmp_path, root):
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [{**GIRL, "与临时监护人的关系": "邻居", "是否建档立卡贫困户": "不知道"}]})
    refused(root, path, ["附件1 留守女童 第2行「与临时监护人的关系」：错误 [S004]",
                         "附件1 留守女童 第2行「是否建档立卡贫困户」：错误 只能填“是”或“否”，现在是“不知道”"])


def test_nested_and_conditional_fields_map_back_to_their_columns(tmp_path, root):
    girl = {key: value for key, value in GIRL.items() if key != "父亲外出日期"}
    girl["母亲联系电话"] = "12345"
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [girl]})
    refused(root, path, ["附件1 留守女童 第2行「父亲外出日期」：错误 [S001] 缺少必填项“父亲的外出日期”",
                         "附件1 留守女童 第2行「母亲联系电话」：错误 [S005]"])


def test_a_record_rule_is_reported_at_its_column(tmp_path, root):
    number = idnumber.make("510903", dt.date(1986, 5, 3), 43)  # odd 17th digit: a man
    path = write_xlsx(tmp_path / "m.xlsx", {MOTHERS: [{**MOTHER, "身份证号码": number}]})
    refused(root, path, ["附件2 爱心妈妈 第2行「身份证号码」：错误 [M003]"])


def test_a_pairing_naming_someone_unknown_or_a_wrong_row(tmp_path, root):
    unknown = {**PAIRING, "爱心妈妈身份证号码": idnumber.make("510903", dt.date(1980, 1, 1), 2)}
    path = write_xlsx(tmp_path / "p.xlsx", {PAIRINGS: [unknown]})
    refused(root, path, ["附件3 结对帮扶卡 第2行「爱心妈妈身份证号码」：错误 没有找到身份证号码为"])
    path = write_xlsx(tmp_path / "q.xlsx", {MOTHERS: [{**MOTHER, "学历": "大学"}], PAIRINGS: [{**PAIRING, "留守女童编号": "chuanshan-g-3m8x4p",
                                                                                               "留守女童姓名": None, "留守女童出生年月": None}]})
    refused(root, path, ["附件3 结对帮扶卡 第2行「爱心妈妈姓名」：错误 这位爱心妈妈在「附件2 爱心妈妈」第2行，那一行有错误，没有导入"])


def test_partial_writes_only_the_clean_rows_and_names_the_others(tmp_path, root):
    bad = {**GIRL, "女童姓名": "测试女童丙", "建档日期": "2019-13-45"}
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [GIRL, bad]})
    before = listing(root)
    assert run_import(root, path).written == []
    assert listing(root) == before
    result = run_import(root, path, partial=True)
    assert result.exit_code == 1
    assert [row for _, _, row in result.written] == ["g.xlsx 「附件1 留守女童」第2行"]
    assert result.skipped == ["「附件1 留守女童」第3行"]
    assert any("以下各行没有导入：「附件1 留守女童」第3行" in line for line in result.lines())
    assert len(listing(root)) == len(before) + 1


def test_import_command_exit_codes_and_output(tmp_path, root):
    runner = CliRunner()
    env = {"AIXIN_TODAY": TODAY.isoformat()}
    bad = write_xlsx(tmp_path / "bad.xlsx", {GIRLS: [{**GIRL, "建档日期": "2019-13-45"}]})
    result = runner.invoke(main, ["import", str(bad), "--unit", "chuanshan", "--root", str(root)], env=env)
    assert result.exit_code == 1
    assert "附件1 留守女童 第2行「建档日期」：错误 [S005]" in result.output
    assert "没有写入任何记录" in result.output
    good = write_xlsx(tmp_path / "good.xlsx", GOOD)
    result = runner.invoke(main, ["import", str(good), "--unit", "chuanshan", "--root", str(root)], env=env)
    assert result.exit_code == 0, result.output
    assert "已写入 4 条新记录" in result.output
    unknown_unit = runner.invoke(main, ["import", str(good), "--unit", "nowhere", "--root", str(root)], env=env)
    assert unknown_unit.exit_code == 2 and "没有单位代码“nowhere”" in unknown_unit.output
    old_format = tmp_path / "old.xls"
    old_format.write_bytes(b"\xd0\xcf\x11\xe0")
    result = runner.invoke(main, ["import", str(old_format), "--unit", "chuanshan", "--root", str(root)], env=env)
    assert result.exit_code == 2 and "另存为" in result.output


# --- export --------------------------------------------------------------------------------

def test_full_export_then_import_finds_only_duplicates(tmp_path, root):
    out = tmp_path / "汇总.xlsx"
    summary = write_export(root, out, full=True)
    assert summary.counts["mother"] > 0 and summary.counts["girl"] > 0 and summary.counts["pairing"] > 0
    before = listing(root)
    result = run_import(root, out)
    assert result.written == [] and result.exit_code == 0
    assert {issue.severity for issue in result.issues} == {"duplicate"}
    assert len(result.issues) == sum(summary.counts.values())
    assert listing(root) == before


def test_full_export_without_record_ids_still_finds_only_duplicates(tmp_path, root):
    """Rows that lost their 记录编号 and 单位 columns are recognised by who they are."""
    out = write_export(root, tmp_path / "汇总.xlsx", unit="chuanshan", full=True).path
    workbook = openpyxl.load_workbook(out)
    for sheet in workbook.worksheets:
        sheet.delete_cols(1, 2)
    workbook.save(out)
    result = run_import(root, out)
    assert result.written == [] and result.exit_code == 0, texts(result)
    assert {issue.severity for issue in result.issues} == {"duplicate"}


def test_export_masks_personal_numbers_unless_full(tmp_path, root):
    out = write_export(root, tmp_path / "船山.xlsx", unit="chuanshan").path
    cells = [str(v) for sheet in openpyxl.load_workbook(out).worksheets for row in sheet.iter_rows(values_only=True)
             for v in row if v is not None]
    assert "5109**********0021" in cells and EXISTING_MOTHER_NUMBER not in " ".join(cells)
    assert "139****0001" in cells and "13900000001" not in " ".join(cells)
    assert "0825-***0001" in cells
    assert not any(re.search(r"[0-9]{11}", cell) for cell in cells)
    sheets = openpyxl.load_workbook(out).sheetnames
    assert sheets == [MOTHERS, GIRLS, PAIRINGS]
    full = write_export(root, tmp_path / "full.xlsx", unit="chuanshan", full=True).path
    cells = [str(v) for sheet in openpyxl.load_workbook(full).worksheets for row in sheet.iter_rows(values_only=True) for v in row]
    assert EXISTING_MOTHER_NUMBER in cells


def test_export_never_overwrites(tmp_path, root):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"keep")
    with pytest.raises(SheetsError, match="已存在，不会覆盖"):
        write_export(root, out)
    result = CliRunner().invoke(main, ["export", "--out", str(out), "--root", str(root)])
    assert result.exit_code == 2 and "不会覆盖" in result.output
    assert out.read_bytes() == b"keep"


def test_numbered_blank_rows_are_not_records(tmp_path, root):
    """Coordinators often number the rows (序号) before filling them in."""
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [{"序号": 1, **GIRL}, {"序号": 2}, {"序号": 3}]},
                      {GIRLS: ["序号", *GIRL]})
    result = run_import(root, path)
    assert result.exit_code == 0, texts(result)
    assert len(result.written) == 1


def test_what_excel_did_to_dates_and_months_is_recognised(tmp_path, root):
    girl = {**GIRL, "出生年月": 2010.1, "监护人同意·同意日期": dt.datetime(1905, 7, 2)}
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [girl, {**GIRL, "女童姓名": "测试女童丁", "出生年月": "2010.1"}]})
    refused(root, path, ["附件1 留守女童 第2行「出生年月」：错误 Excel 把出生年月当成了小数 2010.1",
                         "附件1 留守女童 第2行「监护人同意·同意日期」：错误 Excel 把这一格当成了日期 1905-07-02",
                         "附件1 留守女童 第3行「出生年月」：错误 “2010.1”可能是 2010年1月"])


def test_an_empty_unknown_column_is_only_a_warning(tmp_path, root):
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [GIRL]}, {GIRLS: [*GIRL, "联系人"]})
    result = run_import(root, path)
    assert result.exit_code == 0 and len(result.written) == 1
    assert "附件1 留守女童 第1行「联系人」：警告 不认识这一列（没有内容，已忽略） — 可以删去这一列。" in texts(result)


def test_everyday_words_are_imported_in_the_forms_one_way(tmp_path, root):
    girl = {**GIRL, "与临时监护人的关系": "奶奶", "监护人同意·同意人与女童的关系": "外婆",
            "父亲联系电话": "138-0000-1111", "临时监护人联系电话": "138 0000 2222",
            "建档日期": "2019年7月6日", "父亲外出日期": "2018.3.1", "出生年月": "2011年4月",
            "母亲外出日期": "2018/3/1"}
    result = run_import(root, write_xlsx(tmp_path / "g.xlsx", {GIRLS: [girl]}))
    assert result.exit_code == 0, texts(result)
    [(_, rel, _)] = result.written
    data = load_file(root / rel, "girl").data
    assert data["guardian"] == {"name": "测试祖母乙", "phone": "13800002222", "relationship": "祖母"}
    assert data["consent"]["relationship"] == "外祖母"
    assert data["father"] == {"name": "测试父亲乙", "phone": "13800001111", "left_on": "2018-03-01"}
    assert (data["survey_date"], data["birth"], data["mother"]["left_on"]) == ("2019-07-06", "2011-04", "2018-03-01")
