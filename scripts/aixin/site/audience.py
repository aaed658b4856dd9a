"""Who a site is for, and the data that audience may see: everything else is dropped here.

- city: every record (the city federation's staff).
- unit X: X's own records, the city-wide quota table and city totals. A pairing of X that
  involves another unit's girl keeps the pairing but not the girl. X is responsible for its
  girls: a pairing kept by another unit for X's girl is shown with its contact logs, the other
  unit's mother by name and unit only (`Visitor`: no record code, phone, ID number, page, nor
  any other record of that unit; the pairing's findings are that unit's). Names of other
  units' people are blanked out of free text (messages, contact summaries, findings), and
  contact photos of a pairing with another unit's girl are withheld.
- unit X also sees the city's records about its own mothers: their commendations, and the
  trainings that invited one of them or that one attended, with `invited`/`attended` cut down
  to its own mothers (the other units' mothers are not named at all).
- public: counts per unit only (under 5 shown as "<5"), no record at all.

Restriction happens before anything is rendered, so that a template can never show what the
audience must not see: the data is simply not there.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace

from aixin.core.findings import Finding
from aixin.domain import layout
from aixin.domain.care import CareReport
from aixin.domain.quota import CITY_TOTAL

from .collect import CITY, Counts, Item, SiteData, is_active, unit_of_file

SUPPRESS_BELOW = 5
REDACTED = "（其他单位人员）"
PUBLIC_FIELDS = (
    ("quota", "名额"),
    ("mothers", "报名爱心妈妈"),
    ("mothers_approved", "审核通过"),
    ("girls", "建档女童"),
    ("pairings_active", "进行中的结对"),
    ("contacted_month", "本月已联系的结对"),
)


@dataclass(frozen=True)
class Audience:
    kind: str  # "city", "unit" or "public"
    unit: str | None = None

    def __post_init__(self):
        if self.kind not in ("city", "unit", "public"):
            raise ValueError(f"unknown audience {self.kind!r}")
        if (self.kind == "unit") != (self.unit is not None):
            raise ValueError("a unit audience names exactly one unit")

    @property
    def slug(self) -> str:
        """The folder name of this audience's build: city, public, or the unit id."""
        return self.unit if self.kind == "unit" else self.kind


CITY_AUDIENCE = Audience("city")
PUBLIC_AUDIENCE = Audience("public")


@dataclass
class PublicRow:
    """One line of the public summary: a unit (or the city) with counts as display strings."""

    unit_name: str
    cells: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Visitor:
    """Another unit's mother of one of this unit's girls: all that the unit's site may know of her."""

    name: str
    unit: str
    unit_name: str


@dataclass
class Restricted:
    """SiteData cut down for one audience, plus what only some audiences carry."""

    data: SiteData
    audience: Audience
    external: dict[str, str] = field(default_factory=dict)  # another unit's record id → its unit
    visitors: dict[str, Visitor] = field(default_factory=dict)  # by pairing id: its other unit's mother
    public_rows: list[PublicRow] = field(default_factory=list)


def restrict(data: SiteData, audience: Audience) -> Restricted:
    if audience.kind == "city":
        return Restricted(data, audience)
    if audience.kind == "public":
        return _public(data, audience)
    return _unit(data, audience)


# ------------------------------------------------------------------ unit sites


def _unit(data: SiteData, audience: Audience) -> Restricted:
    unit = audience.unit
    own = lambda items: {k: v for k, v in items.items() if v.unit == unit}  # noqa: E731
    girls, mothers, pairings = own(data.girls), own(data.mothers), own(data.pairings)
    # Pairings kept by another unit for one of this unit's girls: the unit is responsible for
    # her, so it sees them, with the other unit's mother by name and unit only.
    guests = {
        pid: p
        for pid, p in data.pairings.items()
        if p.unit != unit and str(p.data.get("girl", "")) in girls and str(p.data.get("mother", "")) in data.mothers
    }
    visitors = {pid: _visitor(data, data.mothers[str(p.data["mother"])]) for pid, p in guests.items()}
    visiting_names = {v.name for v in visitors.values() if v.name}
    foreign_names = _names_of(
        [g for g in data.girls.values() if g.unit != unit] + [m for m in data.mothers.values() if m.unit != unit]
    )
    redact = _redactor(foreign_names - visiting_names, _names_of([*girls.values(), *mothers.values()]) | visiting_names)
    external: dict[str, str] = {}
    kept_pairings: dict[str, Item] = {}
    logs: dict[str, list[Item]] = {}
    for pid, pairing in [*pairings.items(), *sorted(guests.items())]:
        guest = pid in guests
        item = _redacted_item(pairing, redact, ("message", "notes", "end_reason", "end_reason_other"))
        if isinstance(item.data.get("exception"), dict):
            item.data["exception"] = {
                **item.data["exception"],
                "reason": redact(item.data["exception"].get("reason", "")),
            }
        girl_id, mother_id = str(pairing.data.get("girl", "")), str(pairing.data.get("mother", ""))
        foreign_girl = girl_id in data.girls and girl_id not in girls
        if guest:  # the other unit's mother is not even named by her record code
            item.data["mother"] = None
            item.findings = []  # the other unit's to act on, and they may name its records
        for ref, table in ((girl_id, data.girls), (mother_id, data.mothers)):
            if not guest and ref in table and table[ref].unit != unit:
                external[ref] = table[ref].unit
        kept_pairings[pid] = item
        entries = []
        for log in data.logs.get(pid, []):
            if log.unit != unit and not guest:
                continue
            entry = _redacted_item(log, redact, ("summary",))
            if guest:
                entry.findings = []
            if foreign_girl and entry.data.get("photos"):
                entry.data["withheld_photos"] = len(entry.data["photos"])
                entry.data["photos"] = []
            entries.append(entry)
        logs[pid] = entries
    findings = [
        _redacted_finding(f, redact)
        for f in data.findings
        if unit_of_file(f.file, data.programme.unit_ids) in (unit, CITY) and not _city_record(f.file)
    ]
    for item in (*girls.values(), *mothers.values(), *(p for pid, p in kept_pairings.items() if pid not in guests)):
        item.findings = [_redacted_finding(f, redact) for f in item.findings]
    restricted = replace(
        data,
        units=tuple(u for u in data.programme.units if u.id == unit),
        girls=girls,
        mothers=mothers,
        pairings=kept_pairings,
        logs=logs,
        commendations={
            k: replace(c, findings=[])
            for k, c in data.commendations.items()
            if str(c.data.get("mother", "")) in mothers
        },
        trainings=_own_trainings(data.trainings, set(mothers)),
        eligibility={k: v for k, v in data.eligibility.items() if k in girls},
        findings=findings,
        skipped=[s for s in data.skipped if s.unit == unit],
        counts={k: v for k, v in data.counts.items() if k in (unit, CITY)},
        photo_problems=[p for p in data.photo_problems if unit_of_file(p[0], data.programme.unit_ids) == unit],
        care=_unit_care(data.care, unit, set(kept_pairings)),
        queue=(),  # the approval queue is the city's to work through
    )
    return Restricted(restricted, audience, external, visitors=visitors)


def _city_record(file: str) -> bool:
    """A file in the city's own folder (records/city/): its findings are the city's to act on and
    may name any unit's mothers, so no unit site shows them."""
    return file.startswith(f"records/{layout.CITY_FOLDER}/")


def _own_trainings(trainings: dict[str, Item], mothers: set[str]) -> dict[str, Item]:
    """The trainings that invited or had one of `mothers`, each naming only those mothers."""
    kept = {}
    for training_id, training in trainings.items():
        lists = {key: training.data.get(key) for key in ("invited", "attended")}
        own = {key: [m for m in value if m in mothers] for key, value in lists.items() if isinstance(value, list)}
        if any(own.values()):
            kept[training_id] = replace(training, data={**copy.deepcopy(training.data), **own}, findings=[])
    return kept


def _unit_care(care: CareReport | None, unit: str, pairing_ids: set[str]) -> CareReport | None:
    """The care figures a unit may see: its own unit's totals, the city's, and the pairings whose
    records its site holds (its own, and those another unit keeps for its girls)."""
    if care is None:
        return None
    return replace(
        care,
        pairings=tuple(p for p in care.pairings if p.pairing_id in pairing_ids),
        units=tuple(u for u in care.units if u.unit == unit),
    )


def _visitor(data: SiteData, mother: Item) -> Visitor:
    name = mother.data.get("name")
    return Visitor(name if isinstance(name, str) else "", mother.unit, data.programme.unit_name(mother.unit))


def _names_of(items: list[Item]) -> set[str]:
    """Every name on other units' records: the person, and a girl's parents and guardian."""
    names = set()
    for item in items:
        d = item.data
        candidates = [d.get("name")]
        for key in ("father", "mother", "guardian", "consent"):
            part = d.get(key)
            if isinstance(part, dict):
                candidates.append(part.get("name") or part.get("by"))
        names.update(n for n in candidates if isinstance(n, str) and len(n.strip()) >= 2)
    return names


def _redactor(names: set[str], own: set[str]):
    """Blank out `names` in free text; `own` names (longest match first) are left whole, so
    that an own "示例妈妈十八" does not lose "示例妈妈十" to another unit's person."""
    if not names:
        return lambda text: text
    every = sorted(names | own, key=lambda n: (-len(n), n))
    pattern = re.compile("|".join(re.escape(n) for n in every))
    keep = own - names

    def one(match: re.Match) -> str:
        return match.group(0) if match.group(0) in keep else REDACTED

    return lambda text: pattern.sub(one, text) if isinstance(text, str) else text


def _redacted_item(item: Item, redact, keys: tuple[str, ...]) -> Item:
    data = copy.deepcopy(item.data)
    for key in keys:
        if key in data:
            data[key] = redact(data[key])
    return replace(item, data=data, findings=[_redacted_finding(f, redact) for f in item.findings])


def _redacted_finding(finding: Finding, redact) -> Finding:
    return replace(finding, message=redact(finding.message), hint=redact(finding.hint))


# ------------------------------------------------------------------ the public summary


def suppressed(value: int) -> str:
    return "<5" if value < SUPPRESS_BELOW else f"{value:,}"


# Counts that are zero by the programme's design, whatever the records say: a unit without a
# quota recruits no mothers (so it has no pairings either: they count by the mother's unit), and
# the city organs (市直, kind "city") survey no girls. Such a zero gives nobody away: it is
# shown as 0 and does not hide the city total. A non-zero value there is suppressed as usual.
_BY_CONSTRUCTION = {
    "mothers": lambda unit: unit.quota == 0,
    "mothers_approved": lambda unit: unit.quota == 0,
    "pairings_active": lambda unit: unit.quota == 0,
    "contacted_month": lambda unit: unit.quota == 0,
    "girls": lambda unit: unit.kind == "city",
}


def zero_by_construction(unit, name: str, value: int) -> bool:
    return value == 0 and name in _BY_CONSTRUCTION and _BY_CONSTRUCTION[name](unit)


def _public(data: SiteData, audience: Audience) -> Restricted:
    rows = []
    columns: list[list[int]] = [[] for _ in PUBLIC_FIELDS]
    hidden = [0 for _ in PUBLIC_FIELDS]
    for unit in data.programme.units:
        c = data.counts.get(unit.id, Counts())
        cells = []
        for position, (name, _) in enumerate(PUBLIC_FIELDS):
            value = getattr(c, name)
            columns[position].append(value)
            if name == "quota" or zero_by_construction(unit, name, value):
                cells.append(f"{value:,}")
            else:
                cells.append(suppressed(value))
                hidden[position] += value < SUPPRESS_BELOW
        rows.append(PublicRow(unit.name, cells))
    total = []
    for position, (name, _) in enumerate(PUBLIC_FIELDS):
        values = columns[position]
        # One hidden cell would be given away by the total: hide the total too.
        if name != "quota" and hidden[position] == 1:
            total.append("—")
        else:
            total.append(f"{data.programme.total_quota:,}" if name == "quota" else suppressed(sum(values)))
    rows.append(PublicRow(CITY_TOTAL, total))
    empty = replace(
        data,
        units=data.programme.units,
        girls={},
        mothers={},
        pairings={},
        logs={},
        commendations={},
        trainings={},
        eligibility={},
        findings=[],
        skipped=[],
        quota=[],
        counts={},
        photo_problems=[],
        care=None,
        queue=(),
    )
    return Restricted(empty, audience, public_rows=rows)


def active_girl_ids(data: SiteData) -> set[str]:
    return {str(p.data.get("girl")) for p in data.pairings.values() if is_active(p)}
