"""What one cell means: the value a record field gets from it, or why it cannot be used.

Excel changes what people type: an 18-digit ID number becomes a number and loses its last
digits, 2010-03 becomes a date, 2010.10 becomes 2010.1. Those cases are recognised here and
refused with an explanation rather than imported wrong. What people write the everyday way
(奶奶, 138-0000-0001, 2019年7月5日) is stored in the forms' one way (`domain.everyday`). Shape
(patterns, choices, required fields) is left to the schema, which sees the value as read.
"""

from __future__ import annotations

import datetime as dt
import re

from aixin.core import idnumber
from aixin.core.masking import INVISIBLE, mask_digits, visible
from aixin.domain import everyday

from .layout import NO, YES, Column

EXCEL_ID = "Excel 把身份证号码当成了数字，后几位已经丢失：请把这一列设为‘文本’格式后重新输入"
EXCEL_ID_HINT = "在 Excel 中选中这一列 → 右键“设置单元格格式” → “文本”，再逐个重新输入完整的18位号码（改格式不能找回已经丢失的数字）。"
EXCEL_PHONE = "Excel 把电话号码当成了数字，显示成了科学计数法：请把这一列设为‘文本’格式后重新输入"
MASKED = "这是只显示部分数字的号码（含 *），不能导入"
MASKED_HINT = "请填写完整的号码；从 aixin export 导出的表格要加 --full 才有完整号码。"

_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]*)?[eE][+-]?[0-9]+")
_SPLIT = re.compile(r"[、,，;；\s]+")
# 2010.1: January, or 2010.10 that Excel shows without its final zero?
_AMBIGUOUS_MONTH = re.compile(r"([0-9]{4})\s*\.\s*1")
_FILE_NAMES = re.compile(r"[、,，;；\r\n]+")  # a file name may hold spaces (微信图片 2019.jpg)
_YES = frozenset({YES, "true", "yes", "y", "1", "√", "是的"})
_NO = frozenset({NO, "false", "no", "n", "0", "×", "不是"})


class CellError(ValueError):
    """Why a cell cannot be used: a message and a hint, in Chinese."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def as_text(raw: object) -> str:
    """Any cell as the text a person typed (numbers without a trailing .0, dates as YYYY-MM-DD)."""
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def cell_value(column: Column, raw: object, unit_codes: dict[str, str]) -> object:
    """The field value of a non-blank cell (raises CellError); `unit_codes` maps names and codes to codes."""
    if isinstance(raw, str) and (hidden := INVISIBLE.search(raw)):
        raise CellError(
            f"这一格里有看不见的控制字符（{visible(hidden.group())}）",
            "常在从网页、微信或其他程序复制文字时被带进来：请删掉这一格的内容，重新手动输入。",
        )
    if column.kind == "choice":
        return _read_choice(raw, column.choices)
    reader = _READERS.get(column.kind, _read_text)
    return reader(raw, unit_codes)


def _read_choice(raw, choices: tuple[str, ...]):
    """One of the form's choices; an everyday kin word (奶奶) as the form's word (祖母)."""
    text = as_text(raw)
    canonical = everyday.relationship(text)
    return canonical if text not in choices and canonical in choices else text


def _read_text(raw, _units):
    return as_text(raw)


def _read_unit(raw, units):
    text = as_text(raw)
    if text not in units:
        names = "、".join(name for name, code in units.items() if name != code)
        raise CellError(f"“{text}”不是已登记的单位", f"可以填写：{names}（或单位代码，如 chuanshan）。")
    return units[text]


def _read_list(raw, _units):
    return [part for part in _SPLIT.split(as_text(raw)) if part]


def _read_yesno(raw, _units):
    if isinstance(raw, bool):
        return raw
    text = as_text(raw)
    if text.lower() in _YES:
        return True
    if text.lower() in _NO:
        return False
    raise CellError(f"只能填“是”或“否”，现在是“{mask_digits(text)}”", "请从下拉列表中选择“是”或“否”。")


def _excel_day(raw: dt.date, shape: str) -> None:
    """A number typed into a date-formatted cell shows as a day in Excel's first years (1900–)."""
    if raw.year < 1910:
        raise CellError(
            f"Excel 把这一格当成了日期 {raw:%Y-%m-%d}，原来填的可能是一个数字（如 2010.3）", f"请写成 {shape}。"
        )


def _read_date(raw, _units):
    if isinstance(raw, (dt.date, dt.datetime)):
        _excel_day(raw, "年-月-日，如 2019-07-05")
        return as_text(raw)[:10]
    text = as_text(raw)
    # 2019/7/5, 2019.7.5 and 2019年7月5日 as 2019-07-05; an impossible day is left to the schema
    return everyday.day_shape(text) or text


def _read_month(raw, _units):
    if isinstance(raw, (dt.date, dt.datetime)):
        _excel_day(raw, "年-月，如 2010-03")
        return f"{raw.year:04d}-{raw.month:02d}"
    if isinstance(raw, float):
        raise CellError(
            f"Excel 把出生年月当成了小数 {raw}（2010.10 会变成 2010.1）", "请写成 年-月，如 2010-03 或 2010-10。"
        )
    text = as_text(raw)
    whole = everyday.day_shape(text)
    if whole:
        return whole[:7]
    ambiguous = _AMBIGUOUS_MONTH.fullmatch(text)
    if ambiguous:
        year = ambiguous.group(1)
        raise CellError(
            f"“{text}”可能是 {year}年1月，也可能是 Excel 把 {year}.10 显示成了 {year}.1",
            f"请写成 {year}-01 或 {year}-10。",
        )
    return everyday.year_month(text) or text


def _read_id_number(raw, _units):
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise CellError(EXCEL_ID, EXCEL_ID_HINT)
    text = re.sub(r"\s+", "", as_text(raw))
    if "*" in text:
        raise CellError(MASKED, MASKED_HINT)
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(EXCEL_ID, EXCEL_ID_HINT)
    return idnumber.normalise(text)  # full-width digits and a small x, as ID cards get typed


def _read_phone(raw, _units):
    if isinstance(raw, float) and not raw.is_integer():
        raise CellError(EXCEL_PHONE, "在 Excel 中把这一列设为“文本”格式，再重新输入完整的号码。")
    text = re.sub(r"\s+", "", as_text(raw))
    if "*" in text:
        raise CellError(MASKED, MASKED_HINT)
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(EXCEL_PHONE, "在 Excel 中把这一列设为“文本”格式，再重新输入完整的号码。")
    return everyday.phone(as_text(raw)) or text  # 138-0000-0001 as 13800000001


_READERS = {
    "unit": _read_unit,
    "own_unit": _read_unit,
    "choices": _read_list,
    "list": _read_list,
    "photo_files": lambda raw, _units: [part.strip() for part in _FILE_NAMES.split(as_text(raw)) if part.strip()],
    "yesno": _read_yesno,
    "date": _read_date,
    "month": _read_month,
    "id_number": _read_id_number,
    "phone": _read_phone,
}
