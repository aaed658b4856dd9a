"""The programme as code sees it, parsed from records/programme.yaml (validated by its schema first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

PROGRAMME_FILE = "records/programme.yaml"


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str  # city, county or park
    quota: int


@dataclass(frozen=True)
class Phase:
    name: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Term:
    """A school term (学期): 双访 is owed once in each."""

    name: str
    start: dt.date
    end: dt.date


# How often an obligation is owed (the `per` of programme.yaml's obligations).
ONCE, MONTH, PROGRAMME_YEAR, TERM = "once", "month", "programme_year", "term"
# The seven obligations of the notice, in the order they are shown.
OBLIGATION_KEYS = (
    "first_meeting",
    "monthly_contact",
    "guardian_contact",
    "home_visit",
    "festival",
    "teacher_visit",
    "guardian_visit",
)


@dataclass(frozen=True)
class Obligation:
    """One of the mother's obligations, as the programme file states it: how often, which log
    kinds and which persons contacted count (empty: any), and the notice's own sentence."""

    key: str
    label: str
    per: str  # ONCE, MONTH, PROGRAMME_YEAR or TERM
    notice: str
    source: str = ""
    within_days: int | None = None  # ONCE: days after the pairing's start
    kinds: frozenset[str] = frozenset()
    with_: frozenset[str] = frozenset()

    def counts(self, kind: object, with_: object) -> bool:
        """A log of this kind, with these persons, meets the obligation."""
        if self.kinds and kind not in self.kinds:
            return False
        return not self.with_ or (isinstance(with_, list) and not self.with_.isdisjoint(with_))


@dataclass(frozen=True)
class ReviewRules:
    """How the yearly review (总结评优) picks commendation candidates: the `review:` section of
    programme.yaml. The defaults are the notice's reading, used when the section is absent."""

    title: str = "优秀爱心妈妈"  # the commendation's title
    months_covered: int = 11  # months of the programme year with a monthly contact with the girl
    home_visits: int = 1  # home visits in the year
    festivals: int = 1  # festivals spent with the girl in the year
    no_open_followup: bool = True  # nothing owed (待跟进) on the review day
    obligations_met: int | None = None  # percent of the year's obligation periods met; None: not a criterion
    near_misses: int = 1  # borderline (接近): misses at most this many criteria …
    near_months: int = 1  # … and, when the months are among them, falls short by at most this many
    places: int | None = None  # how many may be commended; None: no limit


@dataclass(frozen=True)
class Programme:
    """Units, quotas, phases and rule parameters: nothing of these is hard-coded elsewhere."""

    name: str
    notice: str
    total_quota: int
    units: tuple[Unit, ...]
    survey: Phase
    recruitment: Phase
    report_deadline: dt.date
    launch: dt.date
    girl_max_age: int
    parents_away_min_months: int
    mother_min_age: int
    mother_max_age: int
    max_girls_per_mother: int
    year_start: tuple[int, int]  # (month, day) a programme year starts on
    school_terms: tuple[Term, ...]
    obligations: tuple[Obligation, ...]  # in OBLIGATION_KEYS order; `obligation(key)` finds one
    review: ReviewRules = ReviewRules()

    def programme_year(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The programme year (活动年度, 1 August – 31 July by default) that holds `day`."""
        month, first = self.year_start
        year = day.year if (day.month, day.day) >= (month, first) else day.year - 1
        start = dt.date(year, month, first)
        return start, dt.date(year + 1, month, first) - dt.timedelta(days=1)

    def obligation(self, key: str) -> Obligation | None:
        return next((o for o in self.obligations if o.key == key), None)

    @property
    def unit_ids(self) -> tuple[str, ...]:
        return tuple(u.id for u in self.units)

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def unit_name(self, unit_id: str) -> str:
        unit = self.unit(unit_id)
        return unit.name if unit else unit_id


def find_root(start: Path) -> Path | None:
    """The repository: the nearest folder at or above `start` that holds records/programme.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PROGRAMME_FILE).is_file():
            return folder
    return None


def _phase(data: dict) -> Phase:
    return Phase(data["name"], dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"]))


def _obligation(key: str, data: dict) -> Obligation:
    return Obligation(
        key=key,
        label=data["label"],
        per=data["per"],
        notice=data["notice"],
        source=data.get("source", ""),
        within_days=data.get("within_days"),
        kinds=frozenset(data.get("kinds", ())),
        with_=frozenset(data.get("with", ())),
    )


def _review(data: dict | None) -> ReviewRules:
    if not data:
        return ReviewRules()
    criteria, near, default = data.get("criteria", {}), data.get("borderline", {}), ReviewRules()
    return ReviewRules(
        title=data.get("title", default.title),
        months_covered=criteria.get("months_covered", default.months_covered),
        home_visits=criteria.get("home_visits", default.home_visits),
        festivals=criteria.get("festivals", default.festivals),
        no_open_followup=criteria.get("no_open_followup", default.no_open_followup),
        obligations_met=criteria.get("obligations_met", default.obligations_met),
        near_misses=near.get("misses", default.near_misses),
        near_months=near.get("months", default.near_months),
        places=data.get("places", default.places),
    )


def from_data(data: dict) -> Programme:
    """Build the Programme from schema-valid data of programme.yaml."""
    phases, rules = data["phases"], data["rules"]
    return Programme(
        name=data["name"],
        notice=data["notice"],
        total_quota=data["total_quota"],
        units=tuple(Unit(u["id"], u["name"], u["kind"], u["quota"]) for u in data["units"]),
        survey=_phase(phases["survey"]),
        recruitment=_phase(phases["recruitment"]),
        report_deadline=dt.date.fromisoformat(phases["report_deadline"]),
        launch=dt.date.fromisoformat(phases["launch"]),
        girl_max_age=rules["girl_max_age"],
        parents_away_min_months=rules["parents_away_min_months"],
        mother_min_age=rules["mother_min_age"],
        mother_max_age=rules["mother_max_age"],
        max_girls_per_mother=rules["max_girls_per_mother"],
        year_start=(int(data["programme_year_start"][:2]), int(data["programme_year_start"][3:])),
        school_terms=tuple(
            Term(t["name"], dt.date.fromisoformat(t["start"]), dt.date.fromisoformat(t["end"]))
            for t in sorted(data["school_terms"], key=lambda t: t["start"])
        ),
        obligations=tuple(_obligation(key, data["obligations"][key]) for key in OBLIGATION_KEYS),
        review=_review(data.get("review")),
    )
