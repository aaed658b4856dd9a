"""`aixin certificate`: the certificate (奖状) of a commendation the city decided, as a PDF.

One A4 landscape page per commendation record (`records/city/commendations/`), in the
traditional wording: her name, “在 2019-2020 年度“爱心妈妈”结对帮扶工作中表现突出，被评为
优秀爱心妈妈。特发此状，以资鼓励。”, the awarding body and the date in Chinese numerals, with
room left for the seal. Only a commendation of a mother the city approved is printed: the same
condition the check's C rules hold commendations to.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from aixin.core import dates
from aixin.core.errors import UsageError
from aixin.core.masking import mask_digits
from aixin.domain.annual import parse_year
from aixin.domain.records import Record
from aixin.domain.terms import is_city_approved
from aixin.load.repository import Repository, open_repository

from . import text
from .output import checked_out, write_new
from .people import all_commendations, mother_of, one_commendation
from .years import year_or_error

PAGE = landscape(A4)
BORDER = 12 * mm  # the outer red frame's inset from the paper's edge
MARGIN = 42 * mm  # the text's distance from the paper's left and right edges
RED = Color(0.75, 0.08, 0.08)
GOLD = Color(0.78, 0.60, 0.20)
INK = Color(0.1, 0.1, 0.1)
_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Certificate:
    record_id: str
    name: str  # the mother's name
    year: str  # "2019-2020"
    title: str  # 优秀爱心妈妈
    awarded_by: str
    date: dt.date

    @property
    def body(self) -> str:
        return f"在 {self.year} 年度“爱心妈妈”结对帮扶工作中表现突出，被评为 {self.title}。"


@dataclass(frozen=True)
class Certificates:
    path: Path
    count: int
    left_out: tuple[tuple[str, str], ...] = ()  # (commendation id, why it is not printed)
    broken: tuple[str, ...] = ()


def chinese_date(day: dt.date) -> str:
    """2020-06-28 as a certificate writes it: 二〇二〇年六月二十八日."""

    def number(n: int) -> str:
        tens, ones = divmod(n, 10)
        return (("" if tens == 1 else _DIGITS[tens]) + "十" if tens else "") + (_DIGITS[ones] if ones else "")

    return "".join(_DIGITS[int(d)] for d in str(day.year)) + f"年{number(day.month)}月{number(day.day)}日"


def write_certificates(
    root: Path, *, out: Path, commendation: str | None = None, year: str | None = None, unit: str | None = None
) -> Certificates:
    """The certificate of one commendation (UsageError when it cannot be printed), or of every
    commendation of `year` (of `unit`'s mothers only, when given; by unit in the programme's
    order, then mother), as one PDF at `out`."""
    repo = open_repository(root)
    target = checked_out(repo.root, out, "奖状")
    if commendation is not None:
        record = one_commendation(repo, commendation)
        made, reason = _certificate(repo, record)
        if made is None:
            raise UsageError(f"表彰记录 {record.id} 不能制作奖状：{reason}。")
        chosen, left_out, broken = [made], [], []
    else:
        assert year is not None
        the_year = year_or_error(year, repo.programme)
        if unit is not None:
            repo.unit(unit)
        records, broken = all_commendations(repo)
        order = {u: n for n, u in enumerate(repo.programme.unit_ids)}
        records.sort(key=lambda r: (order.get(str(r.data["mother"]).split("-")[0], len(order)), r.data["mother"], r.id))
        chosen, left_out = [], []
        for record in records:
            if record.data.get("year") != the_year.label or (
                unit and not str(record.data["mother"]).startswith(f"{unit}-")
            ):
                continue
            made, reason = _certificate(repo, record)
            if made is None:
                left_out.append((record.id, reason))
            else:
                chosen.append(made)
        if not chosen:
            whose = f"单位“{repo.programme.unit_name(unit)}”" if unit else "全市"
            raise UsageError(
                f"{whose}没有 {the_year.label} 年度可以制作奖状的表彰记录（records/city/commendations/）。"
            )
    write_new(target, certificates_pdf(chosen))
    return Certificates(target, len(chosen), tuple(left_out), tuple(broken))


def _certificate(repo: Repository, record: Record) -> tuple[Certificate | None, str]:
    """The certificate of a commendation, or None and why not."""
    data = record.data
    mother = mother_of(repo, data["mother"])
    if mother is None:
        return None, f"找不到它表彰的爱心妈妈“{data['mother']}”（或她的记录有错误）"
    if not is_city_approved(mother.data):
        return None, f"爱心妈妈 {mother.id} 还没有经市妇联同意"
    day = dates.parse_date(data["date"])
    if day is None:
        return None, f"表彰日期“{data['date']}”不是有效的日期"
    try:
        year = parse_year(data["year"], repo.programme)
    except ValueError as error:
        return None, str(error)
    if day < year.start:
        return None, f"表彰日期 {day} 早于 {year.label} 年度开始（{year.start}）"
    return Certificate(
        record.id,
        mask_digits(mother.data["name"].strip()),
        data["year"],
        mask_digits(data["title"].strip()),
        mask_digits(data["awarded_by"].strip()),
        day,
    ), ""


def certificates_pdf(certificates: list[Certificate]) -> bytes:
    """One landscape A4 page per certificate, as PDF bytes (the same bytes for the same certificates)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, invariant=True, pageCompression=1)
    canvas.setTitle("奖状")
    for certificate in certificates:
        draw_certificate(canvas, certificate)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def draw_certificate(canvas: Canvas, certificate: Certificate) -> None:
    width, height = PAGE
    canvas.saveState()
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(5)
    canvas.rect(BORDER, BORDER, width - 2 * BORDER, height - 2 * BORDER)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.2)
    canvas.rect(BORDER + 3.5 * mm, BORDER + 3.5 * mm, width - 2 * BORDER - 7 * mm, height - 2 * BORDER - 7 * mm)
    canvas.setFillColor(RED)
    canvas.setFont(text.font(), 64)
    canvas.drawCentredString(width / 2, height - 62 * mm, "奖  状")
    room = width - 2 * MARGIN
    body_top, body_bottom = height - 78 * mm, 68 * mm
    size, lines = _body(certificate, room, body_top - body_bottom)
    canvas.setFillColor(INK)
    canvas.setFont(text.font(), size)
    baseline = body_top - size * 0.88
    for line in lines:
        canvas.drawString(MARGIN, baseline, line)
        baseline -= size * LEADING
    _signature(canvas, certificate, room)
    canvas.restoreState()


LEADING = 1.8


def _body(certificate: Certificate, room: float, height: float) -> tuple[float, tuple[str, ...]]:
    """The largest size at which the salutation, the citation and the closing fit the body's box."""
    size = 26.0
    while True:
        address = " 同志："  # kept whole, after the name's last line
        name = text.wrap(certificate.name, size, room - text.width(address, size))
        lines = (
            *name[:-1],
            name[-1] + address,
            *text.wrap("　　" + certificate.body, size, room),
            *text.wrap("　　特发此状，以资鼓励。", size, room),
        )
        fits = all(text.width(line, size) <= room for line in lines)
        if (fits and text.block_height(len(lines), size, LEADING) <= height) or size <= 8:
            return size, lines
        size -= 0.5


def _signature(canvas: Canvas, certificate: Certificate, room: float) -> None:
    """The awarding body and the date, right of centre, above the frame; the seal goes over them."""
    width = PAGE[0]
    column = room / 2
    middle = width - MARGIN - column / 2
    body = text.fit(certificate.awarded_by, column, 20, 12, max_lines=2, leading=1.3)
    canvas.setFont(text.font(), body.size)
    baseline = 52 * mm + (len(body.lines) - 1) * body.size * 1.3
    for line in body.lines:
        canvas.drawCentredString(middle, baseline, line)
        baseline -= body.size * 1.3
    canvas.setFont(text.font(), 18)
    canvas.drawCentredString(middle, 40 * mm, chinese_date(certificate.date))
