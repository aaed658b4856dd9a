"""What one `aixin check` run found: the findings, the quota table and counts, ready for a reporter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from aixin.core.findings import Finding, Severity
from aixin.domain.care import CareReport, Waiting
from aixin.domain.quota import QuotaRow
from aixin.domain.records import RecordIndex


def within(file: str, prefixes: Iterable[str]) -> bool:
    """`file` is one of `prefixes` or lies in one of them (repo-relative; "" is the whole repository)."""
    return any(not p or file == p or file.startswith(p.rstrip("/") + "/") for p in prefixes)


@dataclass
class CheckResult:
    """Everything a reporter needs; the exit code is decided from it in one place."""

    findings: list[Finding]
    quota: list[QuotaRow] = field(default_factory=list)  # one row per unit, then the city total
    counts: dict[str, int] = field(default_factory=dict)  # records per kind: girl, mother, pairing, log
    files: int = 0
    as_of: dt.date | None = None
    # What the user looks at: the paths given to `aixin check PATH…`, or the files a pull request
    # adds or changes; None for a plain whole-repository run.
    focus: tuple[str, ...] | None = None
    whole: bool = True  # the whole repository was asked for: the quota table belongs to the report
    # The care figures of the whole repository as of `as_of` (domain.care): never findings.
    care: CareReport | None = None
    waiting: tuple[Waiting, ...] = ()  # the approval queue as of `as_of`
    # Record id -> (unit, name) of the mothers and girls that `care` and `waiting` name.
    people: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The records as the cross rules saw them, when asked for (`run_check(with_index=True)`).
    index: RecordIndex | None = None
    # What the yearly review reads, as of `as_of`, as plain values (domain.annual.to_row).
    annual: tuple | None = None
    # Each file's content key as the scan knew it (hash of path and bytes, `worker.file_key`;
    # trusted from its stat only the racy-safe way): the site's full records reuse it unread.
    keys: dict[str, bytes] | None = field(default=None, repr=False)

    def cause(self, finding: Finding) -> str | None:
        """The looked-at file (or folder) that caused `finding`, when the finding lies elsewhere."""
        if self.focus is None or within(finding.file, self.focus):
            return None
        return next((file for file in finding.related if within(file, self.focus)), None)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def exit_code(self) -> int:
        return 1 if self.count(Severity.ERROR) else 0
