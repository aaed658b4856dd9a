"""The programme year a print is for (活动年度, "2019-2020").

A stand-in for `domain.annual.parse_year` / `year_of` until annual-core is merged."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from aixin.core.errors import UsageError
from aixin.domain.programme import Programme


@dataclass(frozen=True)
class Year:
    label: str
    start: dt.date
    end: dt.date


def year_of(day: dt.date, programme: Programme) -> Year:
    start, end = programme.programme_year(day)
    return Year(f"{start.year}-{end.year}", start, end)


def parse_year(text: str, programme: Programme) -> Year:
    match = re.fullmatch(r"\s*(\d{4})\s*[-–—至]\s*(\d{4})\s*", text)
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ValueError(f"活动年度应写作 2019-2020 这样的两个相连年份，现在是“{text}”")
    month, day = programme.year_start
    year = year_of(dt.date(int(match[1]), month, day), programme)
    if year.end < programme.launch:
        raise ValueError(f"{year.label} 年度早于活动启动（{programme.launch}）")
    return year


def year_or_error(text: str, programme: Programme) -> Year:
    try:
        return parse_year(text, programme)
    except ValueError as error:
        raise UsageError(str(error)) from None
