"""What `aixin new` reads of the records already there: the ids in use, and the records a new one
may refer to, listed by name so they can be picked (the programme and schemas come from
`load.repository.open_repository`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aixin.domain import layout
from aixin.domain.programme import Programme
from aixin.domain.terms import KIND_FOLDERS, KIND_LABELS, KIND_LETTERS
from aixin.load import loader
from aixin.load.repository import Repository

from .answers import Option

# References that must point into the unit the new record is filed under: a pairing lives with
# its mother's unit (rule P009), a contact log with its pairing's (rule L001). A girl may be
# paired with a mother of another unit (only a warning, P008).
SAME_UNIT = {("pairing", "mother"), ("log", "pairing")}


@dataclass(frozen=True)
class Reference:
    """What a reference field may name: options to list, and every id it accepts (→ its unit)."""

    kind: str
    options: list[Option]
    known: dict[str, str]
    unit: str | None  # the unit the named record must belong to, when there is one


class ExistingRecords:
    """The records of an opened repository that a new record may name, read as they are asked for."""

    def __init__(self, repo: Repository):
        self.root = repo.root
        self._names: dict[Path, dict] = {}
        self._found: dict[tuple[str, str], dict[str, Path]] = {}

    def ids_in_use(self) -> set[str]:
        """The stem of every file under records/, wherever it is: a new id must be none of them."""
        return {rel.rsplit("/", 1)[-1].rsplit(".", 1)[0] for rel in layout.discover(self.root / "records")}

    def records(self, kind: str, unit: str = "*") -> dict[str, Path]:
        """Record id → file, for the girls, mothers or pairings of one unit (or of all units)."""
        if (kind, unit) in self._found:
            return self._found[kind, unit]
        letter = KIND_LETTERS[kind]
        found = self._found[kind, unit] = {}
        for path in sorted((self.root / "records").glob(f"{unit}/{KIND_FOLDERS[kind]}/*.yaml")):
            match = layout.RECORD_ID.match(path.stem)
            if match and match[2] == letter:
                found[path.stem] = path
        return found

    def unit_options(self, programme: Programme) -> list[Option]:
        return [Option(u.id, f"{u.id}（{u.name}）", (u.name,)) for u in programme.units]

    def reference(self, record_kind: str, field: str, kind: str, unit: str) -> Reference:
        """What the field `field` of a new `record_kind` record (filed under `unit`) may name."""
        everywhere = self.records(kind)
        known = {record_id: path.parent.parent.name for record_id, path in everywhere.items()}
        own = [(record_id, path) for record_id, path in everywhere.items() if known[record_id] == unit]
        options = [self._option(kind, record_id, path) for record_id, path in own]
        return Reference(kind, options, known, unit if (record_kind, field) in SAME_UNIT else None)

    def _data(self, path: Path) -> dict:
        if path not in self._names:
            data = loader.load_file(path, path.name).data
            self._names[path] = data if isinstance(data, dict) else {}
        return self._names[path]

    def _name(self, kind: str, record_id: str) -> str:
        path = self.records(kind, record_id.split("-", 1)[0]).get(record_id)
        name = self._data(path).get("name") if path else None
        return name if isinstance(name, str) else f"（找不到{KIND_LABELS[kind]}记录）"

    def _option(self, kind: str, record_id: str, path: Path) -> Option:
        data = self._data(path)
        if kind == "pairing":
            mother, girl = data.get("mother"), data.get("girl")
            mother_name = self._name("mother", mother) if isinstance(mother, str) else "？"
            girl_name = self._name("girl", girl) if isinstance(girl, str) else "？"
            status = data.get("status", "")
            return Option(record_id, f"{mother_name} — {girl_name}，{status}（{record_id}）")
        name = data.get("name") if isinstance(data.get("name"), str) else "（无法读取）"
        extra = f"，{data['birth']} 出生" if kind == "girl" and isinstance(data.get("birth"), str) else ""
        return Option(record_id, f"{name}{extra}（{record_id}）", (name,))
