"""What the real rules say about a record being entered, at each answer and before writing.

The rules run as `aixin check` runs them (`rules.runner`): the schema, the record rules on the
answers so far, and the cross-record rules over the repository's girls, mothers and pairings
plus the new record. What counts is what the new record *changes*: a finding of its own, or one
that is there with it and not without it, whichever record it lands on (a duplicate lands on
both records, a second pairing of a girl on one of the two, a mode on the mother's other
pairings). Nothing here prints; nothing here knows what any rule checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aixin.core.findings import FieldPath, Severity
from aixin.domain import layout
from aixin.domain.records import Record
from aixin.load.repository import Repository
from aixin.rules import Context, cross_rules, record_rules
from aixin.rules.runner import run_rule, severity

from .existing import ExistingRecords, indexed

# The references the index files a record under (RecordIndex.add): until she has named one, the
# new record is filed under an id that names no record, and problems about it wait for her answer.
_FILED_UNDER = {"pairing": ("mother", "girl"), "log": ("pairing",), "commendation": ("mother",)}


@dataclass(frozen=True)
class Found:
    """One finding the new record has (`mine`) or causes in the record at `file`."""

    code: str
    severity: Severity
    message: str
    hint: str
    path: FieldPath
    file: str  # the other record's file; "" for the new record
    mine: bool

    @property
    def blocks(self) -> bool:
        return self.severity is Severity.ERROR


class Checker:
    """Runs the rules on one new record of `kind`, to be filed under `unit` as `record_id`."""

    def __init__(
        self, repo: Repository, existing: ExistingRecords, kind: str, unit: str, record_id: str, today: dt.date
    ):
        self.repo, self.existing = repo, existing
        self.kind, self.unit, self.record_id = kind, unit, record_id
        self.ctx = Context(repo.programme, today)
        self._before: set[tuple] | None = None

    def file(self, record: dict) -> str:
        pairing = record.get("pairing") if self.kind == "log" else None
        return layout.record_path(self.kind, self.unit, self.record_id, pairing if isinstance(pairing, str) else None)

    def found(self, record: dict, *, complete: bool = False) -> list[Found]:
        """Every finding of the record (answers so far) and every one it causes elsewhere.
        `complete`: the record is finished, so the schema is checked first (as the check does)."""
        if complete:
            schema = self.repo.schemas.problems(self.kind, record)
            if schema:
                return [_found(code, Severity.ERROR, problem, "") for code, problem in schema]
        candidate = Record(self.kind, self.unit, self.record_id, self.file(record), record)
        out = []
        for rule in record_rules(self.kind):
            out += [_found(rule.code, severity(rule, p), p, "") for p in run_rule(rule, candidate, self.ctx)]
        out += self._cross(candidate, complete)
        return out

    def _cross(self, candidate: Record, complete: bool) -> list[Found]:
        data = dict(candidate.data)
        for key in _FILED_UNDER.get(self.kind, ()):
            data.setdefault(key, "")
        filed = Record(candidate.kind, candidate.unit, candidate.id, candidate.file, data)
        if complete:
            filed = indexed(filed, self.repo.programme)
        before = self._findings_before()
        found = []
        index = self.existing.index(filed)
        index.changed = frozenset({filed.file})  # the record being entered is the new side of a conflict
        for item in self._cross_findings(index, filed):
            if item.mine or _key(item) not in before:
                found.append(item)
        return found

    def _findings_before(self) -> set[tuple]:
        if self._before is None:
            self._before = {_key(item) for item in self._cross_findings(self.existing.index(), None)}
        return self._before

    def _cross_findings(self, index, candidate: Record | None) -> list[Found]:
        found = []
        for rule in cross_rules():
            for problem in run_rule(rule, index, self.ctx):
                record = problem.record
                if record is None or record is index.programme:  # unjudged yet, or the quota table
                    continue
                mine = record is candidate
                found.append(_found(rule.code, severity(rule, problem), problem, "" if mine else record.file))
        return found


def _found(code: str, level: Severity, problem, file: str) -> Found:
    # `plain`: the message without YAML field names, where a rule words one (she never sees the file)
    return Found(code, level, problem.plain or problem.message, problem.hint, problem.path, file, not file)


def _key(found: Found) -> tuple:
    return (found.code, found.file, found.message, found.path)


def new_since(after: list[Found], before: list[Found]) -> list[Found]:
    """The findings in `after` that `before` does not have."""
    seen = {_key(item) for item in before}
    return [item for item in after if _key(item) not in seen]
