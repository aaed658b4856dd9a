"""Records as the checks see them, and the index that cross-record rules look things up in."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .terms import KINDS, is_active


@dataclass(slots=True)
class Record:
    """One record file: its kind, unit, id (the file stem), path and data.

    `valid` is False when the schema rejected it: such a record still exists (references to it
    resolve) but rules do not read its fields.
    """

    kind: str
    unit: str
    id: str
    file: str
    data: dict
    valid: bool = True


@dataclass
class RecordIndex:
    """All records of the repository, by id and by kind, with the usual reverse look-ups."""

    records: list[Record] = field(default_factory=list)
    by_id: dict[str, Record] = field(default_factory=dict)
    by_kind: dict[str, list[Record]] = field(default_factory=lambda: {k: [] for k in KINDS})
    pairings_of_mother: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    pairings_of_girl: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    logs_of_pairing: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    programme: Record | None = None  # records/programme.yaml, where quota findings point
    # Files in the units' photos/ and media/ folders (repo-relative), for the link rules.
    assets: set[str] = field(default_factory=set)

    def add(self, record: Record) -> None:
        self.records.append(record)
        self.by_id.setdefault(record.id, record)
        self.by_kind[record.kind].append(record)
        if not record.valid:
            return
        data = record.data
        if record.kind == "pairing":
            self.pairings_of_mother[data["mother"]].append(record)
            self.pairings_of_girl[data["girl"]].append(record)
        elif record.kind == "log":
            self.logs_of_pairing[data["pairing"]].append(record)

    def all_records(self) -> list[Record]:
        return self.records

    def valid(self, kind: str) -> list[Record]:
        return [r for r in self.by_kind[kind] if r.valid]

    def active_pairings(self, role: str, record_id: str) -> list[Record]:
        """The pairings in progress of a mother or a girl (`role`), oldest first."""
        table = self.pairings_of_mother if role == "mother" else self.pairings_of_girl
        found = [p for p in table.get(record_id, []) if is_active(p.data)]
        return sorted(found, key=lambda p: (p.data["started_on"], p.id))

    def get(self, record_id: str, kind: str) -> Record | None:
        record = self.by_id.get(record_id)
        return record if record is not None and record.kind == kind else None


# The fields cross-record rules may read (None: the whole value; a tuple: only those keys of a
# mapping). Per-file results keep only these, as a tuple in this order, so that the cache of a
# large repository loads quickly; a cross rule that reads any other field fails its tests.
# `_eligibility` is derived once per girl: eligibility.Eligibility.as_facts().
ELIGIBILITY = "_eligibility"
_APPROVAL = ("decision", "date")
CROSS_FIELDS = {
    "girl": {"name": None, "birth": None, "guardian": ("phone",), ELIGIBILITY: None, "photo": None},
    "mother": {
        "name": None,
        "id_number": None,
        "residence": ("unit",),
        "county_approval": _APPROVAL,
        "city_approval": _APPROVAL,
        "photo": None,
    },
    "pairing": {
        "mother": None,
        "girl": None,
        "status": None,
        "mode": None,
        "started_on": None,
        "ended_on": None,
        "exception": None,
    },
    "log": {"pairing": None, "date": None, "photos": None, "attachments": None},
}


def cross_view(kind: str, data: dict) -> tuple:
    """The values cross-record rules need from a schema-valid record (None where absent)."""
    values = []
    for key, inner in CROSS_FIELDS[kind].items():
        value = data.get(key)
        if inner and value is not None:
            value = {k: value[k] for k in inner if k in value}
        values.append(value)
    return tuple(values)


def view_data(kind: str, values: tuple) -> dict:
    """The record data a cross rule sees, rebuilt from `cross_view`'s tuple."""
    return {key: value for key, value in zip(CROSS_FIELDS[kind], values) if value is not None}
