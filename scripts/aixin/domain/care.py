"""STAND-IN for engineer care's domain/care.py (CONTRACTS.md), so that the site can be built
before care-core is on main: only the monthly contact, no programme file. Removed at the merge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .terms import is_active, is_city_approved, is_county_approved

KINDS = ("电话", "见面", "书信", "视频通话", "微信", "家访", "节日陪伴", "互认互知")


@dataclass(frozen=True)
class Duty:
    key: str
    label: str
    owed: bool
    periods_missed: tuple[str, ...]
    due: dt.date | None
    met_this_period: bool


@dataclass(frozen=True)
class PairingCare:
    pairing_id: str
    unit: str
    mother_id: str
    girl_id: str
    started_on: dt.date
    last_contact: dt.date | None
    duties: tuple[Duty, ...]

    @property
    def overdue(self) -> bool:
        return any(d.owed for d in self.duties)

    @property
    def days_late(self) -> int:
        return 0


@dataclass(frozen=True)
class UnitCare:
    unit: str
    active: int
    contacted_this_month: int
    overdue: int
    completion: dict[str, float]


@dataclass(frozen=True)
class CareReport:
    as_of: dt.date
    pairings: tuple[PairingCare, ...]
    units: tuple[UnitCare, ...]
    city: UnitCare

    def of_unit(self, unit: str) -> CareReport:
        return CareReport(
            self.as_of,
            tuple(p for p in self.pairings if p.unit == unit),
            tuple(u for u in self.units if u.unit == unit),
            self.city,
        )


@dataclass(frozen=True)
class Waiting:
    mother_id: str
    unit: str
    county_date: dt.date
    days: int


def _months(start: dt.date, end: dt.date) -> list[str]:
    y, m = (start.year, start.month + 1) if start.day > 1 else (start.year, start.month)
    found = []
    while (y, m) < (end.year, end.month):
        if m > 12:
            y, m = y + 1, 1
            continue
        found.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return found


def assess(index, programme, as_of: dt.date) -> CareReport:
    pairings = []
    for record in index.valid("pairing"):
        data = record.data
        if not is_active(data):
            continue
        started = dt.date.fromisoformat(str(data["started_on"]))
        logs = [r.data for r in index.logs_of_pairing.get(record.id, []) if r.data.get("kind") in KINDS]
        dates = sorted(dt.date.fromisoformat(str(d["date"])) for d in logs)
        months = {d.strftime("%Y-%m") for d in dates}
        missed = tuple(m for m in _months(started, as_of) if m not in months)
        due = dt.date.fromisoformat(missed[0] + "-01") if missed else None
        if due:
            due = (due.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        duty = Duty("monthly_contact", "每月联系", bool(missed), missed, due, as_of.strftime("%Y-%m") in months)
        care = PairingCare(
            record.id,
            record.unit,
            str(data["mother"]),
            str(data["girl"]),
            started,
            dates[-1] if dates else None,
            (duty,),
        )
        pairings.append((care, (as_of - due).days if due else 0))
    pairings.sort(key=lambda pair: (-pair[1], pair[0].pairing_id))
    cares = tuple(_Late(p, late) for p, late in pairings)
    units = tuple(_unit(u.id, [c for c in cares if c.unit == u.id]) for u in programme.units)
    return CareReport(as_of, cares, units, _unit("city", list(cares)))


class _Late(PairingCare):
    def __init__(self, care: PairingCare, late: int):
        object.__setattr__(self, "_late", late)
        for name in PairingCare.__dataclass_fields__:
            object.__setattr__(self, name, getattr(care, name))

    @property
    def days_late(self) -> int:
        return self._late


def _unit(unit: str, cares: list) -> UnitCare:
    n = len(cares)
    met = sum(c.duties[0].met_this_period for c in cares)
    return UnitCare(unit, n, met, sum(c.overdue for c in cares), {"monthly_contact": met / n if n else 0.0})


def approval_queue(index, as_of: dt.date) -> tuple[Waiting, ...]:
    found = []
    for record in index.valid("mother"):
        data = record.data
        if is_county_approved(data) and not data.get("city_approval") and not is_city_approved(data):
            day = dt.date.fromisoformat(str(data["county_approval"]["date"]))
            found.append(Waiting(record.id, record.unit, day, (as_of - day).days))
    return tuple(sorted(found, key=lambda w: (-w.days, w.mother_id)))
