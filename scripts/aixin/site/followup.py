"""The care figures as pages show them: what is owed, the last contact, how late, completion.

Pure: it reads the `domain.care` report already restricted to the audience (`audience.restrict`)
and returns plain values for the templates; which pairings and units a page lists is decided by
the report it is given, never here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from aixin.domain import programme as programme_module
from aixin.domain.care import CareReport, Duty, PairingCare, UnitCare
from aixin.domain.programme import Programme

MONTH = re.compile(r"\A(\d{4})-(\d{2})\Z")
DEADLINE = re.compile(r"\A(\d{4}-\d{2}-\d{2})前\Z")  # the first meeting's missed deadline
LISTED = 3  # periods listed by name; more are summed up as a count with the first and the last


@dataclass(frozen=True)
class Owed:
    """One obligation a pairing is behind on, in words."""

    label: str
    periods: str  # "2019年11月、2019年12月" or "共 14 个月，最早 2019年11月，最近 2020年12月"


@dataclass(frozen=True)
class CareSummary:
    """What a unit, mother or pairing page says of one active pairing's care."""

    last_contact: str  # "2019-12-01", or "没有联系记录"
    owed: tuple[Owed, ...]
    days_late: int
    duties: tuple[dict, ...]  # every obligation: label, state (按时 / 未完成 / 本期待完成), periods

    @property
    def overdue(self) -> bool:
        return bool(self.owed)

    @property
    def owed_text(self) -> str:
        return "；".join(f"{o.label}：{o.periods}" for o in self.owed)


@lru_cache(maxsize=4096)  # the same few hundred periods, named for every pairing that owes them
def period_name(period: str) -> str:
    """A period as the notice's readers say it: "2019-11" → "2019年11月", "2019-08-31前" →
    "应于 2019-08-31 前"; a programme year or a term by its name."""
    match = MONTH.match(period)
    if match:
        return f"{match.group(1)}年{int(match.group(2))}月"
    match = DEADLINE.match(period)
    return f"应于 {match.group(1)} 前" if match else period


def _unit_word(period: str) -> str:
    if MONTH.match(period):
        return "个月"
    return "个学年" if period.endswith("学年") else "个学期"


def periods_text(periods: tuple[str, ...]) -> str:
    if len(periods) <= LISTED:
        return "、".join(map(period_name, periods))
    return (
        f"共 {len(periods)} {_unit_word(periods[0])}，最早 {period_name(periods[0])}，最近 {period_name(periods[-1])}"
    )


def _state(duty: Duty) -> str:
    if duty.owed:
        return "未完成"
    return "本期已完成" if duty.met_this_period else "本期待完成"


def summary(care: PairingCare) -> CareSummary:
    owed = tuple(Owed(d.label, periods_text(d.periods_missed)) for d in care.duties if d.owed)
    duties = tuple(
        {"label": d.label, "state": _state(d), "owed": d.owed, "periods": periods_text(d.periods_missed)}
        for d in care.duties
    )
    last = care.last_contact.isoformat() if care.last_contact else "没有联系记录"
    return CareSummary(last, owed, care.days_late, duties)


def summaries(report: CareReport | None) -> dict[str, CareSummary]:
    """By pairing id: the active pairings of the report (an ended pairing owes nothing)."""
    return {} if report is None else {p.pairing_id: summary(p) for p in report.pairings}


def overdue(report: CareReport | None, pairing_ids: set[str] | None = None) -> list[PairingCare]:
    """The overdue pairings, most late first (the report's order), among `pairing_ids` if given."""
    if report is None:
        return []
    return [p for p in report.pairings if p.overdue and (pairing_ids is None or p.pairing_id in pairing_ids)]


def obligation_labels(programme: Programme) -> list[tuple[str, str]]:
    """(key, label) of the obligations, in the programme file's order."""
    return [(o.key, o.label) for o in programme.obligations]


def rhythm(obligation: programme_module.Obligation, programme: Programme) -> str:
    """How often an obligation is owed, in the coordinators' words (from the programme file)."""
    if obligation.per == programme_module.ONCE:
        return f"结对后 {obligation.within_days or 0} 天内一次"
    if obligation.per == programme_module.MONTH:
        return "每个月"
    if obligation.per == programme_module.PROGRAMME_YEAR:
        start, end = programme.programme_year(programme.launch)
        return f"每个活动年度（{start.month}月{start.day}日至次年{end.month}月{end.day}日）"
    return "每个学期"


def obligations(programme: Programme) -> list[dict]:
    """Each obligation as the 待跟进 pages explain it: label, rhythm, and the notice's sentence."""
    return [
        {"label": o.label, "rhythm": rhythm(o, programme), "notice": o.notice, "source": o.source}
        for o in programme.obligations
    ]


def completion_cells(unit: UnitCare, keys: list[str]) -> list[str]:
    """Each obligation's share of the unit's active pairings that met it this period, in per cent."""
    if not unit.active:
        return ["—" for _ in keys]
    return [f"{round(100 * unit.completion.get(key, 0.0))}%" for key in keys]
