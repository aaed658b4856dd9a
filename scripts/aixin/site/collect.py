"""Everything the site shows, read from records/ once: records in full, eligibility, findings, counts.

The check layer keeps only the fields its cross-record rules need; the site needs every field, so
records are loaded again here with the same strict loader. A record that the schema rejects is
kept (its page shows what could be read, with its findings); a file the loader cannot use at all
is skipped with a note. Nothing here renders or writes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from aixin.check import engine
from aixin.check.full_records import FullRecords
from aixin.core import dates
from aixin.core.findings import Finding, Severity
from aixin.domain import annual, care, eligibility, layout, terms
from aixin.domain.annual import AnnualReview
from aixin.domain.care import CareReport, Waiting
from aixin.domain.eligibility import Eligibility
from aixin.domain.programme import Programme, Unit
from aixin.domain.quota import QuotaRow
from aixin.domain.records import Record, RecordIndex
from aixin.load.repository import Repository, open_repository

CITY = ""  # the key of city-wide totals and of findings outside every unit's folder


@dataclass
class Item:
    """One record as the site sees it. `data` holds whatever could be read; `valid` says whether
    the schema accepted it (templates must not assume a field of an invalid record exists)."""

    kind: str
    unit: str
    id: str
    file: str
    data: dict
    valid: bool
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Skipped:
    """A record file that could not be loaded at all: shown as a note, never as a page."""

    file: str
    unit: str
    reason: str


@dataclass
class Counts:
    """The figures of one unit (or of the city): what the dashboard and the public site show."""

    quota: int = 0
    mothers: int = 0  # on file
    mothers_approved: int = 0  # by both the unit and the city
    mothers_pending: int = 0
    girls: int = 0
    girls_eligible: int = 0
    girls_paired: int = 0  # with a pairing in progress
    pairings_active: int = 0
    pairings_ended: int = 0
    contacted_month: int = 0  # active pairings with a contact this month (domain.care, the public figure)
    errors: int = 0
    warnings: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class SiteData:
    programme: Programme
    today: dt.date
    units: tuple[Unit, ...]  # the units whose records this site holds pages for
    girls: dict[str, Item] = field(default_factory=dict)
    mothers: dict[str, Item] = field(default_factory=dict)
    pairings: dict[str, Item] = field(default_factory=dict)
    logs: dict[str, list[Item]] = field(default_factory=dict)  # by pairing id, oldest first
    # The city's records (records/city/), by id: what it decided and offered the mothers.
    commendations: dict[str, Item] = field(default_factory=dict)
    trainings: dict[str, Item] = field(default_factory=dict)
    eligibility: dict[str, Eligibility | None] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    quota: list[QuotaRow] = field(default_factory=list)  # every unit, then the city
    counts: dict[str, Counts] = field(default_factory=dict)  # unit id (CITY for the city)
    photo_problems: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    care: CareReport | None = None  # the obligations met and owed as of `today` (domain.care)
    queue: tuple[Waiting, ...] = ()  # mothers approved by their county, awaiting the city
    reviews: dict[str, AnnualReview] = field(default_factory=dict)  # by year label: domain.annual, as of `today`
    version: str = ""  # which commit the pages show (site.build.version), "" outside Git
    # Every regular file under records/ (layout.discover: no symlink, nothing behind one), so
    # that the site copies only photos and media that are really in the repository.
    files: set[str] = field(default_factory=set, repr=False)


def unit_of_file(file: str, unit_ids: tuple[str, ...]) -> str:
    """The unit whose folder holds `file` (records/<unit>/…), or CITY for anything else."""
    parts = file.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "records" and parts[1] in unit_ids else CITY


def collect(repo: Repository | Path, today: dt.date | None = None, *, with_reviews: bool = True) -> SiteData:
    """Load the repository for the site; UsageError when it cannot be opened (the same
    conditions under which `aixin check` stops). `with_reviews=False`: no yearly reviews (the
    public site shows none)."""
    repo = repo if isinstance(repo, Repository) else open_repository(Path(repo))
    root, programme = repo.root, repo.programme
    today = today or dates.beijing_today()
    result = engine.run_check(repo, today=today, with_annual=with_reviews)
    data = SiteData(programme, today, programme.units, findings=list(result.findings), quota=list(result.quota))
    by_record: dict[str, list[Finding]] = defaultdict(list)
    for finding in data.findings:
        if finding.record:
            by_record[finding.record].append(finding)
    data.files = set(layout.discover(root / "records"))
    full = FullRecords(repo)
    keys = result.keys or {}  # what the check's scan knew of each file: read again only if unknown
    unit_ids = programme.unit_ids  # a property that makes its tuple anew: once, not per file
    for rel in sorted(data.files):
        place = layout.classify(rel, unit_ids)
        if place is None or place.problem or place.kind is None:
            continue
        _load(full, rel, place, data, by_record, keys.get(rel))
    full.save()
    for pairing_logs in data.logs.values():
        pairing_logs.sort(key=lambda item: (str(item.data.get("date", "")), item.id))
    for girl in data.girls.values():
        data.eligibility[girl.id] = eligibility.assess(girl.data, programme) if girl.valid else None
    data.counts = count(data)
    # The check computed them as of the same day (and caches them with its per-file results).
    data.care, data.queue = result.care, result.waiting
    if data.care is None:
        index = record_index(data)
        data.care, data.queue = care.assess(index, programme, today), care.approval_queue(index, today)
    for unit in data.care.units:
        data.counts[unit.unit].contacted_month = unit.contacted_this_month
    data.counts[CITY].contacted_month = data.care.city.contacted_this_month
    data.reviews = reviews(data, today, result.annual) if with_reviews else {}
    return data


def reviews(data: SiteData, today: dt.date, rows: tuple | None = None) -> dict[str, AnnualReview]:
    """The yearly review of every programme year on record up to `today` (the year pages), from the
    check's rows when it gave them for that day (`domain.annual.to_row`, cached per pairing: no log
    is read again), else from the records."""
    programme = data.programme
    years = annual.years_on_record(programme, today)
    if rows is not None and rows[0] == today.isoformat():
        return annual.reviews_of_row(rows, annual.index_of_row(rows), programme, years, today)
    return annual.reviews(record_index(data), programme, years, today)


def record_index(data: SiteData) -> RecordIndex:
    """The records as domain.care reads them (full data: the care figures need more fields than the
    check's cross-record view keeps)."""
    index = RecordIndex()
    people = (*data.girls.values(), *data.mothers.values(), *data.pairings.values())
    for item in (*people, *data.commendations.values(), *data.trainings.values()):
        index.add(Record(item.kind, item.unit, item.id, item.file, item.data, item.valid))
    for entries in data.logs.values():
        for log in entries:
            index.add(Record(log.kind, log.unit, log.id, log.file, log.data, log.valid))
    return index


def _load(full: FullRecords, rel: str, place, data: SiteData, by_record, key: bytes | None) -> None:
    loaded = full.load(rel, place.kind, key)
    if loaded.data is None:
        data.skipped.append(Skipped(rel, place.unit, loaded.reason))
        return
    item = Item(place.kind, place.unit, place.id, rel, loaded.data, loaded.valid, by_record.get(place.id, []))
    if place.kind == "log":
        data.logs.setdefault(rel.split("/")[3], []).append(item)
    else:
        getattr(data, place.kind + "s").setdefault(place.id, item)


# ------------------------------------------------------------------ counts


def is_active(pairing: Item) -> bool:
    return terms.is_active(pairing.data)


def count(data: SiteData) -> dict[str, Counts]:
    """Counts per unit and for the city, from the records in `data` and the check's quota table."""
    unit_ids = data.programme.unit_ids
    counts = {u.id: Counts(quota=u.quota) for u in data.programme.units}
    for row in data.quota:
        if row.unit_id in counts:
            counts[row.unit_id].mothers_approved = row.approved
            counts[row.unit_id].mothers_pending = row.pending
    for mother in data.mothers.values():
        counts[mother.unit].mothers += 1
    paired = {p.data.get("girl") for p in data.pairings.values() if is_active(p)}
    for girl in data.girls.values():
        c = counts[girl.unit]
        c.girls += 1
        c.girls_eligible += data.eligibility.get(girl.id) is not None and data.eligibility[girl.id].eligible is True
        c.girls_paired += girl.id in paired
    for pairing in data.pairings.values():
        if is_active(pairing):
            counts[pairing.unit].pairings_active += 1
        elif terms.is_ended(pairing.data):  # a proposed pairing (待审批) is neither
            counts[pairing.unit].pairings_ended += 1
    city = Counts(quota=data.programme.total_quota)
    for finding in data.findings:
        unit = unit_of_file(finding.file, unit_ids)
        target = counts[unit] if unit else city
        target.errors += finding.severity is Severity.ERROR
        target.warnings += finding.severity is Severity.WARNING
    for c in counts.values():
        city.add(c)
    city.quota = data.programme.total_quota
    counts[CITY] = city
    return counts
