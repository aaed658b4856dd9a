"""The one finding type every layer produces: loader, schema, rules, and the CLI that prints them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    """Error blocks a merge; warning is shown; info only reports (e.g. a quota before the deadline)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


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

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


@dataclass(frozen=True)
class Problem:
    """What a rule yields: a message about a place in one record; the engine adds file and line.

    `path` is the field path inside the record (("father", "phone")), empty for the whole record.
    `severity` overrides the rule's default when a rule's weight depends on a date (quotas).
    """

    message: str
    hint: str = ""
    path: tuple = ()
    severity: Severity | None = None
    record: object = None  # the Record the problem belongs to, for cross-record rules
