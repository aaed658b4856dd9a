"""Masking personal values, so that no message, log or page echoes a full ID number or phone.

Also the one list of invisible and control characters (`INVISIBLE`) that the loader refuses and
that every printed message shows as `\\u202e` (`visible`), so that no value can move the cursor,
clear a terminal or reverse the text around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aixin.core.idnumber import check_digit, normalise

# Unicode Cc and Cf (as of Unicode 15; tab, LF and CR excluded) plus the line/paragraph
# separators, which libyaml counts as line breaks while editors do not. A literal, because
# enumerating unicodedata at import costs ~0.1 s; tests check it still covers Cc/Cf.
_INVISIBLE_CHARS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# What `visible` rewrites: the invisible characters (LF, tab and CR stay: a reporter that prints
# to a terminal writes CR out itself, GitHub's escaping writes it as %0D).
_HIDDEN = INVISIBLE


def visible(text: str) -> str:
    """Every control or invisible character written out as `\\u202e`; other text unchanged."""
    if text.isprintable() or not _HIDDEN.search(text):  # the fast path: ordinary text
        return text
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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


# Personal-number shapes in free text: digits may be grouped by single spaces or dashes
# ("139 1234 5679", "0825-2345678", "510903 19850612 0021"). Full-width digits count as digits.
_D = "[0-9０-９]"
_SEP = "[ \\-]?"
_SEPARATORS = str.maketrans("", "", " -")
# The shortest of them (a landline: a 3-digit area code and 7 digits) has ten digits: text without
# ten such digits in a row is skipped in one regex search (the check runs this on every string).
_CANDIDATE = re.compile(f"{_D}(?:{_SEP}{_D}){{9,}}")
_ID = re.compile(f"(?<![0-9０-９]){_D}(?:{_SEP}{_D}){{16}}{_SEP}[0-9０-９XxＸｘ](?![0-9０-９])")
_MOBILE = re.compile(f"(?<![0-9０-９])[1１][3-9３-９]{_D}(?:{_SEP}{_D}){{8}}(?![0-9０-９])")
_LANDLINE = re.compile(f"(?<![0-9０-９])([0０]{_D}{{2,3}}){_SEP}{_D}(?:{_SEP}{_D}){{6,7}}(?![0-9０-９])")
_LONG_DIGITS = re.compile(r"(?<![0-9])[0-9０-９]{7,}[0-9０-９Xx]?(?![0-9])")

MOBILE, LANDLINE, ID_NUMBER = "mobile", "landline", "id"


@dataclass(frozen=True)
class NumberMatch:
    """A personal number found in free text: its kind, where it is, and how it may be shown."""

    kind: str  # MOBILE, LANDLINE or ID_NUMBER
    start: int
    end: int
    masked: str


def _is_id(run: str) -> bool:
    """An ID-number shape whose check digit (GB 11643) is right: not just any 18 digits."""
    value = normalise(run.translate(_SEPARATORS)).upper()
    return value[:17].isdigit() and check_digit(value[:17]) == value[17]


def _mask_positions(run: str, head: int, tail: int) -> str:
    """`run` with its digits masked except the first `head` and last `tail`; separators kept."""
    digits = [i for i, c in enumerate(run) if c not in " -"]
    hide = set(digits[head : len(digits) - tail])
    return "".join("*" if i in hide else c for i, c in enumerate(run))


def _masked(kind: str, run: str, area: int = 0) -> str:
    if kind == ID_NUMBER:
        return _mask_positions(run, 4, 4)
    if kind == MOBILE:
        return _mask_positions(run, 3, 4)
    return _mask_positions(run, area, 4)


def could_hold_number(text: str) -> bool:
    """Whether `text` has ten digits in a row (single spaces or dashes between them allowed)."""
    return _CANDIDATE.search(text) is not None


def find_numbers(text: str) -> list[NumberMatch]:
    """Mobile, landline and ID numbers (check digit verified) in free text, in reading order."""
    if not _CANDIDATE.search(text):
        return []
    found: list[NumberMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in ((ID_NUMBER, _ID), (MOBILE, _MOBILE), (LANDLINE, _LANDLINE)):
        for mo in pattern.finditer(text):
            start, end = mo.span()
            if any(start < e and s < end for s, e in taken):
                continue
            if kind == ID_NUMBER and not _is_id(mo.group()):
                continue
            area = len(mo.group(1)) if kind == LANDLINE else 0
            found.append(NumberMatch(kind, start, end, _masked(kind, mo.group(), area)))
            taken.append((start, end))
    return sorted(found, key=lambda m: m.start)


def _one_run(run: str) -> str:
    return mask_id(run) if len(run) >= 15 else mask_phone(run)


def mask_digits(text: str) -> str:
    """Mask personal numbers in free text (a value quoted back in a message, a record's notes):
    phone and ID numbers written with spaces or dashes, and every run of seven or more digits."""
    numbers = [m for m in find_numbers(text) if any(c in " -" for c in text[m.start : m.end])]
    if numbers:
        parts, at = [], 0
        for m in numbers:
            parts += [_LONG_DIGITS.sub(lambda mo: _one_run(mo.group(0)), text[at : m.start]), m.masked]
            at = m.end
        parts.append(_LONG_DIGITS.sub(lambda mo: _one_run(mo.group(0)), text[at:]))
        return "".join(parts)
    return _LONG_DIGITS.sub(lambda mo: _one_run(mo.group(0)), text)


# Two-character surnames: 欧阳晓梅 is 欧阳 + 晓梅 (the site's search and `mask_name` share them).
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 西门 呼延 申屠 澹台 百里".split()
)


def mask_name(name: object) -> str:
    """王** for 王晓梅: the surname (one character, or two for 欧阳…) and a star per other character,
    so that a reminder names a mother enough for her coordinator, never in full."""
    text = str(name or "").strip()
    if not text:
        return "**"
    surname = 2 if len(text) > 2 and text[:2] in COMPOUND_SURNAMES else 1
    return text[:surname] + "*" * max(len(text) - surname, 1)
