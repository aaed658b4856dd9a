"""What people write, as the records store it: kin words, phone numbers and dates written the
everyday way (奶奶, 138-0000-0001, 2019年7月5日) turned into the one form the schemas accept.

Guided entry and the import store the canonical form; the check only *suggests* it (nothing is
changed silently in an existing record). Every function returns None when it does not recognise
the text, so the caller keeps what was written and lets the schema say what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from aixin.domain.programme import Unit

# Everyday kin words → the forms' words (schemas' `relationship` enum).
RELATIONSHIPS = {
    "爸爸": "父亲",
    "爸": "父亲",
    "父": "父亲",
    "妈妈": "母亲",
    "妈": "母亲",
    "母": "母亲",
    "爷爷": "祖父",
    "爷": "祖父",
    "奶奶": "祖母",
    "奶": "祖母",
    "外公": "外祖父",
    "姥爷": "外祖父",
    "外婆": "外祖母",
    "姥姥": "外祖母",
    "家婆": "外祖母",
    "家公": "外祖父",
    "嘎婆": "外祖母",  # Sichuan: 嘎婆/嘎公 (家婆/家公) are the mother's parents, 婆婆 the father's mother
    "嘎公": "外祖父",
    "婆婆": "祖母",
    "哥哥": "兄姐",
    "姐姐": "兄姐",
    "哥": "兄姐",
    "姐": "兄姐",
    "兄": "兄姐",
    "兄长": "兄姐",
    "叔叔": "其他亲属",
    "叔": "其他亲属",
    "伯伯": "其他亲属",
    "伯父": "其他亲属",
    "婶婶": "其他亲属",
    "姑姑": "其他亲属",
    "姑妈": "其他亲属",
    "姨": "其他亲属",
    "姨妈": "其他亲属",
    "阿姨": "其他亲属",
    "舅舅": "其他亲属",
    "舅妈": "其他亲属",
    "伯母": "其他亲属",
    "叔母": "其他亲属",
    "姑父": "其他亲属",
    "姨父": "其他亲属",
    "姨夫": "其他亲属",
    "大伯": "其他亲属",
    "舅": "其他亲属",
    "姑": "其他亲属",
}

_HALF_WIDTH = str.maketrans("０１２３４５６７８９－／．　（）＋", "0123456789-/. ()+")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3})(\d{7,8})")
_PHONE_NOISE = re.compile(r"[\s\-()]+")


def relationship(text: str) -> str | None:
    """The forms' word for an everyday kin word (奶奶 → 祖母), or None."""
    return RELATIONSHIPS.get(text.strip())


def phone(text: str) -> str | None:
    """A phone number without spaces, dashes or +86 (138 0000 0001 → 13800000001; a landline
    keeps its one dash after the area code: 0825 222 3344 → 0825-2223344), or None."""
    raw = text.translate(_HALF_WIDTH).strip()
    if raw.startswith("+86"):
        raw = raw[3:]
    digits = _PHONE_NOISE.sub("", raw)
    if not digits.isdigit():
        return None
    if _MOBILE.fullmatch(digits):
        return digits
    landline = _LANDLINE.fullmatch(digits)
    if landline and not digits.startswith("1"):
        return f"{landline.group(1)}-{landline.group(2)}"
    return None


def date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a text written like a date, real day or not (2019年2月30日 →
    (2019, 2, 30)), or None: lets guided entry say *why* `date` did not recognise it."""
    match = _DATE.fullmatch(text.translate(_HALF_WIDTH).strip())
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def day_shape(text: str) -> str | None:
    """2019.7.5, 2019/7/5 or 2019年7月5日 written 2019-07-05 whether or not that day exists
    (2019/2/30 → 2019-02-30), or None: for a reader that leaves an impossible day to the schema,
    whose finding then says the date does not exist rather than that it is badly written."""
    parts = date_parts(text)
    return "{:04d}-{:02d}-{:02d}".format(*parts) if parts else None


def date(text: str) -> str | None:
    """A real day written 2019.7.5, 2019/7/5 or 2019年7月5日 as 2019-07-05, or None."""
    parts = date_parts(text)
    if parts is None:
        return None
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        return None


def year_month_parts(text: str) -> tuple[int, int] | None:
    """(year, month) of a text written like a year and month, in range or not, or None."""
    match = _YEAR_MONTH.fullmatch(text.translate(_HALF_WIDTH).strip())
    return (int(match[1]), int(match[2])) if match else None


def year_month(text: str) -> str | None:
    """A month written 2010.3, 2010/3 or 2010年3月 as 2010-03, or None (2010.1 is ambiguous after
    Excel, which shows 2010.10 as 2010.1: the spreadsheet reader asks before calling this)."""
    parts = year_month_parts(text)
    if parts is None:
        return None
    year, month = parts
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 and 1900 <= year <= 2099 else None


def unit(text: str, units: Iterable[Unit]) -> str | None:
    """The code of a unit written by its name (船山区 → chuanshan), also without or with another
    final 区/县/市 (船山, 射洪县 for 射洪市, which was a county until 2019), or None."""
    written = text.strip()
    for known in units:
        short = known.name[:-1] if len(known.name) == 3 and known.name[-1] in "区县市" else ""
        if written == known.name or (short and written in (short, f"{short}区", f"{short}县", f"{short}市")):
            return known.id
    return None
