"""The programme year a print is for (活动年度, "2019-2020"), as `domain.annual` reads it."""

from __future__ import annotations

from aixin.core.errors import UsageError
from aixin.domain.annual import Year, parse_year
from aixin.domain.programme import Programme


def year_or_error(text: str, programme: Programme) -> Year:
    """`--year` as a Year, or a UsageError with annual's Chinese sentence."""
    try:
        return parse_year(text, programme)
    except ValueError as error:
        raise UsageError(str(error)) from None
