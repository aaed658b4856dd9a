"""What `aixin new` reads of the records already there: the ids in use, every girl, mother and
pairing (read once, as the check's cross-record rules need them), and the records a new one may
refer to, listed by name with where each stands so that the right one can be picked.
"""

from __future__ import annotations

from dataclasses import dataclass

from aixin.domain import eligibility, layout
from aixin.domain.programme import PROGRAMME_FILE, Programme
from aixin.domain.records import ELIGIBILITY, Record, RecordIndex
from aixin.domain.terms import CITY_KINDS, approval_state, is_active, is_city_approved
from aixin.load import loader
from aixin.load.repository import Repository

from .answers import Option

# References that must point into the unit the new record is filed under: a pairing lives with
# its mother's unit (rule P009), a contact log with its pairing's (rule L001). A girl may be
# paired with a mother of another unit (only a warning, P008).
SAME_UNIT = {("pairing", "mother"), ("log", "pairing")}
# What the cross-record rules compare a new record with (a commendation with the others: C002).
INDEXED = ("girl", "mother", "pairing", "commendation", "training")


@dataclass(frozen=True)
class Reference:
    """What a reference field may name: options to list, and every id it accepts (→ its unit)."""

    kind: str
    options: list[Option]
    known: dict[str, str]
    unit: str | None  # the unit the named record must belong to, when there is one


class ExistingRecords:
    """The records of an opened repository, read once: by kind, and as an index for the rules."""

    def __init__(self, repo: Repository):
        self.root = repo.root
        self.programme = repo.programme
        self.by_kind: dict[str, dict[str, Record]] = {kind: {} for kind in INDEXED}
        self.ids: set[str] = set()
        self.assets: set[str] = set()
        unit_ids = repo.programme.unit_ids
        for rel in layout.discover(self.root / "records"):
            place = layout.classify(rel, unit_ids)
            if place is None or place.kind is None:
                if layout.asset_folder(rel, unit_ids):
                    self.assets.add(rel)  # for the rules about links to photos and media
                continue
            self.ids.add(place.id)
            if place.kind in INDEXED:
                data = loader.load_file(self.root / rel, rel).data
                valid = isinstance(data, dict) and repo.schemas.is_valid_fast(place.kind, data)
                record = Record(place.kind, place.unit, place.id, rel, data if valid else {}, valid)
                self.by_kind[place.kind][place.id] = indexed(record, self.programme)

    def ids_in_use(self) -> set[str]:
        """The stem of every file under records/, wherever it is: a new id must be none of them."""
        return {rel.rsplit("/", 1)[-1].rsplit(".", 1)[0] for rel in layout.discover(self.root / "records")}

    def records(self, kind: str, unit: str = "*") -> dict[str, Record]:
        """Record id → record, for the girls, mothers or pairings of one unit (or of all units)."""
        found = self.by_kind.get(kind, {})
        return found if unit == "*" else {i: r for i, r in found.items() if r.unit == unit}

    def index(self, *extra: Record) -> RecordIndex:
        """A fresh index of every girl, mother and pairing, with `extra` records added."""
        index = RecordIndex()
        index.programme = Record("programme", "", "programme", PROGRAMME_FILE, {})
        index.assets = set(self.assets)
        for records in self.by_kind.values():
            for record in records.values():
                index.add(record)
        for record in extra:
            index.add(record)
        return index

    def unit_options(self, programme: Programme) -> list[Option]:
        return [Option(u.id, f"{u.id}（{u.name}）", (u.name,)) for u in programme.units]

    def reference(self, record_kind: str, field: str, kind: str, unit: str) -> Reference:
        """What the field `field` of a new `record_kind` record (filed under `unit`) may name:
        the unit's records, those that can be paired first (a girl not paired, a mother approved
        and under the cap), each with where she stands."""
        everywhere = self.records(kind)
        known = {record_id: record.unit for record_id, record in everywhere.items()}
        if record_kind in CITY_KINDS:  # the city names mothers of every unit: those approved by both
            listed = [r for r in everywhere.values() if r.valid and is_city_approved(r.data)]
            order = {u.id: n for n, u in enumerate(self.programme.units)}
            listed.sort(key=lambda record: (order.get(record.unit, len(order)), record.id))
            return Reference(kind, [self._option(record) for record in listed], known, None)
        own = [record for record in everywhere.values() if record.unit == unit]
        if record_kind == "pairing":
            own.sort(key=lambda record: not self._pairable(record))
        options = [self._option(record) for record in own]
        return Reference(kind, options, known, unit if (record_kind, field) in SAME_UNIT else None)

    def name(self, record_id: object) -> str:
        record = next((r[record_id] for r in self.by_kind.values() if record_id in r), None)
        name = record.data.get("name") if record else None
        return name if isinstance(name, str) else f"（找不到记录 {record_id}）"

    def active_pairings(self, role: str, record_id: str) -> list[Record]:
        """The pairings in progress of a mother or a girl, oldest first."""
        found = [p for p in self.by_kind["pairing"].values() if p.valid and p.data[role] == record_id]
        return sorted((p for p in found if is_active(p.data)), key=lambda p: (p.data["started_on"], p.id))

    def _pairable(self, record: Record) -> bool:
        active = self.active_pairings(record.kind, record.id)
        if record.kind == "girl":
            return not active and eligibility.left_behind_ended_on(record.data) is None
        if eligibility.withdrawn_on(record.data) is not None:
            return False
        return is_city_approved(record.data) and len(active) < self.programme.max_girls_per_mother

    def _standing(self, record: Record) -> str:
        """未结对 / 已结对（与 示例妈妈甲） for a girl; approval and pairings for a mother."""
        if not record.valid:
            return "记录有错误"
        active = self.active_pairings(record.kind, record.id)
        other = "mother" if record.kind == "girl" else "girl"
        names = "、".join(self.name(p.data[other]) for p in active)
        if record.kind == "girl":
            ended = eligibility.left_behind_ended_on(record.data)
            gone = f"{ended} 起不再是留守女童，" if ended else ""
            return gone + (f"已结对（与 {names}）" if active else "未结对")
        withdrawn = eligibility.withdrawn_on(record.data)
        pairings = f"进行中的结对 {len(active)} 个（{names}）" if active else "没有进行中的结对"
        return f"{withdrawn} 已退出活动，{pairings}" if withdrawn else f"{approval_state(record.data)}，{pairings}"

    def _option(self, record: Record) -> Option:
        data = record.data
        if record.kind == "pairing":
            people = f"{self.name(data.get('mother'))} — {self.name(data.get('girl'))}"
            return Option(record.id, f"{people}，{data.get('status', '')}（{record.id}）")
        name = data.get("name") if isinstance(data.get("name"), str) else "（无法读取）"
        birth = f"，{data['birth']} 出生" if record.kind == "girl" and isinstance(data.get("birth"), str) else ""
        standing = f"，{self._standing(record)}" if record.kind in ("girl", "mother") else ""
        return Option(record.id, f"{name}{birth}{standing}（{record.id}）", (name,), f"{name}（{record.id}）")


def indexed(record: Record, programme: Programme) -> Record:
    """The record as cross-record rules see it: a girl with her eligibility facts (`ELIGIBILITY`)."""
    if record.kind != "girl" or not record.valid:
        return record
    facts = eligibility.assess(record.data, programme).as_facts()
    return Record(record.kind, record.unit, record.id, record.file, {**record.data, ELIGIBILITY: facts})
