"""The yearly review (`aixin report annual`): domain.annual's figures as rows a coordinator reads
(the city's and the units' totals with the change from the year before, the candidates next to the
criteria, then every mother), as text for the terminal or a JSON document; sheets/annual.py lays
the same rows out as a printable workbook.

Mothers are named as `report contacts` names them: by name, through `mask_digits` (the only text
read from the records); no girl is named, no phone or ID number is ever shown.
"""

from __future__ import annotations

import json as _json
from dataclasses import dataclass
from typing import TextIO

from aixin.core.masking import mask_digits
from aixin.domain.annual import BEYOND, BORDERLINE, CANDIDATE, TIED, AnnualReview, Candidate, MotherYear, UnitYear
from aixin.domain.programme import Programme
from aixin.domain.records import RecordIndex

from .reporters import display_width

CITY_WIDE = "全市"
# The log schema's kinds and the pairing schema's end reasons, in the forms' order (others after).
KIND_ORDER = ("电话", "见面", "书信", "视频通话", "微信", "家访", "节日陪伴", "访老师", "访监护人", "互认互知", "其他")
REASON_ORDER = ("父母返乡", "女童超龄", "迁出", "爱心妈妈退出", "监护人不再同意", "其他")
STANDING_NOTES = {
    CANDIDATE: "符合全部条件",
    TIED: "符合全部条件，在名额线上并列",
    BEYOND: "符合全部条件，排在名额之外",
    BORDERLINE: "差一点",
}


@dataclass(frozen=True)
class Annual:
    """What the report shows: the review of one unit (or the city), with names and labels."""

    review: AnnualReview
    names: dict[str, str]  # mother id -> name (masked)
    programme: Programme
    unit: str | None  # None: the whole city

    @property
    def where(self) -> str:
        return self.programme.unit_name(self.unit) if self.unit else CITY_WIDE

    @property
    def title(self) -> str:
        year = self.review.year
        return f"年度总结：{self.where} {year.label} 活动年度"

    @property
    def period(self) -> str:
        year, day = self.review.year, self.review.as_of
        text = f"{year.start.isoformat()} 至 {year.end.isoformat()}"
        if day < year.end:
            return f"{text}；本年度还没有结束，数字统计到 {day.isoformat()}"
        return text

    def unit_label(self, unit: str) -> str:
        return CITY_WIDE if unit == "city" else self.programme.unit_name(unit)

    def name(self, mother_id: str) -> str:
        return self.names.get(mother_id) or mother_id

    @property
    def totals(self) -> tuple[UnitYear, ...]:
        """The units' rows then the city's (a unit's report: its own row only)."""
        return (*self.review.units, self.review.city) if self.unit is None else self.review.units

    def kinds(self) -> list[str]:
        present = set(self.review.city.by_kind)
        for before in self.review.previous:
            present |= set(before.by_kind)
        return _ordered(present, KIND_ORDER)

    def reasons(self) -> list[str]:
        return _ordered(set(self.review.city.ended_by_reason), REASON_ORDER)


def _ordered(present: set[str], order: tuple[str, ...]) -> list[str]:
    return [k for k in order if k in present] + sorted(present - set(order))


def annual_of(review: AnnualReview, index: RecordIndex, programme: Programme, unit: str | None) -> Annual:
    if unit:
        review = review.of_unit(unit)
    names = {}
    for mother in review.mothers:
        record = index.get(mother.mother_id, "mother")
        name = record.data.get("name") if record is not None else None
        if isinstance(name, str):
            names[mother.mother_id] = mask_digits(name)
    return Annual(review, names, programme, unit)


def share(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def change(now: int, before: int | None) -> str:
    """A count with its change from the year before: "33（+5）"."""
    if before is None:
        return f"{now:,}"
    diff = now - before
    return f"{now:,}（{'+' if diff > 0 else ''}{diff:,}）" if diff else f"{now:,}（持平）"


def total_headers() -> list[str]:
    return [
        "单位",
        "爱心妈妈",
        "建档女童",
        "结对女童",
        "结对",
        "联系次数",
        "家访",
        "节日陪伴",
        "双访",
        "任务完成率",
        "结束的结对",
        "表彰",
        "培训参加/提供",
    ]


def total_cells(annual: Annual, unit: UnitYear, with_change: bool = True) -> list[str]:
    before = annual.review.previous_of(unit.unit) if with_change else None

    def cell(name: str) -> str:
        return change(getattr(unit, name), getattr(before, name) if before else None)

    ended = sum(unit.ended_by_reason.values())
    return [
        annual.unit_label(unit.unit),
        cell("mothers"),
        cell("girls_on_file"),
        cell("girls_paired"),
        cell("pairings"),
        cell("contacts"),
        cell("home_visits"),
        cell("festivals"),
        cell("double_visits"),
        share(unit.obligations_met),
        change(ended, sum(before.ended_by_reason.values()) if before else None),
        f"{unit.commendations:,}",
        f"{unit.trainings_attended:,}/{unit.trainings_invited:,}",
    ]


def mother_headers() -> list[str]:
    return [
        "编号",
        "单位",
        "姓名",
        "结对女童",
        "联系次数",
        "联系月数",
        "结对月数",
        "家访",
        "节日陪伴",
        "双访",
        "任务完成率",
        "待跟进",
        "表彰",
        "培训参加/提供",
    ]


def mother_cells(annual: Annual, m: MotherYear) -> list[str]:
    return [
        m.mother_id,
        annual.unit_label(m.unit),
        annual.name(m.mother_id),
        f"{m.girls}",
        f"{m.contacts:,}",
        f"{m.months_covered}",
        f"{m.months_active}",
        f"{m.home_visits}",
        f"{m.festivals}",
        f"{m.double_visits}",
        share(m.obligations_met),
        "有" if m.open_followup else "没有",
        "、".join(m.commendations) or "—",
        f"{m.trainings_attended}/{m.trainings_invited}",
    ]


def candidate_headers(annual: Annual) -> list[str]:
    return ["编号", "单位", "姓名", "评选情况", *annual.review.criteria]


def candidate_cells(annual: Annual, c: Candidate) -> list[str]:
    standing = c.standing if c.standing != BORDERLINE else f"{c.standing}（差：{'、'.join(x.label for x in c.missed)}）"
    marks = [f"{'✓' if x.met else '✗'} {x.value}" for x in c.criteria]
    return [c.mother_id, annual.unit_label(c.unit), annual.name(c.mother_id), standing, *marks]


def places_text(annual: Annual) -> str:
    places = annual.review.places
    if places is None:
        return "名额：不限，符合全部条件的都列为候选。"
    return (
        f"名额：{places} 名。符合条件的多于名额时按联系月数、帮扶任务完成率、联系次数排序；"
        "在名额线上并列的都列为“并列”，排在名额之外的列为“名额外”，由市妇联决定。"
    )


# ---------------------------------------------------------------- text


def _table(rows: list[list[str]]) -> list[str]:
    """The rows in aligned columns; each distinct cell measured once (ten thousand mothers' rows
    repeat the same few numbers and words)."""
    known: dict[str, int] = {}

    def width(cell: str) -> int:
        found = known.get(cell)
        if found is None:
            found = known[cell] = display_width(cell)
        return found

    measured = [[width(cell) for cell in row] for row in rows]
    widths = [max(column) for column in zip(*measured)]
    pad = [[cell + " " * (w - n) for cell, w, n in zip(row, widths, sizes)] for row, sizes in zip(rows, measured)]
    return ["  " + "  ".join(row).rstrip() for row in pad]


def _counts_line(annual: Annual) -> str:
    standings = [c.standing for c in annual.review.candidates]
    parts = [f"{s} {standings.count(s):,} 名" for s in (CANDIDATE, TIED, BEYOND, BORDERLINE) if s in standings]
    return "，".join(parts) if parts else "没有符合或接近条件的爱心妈妈"


def text(annual: Annual, stream: TextIO) -> None:
    review = annual.review
    city = review.city
    out = [annual.title, f"（{annual.period}）", ""]
    out.append(
        f"爱心妈妈 {city.mothers:,} 名，结对女童 {city.girls_paired:,} 名（建档 {city.girls_on_file:,} 名），"
        f"结对 {city.pairings:,} 对，联系 {city.contacts:,} 次，帮扶任务完成率 {share(city.obligations_met)}。"
    )
    out += ["", "合计" + ("（括号内是与上一年度相比的增减）：" if review.previous else "（没有上一年度的记录可比）：")]
    out += _table([total_headers(), *(total_cells(annual, u) for u in annual.totals)])
    kinds = annual.kinds()
    if kinds:
        out += ["", "联系方式（次）："]
        out += _table(
            [
                ["单位", *kinds],
                *([annual.unit_label(u.unit), *(f"{u.by_kind.get(k, 0):,}" for k in kinds)] for u in annual.totals),
            ]
        )
    reasons = annual.reasons()
    if reasons:
        out += ["", "本年度结束的结对（按结束原因）："]
        out += _table(
            [
                ["单位", *reasons],
                *(
                    [annual.unit_label(u.unit), *(f"{u.ended_by_reason.get(r, 0):,}" for r in reasons)]
                    for u in annual.totals
                ),
            ]
        )
    out += ["", f"“{review.title}”评选候选人（条件在 records/programme.yaml 的 review 中设定）："]
    out += [f"  {number}. {label}" for number, label in enumerate(review.criteria, start=1)]
    out += [f"  {places_text(annual)}", f"  {_counts_line(annual)}。"]
    if review.candidates:
        out += _table([candidate_headers(annual), *(candidate_cells(annual, c) for c in review.candidates)])
    if review.commendations:
        out += ["", f"本年度的表彰（{len(review.commendations):,} 名）："]
        rows = [["编号", "单位", "姓名", "表彰名称", "表彰单位", "日期"]]
        for c in review.commendations:
            rows.append([c.mother_id, annual.unit_label(c.unit), annual.name(c.mother_id), c.title, c.awarded_by])
            rows[-1].append(c.date.isoformat())
        out += _table(rows)
    if review.trainings:
        out += ["", f"本年度的培训（{len(review.trainings):,} 次）："]
        rows = [["日期", "培训内容", "地点", "主办单位", "提供培训（名）", "参加（名）"]]
        for t in review.trainings:
            rows.append(
                [t.date.isoformat(), t.topic, t.place, t.organiser, f"{len(t.invited):,}", f"{len(t.attended):,}"]
            )
        out += _table(rows)
    out += ["", "各爱心妈妈："]
    if review.mothers:
        out += _table([mother_headers(), *(mother_cells(annual, m) for m in review.mothers)])
    else:
        out.append("  （没有）")
    out += [
        "",
        "联系月数：这一年里与女童有过每月联系的月数；结对月数：有进行中结对的月数；"
        "任务完成率：这一年已到期的各项帮扶任务中完成的比例；待跟进：年度结束时（或统计日）有逾期未完成的任务。",
    ]
    stream.write("\n".join(out) + "\n")


# ---------------------------------------------------------------- JSON


def _unit_dict(annual: Annual, u: UnitYear) -> dict:
    return {
        "unit": u.unit,
        "name": annual.unit_label(u.unit),
        "mothers": u.mothers,
        "girls_on_file": u.girls_on_file,
        "girls_paired": u.girls_paired,
        "pairings": u.pairings,
        "contacts": u.contacts,
        "by_kind": u.by_kind,
        "home_visits": u.home_visits,
        "festivals": u.festivals,
        "double_visits": u.double_visits,
        "ended_by_reason": u.ended_by_reason,
        "obligations_met": None if u.obligations_met is None else round(u.obligations_met, 4),
        "commendations": u.commendations,
        "trainings_invited": u.trainings_invited,
        "trainings_attended": u.trainings_attended,
    }


def _mother_dict(annual: Annual, m: MotherYear) -> dict:
    return {
        "mother": {"id": m.mother_id, "name": annual.name(m.mother_id)},
        "unit": m.unit,
        "girls": m.girls,
        "contacts": m.contacts,
        "by_kind": m.by_kind,
        "months_covered": m.months_covered,
        "months_active": m.months_active,
        "home_visits": m.home_visits,
        "festivals": m.festivals,
        "double_visits": m.double_visits,
        "obligations_met": None if m.obligations_met is None else round(m.obligations_met, 4),
        "open_followup": m.open_followup,
        "commendations": list(m.commendations),
        "trainings_invited": m.trainings_invited,
        "trainings_attended": m.trainings_attended,
    }


def as_dict(annual: Annual) -> dict:
    review = annual.review
    return {
        "year": {
            "label": review.year.label,
            "start": review.year.start.isoformat(),
            "end": review.year.end.isoformat(),
        },
        "as_of": review.as_of.isoformat(),
        "unit": annual.unit,
        "units": [_unit_dict(annual, u) for u in review.units],
        "total": _unit_dict(annual, review.city),
        "previous": [_unit_dict(annual, u) for u in review.previous],
        "review": {"title": review.title, "criteria": list(review.criteria), "places": review.places},
        "candidates": [
            {
                "mother": {"id": c.mother_id, "name": annual.name(c.mother_id)},
                "unit": c.unit,
                "standing": c.standing,
                "criteria": [{"key": x.key, "label": x.label, "met": x.met, "value": x.value} for x in c.criteria],
            }
            for c in review.candidates
        ],
        "commendations": [
            {
                "id": c.record_id,
                "mother": {"id": c.mother_id, "name": annual.name(c.mother_id)},
                "unit": c.unit,
                "title": c.title,
                "awarded_by": c.awarded_by,
                "date": c.date.isoformat(),
            }
            for c in review.commendations
        ],
        "trainings": [
            {
                "id": t.record_id,
                "date": t.date.isoformat(),
                "topic": t.topic,
                "place": t.place,
                "organiser": t.organiser,
                "invited": list(t.invited),
                "attended": list(t.attended),
            }
            for t in review.trainings
        ],
        "mothers": [_mother_dict(annual, m) for m in review.mothers],
    }


def json(annual: Annual, stream: TextIO) -> None:
    """One JSON document, each mother (and unit, candidate …) on a line of its own, as the contacts report."""
    lines = ["{"]
    items = list(as_dict(annual).items())
    for number, (key, value) in enumerate(items):
        comma = "," if number < len(items) - 1 else ""
        if isinstance(value, list) and value:
            inner = ",\n".join("    " + _json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f'  "{key}": [\n{inner}\n  ]{comma}')
        else:
            lines.append(f'  "{key}": {_json.dumps(value, ensure_ascii=False)}{comma}')
    stream.write("\n".join(lines) + "\n}\n")
