"""The contacts report as a workbook a coordinator prints and works through: one row per pairing
in progress (most late first) with each obligation met or missing and an empty 跟进情况 column to
write in, the units' totals, and the mothers waiting for the city. Landscape A4, one page wide,
the header row repeated on every page. Values only: text is text (never a formula), as in export.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from aixin.report.contacts import Contacts, duty_text, unit_cells, unit_headers

from .workbook import workbook_bytes

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HEAD = Font(bold=True)
_OWED = PatternFill("solid", fgColor="FDE2E1")
_WRAP = Alignment(wrap_text=True, vertical="top")


def put_cell(sheet, row: int, column: int, value: object):
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = value.lstrip(" ").startswith(_FORMULA_START)
    cell.alignment = _WRAP
    return cell


def add_sheet(workbook: Workbook, title: str, caption: str, headers: list[str], widths: list[int]):
    sheet = workbook.create_sheet(title)
    put_cell(sheet, 1, 1, caption).font = Font(bold=True, size=13)
    for column, header in enumerate(headers, start=1):
        put_cell(sheet, 2, column, header).font = _HEAD
        sheet.column_dimensions[get_column_letter(column)].width = widths[min(column - 1, len(widths) - 1)]
    sheet.freeze_panes = "B3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return sheet


def contacts_workbook(contacts: Contacts) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    care = contacts.care
    labels = [duty.label for duty in care.pairings[0].duties] if care.pairings else []
    headers = ["结对编号", "单位", "爱心妈妈", "女童", "结对日期", "最近联系", "逾期天数", *labels, "跟进情况"]
    sheet = add_sheet(workbook, "结对", contacts.title, headers, [20, 10, 12, 14, 11, 11, 8, 16])
    for row, p in enumerate(care.pairings, start=3):
        last = p.last_contact.isoformat() if p.last_contact else "没有联系记录"
        values = [p.pairing_id, contacts.unit_label(p.unit), contacts.name(p.mother_id, "mother")]
        values += [contacts.name(p.girl_id, "girl"), p.started_on.isoformat(), last, p.days_late]
        for column, value in enumerate(values, start=1):
            put_cell(sheet, row, column, value)
        for column, duty in enumerate(p.duties, start=len(values) + 1):
            cell = put_cell(sheet, row, column, duty_text(contacts, duty))
            if duty.owed:
                cell.fill = _OWED
        put_cell(sheet, row, len(headers), "")
    sheet.column_dimensions[get_column_letter(len(headers))].width = 24

    units = (*care.units, care.city) if contacts.unit is None else care.units
    totals = add_sheet(workbook, "各单位", contacts.title, unit_headers(contacts), [20, 10])
    for row, unit in enumerate(units, start=3):
        for column, value in enumerate(unit_cells(contacts, unit), start=1):
            put_cell(totals, row, column, value)

    queue = add_sheet(
        workbook,
        "待市妇联审核",
        "等待市妇联审核的爱心妈妈",
        ["编号", "单位", "姓名", "县区同意日期", "已等天数"],
        [20, 12],
    )
    for row, w in enumerate(contacts.waiting, start=3):
        values = [w.mother_id, contacts.unit_label(w.unit), contacts.name(w.mother_id, "mother")]
        for column, value in enumerate([*values, w.county_date.isoformat(), w.days], start=1):
            put_cell(queue, row, column, value)
    return workbook_bytes(workbook)
