"""What one `aixin check` run found: the findings, the quota table and counts, ready for a reporter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aixin.core.findings import Finding, Severity
from aixin.domain.quota import QuotaRow


@dataclass
class CheckResult:
    """Everything a reporter needs; the exit code is decided from it in one place."""

    findings: list[Finding]
    quota: list[QuotaRow] = field(default_factory=list)  # one row per unit, then the city total
    counts: dict[str, int] = field(default_factory=dict)  # records per kind: girl, mother, pairing, log
    files: int = 0
    as_of: dt.date | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def exit_code(self) -> int:
        return 1 if self.count(Severity.ERROR) else 0
