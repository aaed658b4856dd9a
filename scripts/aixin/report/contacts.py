"""The contacts report (`aixin report contacts`): the care figures of a check (domain.care) as
rows a coordinator reads, then as text for the terminal or a JSON document; sheets/contacts.py
lays the same rows out as a workbook to print.

A girl is named as on her unit's site: by name in the city's report and in her own unit's; in
another unit's report (her mother's unit) only as "<unit>的女童". No phone or ID number is ever
shown: the names, the only text read from the records, go through `mask_digits` all the same
(everything else is ids, dates, counts and the programme's labels).
"""

from __future__ import annotations

import json as _json
from dataclasses import dataclass
from typing import TextIO

from aixin.check.result import CheckResult
from aixin.core.masking import mask_digits
from aixin.domain.care import CareReport, Duty, PairingCare, UnitCare, Waiting
from aixin.domain.programme import MONTH, ONCE, PROGRAMME_YEAR, TERM, Programme

from .reporters import display_width

CITY_WIDE = "全市"
_THIS_PERIOD = {ONCE: "", MONTH: "本月", PROGRAMME_YEAR: "本年度", TERM: "本学期"}
SHOWN_PERIODS = 4  # missed periods named in a cell; the rest are counted


@dataclass(frozen=True)
class Contacts:
    """What the report shows: the figures of one unit (or the city), with names and labels."""

    care: CareReport
    waiting: tuple[Waiting, ...]
    people: dict[str, tuple[str, str]]
    programme: Programme
    unit: str | None  # None: the whole city

    @property
    def title(self) -> str:
        where = self.programme.unit_name(self.unit) if self.unit else CITY_WIDE
        return f"待跟进：{where}（截至 {self.care.as_of.isoformat()}）"

    def unit_label(self, unit: str) -> str:
        return CITY_WIDE if unit == "city" else self.programme.unit_name(unit)

    def name(self, record_id: str, kind: str) -> str:
        """A mother's name, or a girl's as her unit's site shows it (another unit's girl by unit only)."""
        unit, name = self.people.get(record_id, ("", ""))
        if kind == "girl" and self.unit and unit != self.unit:
            return f"{self.programme.unit_name(unit or record_id.split('-')[0])}的女童"
        return mask_digits(name) if name else record_id


def contacts_of(result: CheckResult, programme: Programme, unit: str | None) -> Contacts:
    care = result.care
    assert care is not None, "run_check always computes the care figures"
    waiting = result.waiting
    if unit:
        care, waiting = care.of_unit(unit), tuple(w for w in waiting if w.unit == unit)
    return Contacts(care, waiting, result.people, programme, unit)


def duty_text(contacts: Contacts, duty: Duty) -> str:
    """One obligation of one pairing in words: what is missing, or where this period stands."""
    obligation = contacts.programme.obligation(duty.key)
    per = obligation.per if obligation else MONTH
    if duty.owed:
        missed = duty.periods_missed
        shown = "、".join(missed[:SHOWN_PERIODS])
        more = f" 等共 {len(missed):,} 期" if len(missed) > SHOWN_PERIODS else ""
        return f"未完成：{shown}{more}"
    if per == ONCE:
        return "已完成" if duty.met_this_period else "未到期"
    return f"{_THIS_PERIOD[per]}已完成" if duty.met_this_period else f"{_THIS_PERIOD[per]}还没有"


def share(value: float) -> str:
    return f"{round(value * 100)}%"


def unit_cells(contacts: Contacts, unit: UnitCare) -> list[str]:
    """单位, 进行中的结对, 本月已联系, 逾期未完成, one completion share per obligation, 引导联系父母."""
    cells = [contacts.unit_label(unit.unit), f"{unit.active:,}", f"{unit.contacted_this_month:,}", f"{unit.overdue:,}"]
    cells += [share(unit.completion.get(key, 0.0)) for key in contacts.care.keys]
    return [*cells, f"{unit.guided_parents:,}"]


def unit_headers(contacts: Contacts) -> list[str]:
    labels = [_label(contacts, key) for key in contacts.care.keys]
    return ["单位", "进行中的结对", "本月已联系", "逾期未完成", *(f"{label}完成率" for label in labels), "引导联系父母"]


def _label(contacts: Contacts, key: str) -> str:
    obligation = contacts.programme.obligation(key)
    return obligation.label if obligation else key


def _units(contacts: Contacts) -> tuple[UnitCare, ...]:
    return (*contacts.care.units, contacts.care.city) if contacts.unit is None else contacts.care.units


# ---------------------------------------------------------------- text


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    pad = [[cell + " " * (w - display_width(cell)) for cell, w in zip(row, widths)] for row in rows]
    return ["  ".join(row).rstrip() for row in pad]


def _pairing_lines(contacts: Contacts, number: int, p: PairingCare) -> list[str]:
    last = p.last_contact.isoformat() if p.last_contact else "没有联系记录"
    late = f"，逾期 {p.days_late:,} 天" if p.overdue else "，按时"
    out = [
        f"{number}. {p.pairing_id}  {contacts.unit_label(p.unit)}  爱心妈妈 {contacts.name(p.mother_id, 'mother')}"
        f" · 女童 {contacts.name(p.girl_id, 'girl')}  结对 {p.started_on.isoformat()}",
        f"   最近联系 {last}{late}",
    ]
    out += [f"   ✗ {d.label} — {duty_text(contacts, d)}" for d in p.duties if d.owed]
    met = "、".join(d.label for d in p.duties if not d.owed and d.met_this_period)
    pending = "、".join(d.label for d in p.duties if not d.owed and not d.met_this_period)
    if met:
        out.append(f"   本期已完成：{met}")
    if pending:
        out.append(f"   本期还没有（还不算逾期）：{pending}")
    return out


def _completion_table(contacts: Contacts) -> list[str]:
    """Obligations down, units across (the units' table would be too wide for a terminal)."""
    units = _units(contacts)
    rows = [["完成率", *(contacts.unit_label(u.unit) for u in units)]]
    rows += [[_label(contacts, key), *(share(u.completion.get(key, 0.0)) for u in units)] for key in contacts.care.keys]
    rows.append(["引导联系父母（对）", *(f"{u.guided_parents:,}" for u in units)])
    return _table(rows)


def text(contacts: Contacts, stream: TextIO) -> None:
    care = contacts.care
    totals = care.city
    counts = [[*unit_headers(contacts)[:4]], *(unit_cells(contacts, u)[:4] for u in _units(contacts))]
    out = [
        contacts.title,
        f"进行中的结对 {totals.active:,} 对，本月已联系 {totals.contacted_this_month:,} 对，"
        f"逾期未完成帮扶任务 {totals.overdue:,} 对。",
        "",
        *_table(counts),
        "",
        *_completion_table(contacts),
        "",
        "完成率：本月（每月的任务）、本年度或本学期已完成该项任务的结对占进行中结对的比例；双互为已完成的比例。",
    ]
    if care.pairings:
        out += ["", "各结对（逾期最久的在前）："]
        for number, pairing in enumerate(care.pairings, start=1):
            out += _pairing_lines(contacts, number, pairing)
    if contacts.waiting:
        out += ["", f"等待市妇联审核的爱心妈妈（{len(contacts.waiting):,} 名，等待最久的在前）："]
        for w in contacts.waiting:
            out.append(
                f"  {w.mother_id}  {contacts.unit_label(w.unit)}  {contacts.name(w.mother_id, 'mother')}"
                f"  县区（园区）妇联 {w.county_date.isoformat()} 同意，已等 {w.days:,} 天"
            )
    stream.write("\n".join(out) + "\n")


# ---------------------------------------------------------------- JSON


def _unit_dict(contacts: Contacts, unit: UnitCare) -> dict:
    return {
        "unit": unit.unit,
        "name": contacts.unit_label(unit.unit),
        "active": unit.active,
        "contacted_this_month": unit.contacted_this_month,
        "overdue": unit.overdue,
        "completion": {key: round(unit.completion.get(key, 0.0), 4) for key in contacts.care.keys},
        "guided_parents": unit.guided_parents,
    }


def _pairing_dict(contacts: Contacts, p: PairingCare) -> dict:
    return {
        "pairing": p.pairing_id,
        "unit": p.unit,
        "mother": {"id": p.mother_id, "name": contacts.name(p.mother_id, "mother")},
        "girl": {"id": p.girl_id, "name": contacts.name(p.girl_id, "girl")},
        "started_on": p.started_on.isoformat(),
        "last_contact": p.last_contact.isoformat() if p.last_contact else None,
        "overdue": p.overdue,
        "days_late": p.days_late,
        "guided_parents": p.guided_parents,
        "duties": [
            {
                "key": d.key,
                "label": d.label,
                "owed": d.owed,
                "periods_missed": list(d.periods_missed),
                "due": d.due.isoformat() if d.due else None,
                "met_this_period": d.met_this_period,
            }
            for d in p.duties
        ],
    }


def as_dict(contacts: Contacts) -> dict:
    care = contacts.care
    return {
        "as_of": care.as_of.isoformat(),
        "unit": contacts.unit,
        "obligations": [{"key": key, "label": _label(contacts, key)} for key in care.keys],
        "units": [_unit_dict(contacts, u) for u in care.units],
        "total": _unit_dict(contacts, care.city),
        "pairings": [_pairing_dict(contacts, p) for p in care.pairings],
        "approval_queue": [
            {
                "mother": {"id": w.mother_id, "name": contacts.name(w.mother_id, "mother")},
                "unit": w.unit,
                "county_date": w.county_date.isoformat(),
                "days": w.days,
            }
            for w in contacts.waiting
        ],
    }


def json(contacts: Contacts, stream: TextIO) -> None:
    """One JSON document, each pairing on a line of its own: readable, diffable, and encoded by
    the C encoder (an indented document is encoded in pure Python, ten times slower)."""
    lines = ["{"]
    items = list(as_dict(contacts).items())
    for number, (key, value) in enumerate(items):
        comma = "," if number < len(items) - 1 else ""
        if isinstance(value, list) and value:
            inner = ",\n".join("    " + _json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f'  "{key}": [\n{inner}\n  ]{comma}')
        else:
            lines.append(f'  "{key}": {_json.dumps(value, ensure_ascii=False)}{comma}')
    stream.write("\n".join(lines) + "\n}\n")
