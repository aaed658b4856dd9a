"""From a table of cells to rows of record data: find the header row and the form, map each
column to its field, read every cell, and say which header a field path belongs to.

Problems of the sheet as a whole (a missing required column, an unknown column that holds data,
which would otherwise be lost) block all its rows; problems of a cell belong to its row. A sheet
that matches no form by name or by headers is not fatal: it is reported as skipped (a
coordinator's notes or a pivot table, say); a file with no known sheet at all is an error.
What a coordinator cannot see is not imported unseen: a hidden sheet, a hidden column with
contents, a hidden row are errors; so is a formula (or text starting with "=", which Excel would
take for one), reported at its cell rather than dropped or turned into a missing field.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from aixin.core.masking import mask_digits

from .cells import CellError, cell_value
from .issues import ERROR, WARNING, Issue
from .layout import IGNORED_HEADERS, NOTE_MARK, Column, Form, form_of_headers, form_of_sheet, normalise_header
from .read import Formula, Table

HEADER_SEARCH_ROWS = 10  # a title row or two above the headers is common
FORMULA_HINT = (
    "导入只读取直接填写的内容，不计算公式：请在 Excel 中复制这一格，“选择性粘贴”为“数值”；"
    "如果内容本来就以“=”开头，请去掉开头的“=”。"
)


@dataclass
class Row:
    """One data row: the record data read from it, its references, and what is wrong with it."""

    sheet: Sheet
    number: int
    record: dict = field(default_factory=dict)
    refs: dict[str, dict[str, object]] = field(default_factory=dict)  # a pairing's mother/girl columns
    own_id: str | None = None  # the 记录编号 column of an exported sheet
    own_unit: str | None = None
    photo_files: list[str] = field(default_factory=list)  # a log's 照片文件 column (sheets/photos.py)
    issues: list[Issue] = field(default_factory=list)
    id: str | None = None  # the new record id, once the row is known not to be a duplicate
    duplicate: bool = False

    @property
    def kind(self) -> str:
        return self.sheet.form.kind

    @property
    def where(self) -> str:
        return f"「{self.sheet.name}」第{self.number}行"

    @property
    def ok(self) -> bool:
        return not self.duplicate and not self.sheet.blocked and all(i.severity != ERROR for i in self.issues)

    def add(self, severity: str, message: str, hint: str = "", header: str | None = None, code: str = "") -> None:
        self.issues.append(Issue(self.sheet.name, self.number, header, severity, message, hint, code, self.sheet.order))


@dataclass
class Sheet:
    """A table recognised as one form, with its columns by position and its data rows."""

    name: str
    form: Form
    order: int
    columns: dict[int, Column] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(i.severity == ERROR for i in self.issues)

    def add(
        self, severity: str, message: str, hint: str = "", header: str | None = None, row: int | None = None
    ) -> None:
        self.issues.append(Issue(self.name, row, header, severity, message, hint, "", self.order))

    def header_for(self, path: tuple) -> str | None:
        """The header of the column a field path (or the nearest enclosing field) comes from."""
        path = tuple(p for p in path if not isinstance(p, int))
        present = set(self.columns.values())
        while path:
            exact = [c for c in self.form.columns if c.path == path]
            under = exact or [c for c in self.form.columns if c.path[: len(path)] == path]
            if under:
                chosen = [c for c in under if c in present] or under
                return ([c for c in chosen if c.required] or chosen)[0].header
            path = path[:-1]
        return None


def read_sheet(
    table: Table, order: int, forms: dict[str, Form], unit_codes: dict[str, str]
) -> tuple[Sheet | None, list[Issue]]:
    """The table as a Sheet of its form, or None with the reason (nothing, for an empty sheet)."""
    if not table.rows:
        return None, []
    named = form_of_sheet(table.name, forms) if table.named else None
    known = {c.header for f in ([named] if named else forms.values()) for c in f.all_columns}
    found = next(
        (
            (i, n, [normalise_header(v) for v in values])
            for i, (n, values) in enumerate(table.rows[:HEADER_SEARCH_ROWS])
            if sum(normalise_header(v) in known for v in values) >= 2
        ),
        None,
    )
    form = named or (form_of_headers(found[2], forms) if found else None)
    if form is None:
        sheets = "、".join(f"「{f.sheet}」" for f in forms.values())
        what = "工作表" if table.named else "文件"
        return None, [
            Issue(
                table.name,
                None,
                None,
                WARNING,
                f"不认识这个{what}，已跳过（没有导入其中任何内容）",
                f"能导入的表是 {sheets}：表名或第一行的列名要与模板一致（用 aixin template 生成模板）。",
                order=order,
            )
        ]
    sheet = Sheet(table.name, form, order)
    if table.hidden:
        sheet.add(
            ERROR,
            "这个工作表是隐藏的（在 Excel 中看不到），其中的内容没有导入",
            "请在 Excel 中右键工作表标签 →“取消隐藏”，核对其中的内容后再导入；不需要的话请删去这个工作表。",
        )
    if found is None:
        sheet.add(
            ERROR,
            "找不到表头行",
            f"第一行应是列名，如「{form.columns[0].header}」「{form.columns[1].header}」（与模板一致）。",
        )
        return sheet, []
    index, header_row, headers = found
    data = table.rows[index + 1 :]
    if data and all(isinstance(v, str) and v.strip().startswith(NOTE_MARK) for v in data[0][1] if v is not None):
        data = data[1:]  # the template's notes row
    filled = {p for _, values in data for p, v in enumerate(values) if v is not None}
    _map_columns(sheet, headers, header_row, filled)
    _check_unnamed(sheet, headers, filled)
    for position in sorted(filled & table.hidden_columns & set(sheet.columns)):
        sheet.add(
            ERROR,
            "这一列是隐藏的（在 Excel 中看不到），却填有内容",
            "请在 Excel 中取消隐藏这一列，核对其中的内容后再导入；不需要的话请删去这一列的内容。",
            sheet.columns[position].header,
            header_row,
        )
    for number, values in data:
        if any(v is not None and p in sheet.columns for p, v in enumerate(values)):  # not just a 序号
            row = _read_row(sheet, number, values, unit_codes)
            if number in table.hidden_rows:
                row.add(
                    ERROR,
                    "这一行是隐藏的（在 Excel 中看不到，或被筛选掉了），没有导入",
                    "请取消隐藏（或清除筛选），核对这一行后再导入；不需要的话请删去这一行。",
                )
            sheet.rows.append(row)
    return sheet, []


def _map_columns(sheet: Sheet, headers: list[str], header_row: int, filled: set[int]) -> None:
    form, seen = sheet.form, {}
    choices = [c.header for c in form.all_columns]
    for position, header in enumerate(headers):
        if not header or header in IGNORED_HEADERS:
            continue
        column = form.column(header)
        if column is None:
            close = difflib.get_close_matches(header, choices, n=1, cutoff=0.5)
            guess = f"是不是「{close[0]}」？" if close else ""
            if position in filled:  # its contents would be lost: not without the coordinator knowing
                sheet.add(
                    ERROR,
                    "不认识这一列，其中的内容不会被导入",
                    f"{guess}请把列名改成模板中的列名，或删去这一列。",
                    header,
                    header_row,
                )
            else:
                sheet.add(WARNING, "不认识这一列（没有内容，已忽略）", f"{guess}可以删去这一列。", header, header_row)
        elif header in seen:
            twice = f"{get_column_letter(seen[header] + 1)} 列和 {get_column_letter(position + 1)} 列"
            sheet.add(ERROR, f"这一列出现了两次（{twice}）", "请删去其中一列。", header, header_row)
        else:
            seen[header] = position
            sheet.columns[position] = column
    present = set(seen)
    for column in form.required_columns():
        if column.header not in present:
            sheet.add(
                ERROR, "缺少这一列（必填）", f"请按模板加上「{column.header}」列并填写。", column.header, header_row
            )
    for key in dict.fromkeys(c.path[0] for c in form.columns if c.ref):
        parts = [c for c in form.columns if c.path == (key,)]
        by_id, by_person = parts[0], parts[1:]
        if by_id.header not in present and not all(c.header in present for c in by_person):
            names = "」和「".join(c.header for c in by_person)
            sheet.add(
                ERROR, "缺少这一列", f"请加上「{by_id.header}」列，或者「{names}」两列。", by_id.header, header_row
            )


def _check_unnamed(sheet: Sheet, headers: list[str], filled: set[int]) -> None:
    for position in sorted(filled):
        if position >= len(headers) or not headers[position]:
            sheet.add(
                ERROR,
                f"第 {get_column_letter(position + 1)} 列没有列名，却填有内容",
                "请填上模板中的列名，或删去这一列的内容。",
            )


def _read_row(sheet: Sheet, number: int, values: tuple, unit_codes: dict[str, str]) -> Row:
    row = Row(sheet, number)
    raw_of = {column: values[p] for p, column in sheet.columns.items() if p < len(values) and values[p] is not None}
    for column in sheet.form.extras + sheet.form.columns:  # the schema's order, so the record keeps it
        if column.ref:
            row.record.setdefault(column.path[0], None)  # a place held for the resolved id
        raw = raw_of.get(column)
        if raw is None:
            continue
        formula = raw.text if isinstance(raw, Formula) else raw if isinstance(raw, str) else ""
        if formula.lstrip().startswith("="):
            shown = mask_digits(formula.strip())
            row.add(
                ERROR,
                f"这一格是公式（{shown[:40]}{'…' if len(shown) > 40 else ''}），不能导入",
                FORMULA_HINT,
                column.header,
            )
            continue
        try:
            value = cell_value(column, raw, unit_codes)
        except CellError as error:
            row.add(ERROR, error.message, error.hint, column.header)
            continue
        if value in ("", []):
            continue
        if column.kind == "own_id":
            row.own_id = value
        elif column.kind == "own_unit":
            row.own_unit = value
        elif column.kind == "photo_files":
            row.photo_files = value
        elif column.ref:
            row.refs.setdefault(column.path[0], {})[column.ref] = value
        else:
            _set(row.record, column.path, value)
    return row


def _set(record: dict, path: tuple, value: object) -> None:
    for key in path[:-1]:
        record = record.setdefault(key, {})
    record[path[-1]] = value
