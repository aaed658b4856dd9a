"""The programme as code sees it, parsed from records/programme.yaml (validated by its schema first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

PROGRAMME_FILE = "records/programme.yaml"


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str  # city, county or park
    quota: int


@dataclass(frozen=True)
class Phase:
    name: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Programme:
    """Units, quotas, phases and rule parameters: nothing of these is hard-coded elsewhere."""

    name: str
    notice: str
    total_quota: int
    units: tuple[Unit, ...]
    survey: Phase
    recruitment: Phase
    report_deadline: dt.date
    launch: dt.date
    girl_max_age: int
    parents_away_min_months: int
    mother_min_age: int
    mother_max_age: int
    max_girls_per_mother: int

    @property
    def unit_ids(self) -> tuple[str, ...]:
        return tuple(u.id for u in self.units)

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def unit_name(self, unit_id: str) -> str:
        unit = self.unit(unit_id)
        return unit.name if unit else unit_id


def find_root(start: Path) -> Path | None:
    """The repository: the nearest folder at or above `start` that holds records/programme.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PROGRAMME_FILE).is_file():
            return folder
    return None


def _phase(data: dict) -> Phase:
    return Phase(data["name"], dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"]))


def from_data(data: dict) -> Programme:
    """Build the Programme from schema-valid data of programme.yaml."""
    phases, rules = data["phases"], data["rules"]
    return Programme(
        name=data["name"],
        notice=data["notice"],
        total_quota=data["total_quota"],
        units=tuple(Unit(u["id"], u["name"], u["kind"], u["quota"]) for u in data["units"]),
        survey=_phase(phases["survey"]),
        recruitment=_phase(phases["recruitment"]),
        report_deadline=dt.date.fromisoformat(phases["report_deadline"]),
        launch=dt.date.fromisoformat(phases["launch"]),
        girl_max_age=rules["girl_max_age"],
        parents_away_min_months=rules["parents_away_min_months"],
        mother_min_age=rules["mother_min_age"],
        mother_max_age=rules["mother_max_age"],
        max_girls_per_mother=rules["max_girls_per_mother"],
    )
