"""The blank forms: one workbook per form, Chinese headers, a notes row, drop-downs and text cells.

Row 1 holds the headers (required ones in red), row 2 a note per column (what to write, whether
it is required), data starts on row 3. Both rows stay frozen while scrolling. ID numbers, phones
and every other text column are formatted as text ("@"), so that Excel keeps 0825-… and 18-digit
ID numbers as typed; dates are formatted as dates.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .layout import Column, Form
from .workbook import create_file, refuse_existing, workbook_bytes

HEADER_ROW, NOTES_ROW, FIRST_DATA_ROW = 1, 2, 3
PREPARED_ROWS = 2000  # how far down the drop-downs and checks reach
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "month": "yyyy-mm"}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_NOTES_FILL = PatternFill("solid", fgColor="F2F2F2")


def number_format(column: Column) -> str:
    return NUMBER_FORMATS.get(column.kind, "@" if column.is_text else "General")


def form_sheet(
    workbook: Workbook, form: Form, columns: tuple[Column, ...], notes: dict[str, str] | None = None
) -> Worksheet:
    """A sheet named after the form with the header and notes rows, formats and drop-downs."""
    sheet = workbook.create_sheet(form.sheet)
    last_row = FIRST_DATA_ROW + PREPARED_ROWS - 1
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        header = sheet.cell(HEADER_ROW, number, column.header)
        header.font = Font(bold=True, color="C00000" if column.required else "000000")
        header.fill = _HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="center")
        note = sheet.cell(NOTES_ROW, number, (notes or {}).get(column.header, column.note))
        note.font = Font(size=9, color="595959")
        note.fill = _NOTES_FILL
        note.alignment = Alignment(wrap_text=True, vertical="top")
        dimension = sheet.column_dimensions[letter]
        dimension.width = (
            28
            if column.kind in ("text", "list")
            else 20
            if column.kind in ("id_number", "choices", "record_id")
            else 14
        )
        dimension.number_format = number_format(column)  # cells typed in later take the column's format
        validation = _validation(column)
        if validation is not None:
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
            sheet.add_data_validation(validation)
    sheet.row_dimensions[NOTES_ROW].height = 75
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 1)
    return sheet


def _validation(column: Column) -> DataValidation | None:
    if column.choices:
        listed = "、".join(column.choices)
        single = column.kind != "choices"  # several needs in one cell cannot be a drop-down choice
        check = DataValidation(
            type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True, showErrorMessage=single
        )
        check.errorTitle, check.error = "请从下拉列表选择", f"「{column.header}」可以填写：{listed}"
        return check
    if column.kind == "id_number":
        check = DataValidation(
            type="textLength", operator="equal", formula1="18", allow_blank=True, showErrorMessage=True
        )
        check.errorTitle, check.error = "身份证号码应为18位", "请输入18位身份证号码（最后一位可以是 X）。"
        return check
    return None


def template_workbook(form: Form) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    form_sheet(workbook, form, form.columns)
    return workbook


def write_templates(out: Path, forms: dict[str, Form]) -> list[Path]:
    """One blank workbook per form in `out`; refuses (UsageError) if any of them exists."""
    targets = [(out / form.file_name, form) for form in forms.values()]
    refuse_existing([path for path, _ in targets])
    written = []
    for path, form in targets:
        create_file(path, workbook_bytes(template_workbook(form)))
        written.append(path)
    return written
