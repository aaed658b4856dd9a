"""The rule registry: every rule is a small named unit with a stable code.

A record rule sees one schema-valid record; a cross rule sees the whole index. Both yield
`Problem`s and never print. A rule's docstring is its documentation: the first line is its
title, then `通过：` and `不通过：` examples, rendered on the site's rules page.
"""

from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import dataclass
from typing import Callable, Iterator

from aixin.core.findings import Problem, Severity
from aixin.domain.programme import Programme


@dataclass(frozen=True)
class Context:
    """What every rule may know besides the records: the programme and today's date (Beijing)."""

    programme: Programme
    today: dt.date


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    scope: str  # "record" or "cross"
    kind: str | None  # the record kind a record rule applies to
    check: Callable[..., Iterator[Problem]]

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def title(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.code


RULES: dict[str, Rule] = {}


def _register(rule: Rule) -> None:
    if rule.code in RULES:
        raise ValueError(f"rule code {rule.code} registered twice")
    RULES[rule.code] = rule


def record_rule(code: str, severity: Severity, kind: str):
    """Register `check(record, ctx)` for every schema-valid record of `kind`."""

    def wrap(func):
        _register(Rule(code, severity, "record", kind, func))
        return func

    return wrap


def cross_rule(code: str, severity: Severity):
    """Register `check(index, ctx)` run once over all records; its problems name their record."""

    def wrap(func):
        _register(Rule(code, severity, "cross", None, func))
        return func

    return wrap


def record_rules(kind: str) -> list[Rule]:
    return [r for r in RULES.values() if r.scope == "record" and r.kind == kind]


def cross_rules() -> list[Rule]:
    return [r for r in RULES.values() if r.scope == "cross"]
