"""The site's charts: the figures behind each chart, computed once per build from restricted data.

A `Chart` is data only (categories, series of numbers); `templates/_chart.j2` turns it into a
figure holding the chart (drawn in the browser by the pinned Apache ECharts copy,
`assets/vendor/echarts/`, through `assets/aixin-charts.js`) and a plain table of the same
numbers, which is what prints, what a screen reader reads and what the tests check. No template
computes a figure. Built from `Restricted` data, so a chart can show only what the audience may
see; the public charts are read from the public table's cells themselves (a "<5" stays `None`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from aixin.core import dates
from aixin.domain import terms

from .audience import PUBLIC_FIELDS, Restricted
from .collect import Item
from .followup import obligation_labels

ECHARTS_VERSION = "6.1.0"  # the copy in assets/vendor/echarts/ (its README.txt says the same)
KINDS = ("bar", "stacked", "hbar", "line", "pie")
KEY = re.compile(r"[a-z0-9-]+\Z")
CITY_LABEL = "全市"
RECENT_MONTHS = 12  # contacts per month: the last twelve months up to the as-of date's month

# The forms' choices in their order (schemas hold the same enums; tests/test_charts.py compares).
LOG_KINDS = ("电话", "见面", "书信", "视频通话", "微信", "家访", "节日陪伴", "访老师", "访监护人", "互认互知", "其他")
NEEDS = ("学习辅导", "心理沟通", "精神关爱", "其他")
END_REASONS = ("父母返乡", "女童超龄", "迁出", "爱心妈妈退出", "监护人不再同意", "其他")
AGE_BOUNDS = (5, 8, 11, 14)  # the age groups' highest ages, up to the programme's limit


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int | float | None, ...]  # None: not shown (a public count under 5)
    shown: tuple[str, ...] = ()  # the table's text per value when not the number ("<5")

    def cell(self, position: int) -> str:
        """What the table shows for one value: the given text, or the number."""
        if self.shown and self.shown[position]:
            return self.shown[position]
        value = self.values[position]
        return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Chart:
    key: str  # unique on its page, [a-z0-9-]+
    title: str  # Chinese
    kind: str  # "bar", "stacked", "hbar", "line" or "pie"
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""  # "名", "对", "次", "%"
    axis: str = ""  # what the categories are ("单位", "月份"): the table's first column heading

    def __post_init__(self):
        if not KEY.match(self.key) or self.kind not in KINDS:
            raise ValueError(f"chart {self.key!r}: a key of [a-z0-9-] and a kind of {KINDS}")
        for s in self.series:
            if len(s.values) != len(self.categories) or (s.shown and len(s.shown) != len(s.values)):
                raise ValueError(f"chart {self.key!r}: series {s.name!r} has not one value per category")

    @property
    def height(self) -> int:
        """The chart container's height in pixels: a horizontal bar chart grows with its bars."""
        if self.kind == "hbar":
            return max(280, 90 + len(self.categories) * max(28, 14 * len(self.series)))
        return 320

    def payload(self) -> dict:
        """What the browser draws: exactly the table's numbers (None for a value not shown)."""
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "unit": self.unit,
            "categories": list(self.categories),
            "series": [{"name": s.name, "values": list(s.values), "shown": list(s.shown)} for s in self.series],
        }


_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(chart: Chart) -> str:
    """The chart's data as JSON safe inside <script type="application/json">: no "<", ">" or "&"
    at all (escaped as \\u003c…), so no record text can close the element or open a comment."""
    text = json.dumps(chart.payload(), ensure_ascii=False, separators=(",", ":"))
    return "".join(_SCRIPT_UNSAFE.get(c, c) for c in text)


@dataclass(frozen=True)
class Figures:
    """Every chart of a city or unit site: the dashboard's, and each unit page's."""

    dashboard: tuple[Chart, ...] = ()
    units: dict[str, tuple[Chart, ...]] = field(default_factory=dict)


# ------------------------------------------------------------------ the builders


def figures(site: Restricted) -> Figures:
    """The charts of the dashboard and of every unit page, in one pass over the records."""
    data = site.data
    if site.audience.kind == "public":
        return Figures(public_charts(site))
    months = _months(data.programme.launch, data.today)
    tallies = _tally(site, months)
    own = site.audience.unit  # a unit site's dashboard shows its own figures beside the city-wide quota
    scope = CITY_LABEL if own is None else data.programme.unit_name(own)
    whole = tallies.total(None if own is None else {own})
    dashboard = [
        _recruitment(site, [r for r in data.quota if r.unit_id]),
        _over_time(months, scope, whole.active),
        _contacts(months, whole.contacts),
        _completion(site),
        _needs(whole.needs),
        _ages(whole.ages, data.programme.girl_max_age),
        _ended(whole.ended),
    ]
    units = {}
    for unit in data.units:
        one = tallies.total({unit.id})
        quota = [r for r in data.quota if r.unit_id == unit.id]
        care = next((u for u in data.care.units if u.unit == unit.id), None) if data.care else None
        units[unit.id] = _present(
            [
                _recruitment(site, quota),
                _over_time(months, unit.name, one.active),
                _contacts(months, one.contacts),
                _unit_completion(site, care),
                _needs(one.needs),
                _ages(one.ages, data.programme.girl_max_age),
                _ended(one.ended),
            ]
        )
    return Figures(_present(dashboard), units)


def public_charts(site: Restricted) -> tuple[Chart, ...]:
    """The public site's charts, read from the public table's cells: a count shown as "<5" (or a
    total hidden as "—") is None in the chart, with the same text in its table."""
    rows = site.public_rows[:-1]  # the units; the last row is the city total
    categories = tuple(row.unit_name for row in rows)
    column = {name: position for position, (name, _) in enumerate(PUBLIC_FIELDS)}
    label = dict(PUBLIC_FIELDS)

    def series(name: str) -> Series:
        cells = [row.cells[column[name]] for row in rows]
        values = tuple(_public_number(c) for c in cells)
        return Series(label[name], values, tuple("" if v is not None else c for v, c in zip(values, cells)))

    return (
        Chart("recruitment", "各单位名额和审核通过的爱心妈妈", "hbar", categories,
              (series("quota"), series("mothers_approved")), "名", "单位"),
        Chart("girls-pairings", "各单位建档女童和进行中的结对", "hbar", categories,
              (series("girls"), series("pairings_active")), "", "单位"),
    )  # fmt: skip


def _public_number(cell: str) -> int | None:
    text = cell.replace(",", "")
    return int(text) if text.isdigit() else None


# ------------------------------------------------------------------ tallies


@dataclass
class _Tally:
    """One unit's counts (or several units' added up)."""

    active: list[int]  # active pairings at each month's end (or the as-of day)
    contacts: dict[str, list[int]]  # log kind -> logs per recent month
    needs: Counter = field(default_factory=Counter)
    ages: Counter = field(default_factory=Counter)
    ended: Counter = field(default_factory=Counter)


@dataclass
class _Tallies:
    months: list[tuple[int, int]]
    by_unit: dict[str, _Tally] = field(default_factory=dict)

    def of(self, unit: str) -> _Tally:
        if unit not in self.by_unit:
            self.by_unit[unit] = _Tally([0] * len(self.months), {})
        return self.by_unit[unit]

    def total(self, units: set[str] | None) -> _Tally:
        """The units' tallies added up (every unit of the site when `units` is None)."""
        out = _Tally([0] * len(self.months), {})
        for unit, t in self.by_unit.items():
            if units is not None and unit not in units:
                continue
            out.active = [a + b for a, b in zip(out.active, t.active)]
            for kind, counts in t.contacts.items():
                mine = out.contacts.setdefault(kind, [0] * len(counts))
                out.contacts[kind] = [a + b for a, b in zip(mine, counts)]
            out.needs += t.needs
            out.ages += t.ages
            out.ended += t.ended
        return out


def _months(launch: dt.date, today: dt.date) -> list[tuple[int, int]]:
    """(year, month) from the launch's month to the as-of day's month."""
    months, (year, month) = [], (launch.year, launch.month)
    while (year, month) <= (today.year, today.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _tally(site: Restricted, months: list[tuple[int, int]]) -> _Tallies:
    data = site.data
    tallies = _Tallies(months)
    position = {m: i for i, m in enumerate(months)}
    # A month's figure is taken on its last day, the current month's on the as-of day.
    ends = [min(dates.month_bounds(*m)[1], data.today) for m in months]
    for pairing in data.pairings.values():
        if site.audience.kind == "unit" and pairing.unit != site.audience.unit:
            continue  # another unit's pairing of this unit's girl counts there (by the mother's unit)
        _add_pairing(tallies.of(pairing.unit), pairing, ends)
    recent = months[-RECENT_MONTHS:]
    for entries in data.logs.values():
        for log in entries:
            day = dates.parse_date(log.data.get("date"))
            kind = log.data.get("kind")
            if day is None or kind not in LOG_KINDS or (day.year, day.month) not in position or day > data.today:
                continue
            if (day.year, day.month) < recent[0] or (site.audience.kind == "unit" and log.unit != site.audience.unit):
                continue
            counts = tallies.of(log.unit).contacts.setdefault(kind, [0] * len(recent))
            counts[position[(day.year, day.month)] - (len(months) - len(recent))] += 1
    for girl in data.girls.values():
        tally = tallies.of(girl.unit)
        needs = girl.data.get("needs")
        if isinstance(needs, list):
            tally.needs.update(n for n in needs if n in NEEDS)
        born = dates.parse_year_month(girl.data.get("birth"))
        if born and dt.date(*born, 1) <= data.today:
            tally.ages[dates.age_range_from_year_month(*born, data.today)[0]] += 1
    return tallies


def _add_pairing(tally: _Tally, pairing: Item, ends: list[dt.date]) -> None:
    started = dates.parse_date(pairing.data.get("started_on"))
    ended = dates.parse_date(pairing.data.get("ended_on"))
    if terms.is_ended(pairing.data):
        reason = pairing.data.get("end_reason")
        tally.ended[reason if reason in END_REASONS else "其他"] += 1
        if ended is None:
            return
    elif not terms.is_active(pairing.data):
        return  # awaiting the city's approval: never in progress yet
    else:
        ended = None
    if started is None:
        return
    for i, end in enumerate(ends):
        if started <= end and (ended is None or ended > end):
            tally.active[i] += 1


# ------------------------------------------------------------------ the charts


def _present(charts: list[Chart | None]) -> tuple[Chart, ...]:
    """The charts with something to show (no chart of only zeros)."""
    return tuple(c for c in charts if c and c.categories and any(v for s in c.series for v in s.values))


def _label(month: tuple[int, int]) -> str:
    return f"{month[0]}-{month[1]:02d}"


def _recruitment(site: Restricted, rows: list) -> Chart | None:
    if not rows:
        return None
    return Chart(
        "recruitment",
        "招募进度：名额和审核通过的爱心妈妈",
        "hbar",
        tuple(r.unit_name for r in rows),
        (
            Series("名额", tuple(r.quota for r in rows)),
            Series("审核通过", tuple(r.approved for r in rows)),
            Series("待审核", tuple(r.pending for r in rows)),
        ),
        "名",
        "单位",
    )


def _over_time(months: list[tuple[int, int]], name: str, active: list[int]) -> Chart:
    return Chart(
        "active-pairings",
        "进行中的结对（每月月底）",
        "line",
        tuple(_label(m) for m in months),
        (Series(name, tuple(active)),),
        "对",
        "月份",
    )


def _contacts(months: list[tuple[int, int]], contacts: dict[str, list[int]]) -> Chart:
    recent = months[-RECENT_MONTHS:]
    kinds = [k for k in LOG_KINDS if any(contacts.get(k, ()))]
    return Chart(
        "contacts",
        f"最近 {len(recent)} 个月的联系记录（按方式）",
        "stacked",
        tuple(_label(m) for m in recent),
        tuple(Series(k, tuple(contacts[k])) for k in kinds),
        "次",
        "月份",
    )


def _completion(site: Restricted) -> Chart | None:
    """Each obligation's completion this period per unit (domain.care), and the city's."""
    care = site.data.care
    if care is None:
        return None
    rows = [(site.data.programme.unit_name(u.unit), u) for u in care.units if u.active]
    if care.city.active:
        rows.append((CITY_LABEL, care.city))
    obligations = obligation_labels(site.data.programme)
    return Chart(
        "completion",
        "各项义务本期的完成比例",
        "hbar",
        tuple(name for name, _ in rows),
        tuple(
            Series(label, tuple(round(100 * u.completion.get(key, 0.0)) for _, u in rows)) for key, label in obligations
        ),
        "%",
        "单位",
    )


def _unit_completion(site: Restricted, care) -> Chart | None:
    if care is None or not care.active:
        return None
    obligations = obligation_labels(site.data.programme)
    return Chart(
        "completion",
        "各项义务本期的完成比例",
        "hbar",
        tuple(label for _, label in obligations),
        (Series("完成比例", tuple(round(100 * care.completion.get(key, 0.0)) for key, _ in obligations)),),
        "%",
        "义务",
    )


def _needs(needs: Counter) -> Chart:
    return Chart(
        "needs", "女童的需求（可多选）", "hbar", NEEDS, (Series("女童", tuple(needs[n] for n in NEEDS)),), "名", "需求"
    )


def _ages(ages: Counter, max_age: int) -> Chart:
    groups = _age_groups(max_age)
    values = tuple(sum(n for age, n in ages.items() if low <= age <= high) for low, high, _ in groups)
    return Chart(
        "ages",
        "女童的年龄（截至统计日的周岁）",
        "bar",
        tuple(g[2] for g in groups),
        (Series("女童", values),),
        "名",
        "年龄",
    )


def _age_groups(max_age: int) -> list[tuple[int, int, str]]:
    """(lowest, highest age, label): under 6, 6–8, 9–11, 12–14, up to the programme's limit, then
    the girls past it."""
    groups, low = [], 0
    for high in (*AGE_BOUNDS, max_age):
        top = min(high, max_age)
        if low > top:
            continue
        label = f"{top + 1}周岁以下" if low == 0 else f"{low}周岁" if low == top else f"{low}–{top}周岁"
        groups.append((low, top, label))
        low = top + 1
    groups.append((max_age + 1, 200, f"{max_age + 1}周岁及以上（超龄）"))
    return groups


def _ended(ended: Counter) -> Chart:
    return Chart(
        "ended",
        "已结束的结对（按结束原因）",
        "pie",
        END_REASONS,
        (Series("结对", tuple(ended[r] for r in END_REASONS)),),
        "对",
        "结束原因",
    )


def by_unit(figs: Figures, unit: str) -> tuple[Chart, ...]:
    return figs.units.get(unit, ())
