"""Dates for the programme: Beijing "today", ISO dates and year-months, ages, month arithmetic.

Every rule that says "today", "aged 12 or under" or "half a year or more" goes through here, so
that the bounds (all inclusive, as in Chinese legal usage) are decided in one place.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

BEIJING = ZoneInfo("Asia/Shanghai")
TODAY_ENV = "AIXIN_TODAY"

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def beijing_today() -> dt.date:
    """Today's date in Beijing, or the date in $AIXIN_TODAY so that tests and CI are reproducible.

    The machine running the checks (a CI runner) usually lives in UTC, which is still "yesterday"
    for the first eight hours of a Beijing day.
    """
    override = os.environ.get(TODAY_ENV, "").strip()
    if override:
        day = parse_date(override)
        if day is None:
            raise ValueError(f"环境变量 {TODAY_ENV} 应写作 年-月-日（如 2020-07-31），现在是“{override}”")
        return day
    return dt.datetime.now(BEIJING).date()


def parse_date(s: object) -> dt.date | None:
    """A `YYYY-MM-DD` string as a date; None for anything else (other spellings, impossible days).

    Stricter than `date.fromisoformat`, which also accepts `20190705` and week dates.
    """
    if not isinstance(s, str) or not _DATE.fullmatch(s):
        return None
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def parse_year_month(s: object) -> tuple[int, int] | None:
    """A `YYYY-MM` string (出生年月, e.g. 2010-03) as (year, month); None if it is not one."""
    if not isinstance(s, str):
        return None
    m = _YEAR_MONTH.fullmatch(s)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if year < 1 or not 1 <= month <= 12:
        return None
    return year, month


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of a month."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def age_on(birth: dt.date, on: dt.date) -> int:
    """Age in completed years (周岁) on the day `on`; negative if `on` is before the birth.

    One turns N on the anniversary of the birth. Someone born on 29 February turns N on 1 March in
    a common year, not on 28 February: Chinese practice counts the birthday as not yet come until
    the day after 28 February. In leap years it is 29 February itself.
    """
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - int(before_birthday)


def age_range_from_year_month(year: int, month: int, on: dt.date) -> tuple[int, int]:
    """(youngest, oldest) possible age on `on` when only the birth year and month are known.

    The youngest is for a birth on the month's last day, the oldest for a birth on the 1st; the two
    differ only when `on` falls in the birth month's anniversary month.
    """
    first, last = month_bounds(year, month)
    return age_on(last, on), age_on(first, on)


def add_months(d: dt.date, n: int) -> dt.date:
    """`d` plus `n` calendar months, clipped to the month's end (2019-08-31 + 6 → 2020-02-29)."""
    return d + relativedelta(months=n)


def months_between_at_least(start: dt.date, end: dt.date, months: int) -> bool:
    """True when at least `months` whole months lie from `start` to `end`, the bound included.

    "半年以上" counts exactly six months: 2019-01-15 → 2019-07-15 is enough.
    """
    return end >= add_months(start, months)
