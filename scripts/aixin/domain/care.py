"""The care the programme exists for, as of a date: which obligations of the notice each active
pairing has met or owes, per unit and city-wide totals, and the mothers waiting for the city.

Pure: reads a `RecordIndex` (the check's, so the logs' `kind`, `with` and `guided_parents` are
among `records.CROSS_FIELDS`) and the programme's obligations; nothing here prints or opens a file.

How a period is owed (the same for every obligation, so that it can be said in one sentence):
- a pairing owes the calendar months it was in progress for whole: from its start month when it
  started on the 1st, else from the next month, and never a month before the launch; a month it
  ended in is owed only when it ended on that month's last day;
- a programme year or a school term is owed when the pairing owed at least half of its months
  (a month belongs to a period when its first day does);
- a period is owed only once it is over: the current month, year or term is never owed yet,
  it counts in `met_this_period`;
- the first meeting (双互) is owed once its deadline (start + `within_days`) has passed without one;
- logs dated after the as-of date do not exist yet for the figures.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from aixin.core.dates import parse_date

from .programme import MONTH, ONCE, PROGRAMME_YEAR, TERM, Obligation, Programme
from .records import Record, RecordIndex
from .terms import is_active, is_county_approved, is_ended

CITY = "city"


@dataclass(frozen=True)
class Duty:
    """One obligation of one pairing, as of a date."""

    key: str  # one of programme.OBLIGATION_KEYS
    label: str  # from the programme file
    owed: bool  # owed now (overdue) as of the date
    periods_missed: tuple[str, ...]  # "2026-10", "2025-2026学年", a term's name, or "2019-08-31前"
    due: dt.date | None  # the day it became overdue (after the earliest missed period), None when not owed
    met_this_period: bool  # done in the current month / programme year / term (first meeting: done at all)


@dataclass(frozen=True)
class PairingCare:
    pairing_id: str
    unit: str
    mother_id: str
    girl_id: str
    started_on: dt.date
    last_contact: dt.date | None  # the latest log of a monthly_contact kind
    duties: tuple[Duty, ...]
    as_of: dt.date = dt.date.min
    guided_parents: int = 0  # logs of this programme year on which the girl was guided to her parents

    @property
    def overdue(self) -> bool:
        return any(d.owed for d in self.duties)

    @property
    def days_late(self) -> int:
        dues = [d.due for d in self.duties if d.owed and d.due is not None]
        return (self.as_of - min(dues)).days if dues else 0

    def duty(self, key: str) -> Duty | None:
        return next((d for d in self.duties if d.key == key), None)


@dataclass(frozen=True)
class UnitCare:
    unit: str
    active: int  # active pairings of the unit (the mother's unit, where the pairing is filed)
    contacted_this_month: int  # active pairings with a monthly_contact log this month
    overdue: int
    completion: dict[str, float] = field(default_factory=dict)  # key -> share that met it this period
    guided_parents: int = 0  # active pairings whose girl was guided to her parents this programme year


@dataclass(frozen=True)
class Waiting:
    """A mother approved by her county, park or 市直 and waiting for the city's decision."""

    mother_id: str
    unit: str
    county_date: dt.date
    days: int


@dataclass(frozen=True)
class CareReport:
    as_of: dt.date
    pairings: tuple[PairingCare, ...]  # active pairings only, most late first (days_late desc, overdue, id)
    units: tuple[UnitCare, ...]  # programme order
    city: UnitCare  # unit == "city": the totals of `pairings`
    keys: tuple[str, ...] = ()  # the obligations, in the programme's order

    def of_unit(self, unit: str) -> CareReport:
        """The same report for one unit's pairings only (its `city` is that unit's totals)."""
        mine = tuple(p for p in self.pairings if p.unit == unit)
        return replace(
            self,
            pairings=mine,
            units=tuple(u for u in self.units if u.unit == unit),
            city=_totals(CITY, mine, self.keys),
        )


def assess(index: RecordIndex, programme: Programme, as_of: dt.date) -> CareReport:
    """Every pairing in progress on `as_of`, what it met and owes, and the totals."""
    pairings = []
    periods = _Periods(programme, as_of)
    for pairing in index.valid("pairing"):
        if _in_progress(pairing.data, as_of):
            logs = index.logs_of_pairing.get(pairing.id, ())
            pairings.append(assess_pairing(pairing, logs, programme, as_of, periods))
    pairings.sort(key=lambda p: (-p.days_late, not p.overdue, p.pairing_id))  # overdue today before on time
    keys = tuple(o.key for o in programme.obligations)
    return CareReport(
        as_of=as_of,
        pairings=tuple(pairings),
        units=tuple(_totals(u, [p for p in pairings if p.unit == u], keys) for u in programme.unit_ids),
        city=_totals(CITY, pairings, keys),
        keys=keys,
    )


def assess_pairing(
    pairing: Record, logs: Iterable[Record], programme: Programme, as_of: dt.date, periods: _Periods | None = None
) -> PairingCare:
    """One pairing's duties as of `as_of` (any pairing, ended ones too: the months after its end
    are not owed). `periods`: the years and terms, when a caller assesses many pairings."""
    data = pairing.data
    start = parse_date(data["started_on"]) or as_of
    end = parse_date(data.get("ended_on")) if is_ended(data) else None
    dated = [(day, log.data) for log in logs if (day := parse_date(log.data.get("date"))) and day <= as_of]
    calendar = _Calendar(periods or _Periods(programme, as_of), start, end)
    duties = tuple(
        calendar.duty(o, [day for day, d in dated if o.counts(d.get("kind"), d.get("with"))])
        for o in programme.obligations
    )
    contact = programme.obligation("monthly_contact")
    contacts = [day for day, d in dated if contact is None or d.get("kind") in contact.kinds]
    year_start, _ = programme.programme_year(as_of)
    return PairingCare(
        pairing_id=pairing.id,
        unit=pairing.unit,
        mother_id=data["mother"],
        girl_id=data["girl"],
        started_on=start,
        last_contact=max(contacts, default=None),
        duties=duties,
        as_of=as_of,
        guided_parents=sum(1 for day, d in dated if day >= year_start and d.get("guided_parents") is True),
    )


def tally_pairing(
    pairing: Record,
    logs: Iterable[Record],
    programme: Programme,
    window: tuple[dt.date, dt.date],
    as_of: dt.date,
    periods: _Periods | None = None,
) -> tuple[int, int]:
    """(periods owed, periods met) over every obligation of `pairing`, counting only the periods
    that belong to `window` (a programme year: a month, year or term belongs to it when its first
    day does; the first meeting by its deadline) and that are over by `as_of`, owed the same way
    as `assess_pairing` owes them. The yearly review's completion share (domain.annual)."""
    data = pairing.data
    start = parse_date(data["started_on"]) or as_of
    end = parse_date(data.get("ended_on")) if is_ended(data) else None
    dated = [(day, log.data) for log in logs if (day := parse_date(log.data.get("date"))) and day <= as_of]
    calendar = _Calendar(periods or _Periods(programme, as_of), start, end)
    inside = _Period.of("", *window)
    owed = met = 0
    for obligation in programme.obligations:
        days = [day for day, d in dated if obligation.counts(d.get("kind"), d.get("with"))]
        o, m = calendar.tally(obligation, days, inside)
        owed, met = owed + o, met + m
    return owed, met


def shared_periods(programme: Programme, as_of: dt.date) -> _Periods:
    """The programme years and terms up to `as_of`, made once for many `assess_pairing`/`tally_pairing` calls."""
    return _Periods(programme, as_of)


def month_number(day: dt.date) -> int:
    """A month as one number (year × 12 + month − 1), as the care figures count months."""
    return _month_number(day)


def months_of(start: dt.date, end: dt.date) -> range:
    """The months that belong to the period from `start` to `end`: those whose first day lies in it."""
    return range(_first_owed_month(start), _month_number(end) + 1)


def approval_queue(index: RecordIndex, as_of: dt.date) -> tuple[Waiting, ...]:
    """Mothers approved by their unit on or before `as_of` whose city decision had not come by
    then (and who had not withdrawn), longest wait first."""
    queue = []
    for mother in index.valid("mother"):
        data = mother.data
        county = parse_date((data.get("county_approval") or {}).get("date"))
        if not is_county_approved(data) or county is None or county > as_of:
            continue
        city = data.get("city_approval")
        decided = parse_date(city.get("date")) if isinstance(city, dict) else None
        if city is not None and (decided is None or decided <= as_of):
            continue
        withdrawn = parse_date((data.get("withdrawn") or {}).get("date"))
        if withdrawn is not None and withdrawn <= as_of:  # she left the programme: no decision is awaited
            continue
        queue.append(Waiting(mother.id, mother.unit, county, (as_of - county).days))
    return tuple(sorted(queue, key=lambda w: (-w.days, w.mother_id)))


def _in_progress(data: Mapping[str, Any], as_of: dt.date) -> bool:
    """In progress on `as_of`: started by then, and active now or ended only after it."""
    start = parse_date(data.get("started_on"))
    if start is None or start > as_of:
        return False
    if is_active(data):
        return True
    end = parse_date(data.get("ended_on"))
    return is_ended(data) and end is not None and end > as_of


def _totals(unit: str, pairings: Iterable[PairingCare], keys: tuple[str, ...]) -> UnitCare:
    pairings = list(pairings)
    met = dict.fromkeys(keys, 0)
    for pairing in pairings:
        for duty in pairing.duties:
            met[duty.key] = met.get(duty.key, 0) + duty.met_this_period
    monthly = [p.duty("monthly_contact") for p in pairings]
    return UnitCare(
        unit=unit,
        active=len(pairings),
        contacted_this_month=sum(1 for d in monthly if d is not None and d.met_this_period),
        overdue=sum(1 for p in pairings if p.overdue),
        completion={key: (count / len(pairings) if pairings else 0.0) for key, count in met.items()},
        guided_parents=sum(1 for p in pairings if p.guided_parents),
    )


def _month_number(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(number: int) -> dt.date:
    return dt.date(number // 12, number % 12 + 1, 1)


def _month_label(number: int) -> str:
    return f"{number // 12}-{number % 12 + 1:02d}"


def _first_owed_month(day: dt.date) -> int:
    """The first month a pairing starting (or a programme launching) on `day` owes."""
    return _month_number(day) + (day.day != 1)


@dataclass(frozen=True)
class _Period:
    label: str
    start: dt.date
    end: dt.date
    first_month: int  # the months that belong to it: those whose 1st lies in it
    last_month: int

    @classmethod
    def of(cls, label: str, start: dt.date, end: dt.date) -> _Period:
        return cls(label, start, end, _first_owed_month(start), _month_number(end))


class _Periods:
    """The programme years and terms up to a day, the same for every pairing (made once per report)."""

    def __init__(self, programme: Programme, as_of: dt.date):
        self.programme, self.as_of = programme, as_of
        launch = programme.launch
        years = []
        year_start, _ = programme.programme_year(min(launch, as_of))
        while year_start <= as_of:
            start, end = programme.programme_year(year_start)
            years.append(_Period.of(f"{start.year}-{start.year + 1}学年", start, end))
            year_start = end + dt.timedelta(days=1)
        terms = programme.school_terms
        started = bisect.bisect_right([t.start for t in terms], as_of)
        # Between two terms, the current one is the term just over.
        self.by_per = {PROGRAMME_YEAR: years, TERM: [_Period.of(t.name, t.start, t.end) for t in terms[:started]]}
        # "2026-11" for every month that can be owed, made once (there are ten thousand pairings)
        self.first_month = _first_owed_month(launch)
        self.month_labels = [_month_label(n) for n in range(self.first_month, _month_number(as_of) + 1)]


class _Calendar:
    """The periods of one pairing as of a date: which are owed and which is current."""

    def __init__(self, periods: _Periods, start: dt.date, end: dt.date | None):
        self.shared, self.start, self.end, self.as_of = periods, start, end, periods.as_of
        self.first = max(_first_owed_month(start), _first_owed_month(periods.programme.launch))
        # The last month owed for whole: the one before as_of's, or the ending month if it ended on its last day.
        last = _month_number(self.as_of) - 1
        if end is not None:
            last = min(last, _month_number(end + dt.timedelta(days=1)) - 1)
        self.last = last

    def _half_owed(self, period: _Period) -> bool:
        months = period.last_month - period.first_month + 1
        owed = min(self.last, period.last_month) - max(self.first, period.first_month) + 1
        return months > 0 and 2 * max(owed, 0) >= months

    def duty(self, obligation: Obligation, days: list[dt.date]) -> Duty:
        """The duty of `obligation` given the days of the logs that count for it."""
        if obligation.per == ONCE:
            return self._once(obligation, days)
        if obligation.per == MONTH:
            met_months = {_month_number(day) for day in days}
            missed_months = [n for n in range(self.first, self.last + 1) if n not in met_months]
            return Duty(
                key=obligation.key,
                label=obligation.label,
                owed=bool(missed_months),
                periods_missed=tuple(self.shared.month_labels[n - self.shared.first_month] for n in missed_months),
                due=_month_start(missed_months[0] + 1) if missed_months else None,
                met_this_period=_month_number(self.as_of) in met_months,
            )
        candidates = self.shared.by_per.get(obligation.per, [])
        done = sorted(days)

        def met(period: _Period) -> bool:
            i = bisect.bisect_left(done, period.start)
            return i < len(done) and done[i] <= period.end

        missed = [p for p in candidates if p.end < self.as_of and self._half_owed(p) and not met(p)]
        return Duty(
            key=obligation.key,
            label=obligation.label,
            owed=bool(missed),
            periods_missed=tuple(p.label for p in missed),
            due=missed[0].end + dt.timedelta(days=1) if missed else None,
            met_this_period=bool(candidates) and met(candidates[-1]),
        )

    def tally(self, obligation: Obligation, days: list[dt.date], window: _Period) -> tuple[int, int]:
        """(owed, met) of `obligation`'s periods that belong to `window` and are over."""
        if obligation.per == ONCE:
            deadline = self.start + dt.timedelta(days=obligation.within_days or 0)
            lasted = self.end is None or self.end > deadline
            done_once = any(day <= self.as_of for day in days)
            counted = lasted and window.start <= deadline <= window.end and (done_once or deadline < self.as_of)
            return int(counted), int(counted and done_once)
        if obligation.per == MONTH:
            months = range(max(self.first, window.first_month), min(self.last, window.last_month) + 1)
            met_months = {_month_number(day) for day in days}
            return len(months), sum(1 for n in months if n in met_months)
        done = sorted(days)
        owed = met = 0
        for period in self.shared.by_per.get(obligation.per, []):
            if window.start <= period.start <= window.end and period.end < self.as_of and self._half_owed(period):
                i = bisect.bisect_left(done, period.start)
                owed, met = owed + 1, met + (i < len(done) and done[i] <= period.end)
        return owed, met

    def _once(self, obligation: Obligation, days: list[dt.date]) -> Duty:
        deadline = self.start + dt.timedelta(days=obligation.within_days or 0)
        done = bool(days)
        lasted = self.end is None or self.end > deadline  # a pairing ended before its deadline owes none
        owed = not done and deadline < self.as_of and lasted
        return Duty(
            key=obligation.key,
            label=obligation.label,
            owed=owed,
            periods_missed=(f"{deadline.isoformat()}前",) if owed else (),
            due=deadline + dt.timedelta(days=1) if owed else None,
            met_this_period=done,
        )


# ---------------------------------------------------------------- plain values, for the check's cache


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def report_to_row(report: CareReport, queue: tuple[Waiting, ...]) -> tuple[Any, ...]:
    """The report and the approval queue as plain tuples (what marshal and the workers carry)."""
    pairings = tuple(
        (
            p.pairing_id,
            p.unit,
            p.mother_id,
            p.girl_id,
            p.started_on.isoformat(),
            p.last_contact.isoformat() if p.last_contact else None,
            tuple(
                (d.key, d.label, d.owed, d.periods_missed, d.due.isoformat() if d.due else None, d.met_this_period)
                for d in p.duties
            ),
            p.guided_parents,
        )
        for p in report.pairings
    )
    units = tuple(u.unit for u in report.units)
    waiting = tuple((w.mother_id, w.unit, w.county_date.isoformat(), w.days) for w in queue)
    return report.as_of.isoformat(), report.keys, units, pairings, waiting


def report_from_row(row: tuple[Any, ...]) -> tuple[CareReport, tuple[Waiting, ...]]:
    """`report_to_row`'s tuple back as the report and the queue."""
    as_of_text, keys, units, pairing_rows, waiting_rows = row
    as_of = dt.date.fromisoformat(as_of_text)
    pairings = tuple(
        PairingCare(
            pairing_id,
            unit,
            mother_id,
            girl_id,
            dt.date.fromisoformat(started),
            _day(last),
            tuple(Duty(k, label, owed, tuple(missed), _day(due), met) for k, label, owed, missed, due, met in duties),
            as_of,
            guided,
        )
        for pairing_id, unit, mother_id, girl_id, started, last, duties, guided in pairing_rows
    )
    keys = tuple(keys)
    report = CareReport(
        as_of=as_of,
        pairings=pairings,
        units=tuple(_totals(u, [p for p in pairings if p.unit == u], keys) for u in units),
        city=_totals(CITY, pairings, keys),
        keys=keys,
    )
    queue = tuple(Waiting(m, unit, dt.date.fromisoformat(day), days) for m, unit, day, days in waiting_rows)
    return report, queue
