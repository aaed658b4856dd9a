"""The rule registry: every rule is a small named unit with a stable code.

Three kinds of rule, each with its own signature: a record rule sees one schema-valid record, a
cross rule the whole index of records, a change rule one pull request. All yield `Problem`s and
never print. A rule's docstring is its documentation: the first line is its title, then `通过：`
and `不通过：` examples; `catalogue.py` turns it into the site's rules page.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, TypeVar

from aixin.core.findings import Problem, Severity
from aixin.domain.programme import Programme
from aixin.domain.records import Record, RecordIndex

if TYPE_CHECKING:
    from .changes import PullRequest


@dataclass(frozen=True)
class Context:
    """What every rule may know besides the records: the programme and today's date (Beijing).

    `units`: the units whose own folder this run checks (`aixin check records/<unit>`), for the
    findings that only that unit's own view shows (Q001's per-unit shortfall)."""

    programme: Programme
    today: dt.date
    units: frozenset[str] = frozenset()


RecordCheck = Callable[[Record, Context], Iterator[Problem]]
CrossCheck = Callable[[RecordIndex, Context], Iterator[Problem]]
# A change rule's argument is the pull request (`pullrequest.context.PullRequest`); the rules
# in changes.py name the attributes they read in the Protocol `changes.PullRequest`.
ChangeCheck = Callable[["PullRequest"], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    """What every rule has: its code, its default severity and its documentation."""

    code: str
    severity: Severity
    check: Callable[..., Iterator[Problem]]
    # When the severity depends on the date (Problem.severity overrides it): (label, when).
    varies: tuple[str, str] | None = field(default=None, kw_only=True)
    scope: ClassVar[str]

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def title(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.code


@dataclass(frozen=True)
class RecordRule(Rule):
    """Runs on every schema-valid record of `kind` ("photo": the facts of one photo file)."""

    check: RecordCheck
    kind: str
    scope: ClassVar[str] = "record"


@dataclass(frozen=True)
class CrossRule(Rule):
    """Runs once over all records; each problem names the record it belongs to."""

    check: CrossCheck
    scope: ClassVar[str] = "cross"


@dataclass(frozen=True)
class ChangeRule(Rule):
    """Runs once on a pull request (`aixin check --pr`); each problem names the file it points at."""

    check: ChangeCheck
    scope: ClassVar[str] = "pull_request"


RULES: dict[str, RecordRule | CrossRule] = {}  # the record check's rules, by code
CHANGE_RULES: dict[str, ChangeRule] = {}  # the pull-request rules (A…), by code

R = TypeVar("R", bound=Rule)


_BY_KIND: dict[str, list[RecordRule]] = {}


def _register(table: dict[str, R], rule: R) -> None:
    if rule.code in RULES or rule.code in CHANGE_RULES:
        raise ValueError(f"rule code {rule.code} registered twice")
    table[rule.code] = rule
    _BY_KIND.clear()


def record_rule(code: str, severity: Severity, kind: str) -> Callable[[RecordCheck], RecordCheck]:
    """Register `check(record, ctx)` for every schema-valid record of `kind`."""

    def wrap(func: RecordCheck) -> RecordCheck:
        _register(RULES, RecordRule(code, severity, func, kind))
        return func

    return wrap


def cross_rule(
    code: str,
    severity: Severity,
    *,
    varies: tuple[str, str] | None = None,
) -> Callable[[CrossCheck], CrossCheck]:
    """Register `check(index, ctx)` run once over all records; its problems name their record.
    `varies`: (label, when) for a rule whose problems carry a severity of their own."""

    def wrap(func: CrossCheck) -> CrossCheck:
        _register(RULES, CrossRule(code, severity, func, varies=varies))
        return func

    return wrap


def change_rule(code: str, severity: Severity) -> Callable[[ChangeCheck], ChangeCheck]:
    """Register `check(pr)`: it yields Problems whose `record` is the `Target` they point at."""

    def wrap(func: ChangeCheck) -> ChangeCheck:
        _register(CHANGE_RULES, ChangeRule(code, severity, func))
        return func

    return wrap


def record_rules(kind: str) -> list[RecordRule]:
    """The record rules of `kind`, in registration order (asked once per record: kept per kind)."""
    if kind not in _BY_KIND:
        _BY_KIND[kind] = [r for r in RULES.values() if isinstance(r, RecordRule) and r.kind == kind]
    return _BY_KIND[kind]


def cross_rules() -> list[CrossRule]:
    return [r for r in RULES.values() if isinstance(r, CrossRule)]
