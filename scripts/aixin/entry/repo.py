"""What `aixin new` reads from the repository: the programme's units, a record schema, the ids in
use, and the existing records a new one may refer to, listed by name so they can be picked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft202012Validator

from aixin.domain import layout
from aixin.load import loader
from aixin.domain.programme import PROGRAMME_FILE, Programme, from_data
from aixin.domain.terms import KIND_FOLDERS, KIND_LABELS, KIND_LETTERS
from .answers import Option

# References that must point into the unit the new record is filed under: a pairing lives with
# its mother's unit (rule P009), a contact log with its pairing's (rule L001). A girl may be
# paired with a mother of another unit (only a warning, P008).
SAME_UNIT = {("pairing", "mother"), ("log", "pairing")}


class RepoError(Exception):
    """The repository cannot be used for a new record (worded in Chinese)."""


@dataclass(frozen=True)
class Reference:
    """What a reference field may name: options to list, and every id it accepts (→ its unit)."""

    kind: str
    options: list[Option]
    known: dict[str, str]
    unit: str | None  # the unit the named record must belong to, when there is one


class Repository:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._names: dict[Path, dict] = {}
        self._found: dict[tuple[str, str], dict[str, Path]] = {}

    def programme(self) -> Programme:
        path = self.root / PROGRAMME_FILE
        if not path.is_file():
            raise RepoError(f"在 {self.root} 中找不到 {PROGRAMME_FILE}；请在记录仓库中运行，或用 --root 指定仓库文件夹")
        data = loader.load_file(path, PROGRAMME_FILE).data
        if not isinstance(data, dict) or not Draft202012Validator(self.schema("programme")).is_valid(data):
            raise RepoError(f"{PROGRAMME_FILE} 有错误；请先运行 aixin check 查看并改正")
        return from_data(data)

    def schema(self, kind: str) -> dict:
        path = self.root / "schemas" / f"{kind}.schema.json"
        try:
            return json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise RepoError(f"无法读取结构定义 schemas/{kind}.schema.json：{error}") from None

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
