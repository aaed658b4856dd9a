"""One typed answer → the value a record holds, or a Chinese reason to ask again.

Reading is lenient where people write the same thing several ways: dates, months, phone numbers
and kin words go through `domain.everyday` (2019.7.5, 2019年7月5日, 138 0000 0001, 奶奶), so
that guided entry and the import store the same canonical form; full-width digits, a lower-case
x and an option's number are read here. The value is then checked against the field's own
subschema with jsonschema, so that what the schema says is never re-implemented here. Only what
no schema can say is checked in code: a date that is no real day, an ID number's check digit.
Reasons speak of the prompt (是/否, no quotes), never of how a YAML file is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match

from aixin.core import idnumber
from aixin.domain import everyday
from aixin.load.schemas import is_date

from .questions import Question

_QUOTES = ('""', "''", "“”", "‘’", "「」")
_SEPARATORS = re.compile(r"[,，、;；\s]+")
_YES = {"是", "是的", "y", "yes", "true", "对"}
_NO = {"否", "不是", "n", "no", "false", "不"}
# What a format error says at the prompt where the schema's x-hint speaks of the YAML file
# (quotes, true/false, file names).
PROMPT_HINTS = {
    "phone": "手机号是11位数字，如 13800000001（可以带空格或短横线，如 138 0000 0001）；座机写区号和号码，如 0825-2223344。",
    "id_number": "身份证号码是18位，最后一位可以是 X。",
    "boolean": "请回答“是”或“否”。",
    "unit": "输入序号或单位代码，如 chuanshan。",
    "reference": "输入序号、姓名或记录编号。",
    "references": "输入序号、姓名或记录编号，几位之间用逗号隔开。",
    "integer": "请写一个整数，如 3。",
}

_FORMATS = FormatChecker(formats=())
_FORMATS.checks("date")(is_date)


class AnswerError(ValueError):
    """Why an answer cannot be used; `reason` is shown before the question is asked again."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Option:
    """One numbered choice: the value written, how it is listed, other names it answers to, and
    how it is shown once picked (the label, when empty)."""

    value: str
    label: str
    names: tuple[str, ...] = ()
    picked: str = ""


def clean(raw: str) -> str:
    """Trim spaces and one pair of surrounding quotes (the guide asks for quotes in YAML files)."""
    text = raw.strip()
    if len(text) >= 2 and text[0] + text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


def parse(
    question: Question,
    text: str,
    *,
    today: dt.date,
    options: list[Option] = (),
    verify: Callable[[object], None] | None = None,
) -> object:
    """The value for a non-empty, cleaned answer; raises AnswerError saying what is wrong.

    `verify` is what the schema cannot say (does the record named exist?); it goes first, since
    it words a wrong reference better than the schema's pattern does.
    """
    if not options and question.choices:
        options = [Option(choice, choice) for choice in question.choices]
    reader = _READERS.get(question.kind, _text)
    value = reader(text, today=today, options=options)
    if verify is not None:
        verify(value)
    check_schema(question, value)
    return value


def check_schema(question: Question, value: object) -> None:
    """Raise AnswerError when `value` does not meet the field's subschema."""
    validator = Draft202012Validator(question.schema, format_checker=_FORMATS)
    error = best_match(validator.iter_errors(value))
    if error is not None:
        raise AnswerError(_reason(error, question))


def pick(text: str, options: list[Option]) -> str:
    """An option's value by its number, its value or one of its names; else the text itself."""
    if text.isdigit() and options:
        number = int(text)
        if not 1 <= number <= len(options):
            raise AnswerError(f"序号应在 1 至 {len(options)} 之间")
        return options[number - 1].value
    if any(text == o.value for o in options):
        return text
    named = [o for o in options if text in o.names]
    if len(named) > 1:
        raise AnswerError(f"有 {len(named)} 条记录都叫“{text}”，请输入序号")
    return named[0].value if named else text


def _text(text, **_):
    return text


def _date(text, **_):
    value = everyday.date(text)
    if value is not None:
        return value
    parts = everyday.date_parts(text)
    if parts is None:
        raise AnswerError("日期请写作 年-月-日，如 2019-07-05（也可以写 2019.7.5 或 2019年7月5日）")
    year, month, day = parts
    if not 1 <= month <= 12:
        raise AnswerError(f"没有 {month} 月，月份应在 1 至 12 之间")
    raise AnswerError(f"{year} 年 {month} 月没有 {day} 日，请核对日期")


def _year_month(text, **_):
    value = everyday.year_month(text)
    if value is not None:
        return value
    parts = everyday.year_month_parts(text)
    if parts is None:
        raise AnswerError("年月请写作 年-月，如 2010-03（也可以写 2010.3 或 2010年3月）")
    year, month = parts
    if not 1 <= month <= 12:
        raise AnswerError(f"没有 {month} 月，月份应在 1 至 12 之间")
    return f"{year:04d}-{month:02d}"  # a year out of range: the schema says what it allows


def yes_or_no(text: str) -> bool:
    """是 → True, 否 → False (also y/n, 对/不); AnswerError otherwise."""
    return _boolean(text)


def _boolean(text, **_):
    word = text.lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise AnswerError("请回答“是”或“否”")


def _choice(text, options=(), **_):
    return pick(text, list(options))


def _relationship(text, options=(), **_):
    """One of the form's kin words, also when written the everyday way (奶奶 → 祖母)."""
    picked = pick(text, list(options))
    if any(picked == o.value for o in options):
        return picked
    return everyday.relationship(text) or picked


def _choices(text, options=(), **_):
    return [pick(part, list(options)) for part in _SEPARATORS.split(text) if part]


def _list(text, **_):
    return [part for part in _SEPARATORS.split(text) if part]


def _integer(text, **_):
    """3 or ３ → 3; anything else is left for the schema to refuse."""
    digits = text.translate(_FULL_WIDTH)
    return int(digits) if digits.isascii() and digits.isdigit() else text


_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _id_number(text, today, **_):
    value = idnumber.normalise("".join(text.split()))
    try:
        idnumber.parse(value, today=today)
    except idnumber.IdNumberError as error:
        raise AnswerError(f"身份证号码无效：{error.reason}") from None
    return value


def _phone(text, **_):
    """138 0000 0001, 138-0000-0001, +86…: stored as 13800000001; else left for the schema to refuse."""
    return everyday.phone(text) or text


_READERS = {
    "date": _date,
    "year_month": _year_month,
    "boolean": _boolean,
    "choice": _choice,
    "unit": _choice,
    "reference": _choice,
    "choices": _choices,
    "list": _list,
    "references": _choices,
    "integer": _integer,
    "id_number": _id_number,
    "phone": _phone,
    "relationship": _relationship,
}


def _reason(error, question: Question) -> str:
    """A jsonschema error, worded for the person typing (the schema's own hint where it has one)."""
    hint = PROMPT_HINTS.get(question.kind) or error.schema.get("x-hint") or question.schema.get("x-hint")
    hint = hint or question.description
    kind, value = error.validator, error.instance
    if kind == "enum":
        listed = "、".join(map(str, error.validator_value))
        return f"“{value}”不在可选范围内；可以填写：{listed}（或输入序号）"
    if kind in ("minLength", "not"):  # the schemas use `not` only for "spaces alone are empty"
        return "不能为空"
    if kind == "maxLength":
        return f"太长了：{len(value)} 个字，最多 {error.validator_value} 个字"
    if kind == "minItems":
        return f"至少要填 {error.validator_value} 项"
    if kind == "uniqueItems":
        return "有重复的项，请每项只写一次"
    if kind in ("pattern", "format"):
        return f"格式不对：{hint}"
    return f"不符合要求：{hint}"
