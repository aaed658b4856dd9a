"""The year's-end pages (年度总结): one page per programme year, city-wide and per unit.

Pure: the yearly reviews (`domain.annual.review`, computed once in `collect` and cut down for the
audience in `audience.restrict`) become `Page`s with every figure already in words, so the
templates only lay them out. Names are those the audience's restricted data holds (as
`pages._party` does): a mother the site has no record of is never named, only counted.

- `years/index.md`: each year on record, a line of totals and its link;
- `years/<label>.md` (city site): the units' totals with the change from the year before, the
  candidates for commendation with the criteria next to them, the commendations decided, the
  trainings (offered / attended), the figures reported upward, a link to each unit's page;
- `years/<label>/<unit>.md`: the same for one unit, plus its mothers' table.
A unit site has the index and its own unit's pages only; the public site none.
"""

from __future__ import annotations

from dataclasses import dataclass

from aixin.domain import annual
from aixin.domain.annual import AnnualReview, UnitYear

from .audience import Restricted
from .charts import END_REASONS, LOG_KINDS, Chart, Series
from .pages import Page, page_url

INDEX = "years/index.md"
TITLE = "年度总结"
CITY_ID = annual.CITY  # how domain.annual names the city's totals
NO_CHANGE = "±0"


def year_path(label: str, unit_id: str | None = None) -> str:
    """The city-wide page of a year (None), or one unit's."""
    return f"years/{label}.md" if unit_id is None else f"years/{label}/{unit_id}.md"


def html(path: str) -> str:
    return path.removesuffix(".md") + ".html"


@dataclass(frozen=True)
class Cell:
    """A figure as a table shows it, with its change from the year before ("" when no earlier year)."""

    text: str
    change: str = ""


# The units' totals table: (label, how to read it from a UnitYear); "%" marks a share.
TOTALS = (
    ("爱心妈妈", "mothers", "名"),
    ("建档女童", "girls_on_file", "名"),
    ("结对女童", "girls_paired", "名"),
    ("结对", "pairings", "对"),
    ("联系", "contacts", "次"),
    ("家访", "home_visits", "次"),
    ("节日陪伴", "festivals", "次"),
    ("双访", "double_visits", "次"),
    ("义务完成", "obligations_met", "%"),
    ("结束的结对", "ended", "对"),
    ("表彰", "commendations", "名"),
    ("参加培训", "trainings_attended", "人次"),
)


def figure(totals: UnitYear, key: str) -> float | int | None:
    """One figure of a unit's (or the city's) year: the field, or a sum the table shows."""
    if key == "ended":
        return sum(totals.ended_by_reason.values())
    return getattr(totals, key)


def percent(share: float | None) -> str:
    return "—" if share is None else f"{round(100 * share)}%"


def change(now: float | int | None, before: float | int | None, share: bool) -> str:
    """ "+3", "-2", "±0"; a share's change in percentage points; "" when a side is unknown."""
    if now is None or before is None:
        return ""
    delta = round(100 * (now - before)) if share else now - before
    return NO_CHANGE if delta == 0 else f"{delta:+d}"


def totals_cells(totals: UnitYear, previous: UnitYear | None) -> list[Cell]:
    cells = []
    for _, key, unit in TOTALS:
        now = figure(totals, key)
        share = unit == "%"
        text = percent(now) if share else str(now)
        before = figure(previous, key) if previous else None
        cells.append(Cell(text, change(now, before, share) if previous else ""))
    return cells


def _previous(review: AnnualReview) -> dict[str, UnitYear]:
    return {u.unit: u for u in review.previous}


def _mother(site: Restricted, mother_id: str) -> dict:
    """A mother as a year page names her: a link to her page when the site holds her record."""
    item = site.data.mothers.get(mother_id)
    if item is None:
        return {"name": "", "url": "", "known": False}
    name = item.data.get("name")
    return {
        "name": name if isinstance(name, str) and name.strip() else mother_id,
        "url": page_url("mother", mother_id),
        "known": True,
    }


def _unit_name(site: Restricted, unit_id: str) -> str:
    return "全市合计" if unit_id == CITY_ID else site.data.programme.unit_name(unit_id)


def _ordered(counts: list[dict[str, int]], order: tuple[str, ...]) -> list[str]:
    """The keys that several tallies (log kinds, end reasons) hold, in the forms' order (`order`),
    any other key after them."""
    keys = {key for tally in counts for key, value in tally.items() if value}
    return [k for k in order if k in keys] + sorted(keys - set(order))


# ------------------------------------------------------------------ sections


def _candidates(site: Restricted, review: AnnualReview, with_unit: bool) -> dict:
    labels: list[tuple[str, str]] = []
    for candidate in review.candidates:
        for criterion in candidate.criteria:
            if criterion.key not in (k for k, _ in labels):
                labels.append((criterion.key, criterion.label))
    rows = []
    for candidate in review.candidates:
        mother = _mother(site, candidate.mother_id)
        if not mother["known"]:
            continue
        by_key = {c.key: c for c in candidate.criteria}
        rows.append(
            {
                "mother": mother,
                "unit_name": _unit_name(site, candidate.unit) if with_unit else "",
                "standing": candidate.standing,
                "cells": [
                    {"met": by_key[key].met, "value": by_key[key].value} if key in by_key else None for key, _ in labels
                ],
            }
        )
    return {
        "criteria": list(review.criteria),
        "labels": [label for _, label in labels],
        "rows": rows,
        "standings": {
            "candidate": annual.CANDIDATE,
            "tied": annual.TIED,
            "borderline": annual.BORDERLINE,
            "beyond": annual.BEYOND,
        },
        "places": review.places,
    }


def _commendations(site: Restricted, review: AnnualReview, with_unit: bool) -> list[dict]:
    return [
        {
            "mother": _mother(site, c.mother_id),
            "unit_name": _unit_name(site, c.unit) if with_unit else "",
            "title": c.title,
            "awarded_by": c.awarded_by,
            "date": c.date.isoformat(),
        }
        for c in review.commendations
        if c.mother_id in site.data.mothers
    ]


def _trainings(site: Restricted, review: AnnualReview, names: bool) -> list[dict]:
    """Each training of the year: how many mothers (of the site) were offered it and attended;
    with `names`, who (the unit page), attended first."""
    rows = []
    for t in review.trainings:
        invited = [m for m in dict.fromkeys((*t.invited, *t.attended)) if m in site.data.mothers]
        attended = [m for m in t.attended if m in site.data.mothers]
        if not invited:
            continue
        rows.append(
            {
                "date": t.date.isoformat(),
                "topic": t.topic,
                "place": t.place,
                "organiser": t.organiser,
                "invited": len(invited),
                "attended": len(attended),
                "attended_names": [_mother(site, m) for m in attended] if names else [],
                "offered_only": [_mother(site, m) for m in invited if m not in attended] if names else [],
            }
        )
    return rows


def _upward(site: Restricted, rows: list[UnitYear]) -> dict:
    """The sheet reported to the provincial federation and the 妇儿工委: the year's totals by unit."""
    kinds = _ordered([u.by_kind for u in rows], LOG_KINDS)
    reasons = _ordered([u.ended_by_reason for u in rows], END_REASONS)
    headers = ["爱心妈妈", "建档女童", "结对女童", *(f"{k}" for k in kinds), "家访", "节日陪伴"]
    headers += [f"结束：{r}" for r in reasons] + ["表彰", "提供培训", "参加培训"]
    body = []
    for u in rows:
        cells = [u.mothers, u.girls_on_file, u.girls_paired, *(u.by_kind.get(k, 0) for k in kinds)]
        cells += [u.home_visits, u.festivals, *(u.ended_by_reason.get(r, 0) for r in reasons)]
        cells += [u.commendations, u.trainings_invited, u.trainings_attended]
        body.append({"unit_name": _unit_name(site, u.unit), "total": u.unit == CITY_ID, "cells": cells})
    return {"kinds": kinds, "headers": headers, "rows": body}


def _common(site: Restricted, review: AnnualReview) -> dict:
    year = review.year
    return {
        "label": year.label,
        "start": year.start.isoformat(),
        "end": year.end.isoformat(),
        "as_of": review.as_of.isoformat(),
        "finished": review.as_of >= year.end,
        "has_previous": bool(review.previous),
        "totals_headers": [(label, unit) for label, _, unit in TOTALS],
        "version": site.data.version,
    }


# ------------------------------------------------------------------ charts


def _shown(charts: list[Chart | None]) -> list[Chart]:
    """The charts with something to show (no chart of only zeros)."""
    return [c for c in charts if c and c.categories and any(v for s in c.series for v in s.values)]


def _contacts_chart(site: Restricted, rows: list[UnitYear]) -> Chart:
    """Contacts by kind, one stacked bar per unit (the city page)."""
    kinds = _ordered([u.by_kind for u in rows], LOG_KINDS)
    return Chart("year-contacts", "各单位本年度的联系（按方式）", "stacked", tuple(_unit_name(site, u.unit) for u in rows),
                 tuple(Series(k, tuple(u.by_kind.get(k, 0) for u in rows)) for k in kinds), "次", "单位")  # fmt: skip


def _obligations_chart(site: Restricted, rows: list[UnitYear]) -> Chart | None:
    """The share of the year's obligation periods met, per unit (those that owed any) and the city."""
    owed = [u for u in rows if u.obligations_met is not None]
    if not owed:
        return None
    return Chart("year-obligations", "各单位本年度义务完成的比例", "bar", tuple(_unit_name(site, u.unit) for u in owed),
                 (Series("义务完成", tuple(round(100 * (u.obligations_met or 0)) for u in owed)),), "%", "单位")  # fmt: skip


def _ended_chart(totals: UnitYear) -> Chart:
    reasons = _ordered([totals.ended_by_reason], END_REASONS)
    return Chart("year-ended", "本年度结束的结对（按结束原因）", "pie", tuple(reasons),
                 (Series("结对", tuple(totals.ended_by_reason[r] for r in reasons)),), "对", "结束原因")  # fmt: skip


def _honours_chart(site: Restricted, rows: list[UnitYear]) -> Chart:
    return Chart(
        "year-honours",
        "各单位本年度的表彰和培训",
        "bar",
        tuple(_unit_name(site, u.unit) for u in rows),
        (
            Series("表彰", tuple(u.commendations for u in rows)),
            Series("提供培训（人次）", tuple(u.trainings_invited for u in rows)),
            Series("参加培训（人次）", tuple(u.trainings_attended for u in rows)),
        ),
        "",
        "单位",
    )


def _months_chart(review: AnnualReview, unit_id: str) -> Chart:
    """A unit's mothers by the months of the year they were in touch with their girl."""
    counts = [0] * 13
    for m in review.mothers:
        if m.unit == unit_id:
            counts[min(max(m.months_covered, 0), 12)] += 1
    return Chart("year-months", "爱心妈妈本年度有联系的月份数", "bar", tuple(f"{n} 个月" for n in range(13)),
                 (Series("爱心妈妈", tuple(counts)),), "名", "有联系的月份")  # fmt: skip


def city_charts(site: Restricted, review: AnnualReview) -> list[Chart]:
    units = list(review.units)
    return _shown(
        [
            _contacts_chart(site, units),
            _obligations_chart(site, [*units, review.city]),
            _ended_chart(review.city),
            _honours_chart(site, units),
        ]
    )


def unit_charts(review: AnnualReview, totals: UnitYear, unit_id: str) -> list[Chart]:
    return _shown([_contacts_chart_one(totals), _ended_chart(totals), _months_chart(review, unit_id)])


def _contacts_chart_one(totals: UnitYear) -> Chart:
    kinds = _ordered([totals.by_kind], LOG_KINDS)
    return Chart("year-contacts", "本年度的联系（按方式）", "hbar", tuple(kinds),
                 (Series("联系", tuple(totals.by_kind.get(k, 0) for k in kinds)),), "次", "方式")  # fmt: skip


# ------------------------------------------------------------------ pages


def plan(site: Restricted) -> list[Page]:
    """The year pages of the audience, newest year first in the index; none on the public site."""
    reviews = site.data.reviews
    if site.audience.kind == "public" or not reviews:
        return []
    labels = sorted(reviews, reverse=True)
    pages = [_index_page(site, labels)]
    for label in labels:
        review = reviews[label]
        if site.audience.kind == "city":
            pages.append(_city_page(site, review))
        for unit in site.data.units:
            pages.append(_unit_page(site, review, unit))
    return pages


def _index_page(site: Restricted, labels: list[str]) -> Page:
    unit = site.audience.unit
    rows = []
    for label in labels:
        review = site.data.reviews[label]
        totals = review.city if unit is None else _unit_totals(review, unit)
        rows.append(
            {
                "label": label,
                "url": html(year_path(label, unit)).removeprefix("years/"),
                "as_of": review.as_of.isoformat(),
                "finished": review.as_of >= review.year.end,
                "line": _line(totals),
            }
        )
    title = TITLE if unit is None else f"{TITLE}：{site.data.units[0].name}"
    return Page(INDEX, "years.md.j2", title, ["records/"], {"rows": rows, "unit": unit}, searchable=False)


def _line(totals: UnitYear) -> str:
    """A year in one line of totals, for the index."""
    return (
        f"爱心妈妈 {totals.mothers} 名 · 结对女童 {totals.girls_paired} 名 · 联系 {totals.contacts} 次 · "
        f"家访 {totals.home_visits} 次 · 义务完成 {percent(totals.obligations_met)} · 表彰 {totals.commendations} 名"
    )


def _unit_totals(review: AnnualReview, unit_id: str) -> UnitYear:
    """A unit's totals of a review (a review cut down by `of_unit` holds the unit's as its city)."""
    return next((u for u in review.units if u.unit == unit_id), review.city)


def _city_page(site: Restricted, review: AnnualReview) -> Page:
    label = review.year.label
    before = _previous(review)
    units = [
        {
            "name": _unit_name(site, u.unit),
            "url": html(year_path(label, u.unit)).removeprefix("years/"),
            "cells": totals_cells(u, before.get(u.unit)),
        }
        for u in review.units
    ]
    context = {
        **_common(site, review),
        "unit": None,
        "units": units,
        "city": totals_cells(review.city, before.get(CITY_ID)),
        "candidates": _candidates(site, review, with_unit=True),
        "commendations": _commendations(site, review, with_unit=True),
        "trainings": _trainings(site, review, names=False),
        "upward": _upward(site, [*review.units, review.city]),
        "mothers": [],
        "city_url": "",
        "charts": city_charts(site, review),
    }
    return Page(year_path(label), "year.md.j2", f"{TITLE}：{label} 活动年度", ["records/"], context, searchable=False)


def _unit_page(site: Restricted, full: AnnualReview, unit) -> Page:
    review = full if site.audience.kind == "unit" else full.of_unit(unit.id)
    label = review.year.label
    totals = _unit_totals(review, unit.id)
    previous = review.previous_of(unit.id)
    context = {
        **_common(site, review),
        "unit": {"id": unit.id, "name": unit.name},
        "units": [{"name": unit.name, "url": "", "cells": totals_cells(totals, previous)}],
        "city": None,
        "candidates": _candidates(site, review, with_unit=False),
        "commendations": _commendations(site, review, with_unit=False),
        "trainings": _trainings(site, review, names=True),
        "upward": _upward(site, [totals]),
        "mothers": _mothers(site, review, unit.id),
        "charts": unit_charts(review, totals, unit.id),
        "city_url": f"../{label}.html" if site.audience.kind == "city" else "",
    }
    return Page(
        year_path(label, unit.id),
        "year.md.j2",
        f"{TITLE}：{unit.name} {label} 活动年度",
        [f"records/{unit.id}/"],
        context,
        searchable=False,
    )


def _mothers(site: Restricted, review: AnnualReview, unit_id: str) -> list[dict]:
    rows = []
    for m in review.mothers:
        mother = _mother(site, m.mother_id)
        if m.unit != unit_id or not mother["known"]:
            continue
        rows.append(
            {
                "mother": mother,
                "cells": [
                    m.girls,
                    m.contacts,
                    m.months_covered,
                    m.months_active,
                    m.home_visits,
                    m.festivals,
                    m.double_visits,
                    percent(m.obligations_met),
                ],
                "open_followup": m.open_followup,
                "commendations": "、".join(m.commendations),
                "trainings": f"{m.trainings_attended}/{m.trainings_invited}" if m.trainings_invited else "—",
            }
        )
    return rows
