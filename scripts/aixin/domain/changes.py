"""What a pull request changes, in the records' terms: a changed file, the record a path holds,
a record it removed, and where a finding about the change points.

Plain data, read by the pull-request rules (`rules/changes.py`) and built from Git by
`pullrequest/` (the only part that runs `git`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import layout
from .terms import CITY_KINDS


@dataclass(frozen=True)
class Change:
    """One changed file: A added, M modified, D deleted, R renamed (from `old_path`), C copied."""

    status: str
    path: str
    old_path: str | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        """Every path the change touches: a rename touches the folder it left as well."""
        return (self.old_path, self.path) if self.old_path and self.status == "R" else (self.path,)

    @property
    def before(self) -> str | None:
        """The path of this file on the base side, or None for a new file."""
        if self.status == "A":
            return None
        if self.status == "C":
            return None  # the copy is new; its source stays where it was
        return self.old_path or self.path


_RECORD = re.compile(
    r"records/([a-z][a-z0-9]{1,15})/(?:(girls|mothers|pairings|commendations|trainings)|logs/[^/]+)/([^/]+)\.yaml\Z"
)


@dataclass(frozen=True)
class Target:
    """Where a pull-request finding points: a file (which may exist on the base side only) and its
    line marks in the pull request's version (none for a deleted file: line 1)."""

    file: str
    id: str = ""
    lines: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class RecordPath:
    """The record a path holds by its place: kind, unit and id (the file stem)."""

    kind: str
    unit: str
    id: str


@dataclass(frozen=True)
class Removed:
    """A record id that the pull request made disappear: deleted, or renamed to another id."""

    change: Change
    record: RecordPath

    @property
    def target(self) -> Target:
        return Target(self.change.path, self.record.id)  # a rename points at the file's new name


def record_at(path: str | None) -> RecordPath | None:
    """The record at `path` when it lies where a record lies, else None."""
    match = _RECORD.match(path or "")
    if not match or not layout.RECORD_ID.match(match[3]):
        return None
    kind = layout.FOLDER_KINDS[match[2]] if match[2] else "log"
    if (match[1] == layout.CITY_FOLDER) != (kind in CITY_KINDS):
        return None  # a city record lies in records/city/ only, and nothing else does
    return RecordPath(layout.FOLDER_KINDS[match[2]] if match[2] else "log", match[1], match[3])


def unit_of(path: str) -> str | None:
    """The unit folder a path lies in (records/<unit>/…), or None for anything else (the city's
    folder records/city/ included: it is no unit's)."""
    parts = path.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == "records" and parts[1] != layout.CITY_FOLDER else None


def in_city_folder(path: str) -> bool:
    """Whether a path lies in the city's own folder, records/city/ (commendations and trainings)."""
    return path.startswith(f"records/{layout.CITY_FOLDER}/")
