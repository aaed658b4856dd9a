"""Chinese text on a ReportLab canvas: the one font, and text that must fit its box.

ReportLab's `STSong-Light` is a CID font the PDF names but does not embed (every PDF reader has a
Song face for it), so nothing is shipped and the file stays small. Every text a record supplies
(a name as long as the schema allows, a long awarding body) goes through `fit`: it shrinks the
size, then breaks into more lines, and never runs past the width it was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

FONT = "STSong-Light"
# Not at the start of a line (避头): closing punctuation goes with the character before it.
_NO_LINE_START = set("，。、；：？！”’）》」』】〕…—·,.;:?!)")
# Kept whole on one line: a run of Latin letters and digits ("2019-2020", a record id).
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_./]*|.", re.S)


def font() -> str:
    """The font's name, registered with ReportLab the first time it is asked for."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font(), size)


@dataclass(frozen=True)
class Fitted:
    lines: tuple[str, ...]
    size: float

    @property
    def widest(self) -> float:
        return max((width(line, self.size) for line in self.lines), default=0.0)


def wrap(text: str, size: float, room: float) -> tuple[str, ...]:
    """`text` broken into lines no wider than `room` at `size`: between characters, never inside a
    Latin run, never before closing punctuation. A single token wider than `room` gets its own line."""
    lines: list[list[str]] = [[]]
    for token in _TOKEN.findall(text):
        line = lines[-1]
        if line and width("".join(line) + token, size) > room:
            if token in _NO_LINE_START and len(line) > 1:
                lines.append([line.pop()])  # the character before goes down with it
            else:
                lines.append([])
            if token == " " and not lines[-1]:
                continue
        lines[-1].append(token)
    return tuple("".join(line).strip(" ") for line in lines if "".join(line).strip())  # keeps a 全角 indent


def block_height(lines: int, size: float, leading: float) -> float:
    """From the top of the first line to the bottom of the last, `leading` times the size apart."""
    return size * (1 + leading * (lines - 1)) if lines else 0.0


def fit(
    text: str,
    room: float,
    size: float,
    smallest: float,
    max_lines: int = 2,
    height: float = float("inf"),
    leading: float = 1.15,
) -> Fitted:
    """The largest size (down to `smallest`) at which `text` fits `room` wide and `height` high on
    one line; failing that, on up to `max_lines` lines; failing that, on `max_lines` lines at
    whatever smaller size fits. Never wider than `room`."""

    def fitting(lines: int, current: float) -> Fitted | None:
        fitted = Fitted(wrap(text, current, room), current)
        count = len(fitted.lines)
        if count <= lines and fitted.widest <= room and block_height(count, current, leading) <= height:
            return fitted
        return None

    for lines in range(1, max_lines + 1):
        current = size
        while current >= smallest:
            found = fitting(lines, current)
            if found:
                return found
            current -= 0.5
    current = smallest
    while current > 1:
        found = fitting(max_lines, current)
        if found:
            return found
        current -= 0.25
    return Fitted(wrap(text, current, room), current)
