"""The records already in the repository, as imports and exports need them: every field of the
girls, mothers and pairings, every record id, the keys that say "same person" or "same entry",
and the contact logs of one pairing on demand (there are too many to read them all)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from aixin.core import idnumber
from aixin.core.masking import mask_id, mask_phone
from aixin.domain import layout
from aixin.domain.programme import Programme
from aixin.domain.records import Record
from aixin.load import loader
from aixin.load.repository import Repository
from aixin.load.schemas import SchemaSet

PEOPLE_KINDS = ("girl", "mother", "pairing")


@dataclass
class ExistingRecords:
    root: Path
    programme: Programme
    schemas: SchemaSet
    records: dict[str, list[Record]] = field(default_factory=lambda: {k: [] for k in PEOPLE_KINDS})
    ids: set[str] = field(default_factory=set)  # every record id under records/, logs included
    assets: set[str] = field(default_factory=set)  # files in the units' photos/ and media/ folders
    unreadable: list[str] = field(default_factory=list)
    _logs: dict[str, list[Record]] = field(default_factory=dict)

    def by_id(self, kind: str) -> dict[str, Record]:
        return {r.id: r for r in self.records[kind]}

    def logs_of(self, pairing_id: str) -> list[Record]:
        """The contact logs filed under one pairing (read the first time they are asked for)."""
        if pairing_id not in self._logs:
            unit = pairing_id.split("-", 1)[0]
            folder = self.root / layout.log_folder(unit, pairing_id)
            found = []
            for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
                rel = path.relative_to(self.root).as_posix()
                data = loader.load_file(path, rel).data
                if data is not None:
                    found.append(Record("log", unit, path.stem, rel, data, self.schemas.is_valid_fast("log", data)))
            self._logs[pairing_id] = found
        return self._logs[pairing_id]


def read_existing(opened: Repository) -> ExistingRecords:
    """Every girl, mother and pairing of the opened repository, and every record id."""
    root, schemas = opened.root, opened.schemas
    repo = ExistingRecords(root, opened.programme, schemas)
    unit_ids = repo.programme.unit_ids
    for rel in layout.discover(root / "records"):
        place = layout.classify(rel, unit_ids)
        if place is None or place.kind is None:
            if layout.asset_folder(rel, unit_ids):
                repo.assets.add(rel)  # for the rules about links to photos and media
            continue
        repo.ids.add(place.id)
        if place.kind not in PEOPLE_KINDS:
            continue
        data = loader.load_file(root / rel, rel).data
        if data is None:
            repo.unreadable.append(rel)
            continue
        valid = schemas.is_valid_fast(place.kind, data)
        repo.records[place.kind].append(Record(place.kind, place.unit, place.id, rel, data, valid))
    return repo


def duplicate_key(kind: str, data: dict) -> tuple | None:
    """What makes two records the same: a mother's ID number, a girl's name, birth month and
    guardian's phone (as rule D002 says), a pairing's two people and start, a log's whole entry."""
    try:
        if kind == "mother":
            parts = (idnumber.normalise(data["id_number"]),)
        elif kind == "girl":
            parts = (data["name"], data["birth"], data["guardian"]["phone"])
        elif kind == "pairing":
            parts = (data["mother"], data["girl"], data["started_on"])
        else:
            parts = (data["pairing"], data["date"], data["kind"], data["summary"])
    except (KeyError, TypeError, AttributeError):
        return None
    return parts if all(isinstance(p, str) and p for p in parts) else None


def describe_key(kind: str, key: tuple) -> str:
    """The key in words, personal numbers masked."""
    if kind == "mother":
        return f"身份证号码 {mask_id(key[0])}"
    if kind == "girl":
        return f"姓名“{key[0]}”、出生年月 {key[1]}、临时监护人电话 {mask_phone(key[2])}"
    if kind == "pairing":
        return f"爱心妈妈 {key[0]}、女童 {key[1]}、结对日期 {key[2]}"
    return f"结对 {key[0]}、日期 {key[1]}、方式“{key[2]}”，内容相同"


def keyed(records: list[Record]) -> dict[tuple, Record]:
    found: dict[tuple, Record] = {}
    for record in records:
        key = duplicate_key(record.kind, record.data)
        if key is not None:
            found.setdefault(key, record)
    return found


def girls_by_name(records: list[Record]) -> dict[tuple[str, str], list[Record]]:
    found = defaultdict(list)
    for record in records:
        name, birth = record.data.get("name"), record.data.get("birth")
        if isinstance(name, str) and isinstance(birth, str):
            found[(name, birth)].append(record)
    return found
