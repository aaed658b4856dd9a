"""Records as the checks see them, and the index that cross-record rules look things up in."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .terms import KINDS, holds_the_girl, is_active


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
    # The city's records about a mother: her commendations, and the trainings that invited her
    # or that she attended (each training once per mother).
    commendations_of_mother: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    trainings_of_mother: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    programme: Record | None = None  # records/programme.yaml, where quota findings point
    # Files in the units' photos/ and media/ folders (repo-relative), for the link rules.
    assets: set[str] = field(default_factory=set)
    # The files a pull request adds or changes (`aixin check --pr`): in a conflict they are the new ones.
    changed: frozenset[str] = frozenset()

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
        elif record.kind == "commendation":
            self.commendations_of_mother[data["mother"]].append(record)
        elif record.kind == "training":
            for mother in dict.fromkeys([*data.get("invited", ()), *data.get("attended", ())]):
                self.trainings_of_mother[mother].append(record)

    def all_records(self) -> list[Record]:
        return self.records

    def valid(self, kind: str) -> list[Record]:
        return [r for r in self.by_kind[kind] if r.valid]

    def active_pairings(self, role: str, record_id: str) -> list[Record]:
        """The pairings in progress of a mother or a girl (`role`), oldest first (`oldest_first`)."""
        table = self.pairings_of_mother if role == "mother" else self.pairings_of_girl
        return self.oldest_first([p for p in table.get(record_id, []) if is_active(p.data)], "started_on")

    def pairings_holding(self, girl_id: str) -> list[Record]:
        """A girl's pairings in progress, then those awaiting approval (`terms.holds_the_girl`),
        each group oldest first: an active pairing is always the existing one."""
        held = [p for p in self.pairings_of_girl.get(girl_id, []) if holds_the_girl(p.data)]
        return sorted(self.oldest_first(held, "started_on"), key=lambda p: not is_active(p.data))

    def oldest_first(self, records: list[Record], date: str = "") -> list[Record]:
        """`records` in the order they came: a cross rule reports on the later ones and names the
        first as the existing record. A file the pull request adds or changes is newest; then the
        later `date` (the field the rule compares, e.g. started_on), the later filing date
        (`FILED_ON`), and last the record id and file, only so that the order is stable."""

        def key(record: Record) -> tuple[bool, str, str, str, str]:
            data = record.data
            filed = FILED_ON.get(record.kind, "")
            return (
                record.file in self.changed,
                str(data.get(date, "")),
                str(data.get(filed, "")),
                record.id,
                record.file,
            )

        return sorted(records, key=key)

    def get(self, record_id: str, kind: str) -> Record | None:
        record = self.by_id.get(record_id)
        return record if record is not None and record.kind == kind else None


# The fields cross-record rules may read (None: the whole value; a tuple: only those keys of a
# mapping). Per-file results keep only these, as a tuple in this order, so that the cache of a
# large repository loads quickly; a cross rule that reads any other field fails its tests.
# `_eligibility` is derived once per girl: eligibility.Eligibility.as_facts().
ELIGIBILITY = "_eligibility"
_APPROVAL = ("decision", "date")
# When each kind of record was filed: what `oldest_first` compares after the rule's own date.
FILED_ON = {
    "girl": "survey_date",
    "mother": "filed_on",
    "pairing": "filed_on",
    "log": "date",
    "commendation": "date",
    "training": "date",
}
CROSS_FIELDS = {
    "girl": {
        "name": None,
        "birth": None,
        "guardian": ("phone",),
        ELIGIBILITY: None,
        "photo": None,
        "survey_date": None,
        "township": None,
        "village": None,
        "left_behind_ended": ("date", "reason"),
    },
    "mother": {
        "filed_on": None,
        "name": None,
        "id_number": None,
        "residence": ("unit",),
        "county_approval": _APPROVAL,
        "city_approval": _APPROVAL,
        "photo": None,
        "withdrawn": ("date",),
    },
    "pairing": {
        "filed_on": None,
        "mother": None,
        "girl": None,
        "status": None,
        "mode": None,
        "started_on": None,
        "ended_on": None,
        "end_reason": None,  # the yearly review counts the pairings ended by reason (domain.annual)
        "exception": None,
    },
    "log": {
        "pairing": None,
        "date": None,
        "photos": None,
        "attachments": None,
        # What the care figures count (domain.care): which obligation a log meets.
        "kind": None,
        "with": None,
        "guided_parents": None,
    },
    # The city's records (records/city/): every field, they are few and the yearly review reads them.
    "commendation": {"year": None, "mother": None, "title": None, "awarded_by": None, "date": None, "note": None},
    "training": {
        "date": None,
        "topic": None,
        "place": None,
        "organiser": None,
        "invited": None,
        "attended": None,
        "hours": None,
        "note": None,
    },
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
