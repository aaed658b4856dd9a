"""Checks that several record kinds share: a date inside a programme phase, dates not in the future."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import cast

from aixin.core import dates
from aixin.core.findings import FieldPath, Problem
from aixin.domain.programme import Phase


def record_date(value: str) -> dt.date:
    """A date field of a schema-valid record, as a date.

    The schema (`format: date`, pattern YYYY-MM-DD) makes `dates.parse_date` succeed, with one
    exception: a value ending in a newline, which the reference validator lets through (its `$`
    matches before the newline). Such a value goes on as None, as it always has, and the rule that
    uses it fails into its internal problem.
    """
    return cast(dt.date, dates.parse_date(value))


def outside_phase(phase: Phase, value: str, label: str, path: FieldPath, late_hint: str) -> Iterator[Problem]:
    """A warning-worthy date outside the phase the notice set for it."""
    if not phase.contains(record_date(value)):
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
