"""`aixin sign`: the mother's sign (标识牌, 通知 五、（三）) as a print-ready PDF.

A sign is 90 × 60 mm; eight fit an A4 sheet (2 across, 4 down), edge to edge, so that one cut
separates two signs, with cut marks in the sheet's margin on every cut line. It names the
programme, her name, her unit, her programme number (her record id: stable, the one staff look
her up by) and the year; never an ID number or a phone. Which mothers get one for a year: those
the city approved by the year's end who had not withdrawn by then (`why_not`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from aixin.core import dates
from aixin.core.errors import UsageError
from aixin.core.masking import mask_digits
from aixin.domain.annual import Year, year_of
from aixin.domain.eligibility import withdrawn_on
from aixin.domain.records import Record
from aixin.domain.terms import is_city_approved
from aixin.load.repository import open_repository

from . import text
from .output import checked_out, write_new
from .people import one_mother, unit_mothers
from .years import year_or_error

SIGN_WIDTH, SIGN_HEIGHT = 90 * mm, 60 * mm
COLUMNS, ROWS = 2, 4
PER_SHEET = COLUMNS * ROWS
LEFT = (A4[0] - COLUMNS * SIGN_WIDTH) / 2
TOP = A4[1] - (A4[1] - ROWS * SIGN_HEIGHT) / 2
FRAME = 3 * mm  # the red frame's inset from the cut line: a cut a little off still looks right
PADDING = 6 * mm  # text keeps this far from the cut line
MARK_GAP, MARK_LENGTH = 2 * mm, 5 * mm  # cut marks: this far outside the signs, this long
RED = Color(0.70, 0.11, 0.11)
INK = Color(0.13, 0.13, 0.13)
NAME_LEADING = 1.15


@dataclass(frozen=True)
class Sign:
    mother_id: str
    name: str
    unit: str  # the unit's name, as programme.yaml writes it
    programme: str
    year: str  # "2019-2020"


@dataclass(frozen=True)
class Signs:
    path: Path
    year: str
    signs: int
    sheets: int
    left_out: tuple[tuple[str, str], ...] = ()  # (mother id, why she gets no sign)
    broken: tuple[str, ...] = ()  # mothers' files the schema rejects


def why_not(mother: dict, year: Year) -> str | None:
    """Why she gets no sign for `year` (a Chinese sentence), or None: she gets one."""
    if not is_city_approved(mother):
        return "市妇联还没有同意她的申报"
    approved = dates.parse_date(mother["city_approval"]["date"])
    if approved is not None and approved > year.end:
        return f"市妇联 {approved} 才同意她的申报，晚于 {year.label} 年度"
    withdrawn = withdrawn_on(mother)
    if withdrawn is not None and withdrawn <= year.end:
        return f"她已于 {withdrawn} 退出活动"
    return None


def slot(index: int) -> tuple[float, float]:
    """The lower-left corner (points) of the `index`-th sign of a sheet, row by row from the top left."""
    row, column = divmod(index % PER_SHEET, COLUMNS)
    return LEFT + column * SIGN_WIDTH, TOP - (row + 1) * SIGN_HEIGHT


def write_signs(
    root: Path,
    *,
    out: Path,
    mother: str | None = None,
    unit: str | None = None,
    year: str | None = None,
    today: dt.date | None = None,
) -> Signs:
    """The signs of one mother (UsageError when she gets none) or of a unit's mothers, as a PDF at `out`."""
    repo = open_repository(root)
    target = checked_out(repo.root, out, "标识牌")
    the_year = year_or_error(year, repo.programme) if year else year_of(today or dates.beijing_today(), repo.programme)
    if mother is not None:
        record = one_mother(repo, mother)
        reason = why_not(record.data, the_year)
        if reason:
            raise UsageError(f"爱心妈妈 {record.id} 没有 {the_year.label} 年度的标识牌：{reason}。")
        chosen, left_out, broken = [record], [], []
    else:
        assert unit is not None
        records, broken = unit_mothers(repo, unit)
        reasons = {r.id: why_not(r.data, the_year) for r in records}
        chosen = [r for r in records if reasons[r.id] is None]
        left_out = [(r.id, reasons[r.id]) for r in records if reasons[r.id]]
        if not chosen:
            raise UsageError(
                f"单位“{repo.programme.unit_name(unit)}”没有可以制作 {the_year.label} 年度标识牌的爱心妈妈。"
            )
    signs = [_sign(r, repo.programme.unit_name(r.unit), repo.programme.name, the_year.label) for r in chosen]
    write_new(target, sheets_pdf(signs))
    sheets = -(-len(signs) // PER_SHEET)
    return Signs(target, the_year.label, len(signs), sheets, tuple(left_out), tuple(broken))


def _sign(record: Record, unit_name: str, programme: str, year: str) -> Sign:
    # mask_digits: a number typed into a name by mistake is never printed in full
    return Sign(record.id, mask_digits(record.data["name"].strip()), unit_name, mask_digits(programme), year)


def sheets_pdf(signs: list[Sign]) -> bytes:
    """The signs, eight to an A4 sheet, as PDF bytes (the same bytes for the same signs)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setTitle("爱心妈妈标识牌")
    for first in range(0, len(signs), PER_SHEET):
        sheet = signs[first : first + PER_SHEET]
        for index, sign in enumerate(sheet):
            draw_sign(canvas, sign, *slot(index))
        _cut_marks(canvas, len(sheet))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def draw_sign(canvas: Canvas, sign: Sign, x: float, y: float) -> None:
    """One sign with its lower-left corner at (x, y): frame, programme, 爱心妈妈, name, unit, number and year."""
    canvas.saveState()
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(1.2)
    canvas.rect(x + FRAME, y + FRAME, SIGN_WIDTH - 2 * FRAME, SIGN_HEIGHT - 2 * FRAME)
    canvas.setLineWidth(0.4)
    canvas.rect(
        x + FRAME + 1.2 * mm,
        y + FRAME + 1.2 * mm,
        SIGN_WIDTH - 2 * FRAME - 2.4 * mm,
        SIGN_HEIGHT - 2 * FRAME - 2.4 * mm,
    )
    room = SIGN_WIDTH - 2 * PADDING
    middle = x + SIGN_WIDTH / 2
    top = y + SIGN_HEIGHT - PADDING
    top = _lines(canvas, text.fit(sign.programme, room, 8.5, 5, max_lines=2), middle, top - 1 * mm, INK, 1.2)
    top = _lines(canvas, text.Fitted(("爱心妈妈",), 17), middle, top - 2.2 * mm, RED, 1.0)
    bottom = y + PADDING + 1 * mm
    footer = text.fit(f"编号 {sign.mother_id}　{sign.year} 年度", room, 7.5, 5, max_lines=1)
    _lines(canvas, footer, middle, bottom + footer.size, INK, 1.0)
    unit = text.fit(sign.unit, room, 10, 6, max_lines=1)
    unit_top = bottom + footer.size + 2.2 * mm + unit.size
    _lines(canvas, unit, middle, unit_top, INK, 1.0)
    name_room = (top - 1.8 * mm) - (unit_top + 2.2 * mm)
    name = text.fit(sign.name, room, 22, 13, max_lines=2, height=name_room, leading=NAME_LEADING)
    block = text.block_height(len(name.lines), name.size, NAME_LEADING)
    _lines(canvas, name, middle, unit_top + 2.2 * mm + (name_room + block) / 2, INK, NAME_LEADING)
    canvas.restoreState()


def _lines(canvas: Canvas, fitted: text.Fitted, middle: float, top: float, colour: Color, leading: float) -> float:
    """Centred lines whose first line's top is at `top`; returns the bottom of the last line."""
    canvas.setFillColor(colour)
    canvas.setFont(text.font(), fitted.size)
    baseline = top - fitted.size * 0.88
    for line in fitted.lines:
        canvas.drawCentredString(middle, baseline, line)
        baseline -= fitted.size * leading
    return baseline + fitted.size * leading - fitted.size * 0.12


def cut_lines(count: int) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, float, float, float]]:
    """(x of the vertical cuts, y of the horizontal cuts, the signs' bounding box) of a sheet of `count`."""
    columns, rows = min(count, COLUMNS), -(-count // COLUMNS)
    xs = tuple(LEFT + c * SIGN_WIDTH for c in range(columns + 1))
    ys = tuple(TOP - r * SIGN_HEIGHT for r in range(rows + 1))
    return xs, ys, (xs[0], ys[-1], xs[-1], ys[0])


def _cut_marks(canvas: Canvas, count: int) -> None:
    """Thin marks outside the signs on every cut line, so a guillotine or a ruler finds them."""
    xs, ys, (left, bottom, right, top) = cut_lines(count)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.3)
    for x in xs:
        canvas.line(x, top + MARK_GAP, x, top + MARK_GAP + MARK_LENGTH)
        canvas.line(x, bottom - MARK_GAP, x, bottom - MARK_GAP - MARK_LENGTH)
    for y in ys:
        canvas.line(left - MARK_GAP, y, left - MARK_GAP - MARK_LENGTH, y)
        canvas.line(right + MARK_GAP, y, right + MARK_GAP + MARK_LENGTH, y)
