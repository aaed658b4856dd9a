"""Is a girl in the programme's target group? Shared by the girl and pairing rules and the site.

Target group (notice, part 五(一)): aged 12 or under in completed years, living in the
countryside, both parents away from home for half a year or more. Bounds include themselves
(以上/以下, Civil Code art. 1259). Age counts at the survey date; time away counts up to the
day asked about — the survey for the file, the start of a pairing for the pairing (a girl whose
parents left four months before the survey may be paired two months later). The form gives
only a birth year-month, so an age can be undecidable: then `age_ok` is None and nobody guesses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from aixin.core import dates

from .programme import Programme

# The endings of a town's street (街道) and a residents' committee (社区, 居委会): urban words, where
# the programme is for girls living in the countryside (留在农村生活). Some 社区 are rural, so the
# check only warns (G011) and guided entry asks for the confirmation only then.
URBAN_TOWNSHIP = ("街道", "街道办", "街道办事处", "办事处")
URBAN_VILLAGE = ("社区", "居委会", "居民委员会", "社区居委会")


def urban_township(township: object) -> bool:
    return isinstance(township, str) and township.strip().endswith(URBAN_TOWNSHIP)


def urban_village(village: object) -> bool:
    return isinstance(village, str) and village.strip().endswith(URBAN_VILLAGE)


def looks_urban(girl: dict) -> bool:
    """Her township is a 街道 or her village a 社区: whether she lives in the countryside needs confirming."""
    return urban_township(girl.get("township")) or urban_village(girl.get("village"))


AWAY_KEYS = {"父亲外出": ("father",), "母亲外出": ("mother",), "父母均外出": ("father", "mother")}


@dataclass(frozen=True)
class Eligibility:
    age_ok: bool | None  # None: the birth month alone cannot decide
    both_away: bool
    away_since: dt.date | None  # since when every parent who is away has been away
    on: dt.date | None  # the day the time away is counted to
    min_months: int

    @property
    def away_long_enough(self) -> bool:
        if self.away_since is None or self.on is None:
            return False
        return dates.months_between_at_least(self.away_since, self.on, self.min_months)

    @property
    def eligible(self) -> bool | None:
        if self.age_ok is False or not self.both_away or not self.away_long_enough:
            return False
        return None if self.age_ok is None else True

    def at(self, day: dt.date) -> Eligibility:
        """The same girl, with her parents' time away counted up to `day`."""
        return replace(self, on=day)

    def reasons(self, programme: Programme) -> list[str]:
        """Why she is not (or not surely) eligible, in Chinese, for messages and pages."""
        found = []
        if self.age_ok is False:
            found.append(f"建档时已超过{programme.girl_max_age}周岁")
        elif self.age_ok is None:
            found.append(f"按出生年月无法确定建档时是否超过{programme.girl_max_age}周岁")
        if not self.both_away:
            found.append("不是父母均外出")
        elif not self.away_long_enough:
            found.append(f"到{self.on}父母外出不满{programme.parents_away_min_months}个月")
        return found

    def as_facts(self) -> list:
        """Plain values for the cache: [age_ok, both_away, away_since]."""
        return [self.age_ok, self.both_away, self.away_since.isoformat() if self.away_since else None]

    @classmethod
    def from_facts(cls, facts: list, programme: Programme, on: dt.date) -> Eligibility:
        age_ok, both_away, away_since = facts
        since = dt.date.fromisoformat(away_since) if away_since else None
        return cls(age_ok, both_away, since, on, programme.parents_away_min_months)


def age_range_at(birth: str, on: dt.date) -> tuple[int, int] | None:
    year_month = dates.parse_year_month(birth)
    if year_month is None:
        return None
    return dates.age_range_from_year_month(*year_month, on)


def assess(girl: dict, programme: Programme, on: dt.date | None = None) -> Eligibility:
    """Eligibility of a schema-valid girl record; time away counted to `on` (default: survey)."""
    survey = dates.parse_date(girl["survey_date"])
    ages = age_range_at(girl["birth"], survey) if survey else None
    limit = programme.girl_max_age
    if ages is None:
        age_ok = None
    elif ages[0] > limit:
        age_ok = False
    elif ages[1] <= limit:
        age_ok = True
    else:
        age_ok = None
    away = AWAY_KEYS[girl["parents_away"]]
    left = [dates.parse_date(girl[parent].get("left_on", "")) for parent in away]
    since = None if None in left else max(left)
    return Eligibility(age_ok, len(away) == 2, since, on or survey, programme.parents_away_min_months)


# ------------------------------------------------------------------ the pairing's whole life
# A girl stops being left-behind (父母返乡, 迁出: `left_behind_ended`), a mother withdraws
# (`withdrawn`), a girl grows past the age limit while paired: from then on the pairing should end,
# and nobody pairs them again. Rules P012–P014 and G012 and guided entry ask here.


def _date_of(data: Mapping[str, Any], key: str) -> dt.date | None:
    part = data.get(key)
    return dates.parse_date(part.get("date")) if isinstance(part, Mapping) else None


def left_behind_ended_on(girl: Mapping[str, Any]) -> dt.date | None:
    """The day she stopped being a left-behind girl (from then on she is not pairable), or None."""
    return _date_of(girl, "left_behind_ended")


def withdrawn_on(mother: Mapping[str, Any]) -> dt.date | None:
    """The day the mother withdrew from the programme (no pairing of hers may run past it), or None."""
    return _date_of(mother, "withdrawn")


def over_age_review(birth: str, programme: Programme) -> tuple[dt.date, dt.date] | None:
    """(the day she is surely past the age limit, the first day of the following programme year:
    when the yearly review looks at her pairing). The form has only her birth month, so she is
    surely 13 (limit 12) on the last day of that month, 13 years on."""
    year_month = dates.parse_year_month(birth)
    if year_month is None:
        return None
    year, month = year_month
    _, past_limit = dates.month_bounds(year + programme.girl_max_age + 1, month)
    return past_limit, programme.programme_year(past_limit)[1] + dt.timedelta(days=1)
