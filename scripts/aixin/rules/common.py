"""Checks that several record kinds share: a date inside a programme phase, dates not in the future."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from aixin.core import dates
from aixin.core.findings import FieldPath, Problem
from aixin.domain.programme import Phase


def record_date(value: object) -> dt.date | None:
    """A date field of a schema-valid record, as a date; None if it is not one.

    The schema (`format: date`, a pattern anchored at the end of the value in both validators)
    makes `dates.parse_date` succeed, and rules run only on schema-valid records. Should a value
    still not be a date, the rule that asks says nothing about it (the schema's finding is the
    one to fix) instead of failing into an internal problem.
    """
    return dates.parse_date(value)


def outside_phase(phase: Phase, value: str, label: str, path: FieldPath, late_hint: str) -> Iterator[Problem]:
    """A warning-worthy date outside the phase the notice set for it."""
    day = record_date(value)
    if day is not None and not phase.contains(day):
        yield Problem(
            f"{label} {value} 不在{phase.name}阶段（{phase.start} 至 {phase.end}）内",
            f"{late_hint}，可以忽略这条警告；否则请核对日期。",
            path,
        )


def after_today(places: Iterable[tuple[FieldPath, str]], today: dt.date, label: str = "日期") -> Iterator[Problem]:
    """Every (path, ISO date) of `places` that lies after today (Beijing time)."""
    day = today.isoformat()
    for path, value in places:
        if value > day:
            yield Problem(f"{label} {value} 晚于今天（{day}）", "请核对日期。", path)
