"""Masking personal values, so that no message, log or page echoes a full ID number or phone."""

from __future__ import annotations

import re


def mask_id(value: object) -> str:
    """5109**********0086: the region's first four and the last four characters stay."""
    text = str(value)
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def mask_phone(value: object) -> str:
    """138****5678 for a mobile, 0825-***4567 for a landline: enough to recognise, not to dial."""
    text = str(value)
    if "-" in text:
        area, _, number = text.partition("-")
        return f"{area}-{'*' * max(len(number) - 4, 0)}{number[-4:]}"
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


_LONG_DIGITS = re.compile(r"(?<![0-9])[0-9０-９]{7,}[0-9０-９Xx]?(?![0-9])")


def mask_digits(text: str) -> str:
    """Mask every run of seven or more digits in free text (a value quoted back in a message)."""

    def one(match: re.Match) -> str:
        run = match.group(0)
        return mask_id(run) if len(run) >= 15 else mask_phone(run)

    return _LONG_DIGITS.sub(one, text)
