"""Reading a workbook (.xlsx) or a CSV file into tables of raw cell values, row numbers kept.

Cells stay as the file holds them (text, numbers, dates, booleans); deciding what a cell means
is convert.py's job. CSV files saved by Excel on a Chinese Windows are GB18030 (GBK), others
UTF-8 with or without a byte-order mark, "Unicode text" is UTF-16 with tabs: all are read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from aixin.core.errors import UsageError

MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Table:
    """One sheet (or one CSV file): its name and its non-blank rows as (row number, values)."""

    name: str
    rows: list[tuple[int, tuple]]
    named: bool  # True for a workbook sheet, whose name may say which form it is


def read_tables(path: Path) -> list[Table]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UsageError(f"找不到文件：{path}")
    if path.stat().st_size > MAX_BYTES:
        raise UsageError(f"文件 {path.name} 超过 {MAX_BYTES // 1024 // 1024} MB，太大了：请分成几个文件导入。")
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path)
    if suffix in (".csv", ".txt"):
        return [Table(path.name, _rows(_csv_rows(path)), named=False)]
    if suffix in (".xls", ".et", ".ods", ".numbers"):
        raise UsageError(f"不能直接读取 {suffix} 文件：请在 Excel 或 WPS 中“另存为” .xlsx（Excel 工作簿）后再导入。")
    raise UsageError(f"不认识的文件类型“{suffix or path.name}”：请导入 .xlsx 或 .csv 文件。")


def _read_workbook(path: Path) -> list[Table]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise UsageError(
            f"无法读取 {path.name}：它不是有效的 Excel 工作簿（{type(error).__name__}）。"
            "请在 Excel 中打开后“另存为” .xlsx 再导入。"
        ) from None
    try:
        return [
            Table(sheet.title, _rows(sheet.iter_rows(values_only=True)), named=True) for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def _rows(rows) -> list[tuple[int, tuple]]:
    kept = []
    for number, values in enumerate(rows, start=1):
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
