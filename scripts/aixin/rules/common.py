"""Checks that several record kinds share: a date inside a programme phase, dates not in the future."""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from aixin.core import dates
from aixin.core.findings import Problem
from aixin.domain.programme import Phase


def outside_phase(phase: Phase, value: str, label: str, path: tuple, late_hint: str) -> Iterator[Problem]:
    """A warning-worthy date outside the phase the notice set for it."""
    if not phase.contains(dates.parse_date(value)):
        yield Problem(
            f"{label} {value} 不在{phase.name}阶段（{phase.start} 至 {phase.end}）内",
            f"{late_hint}，可以忽略这条警告；否则请核对日期。",
            path,
        )


def after_today(places: list[tuple[tuple, str]], today: dt.date, label: str = "日期") -> Iterator[Problem]:
    """Every (path, ISO date) of `places` that lies after today (Beijing time)."""
    day = today.isoformat()
    for path, value in places:
        if value > day:
            yield Problem(f"{label} {value} 晚于今天（{day}）", "请核对日期。", path)
