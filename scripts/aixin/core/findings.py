"""The one finding type every layer produces: loader, schema, rules, and the CLI that prints them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    """Error blocks a merge; warning is shown; info only reports (e.g. a quota before the deadline)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_LABELS: dict[Severity, str] = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


@dataclass(frozen=True, order=True)
class Finding:
    """A problem found in one place: rule code, where, and a Chinese message with a hint."""

    file: str
    line: int
    column: int
    rule: str
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    hint: str = field(default="", compare=False)
    record: str = field(default="", compare=False)
    # The other files (or a unit's folder) a cross-record finding is about: the existing record a
    # new one conflicts with, the mother a pairing needs. `aixin check PATH` shows a finding in
    # another file when PATH is one of these (it is what caused it there).
    related: tuple[str, ...] = field(default=(), compare=False)

    def to_row(self) -> Row:
        """Plain values (what the check cache and worker processes pass around); see `from_row`."""
        return (
            self.file,
            self.line,
            self.column,
            self.rule,
            self.severity.value,
            self.message,
            self.hint,
            self.record,
            self.related,
        )

    @classmethod
    def from_row(cls, row: Row | list[Any]) -> Finding:
        file, line, column, rule, severity, message, hint, record, *rest = row  # rows of 8: no related files
        related = tuple(rest[0]) if rest else ()
        return cls(file, line, column, rule, Severity(severity), message, hint, record, related)

    @classmethod
    def of(
        cls, problem: Problem, file: str, position: tuple[int, int], rule: str, severity: Severity, record: str
    ) -> Finding:
        """The finding of a rule's problem at `position`; the problem's own severity wins."""
        line, column = position
        related = tuple(dict.fromkeys(r if isinstance(r, str) else r.file for r in problem.related))
        return cls(
            file, line, column, rule, problem.severity or severity, problem.message, problem.hint, record, related
        )

    def to_dict(self) -> dict[str, str | int]:
        """The finding as the JSON report writes it (keys in this order)."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "record": self.record,
            "message": self.message,
            "hint": self.hint,
        }


# (file, line, column, rule, severity value, message, hint, record, related files)
Row = tuple[str, int, int, str, str, str, str, str, tuple[str, ...]]
# Where a value sits inside a record: its keys and list positions, ("father", "phone"), ("photos", 0).
FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """What a rule yields: a message about a place in one record; the engine adds file and line.

    `path` is the field path inside the record (("father", "phone")), empty for the whole record.
    `severity` overrides the rule's default when a rule's weight depends on a date (quotas).
    The importer maps `path` to a spreadsheet column: it is always the field concerned, a missing
    field's own name included.
    """

    message: str
    hint: str = ""
    path: FieldPath = ()
    severity: Severity | None = None
    record: Any = None  # the Record (or pull-request Target) it belongs to, for cross and change rules
    # The other Records (or repository paths) a cross rule's problem is about: the existing record
    # named in the message, the mother or girl a pairing's problem comes from.
    related: tuple[Any, ...] = ()
    # The message without the record's field names, for readers who never see the YAML file (a
    # spreadsheet row): set where the message names one, e.g. S001's "（father）".
    plain: str = ""
