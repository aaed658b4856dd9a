"""Resident ID numbers (GB 11643-1999): normalising, the check digit, birth date and sex."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘx", "0123456789XXX")


def normalise(raw: str) -> str:
    """The canonical spelling: half-width digits and an upper-case X."""
    return raw.strip().translate(_FULLWIDTH)


def check_digit(first17: str) -> str:
    """The 18th character that GB 11643 derives from the first seventeen digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdNumber:
    """A parsed, canonical ID number."""

    value: str
    birth: dt.date

    @property
    def female(self) -> bool:
        """The 17th digit is odd for men and even for women."""
        return int(self.value[16]) % 2 == 0


class IdNumberError(ValueError):
    """Why an ID number is invalid; `reason` is a short Chinese phrase for messages."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse(value: str, today: dt.date | None = None) -> IdNumber:
    """Parse a canonical 18-character ID number or raise IdNumberError saying why it is wrong."""
    if len(value) != 18 or not value[:17].isascii() or not value[:17].isdigit() or value[17] not in "0123456789X":
        raise IdNumberError("应为18位：前17位是数字，最后一位是数字或 X")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdNumberError(f"第7至14位的出生日期 {value[6:14]} 不是真实的日期") from None
    if today is not None and birth > today:
        raise IdNumberError(f"出生日期 {birth.isoformat()} 在今天之后")
    if birth.year < 1900:
        raise IdNumberError(f"出生日期 {birth.isoformat()} 早于1900年")
    expected = check_digit(value[:17])
    if value[17] != expected:
        raise IdNumberError("最后一位校验码不对，号码中可能有数字抄错了")
    return IdNumber(value=value, birth=birth)


def make(region: str, birth: dt.date, sequence: int) -> str:
    """Build a valid ID number (used only for fictional demo and test records)."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)
