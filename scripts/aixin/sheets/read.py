"""Reading a workbook (.xlsx) or a CSV file into tables of raw cell values, row numbers kept.

Cells stay as the file holds them (text, numbers, dates, booleans; a formula as a `Formula`, never
its cached result, which a file openpyxl saved does not even have); deciding what a cell means
is convert.py's job. Hidden sheets, rows and columns are marked, so that they are reported rather
than imported unseen. A workbook is a zip: its members' uncompressed sizes are checked before
anything is unpacked, and rows are counted as they are read, so that a small file that expands
to gigabytes is refused at once. CSV files saved by Excel on a Chinese Windows are GB18030 (GBK), others
UTF-8 with or without a byte-order mark, "Unicode text" is UTF-16 with tabs: all are read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aixin.core.errors import UsageError

MAX_BYTES = 64 * 1024 * 1024  # a 100,000-row CSV file of girls is about 26 MB
MAX_UNPACKED = 400 * 1024 * 1024  # a workbook's members, uncompressed; 100,000 filled rows take about 100 MB
MAX_COLUMNS = 1000  # the forms have fewer than 100
MAX_ROWS = 200_000  # rows of one sheet or CSV file (the size cap bounds a workbook of many)


@dataclass(frozen=True)
class Formula:
    """A formula cell: its text (as `=…`); never imported."""

    text: str


@dataclass
class Table:
    """One sheet (or one CSV file): its name and its non-blank rows as (row number, values)."""

    name: str
    rows: list[tuple[int, tuple]]
    named: bool  # True for a workbook sheet, whose name may say which form it is
    hidden: bool = False  # a hidden (or "very hidden") sheet
    hidden_rows: frozenset[int] = frozenset()  # row numbers
    hidden_columns: frozenset[int] = frozenset()  # 0-based positions


def read_tables(path: Path, progress: Callable[[str, int, int], None] | None = None) -> list[Table]:
    """The file's tables; `progress(what, done, total)` is told as rows are read."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UsageError(f"找不到文件：{path}")
    if path.stat().st_size > MAX_BYTES:
        raise UsageError(f"文件 {path.name} 超过 {MAX_BYTES // 1024 // 1024} MB，太大了：请分成几个文件导入。")
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path, progress)
    if suffix in (".csv", ".txt"):
        lines = _csv_rows(path)
        return [Table(path.name, _rows(enumerate(lines, start=1), path.name, progress, len(lines)), named=False)]
    if suffix in (".xls", ".et", ".ods", ".numbers"):
        raise UsageError(f"不能直接读取 {suffix} 文件：请在 Excel 或 WPS 中“另存为” .xlsx（Excel 工作簿）后再导入。")
    raise UsageError(f"不认识的文件类型“{suffix or path.name}”：请导入 .xlsx 或 .csv 文件。")


def _read_workbook(path: Path, progress) -> list[Table]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_unpacked_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
        try:
            return [_read_sheet(workbook, sheet, path.name, progress) for sheet in workbook.worksheets]
        finally:
            workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, SyntaxError) as error:
        raise UsageError(
            f"无法读取 {path.name}：它不是有效的 Excel 工作簿（{type(error).__name__}）。"
            "请在 Excel 中打开后“另存为” .xlsx 再导入。"
        ) from None


def _check_unpacked_size(path: Path) -> None:
    """Refuse a zip whose members unpack to more than MAX_UNPACKED (zipfile enforces the sizes it
    declares: a member that unpacks to more fails its read)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl says what is wrong with it
    if unpacked > MAX_UNPACKED:
        raise UsageError(
            f"文件 {path.name} 解压后有 {unpacked / 1024 / 1024:,.0f} MB，超过 {MAX_UNPACKED // 1024 // 1024} MB，"
            "不像是正常填写的表格（可能已损坏或被改动过），没有读取。请在 Excel 中打开核对，"
            "必要时把内容复制到 aixin template 生成的新模板中，分成几个文件导入。"
        )


def _too_many_rows(name: str) -> UsageError:
    return UsageError(
        f"文件 {name} 超过 {MAX_ROWS:,} 行，太大了，没有读取：请分成几个文件导入。"
        "（如果表中并没有这么多行，可能是格式被拉到了很远的地方：请删去表格下方的空行后再保存。）"
    )


def _read_sheet(workbook, sheet, file_name: str, progress) -> Table:
    """One sheet in read-only mode, with the parser's row and column attributes (hidden ones)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    if (sheet.max_row or 0) > MAX_ROWS:  # the size the sheet declares: refused before reading it
        raise _too_many_rows(file_name)
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            workbook.shared_strings,
            data_only=False,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        cells = ((number, _positioned(cells, file_name)) for number, cells in parser.parse())
        rows = _rows(cells, file_name, progress, sheet.max_row or 0)
    hidden_rows = frozenset(int(r) for r, attrs in parser.row_dimensions.items() if _is_set(attrs.get("hidden")))
    hidden_columns = frozenset(
        position
        for attrs in parser.column_dimensions.values()
        if _is_set(attrs.get("hidden"))
        for position in range(int(attrs.get("min", 1)) - 1, min(int(attrs.get("max", 1)), 16384))
    )
    return Table(sheet.title, rows, True, sheet.sheet_state != "visible", hidden_rows, hidden_columns)


def _positioned(cells: list[dict], file_name: str) -> list:
    """A row's values by position; blank (formatted only) cells are left out."""
    filled = [c for c in cells if c["value"] is not None]
    width = max((c["column"] for c in filled), default=0)
    if width > MAX_COLUMNS:
        from openpyxl.utils import get_column_letter

        raise UsageError(
            f"文件 {file_name} 的第 {get_column_letter(width)} 列还填有内容，表格太宽了（模板不到 100 列），没有读取："
            "请删去表格右边多余的内容后再保存。"
        )
    values = [None] * width
    for cell in filled:
        values[cell["column"] - 1] = _cell(cell)
    return values


def _cell(cell: dict) -> object:
    value = cell["value"]
    if cell["data_type"] == "f" or not isinstance(value, (str, int, float, bool, dt.date, dt.time, type(None))):
        return Formula(value if isinstance(value, str) else f"={getattr(value, 'text', '') or ''}")
    return value


def _is_set(flag: object) -> bool:
    return str(flag).lower() in ("1", "true")


def _rows(rows, name: str, progress=None, total: int = 0) -> list[tuple[int, tuple]]:
    """The non-blank rows of (number, values) pairs, trailing blanks cut."""
    kept = []
    for count, (number, values) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise _too_many_rows(name)
        if progress is not None and count % 1000 == 0:
            progress("读取表格", count, max(total, count))
        values = tuple(None if isinstance(v, str) and not v.strip() else v for v in values)
        while values and values[-1] is None:
            values = values[:-1]
        if values:
            kept.append((number, values))
    return kept


def decode_csv(raw: bytes) -> str:
    """UTF-16 (with its BOM), else UTF-8 with or without a BOM, else GB18030."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise UsageError("无法识别 CSV 文件的编码：请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后再导入。") from None


def _csv_rows(path: Path) -> list[list[str]]:
    text = decode_csv(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
