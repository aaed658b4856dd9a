"""The summary a unit sends to the city by the report deadline (30 July): mothers with both
approvals, girls, and pairings, one sheet each, laid out like the templates plus two columns
saying which record and unit a row is. So an export imports again, and then every row is a
duplicate. ID numbers and phones are masked unless `full` is asked for, in their own columns and
wherever they appear in free text (`mask_digits`).

No cell is ever a formula: every text is written as a string cell, and one that Excel or a CSV
reader would take for a formula (OWASP: starting with =, +, -, @, a tab or a carriage return,
after any leading spaces) also carries the quote-prefix style, so that editing it in Excel keeps
it text. Dates stay dates, and nothing else is written as a number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from aixin.core import dates
from aixin.core.errors import UsageError
from aixin.core.masking import mask_digits, mask_id, mask_phone
from aixin.domain.programme import Programme
from aixin.domain.records import Record
from aixin.load.repository import open_repository

from .existing import ExistingRecords, read_existing
from .layout import EXPORT_KINDS, NO, YES, Column, build_forms
from .template import FIRST_DATA_ROW, form_sheet, number_format
from .workbook import create_file, refuse_existing, workbook_bytes

_ORDER_FIELD = {"mother": "filed_on", "girl": "survey_date", "pairing": "started_on"}
_MASKED_NOTE = "（本表只显示部分数字；完整号码须用 aixin export --full 导出。）"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportSummary:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)


def write_export(root: Path, out: Path, unit: str | None = None, full: bool = False) -> ExportSummary:
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"导出文件名应以 .xlsx 结尾，现在是“{out.name}”。")
    refuse_existing([out])
    opened = open_repository(root)
    if unit is not None:
        opened.unit(unit)
    repo = read_existing(opened)
    workbook, counts = export_workbook(repo, unit, full)
    create_file(out, workbook_bytes(workbook))
    return ExportSummary(out, counts, repo.unreadable)


def export_workbook(repo: ExistingRecords, unit: str | None, full: bool) -> tuple[Workbook, dict[str, int]]:
    forms = build_forms(repo.schemas.schemas, repo.programme.units)
    by_id = {kind: repo.by_id(kind) for kind in EXPORT_KINDS}
    workbook = Workbook()
    workbook.remove(workbook.active)
    counts = {}
    for kind in EXPORT_KINDS:
        form = forms[kind]
        columns = form.all_columns
        notes = {} if full else {c.header: c.note + _MASKED_NOTE for c in columns if c.kind in ("id_number", "phone")}
        sheet = form_sheet(workbook, form, columns, notes)
        records = _selected(repo, kind, unit)
        for row_number, record in enumerate(records, start=FIRST_DATA_ROW):
            for column_number, column in enumerate(columns, start=1):
                value = _value(column, record, by_id, repo.programme, full)
                if value is not None:
                    cell = sheet.cell(row_number, column_number)
                    _set_value(cell, value)
                    cell.number_format = number_format(column)
        counts[kind] = len(records)
    for sheet in workbook.worksheets:  # the headers and notes too: they come from the schemas and programme
        for cell in list(sheet._cells.values()):  # the cells there are (iter_rows would add blank ones)
            if isinstance(cell.value, str):
                _set_value(cell, cell.value)
    return workbook, counts


def _set_value(cell, value: object) -> None:
    """A value as a value: text is always a string cell (openpyxl would make `=…` a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.lstrip(" ").startswith(_FORMULA_START):
            cell.quotePrefix = True


def _selected(repo: ExistingRecords, kind: str, unit: str | None) -> list[Record]:
    position = {u.id: n for n, u in enumerate(repo.programme.units)}
    chosen = [r for r in repo.records[kind] if unit is None or r.unit == unit]
    return sorted(
        chosen, key=lambda r: (position.get(r.unit, len(position)), str(r.data.get(_ORDER_FIELD[kind], "")), r.id)
    )


def _value(column: Column, record: Record, by_id: dict, programme: Programme, full: bool) -> object:
    if column.kind == "own_id":
        return record.id
    if column.kind == "own_unit":
        return programme.unit_name(record.unit)
    if column.ref:
        target_id = record.data.get(column.path[0])
        if column.ref == "id":
            return _shown(column, target_id, programme, full)
        target = by_id[column.path[0]].get(target_id) if isinstance(target_id, str) else None
        return _shown(column, target.data.get(column.ref) if target else None, programme, full)
    value = record.data
    for key in column.path:
        value = value.get(key) if isinstance(value, dict) else None
    return _shown(column, value, programme, full)


def _shown(column: Column, value: object, programme: Programme, full: bool) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, list):
        text = "、".join(str(v) for v in value)
        return text if full else mask_digits(text)
    text = str(value)
    if column.kind == "unit":
        return programme.unit_name(text)
    if column.kind == "id_number" and not full:
        return mask_id(text)
    if column.kind == "phone" and not full:
        return mask_phone(text)
    if column.kind == "date":
        day = dates.parse_date(text)
        return dt.datetime.combine(day, dt.time()) if day else text
    if full or column.ref == "id":  # a record id is not a personal number
        return text
    return mask_digits(text)  # a phone or ID number written into free text
