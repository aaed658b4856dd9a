"""The festivals a mother may spend with her girl (节日陪伴, "每年陪孩子过一次节日"), on the calendar.

The notice names no festival. These are the ones a child celebrates with her family, when a
left-behind girl most misses her parents: the lunar 春节, 元宵节, 端午节, 中秋节 and 重阳节 (the
elders' day, spent with the grandparents who are most often her temporary guardians), and the
solar 元旦, 儿童节 (the children's own day) and 国庆节 (school holidays, when a mother has time).
Left out: 七夕 (a lovers' day) and 清明 (a day of mourning, not one to celebrate).

Lunar dates come from `lunardate` (pure Python, the Chinese calendar 1900–2099), never a table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lunardate import LunarDate

# (name, lunar month, lunar day), in the order of the year
LUNAR = (("春节", 1, 1), ("元宵节", 1, 15), ("端午节", 5, 5), ("中秋节", 8, 15), ("重阳节", 9, 9))
SOLAR = (("元旦", 1, 1), ("儿童节", 6, 1), ("国庆节", 10, 1))


@dataclass(frozen=True)
class Festival:
    name: str
    day: dt.date
    lunar: bool  # a date of the Chinese calendar, which moves on the solar one from year to year


def festivals_of_year(year: int) -> list[Festival]:
    """Every festival whose date falls in the solar year `year`, by date.

    Lunar months 1 to 9 of lunar year `year` always fall in solar year `year` (the lunar year
    begins between 21 January and 20 February), so one lunar year is enough.
    """
    found = [Festival(name, LunarDate(year, month, day).to_solar_date(), True) for name, month, day in LUNAR]
    found += [Festival(name, dt.date(year, month, day), False) for name, month, day in SOLAR]
    return sorted(found, key=lambda f: f.day)


def festivals_between(first: dt.date, last: dt.date) -> list[Festival]:
    """The festivals from `first` to `last`, both included, by date."""
    found = [f for year in range(first.year, last.year + 1) for f in festivals_of_year(year)]
    return [f for f in found if first <= f.day <= last]
