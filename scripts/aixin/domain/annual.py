"""The yearly review (总结评优) of one programme year, pure: per mother and per unit what was done
in the year, the year before for comparison, the commendation candidates by the criteria of
programme.yaml's `review:`, and the city's commendations and trainings of the year.

How the year is counted (said once here; the guide's 年度总结 section says it in Chinese):
- the review day is the year's last day when the year is over, else the as-of date; a log,
  pairing, training or end dated after it does not exist yet for the figures (a commendation for
  the year counts when it is dated by the as-of date: the city decides after the year's end);
- a pairing counts in the year when it was in progress on one of its days (from its start day to
  the day before it ended): its girl is "paired", her mother had a pairing in the year;
- a month belongs to the year when its first day does (domain.care's months); `months_covered`
  counts the months with a log that counts as the monthly contact (`monthly_contact` of the
  programme's obligations), `months_active` the months with a pairing in progress on some day;
- `obligations_met` is the share of the obligation periods of the year that were owed (over by
  the review day, owed as the care figures owe them: `care.tally_days`) and met;
- `open_followup` is what the 待跟进 page shows on the review day: a pairing in progress that
  day owes something (`care.overdue_days`, the same as `care.assess_pairing`);
- the mothers reviewed are those approved by the city by the review day who had not withdrawn
  before the year began; a unit's `mothers` is their number.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import compress
from typing import Any

from aixin.core.dates import parse_date

from . import care
from .programme import Programme, ReviewRules
from .records import Record, RecordIndex
from .terms import is_active, is_city_approved, is_ended

CITY = care.CITY
CANDIDATE, BORDERLINE, TIED = "候选", "接近", "并列"
# Met every criterion but ranked below the places (only when programme.yaml sets `places`):
# listed after the tied, never silently left out.
BEYOND = "名额外"
_YEAR = re.compile(r"^\s*(\d{4})\s*[-－—至到]\s*(\d{4})\s*$")


@dataclass(frozen=True)
class Year:
    """One programme year (活动年度)."""

    label: str  # "2019-2020"
    start: dt.date
    end: dt.date


def year_of(day: dt.date, programme: Programme) -> Year:
    start, end = programme.programme_year(day)
    return Year(f"{start.year}-{start.year + 1}", start, end)


def parse_year(text: str, programme: Programme) -> Year:
    """A programme year written "2019-2020"; ValueError with a Chinese sentence otherwise."""
    match = _YEAR.match(text or "")
    if match is None:
        raise ValueError(f"活动年度应写作 起始年-结束年（如 2019-2020），现在是“{text}”")
    first, second = int(match[1]), int(match[2])
    if second != first + 1:
        raise ValueError(f"活动年度的两个年份应相差一年（如 2019-2020），现在是“{text}”")
    month, day = programme.year_start
    year = year_of(dt.date(first, month, day), programme)
    launch = year_of(programme.launch, programme)
    if year.start < launch.start:
        raise ValueError(
            f"{year.label} 活动年度在活动启动（{programme.launch.isoformat()}）之前，没有记录；"
            f"第一个活动年度是 {launch.label}"
        )
    return year


def years_on_record(programme: Programme, as_of: dt.date) -> tuple[Year, ...]:
    """The programme years from the launch's to `as_of`'s (none before the launch)."""
    years = []
    year = year_of(programme.launch, programme)
    while year.start <= as_of:
        years.append(year)
        year = year_of(year.end + dt.timedelta(days=1), programme)
    return tuple(years)


@dataclass(frozen=True)
class MotherYear:
    mother_id: str
    unit: str
    girls: int  # girls she was paired with at some time in the year
    contacts: int  # her logs dated in the year
    by_kind: dict[str, int]  # log kind -> count
    months_covered: int  # months of the year with a monthly-contact log with the girl
    months_active: int  # months of the year she had a pairing in progress
    home_visits: int
    festivals: int
    double_visits: int  # 访老师 + 访监护人
    obligations_met: float | None  # share 0..1 of the obligation periods owed in the year that were met
    open_followup: bool  # something owed on the review day (domain.care)
    commendations: tuple[str, ...] = ()  # titles she received for this year
    trainings_invited: int = 0
    trainings_attended: int = 0


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str  # "至少 11 个月与女童有联系"
    met: bool
    value: str  # what she has: "11 个月"


@dataclass(frozen=True)
class Candidate:
    mother_id: str
    unit: str
    standing: str  # CANDIDATE, TIED (tied at the cut), BEYOND (below the places) or BORDERLINE
    criteria: tuple[Criterion, ...]

    @property
    def missed(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if not c.met)


@dataclass(frozen=True)
class UnitYear:
    unit: str  # a unit id, or "city"
    mothers: int  # mothers reviewed (city-approved by the review day, not withdrawn before the year)
    girls_on_file: int
    girls_paired: int  # a pairing in progress at some time in the year
    pairings: int  # in progress at some time in the year
    contacts: int
    by_kind: dict[str, int]
    home_visits: int
    festivals: int
    double_visits: int
    ended_by_reason: dict[str, int]  # end_reason -> pairings ended in the year
    obligations_met: float | None
    commendations: int = 0
    trainings_invited: int = 0  # invitations of the unit's mothers (person-times)
    trainings_attended: int = 0


@dataclass(frozen=True)
class Commended:
    record_id: str
    mother_id: str
    unit: str
    title: str
    awarded_by: str
    date: dt.date


@dataclass(frozen=True)
class TrainingYear:
    record_id: str
    date: dt.date
    topic: str
    place: str
    organiser: str
    invited: tuple[str, ...]  # mother ids (attended ⊆ invited)
    attended: tuple[str, ...]


@dataclass(frozen=True)
class AnnualReview:
    year: Year
    as_of: dt.date  # the review day: the year's end when past, else the as-of date
    mothers: tuple[MotherYear, ...]  # programme unit order, then mother id
    units: tuple[UnitYear, ...]  # programme order
    city: UnitYear
    previous: tuple[UnitYear, ...] = ()  # the year before, units then city ("city" last); () when none
    criteria: tuple[str, ...] = ()  # the criteria in words, as programme.yaml sets them
    candidates: tuple[Candidate, ...] = ()  # candidates, tied, beyond the places, then borderline
    commendations: tuple[Commended, ...] = ()
    trainings: tuple[TrainingYear, ...] = ()
    title: str = ""  # the commendation's title (programme.yaml's review.title)
    places: int | None = None

    def of_unit(self, unit: str) -> AnnualReview:
        """The same review for one unit: its mothers, candidates, commendations and the trainings
        that invited one of them (cut down to them); `city` (and the previous year's) is the unit's."""
        mine = {m.mother_id for m in self.mothers if m.unit == unit}
        own = next((u for u in self.units if u.unit == unit), None)
        before = next((u for u in self.previous if u.unit == unit), None)
        trainings = []
        for t in self.trainings:
            invited = tuple(m for m in t.invited if m in mine)
            if invited:
                trainings.append(replace(t, invited=invited, attended=tuple(m for m in t.attended if m in mine)))
        return replace(
            self,
            mothers=tuple(m for m in self.mothers if m.unit == unit),
            units=(own,) if own else (),
            city=replace(own, unit=CITY) if own else _empty(CITY),
            previous=(before, replace(before, unit=CITY)) if before else (),
            candidates=tuple(c for c in self.candidates if c.unit == unit),
            commendations=tuple(c for c in self.commendations if c.unit == unit),
            trainings=tuple(trainings),
        )

    def previous_of(self, unit: str) -> UnitYear | None:
        return next((u for u in self.previous if u.unit == unit), None)


def review(index: RecordIndex, programme: Programme, year: Year, as_of: dt.date) -> AnnualReview:
    """The review of `year` as of `as_of` (the year's figures stop at its end)."""
    return reviews(index, programme, (year,), as_of)[year.label]


def reviews(index: RecordIndex, programme: Programme, years: Iterable[Year], as_of: dt.date) -> dict[str, AnnualReview]:
    """The review of each of `years` as of `as_of`, by label: the records are read once and each
    year's figures made once (a year's figures are also the next year's "year before"), so the
    site's eight years cost eight years' work, not sixteen."""
    return _reviews(_Prepared(index, programme), years, as_of)


def _reviews(prepared: _Prepared, years: Iterable[Year], as_of: dt.date) -> dict[str, AnnualReview]:
    index, programme = prepared.index, prepared.programme
    made: dict[str, _Figures] = {}

    def figures_of(year: Year, followup: bool = True) -> _Figures:
        known = made.get(year.label)
        if known is None or (followup and not known.followup):
            day = min(year.end, as_of)
            made[year.label] = known = _Figures(
                prepared, year, day, _commendations(index, year, as_of), _trainings(index, year, day), followup
            )
        return known

    rules = programme.review
    launch = year_of(programme.launch, programme)
    found = {}
    for year in years:
        figures = figures_of(year)
        previous: tuple[UnitYear, ...] = ()
        if year.start > launch.start:
            earlier = figures_of(year_of(year.start - dt.timedelta(days=1), programme), followup=False)
            if earlier.has_data:
                previous = (*earlier.units, earlier.city)
        found[year.label] = AnnualReview(
            year=year,
            as_of=figures.day,
            mothers=figures.mothers,
            units=figures.units,
            city=figures.city,
            previous=previous,
            criteria=tuple(label for _key, label in criteria_words(rules)),
            candidates=candidates(figures.mothers, rules),
            commendations=figures.commendations,
            trainings=figures.trainings,
            title=rules.title,
            places=rules.places,
        )
    return found


# ---------------------------------------------------------------- the criteria


def criteria_words(rules: ReviewRules) -> tuple[tuple[str, str], ...]:
    """(key, label) of each criterion programme.yaml sets, in the order shown."""
    words = [("months_covered", f"至少 {rules.months_covered} 个月与女童有联系")]
    if rules.home_visits:
        words.append(("home_visits", f"至少家访 {rules.home_visits} 次"))
    if rules.festivals:
        words.append(("festivals", f"至少陪女童过 {rules.festivals} 个节日"))
    if rules.obligations_met is not None:
        words.append(("obligations_met", f"帮扶任务完成率不低于 {rules.obligations_met}%"))
    if rules.no_open_followup:
        words.append(("no_open_followup", "年度结束时没有待跟进事项"))
    return tuple(words)


def judge(
    mother: MotherYear, rules: ReviewRules, words: tuple[tuple[str, str], ...] | None = None
) -> tuple[Criterion, ...]:
    """Each criterion, met or not, with what she has (`words`: `criteria_words(rules)`, made once
    by a caller judging many mothers)."""
    share = mother.obligations_met
    share_text = "没有应完成的任务" if share is None else f"{round(share * 100)}%"
    has: dict[str, tuple[bool, str]] = {
        "months_covered": (mother.months_covered >= rules.months_covered, f"{mother.months_covered} 个月"),
        "home_visits": (mother.home_visits >= rules.home_visits, f"{mother.home_visits} 次"),
        "festivals": (mother.festivals >= rules.festivals, f"{mother.festivals} 个"),
        "obligations_met": (
            share is not None and round(share * 100, 6) >= (rules.obligations_met or 0),
            share_text,
        ),
        "no_open_followup": (not mother.open_followup, "有待跟进事项" if mother.open_followup else "没有"),
    }
    return tuple(Criterion(key, label, *has[key]) for key, label in words or criteria_words(rules))


def _rank(mother: MotherYear) -> tuple[int, float, int]:
    """The order within the places: months covered, then the completion share, then contacts."""
    return mother.months_covered, mother.obligations_met or 0.0, mother.contacts


def candidates(mothers: Iterable[MotherYear], rules: ReviewRules) -> tuple[Candidate, ...]:
    """Who meets every criterion (候选), who is tied at the cut of the places (并列) or below it
    (名额外), and who misses narrowly (接近: at most `near_misses` criteria, the months by at
    most `near_months`). Nobody who meets the criteria is dropped."""
    words = criteria_words(rules)
    qualified: list[tuple[MotherYear, tuple[Criterion, ...]]] = []
    near: list[Candidate] = []
    for mother in mothers:
        judged = judge(mother, rules, words)
        missed = [c for c in judged if not c.met]
        if not missed:
            qualified.append((mother, judged))
        elif len(missed) <= rules.near_misses and _narrow(mother, missed, rules):
            near.append(Candidate(mother.mother_id, mother.unit, BORDERLINE, judged))
    qualified.sort(key=lambda pair: (tuple(-x for x in _rank(pair[0])), pair[0].unit, pair[0].mother_id))
    standings = [CANDIDATE] * len(qualified)
    places = rules.places
    if places is not None and len(qualified) > places:
        cut = _rank(qualified[places - 1][0])
        for i, (mother, _judged) in enumerate(qualified):
            if _rank(mother) == cut:
                standings[i] = TIED
            elif i >= places:
                standings[i] = BEYOND
        if _rank(qualified[places][0]) != cut:  # nobody below the cut shares its rank: no tie
            standings = [CANDIDATE if s == TIED else s for s in standings]
    listed = [Candidate(m.mother_id, m.unit, s, judged) for (m, judged), s in zip(qualified, standings)]
    order = {CANDIDATE: 0, TIED: 1, BEYOND: 2}
    listed.sort(key=lambda c: order[c.standing])  # stable: the rank order within each standing
    near.sort(key=lambda c: (len(c.missed), c.unit, c.mother_id))
    return (*listed, *near)


def _narrow(mother: MotherYear, missed: list[Criterion], rules: ReviewRules) -> bool:
    months = next((c for c in missed if c.key == "months_covered"), None)
    return months is None or rules.months_covered - mother.months_covered <= rules.near_months


# ---------------------------------------------------------------- the figures


def _withdrawn_before(data: Mapping[str, Any], day: dt.date) -> bool:
    withdrawn = data.get("withdrawn")
    left = parse_date(withdrawn.get("date")) if isinstance(withdrawn, Mapping) else None
    return left is not None and left < day


def _approved_by(data: Mapping[str, Any], day: dt.date) -> bool:
    approval = data.get("city_approval")
    decided = parse_date(approval.get("date")) if isinstance(approval, Mapping) else None
    return is_city_approved(data) and (decided is None or decided <= day)


def _commendations(index: RecordIndex, year: Year, as_of: dt.date) -> tuple[Commended, ...]:
    found = []
    for record in index.valid("commendation"):
        data = record.data
        day = parse_date(data.get("date"))
        if data.get("year") == year.label and day is not None and day <= as_of:
            mother = index.get(str(data.get("mother")), "mother")
            unit = mother.unit if mother else str(data.get("mother", "")).split("-")[0]
            found.append(
                Commended(record.id, str(data["mother"]), unit, str(data["title"]), str(data["awarded_by"]), day)
            )
    return tuple(sorted(found, key=lambda c: (c.date, c.mother_id, c.record_id)))


def _trainings(index: RecordIndex, year: Year, day: dt.date) -> tuple[TrainingYear, ...]:
    found = []
    for record in index.valid("training"):
        data = record.data
        held = parse_date(data.get("date"))
        if held is None or not year.start <= held <= day:
            continue
        attended = tuple(str(m) for m in data.get("attended") or ())
        invited = tuple(dict.fromkeys([*(str(m) for m in data.get("invited") or ()), *attended]))
        found.append(
            TrainingYear(
                record.id,
                held,
                str(data.get("topic", "")),
                str(data.get("place", "")),
                str(data.get("organiser", "")),
                invited,
                attended,
            )
        )
    return tuple(sorted(found, key=lambda t: (t.date, t.record_id)))


@dataclass
class _Tally:
    """What a mother's or a unit's pairings did in the year (summed the same way for both)."""

    girls: set[str] = field(default_factory=set)
    pairings: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    home_visits: int = 0
    festivals: int = 0
    double_visits: int = 0
    owed: int = 0
    met: int = 0
    covered: set[int] = field(default_factory=set)
    active: set[int] = field(default_factory=set)
    ended: Counter[str] = field(default_factory=Counter)

    @property
    def share(self) -> float | None:
        return self.met / self.owed if self.owed else None

    def add(self, other: _Tally) -> None:
        self.girls |= other.girls
        self.pairings += other.pairings
        self.by_kind.update(other.by_kind)
        self.home_visits += other.home_visits
        self.festivals += other.festivals
        self.double_visits += other.double_visits
        self.owed, self.met = self.owed + other.owed, self.met + other.met
        self.covered |= other.covered
        self.active |= other.active
        self.ended.update(other.ended)

    def add_pairing(self, girl: str, made: PairingYear, active: range) -> None:
        """One pairing's year (`_Prepared.figures`), summed in place (no tally of its own: the
        city has ten thousand pairings a year)."""
        kinds, homes, festivals, doubles, covered, owed, met, _owing = made
        self.girls.add(girl)
        self.pairings += 1
        by_kind = self.by_kind
        for kind, count in kinds:
            by_kind[kind] += count
        self.home_visits += homes
        self.festivals += festivals
        self.double_visits += doubles
        self.owed, self.met = self.owed + owed, self.met + met
        self.covered.update(covered)
        self.active.update(active)


# What one pairing did in one programme year, as plain values (the check caches them, `to_row`):
# (log kinds with their counts, home visits, festivals, 双访, the months covered by a monthly
# contact, periods owed, periods met, something owed on the review day).
PairingYear = tuple[tuple[tuple[str, int], ...], int, int, int, tuple[int, ...], int, int, bool]


class _Pairing:
    """A valid pairing with its dates parsed once for the review (both years read it), and either
    its logs (`logs`: per log, in date order, its kind, month and what it counts as, `_Prepared.flag`)
    or its figures per year already made (`years`, by year label: `to_row`)."""

    __slots__ = (
        "active",
        "contacts",
        "doubles",
        "end",
        "ended",
        "festivals",
        "girl",
        "homes",
        "kinds",
        "logs",
        "months",
        "mother",
        "reason",
        "record",
        "start",
        "unit",
        "years",
    )  # fmt: skip

    def __init__(self, record: Record):
        data = record.data
        self.record, self.unit = record, record.unit
        self.mother, self.girl = str(data["mother"]), str(data["girl"])
        self.start = parse_date(data.get("started_on"))
        self.ended = is_ended(data)
        self.end = parse_date(data.get("ended_on")) if self.ended else None
        self.reason = str(data.get("end_reason") or "其他")
        self.active = is_active(data)
        self.logs: care.LogDays | None = None
        self.years: dict[str, PairingYear] = {}

    def read_logs(self, logs: care.LogDays, flag: Callable[[Any, tuple[str, ...]], tuple[int, ...]]) -> None:
        self.logs = logs
        self.kinds = [str(kind) for _day, kind, _keys in logs.dated]
        self.months = [care.month_number(day) for day in logs.days]
        flags = [flag(kind, keys) for _day, kind, keys in logs.dated]
        self.homes, self.festivals, self.doubles, self.contacts = ([f[i] for f in flags] for i in range(4))

    def in_progress(self, first: dt.date, last: dt.date) -> bool:
        """In progress on a day from `first` to `last` (its start day to the day before its end)."""
        return _overlaps(self.start, self.end, self.active, first, last)

    def months_in_progress(self, first: dt.date, last: dt.date) -> range:
        """The months (care.month_number) with the pairing in progress on some day from `first` to `last`."""
        start = self.start or last
        until = last if self.end is None else min(last, self.end - dt.timedelta(days=1))
        since = max(first, start)
        return range(care.month_number(since), care.month_number(until) + 1) if since <= until else range(0)


def _overlaps(start: dt.date | None, end: dt.date | None, active: bool, first: dt.date, last: dt.date) -> bool:
    """A pairing from `start` to the day before `end` (None: not ended) has a day from `first` to `last`."""
    if start is None or start > last:
        return False
    return active or (end is not None and end > first)


def in_year(data: Mapping[str, Any], year: Year) -> bool:
    """A pairing in progress on some day of the year, as the review counts it: from its start day
    to the day before its end; never one still 待审批. The archive files the same pairings."""
    end = parse_date(data.get("ended_on")) if is_ended(data) else None
    return _overlaps(parse_date(data.get("started_on")), end, is_active(data), year.start, year.end)


class _Prepared:
    """The index's pairings, parsed once for both years of a review: with their logs, or with the
    figures per year the check made (`figures` then reads them instead of the logs)."""

    def __init__(self, index: RecordIndex, programme: Programme, years: Iterable[Iterable[Any]] | None = None):
        self.index, self.programme = index, programme
        home = programme.obligation("home_visit")
        self.home_kinds = home.kinds if home else frozenset()
        # (kind, obligation keys) -> (home visit, festival, 双访, monthly contact), made once per combination
        self.flags: dict[tuple[Any, tuple[str, ...]], tuple[int, int, int, int]] = {}
        self.pairings = [_Pairing(p) for p in index.valid("pairing")]
        self.made = years is not None
        if years is not None:  # the check's rows, in the same order as the pairings
            for pairing, rows in zip(self.pairings, years, strict=True):
                pairing.years = {row[0]: row[1:] for row in rows}
        self.memo: dict[Any, tuple[str, ...]] = {}  # shared by every pairing's LogDays

    def flag(self, kind: Any, keys: tuple[str, ...]) -> tuple[int, int, int, int]:
        """What a log counts as: a home visit, a festival, a 双访 (访老师 or 访监护人: a home visit,
        which also meets 访临时监护人, counts as a home visit only), a monthly contact with the girl."""
        found = self.flags.get((kind, keys))
        if found is None:
            double = kind not in self.home_kinds and ("teacher_visit" in keys or "guardian_visit" in keys)
            home, festival = "home_visit" in keys, "festival" in keys
            found = self.flags[(kind, keys)] = (int(home), int(festival), int(double), int("monthly_contact" in keys))
        return found

    def figures(self, pairing: _Pairing, year: Year, day: dt.date, periods: Any, followup: bool) -> PairingYear:
        """What `pairing` (in progress in `year`) did in the year up to `day`; whether it owes
        something on `day` only with `followup` (the costliest figure: care.overdue_days)."""
        if self.made:
            return pairing.years[year.label]
        programme, logs = self.programme, pairing.logs
        if logs is None:  # read when first needed: the check's cache may know the pairing already
            logs = care.LogDays(self.index.logs_of_pairing.get(pairing.record.id, ()), programme, self.memo)
            pairing.read_logs(logs, self.flag)
        days = logs.days
        first, last = bisect.bisect_left(days, year.start), bisect.bisect_right(days, day)
        covered = sorted(set(compress(pairing.months[first:last], pairing.contacts[first:last])))
        owed, met = care.tally_days(pairing.record, logs, programme, (year.start, year.end), day, periods)
        owing = (
            followup
            and pairing.in_progress(day, day)
            and care.overdue_days(pairing.record, logs, programme, day, periods)
        )
        return (
            tuple(Counter(pairing.kinds[first:last]).items()),
            sum(pairing.homes[first:last]),
            sum(pairing.festivals[first:last]),
            sum(pairing.doubles[first:last]),
            tuple(covered),
            owed,
            met,
            bool(owing),
        )


class _Figures:
    """The year's figures per mother and per unit (made once per year: `reviews` reuses them as the next year's year before)."""

    def __init__(
        self,
        prepared: _Prepared,
        year: Year,
        day: dt.date,
        commendations: tuple[Commended, ...],
        trainings: tuple[TrainingYear, ...],
        followup: bool = True,
    ):
        index, programme = prepared.index, prepared.programme
        self.prepared, self.programme, self.year, self.day = prepared, programme, year, day
        # What each mother still owes on the review day is the costliest figure and only her own
        # row needs it: a year made only as the year before (its units' totals) goes without.
        self.followup = followup
        self.commendations, self.trainings = commendations, trainings
        self.periods = care.shared_periods(programme, day)
        self.has_data = False
        by_mother: dict[str, _Tally] = {}
        by_unit: dict[str, _Tally] = {u: _Tally() for u in programme.unit_ids}
        open_mothers: set[str] = set()
        none = _Tally()  # a mother without a pairing in the year (read only)
        for pairing in prepared.pairings:
            if pairing.ended and pairing.end is not None and year.start <= pairing.end <= day:
                by_unit.setdefault(pairing.unit, _Tally()).ended[pairing.reason] += 1
                self.has_data = True
            if not pairing.in_progress(year.start, day):
                continue
            self.has_data = True
            made = prepared.figures(pairing, year, day, self.periods, followup)
            active = pairing.months_in_progress(year.start, day)
            for tallies, key in ((by_mother, pairing.mother), (by_unit, pairing.unit)):
                tally = tallies.get(key)
                if tally is None:
                    tally = tallies[key] = _Tally()
                tally.add_pairing(pairing.girl, made, active)
            if followup and made[7]:
                open_mothers.add(pairing.mother)
        titles: dict[str, list[str]] = {}
        for c in commendations:
            titles.setdefault(c.mother_id, []).append(c.title)
        invited = Counter(m for t in trainings for m in t.invited)
        attended = Counter(m for t in trainings for m in t.attended)

        order = {u: i for i, u in enumerate(programme.unit_ids)}
        mothers = []
        for record in index.valid("mother"):
            data = record.data
            if not _approved_by(data, day) or _withdrawn_before(data, year.start):
                continue
            t = by_mother.get(record.id) or none
            mothers.append(
                MotherYear(
                    mother_id=record.id,
                    unit=record.unit,
                    girls=len(t.girls),
                    contacts=sum(t.by_kind.values()),
                    by_kind=dict(sorted(t.by_kind.items())),
                    months_covered=len(t.covered),
                    months_active=len(t.active),
                    home_visits=t.home_visits,
                    festivals=t.festivals,
                    double_visits=t.double_visits,
                    obligations_met=t.share,
                    open_followup=record.id in open_mothers,
                    commendations=tuple(titles.get(record.id, ())),
                    trainings_invited=invited[record.id],
                    trainings_attended=attended[record.id],
                )
            )
        mothers.sort(key=lambda m: (order.get(m.unit, len(order)), m.unit, m.mother_id))
        self.mothers = tuple(mothers)
        girls_on_file = Counter(
            g.unit
            for g in index.valid("girl")
            if (filed := parse_date(g.data.get("survey_date"))) is None or filed <= day
        )
        self.units = tuple(
            self._unit(u, by_unit.get(u, _Tally()), girls_on_file[u], [m for m in mothers if m.unit == u])
            for u in programme.unit_ids
        )
        total = _Tally()
        for u in programme.unit_ids:
            total.add(by_unit.get(u, _Tally()))
        in_units = [m for m in mothers if m.unit in order]
        self.city = self._unit(CITY, total, sum(girls_on_file[u] for u in programme.unit_ids), in_units)

    def _unit(self, unit: str, t: _Tally, girls_on_file: int, mothers: list[MotherYear]) -> UnitYear:
        return UnitYear(
            unit=unit,
            mothers=len(mothers),
            girls_on_file=girls_on_file,
            girls_paired=len(t.girls),
            pairings=t.pairings,
            contacts=sum(t.by_kind.values()),
            by_kind=dict(sorted(t.by_kind.items())),
            home_visits=t.home_visits,
            festivals=t.festivals,
            double_visits=t.double_visits,
            ended_by_reason=dict(sorted(t.ended.items())),
            obligations_met=t.share,
            commendations=sum(len(m.commendations) for m in mothers),
            trainings_invited=sum(m.trainings_invited for m in mothers),
            trainings_attended=sum(m.trainings_attended for m in mothers),
        )


def _empty(unit: str) -> UnitYear:
    return UnitYear(unit, 0, 0, 0, 0, 0, {}, 0, 0, 0, {}, None)


# ---------------------------------------------------------------- plain values, for the check's cache

# The records the review reads besides the logs, and their fields that it (and the report's
# names) read: every mother (an invalid one still gives her commendation its unit), and the valid
# girls, pairings, commendations and trainings.
_READS = {
    "mother": ("name", "county_approval", "city_approval", "withdrawn"),
    "girl": ("survey_date",),
    "pairing": ("mother", "girl", "status", "started_on", "ended_on", "end_reason"),
    "commendation": ("year", "mother", "title", "awarded_by", "date"),
    "training": ("date", "topic", "place", "organiser", "invited", "attended"),
}


def to_row(
    index: RecordIndex,
    programme: Programme,
    as_of: dt.date,
    owing: Mapping[str, bool] | None = None,
    known: Sequence[Any] | None = None,
) -> tuple[Any, ...]:
    """What the review of any year on record as of `as_of` reads, as plain values that the check
    caches with its result (`index_of_row`, `review_of_row`): those records, and each pairing's
    figures (`PairingYear`) in each year it was in progress, so that a report reads neither the
    logs nor the whole index. The same `_Prepared.figures` makes them as `review` would. `owing`:
    pairing id -> whether it owes something on `as_of`, when known (`care.assess` said it, for the
    pairings in progress that day: `care.overdue_days` is the same verdict). `known`: per valid
    pairing in the index's order, its rows of a previous `to_row` as of the same day when neither
    it nor a log of it changed since (the check's cache), else None; `row[2]` holds every pairing's."""
    records = tuple(
        (
            kind,
            tuple(
                (r.unit, r.id, r.valid, tuple(map(r.data.get, fields)))
                for r in index.by_kind[kind]
                if r.valid or kind == "mother"
            ),
        )
        for kind, fields in _READS.items()
    )
    prepared = _Prepared(index, programme)
    years: list[list[tuple[Any, ...]]] = [[] for _ in prepared.pairings]
    ids = Counter(p.record.id for p in prepared.pairings)
    kept_rows = list(known) if known is not None else [None] * len(years)
    if len(kept_rows) != len(years):
        raise ValueError(f"{len(kept_rows)} pairings' rows known for {len(years)} pairings")
    for year in years_on_record(programme, as_of):
        day = min(year.end, as_of)
        periods = care.shared_periods(programme, day)
        for pairing, rows, kept in zip(prepared.pairings, years, kept_rows):
            if kept is not None or not pairing.in_progress(year.start, day):
                continue
            said = owing.get(pairing.record.id) if owing is not None and day == as_of else None
            if said is None or ids[pairing.record.id] > 1:  # an id filed twice: each its own verdict
                rows.append((year.label, *prepared.figures(pairing, year, day, periods, True)))
            else:
                made = prepared.figures(pairing, year, day, periods, False)
                rows.append((year.label, *made[:7], said and pairing.in_progress(day, day)))
    every = (kept if kept is not None else tuple(rows) for rows, kept in zip(years, kept_rows))
    return as_of.isoformat(), records, tuple(every)


def index_of_row(row: tuple[Any, ...]) -> RecordIndex:
    """The records `to_row` kept, as an index (no logs): what the review and the names read."""
    index = RecordIndex()
    add = index.add
    for kind, records in row[1]:
        fields = _READS[kind]
        for unit, record_id, valid, values in records:
            data = {key: value for key, value in zip(fields, values) if value is not None}
            add(Record(kind, unit, record_id, "", data, valid))
    return index


def review_of_row(
    row: tuple[Any, ...], index: RecordIndex, programme: Programme, year: Year, as_of: dt.date
) -> AnnualReview:
    """`review` from `to_row`'s values made as of the same day (`index`: `index_of_row(row)`)."""
    return reviews_of_row(row, index, programme, (year,), as_of)[year.label]


def reviews_of_row(
    row: tuple[Any, ...], index: RecordIndex, programme: Programme, years: Iterable[Year], as_of: dt.date
) -> dict[str, AnnualReview]:
    """`reviews` from `to_row`'s values made as of the same day (the site's year pages)."""
    if row[0] != as_of.isoformat():
        raise ValueError(f"the review's figures were made as of {row[0]}, not {as_of.isoformat()}")
    return _reviews(_Prepared(index, programme, row[2]), years, as_of)
