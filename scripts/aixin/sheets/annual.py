"""The yearly review as a printable workbook: 年度总结 (one row per mother), 评优候选人 (the
candidates next to the criteria) and 上报统计表 (the year's totals by unit, for the provincial
federation and the 妇儿工委: every log kind and end reason has its column, so that the sheet
reads the same every year). Laid out like the contacts workbook (landscape A4, one page wide,
header row on every page); counts are numbers, text is text (never a formula)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from aixin.load import repository
from aixin.report.annual import (
    KIND_ORDER,
    REASON_ORDER,
    Annual,
    candidate_cells,
    candidate_headers,
    mother_headers,
    places_text,
    share,
)

from .contacts import add_sheet, put_cell
from .workbook import workbook_bytes

MOTHERS, CANDIDATES, UPWARD = "年度总结", "评优候选人", "上报统计表"


def refuse_inside(root: Path, out: Path) -> None:
    """The review names mothers: never written where it would be committed or put on the site."""
    repository.refuse_inside(root, out, "年度总结")


def _row(sheet, row: int, values: list) -> None:
    for column, value in enumerate(values, start=1):
        put_cell(sheet, row, column, value)


def upward_headers(annual: Annual) -> list[str]:
    kinds = [*KIND_ORDER, *(k for k in annual.kinds() if k not in KIND_ORDER)]
    reasons = [*REASON_ORDER, *(r for r in annual.reasons() if r not in REASON_ORDER)]
    return [
        "单位",
        "爱心妈妈（名）",
        "建档女童（名）",
        "结对女童（名）",
        "结对（对）",
        "联系合计（次）",
        *(f"{k}（次）" for k in kinds),  # 家访 and 节日陪伴 are log kinds: their columns are among these
        "双访（次）",
        *(f"结束：{r}（对）" for r in reasons),
        "表彰（名）",
        "提供培训（人次）",
        "参加培训（人次）",
    ]


def annual_workbook(annual: Annual) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    review = annual.review
    caption = f"{annual.title}（{annual.period}）"

    mothers = add_sheet(workbook, MOTHERS, caption, mother_headers(), [20, 10, 12, 8])
    for row, m in enumerate(review.mothers, start=3):
        _row(mothers, row, [m.mother_id, annual.unit_label(m.unit), annual.name(m.mother_id), m.girls, m.contacts])
        values = [m.months_covered, m.months_active, m.home_visits, m.festivals, m.double_visits]
        values += [share(m.obligations_met), "有" if m.open_followup else "没有", "、".join(m.commendations)]
        values.append(f"{m.trainings_attended}/{m.trainings_invited}")
        for column, value in enumerate(values, start=6):
            put_cell(mothers, row, column, value)

    candidates = add_sheet(
        workbook, CANDIDATES, f"“{review.title}”评选候选人", candidate_headers(annual), [20, 10, 12, 24, 18]
    )
    row = 3
    for c in review.candidates:
        _row(candidates, row, candidate_cells(annual, c))
        row += 1
    notes = ["条件（在 records/programme.yaml 的 review 中设定）：", *review.criteria, places_text(annual)]
    if not review.candidates:
        notes.insert(0, "没有符合或接近条件的爱心妈妈。")
    for note in notes:
        row += 1
        put_cell(candidates, row, 1, note)

    upward = add_sheet(
        workbook,
        UPWARD,
        f"{annual.where} {review.year.label} 活动年度爱心妈妈结对帮扶工作统计表",
        upward_headers(annual),
        [14, 10],
    )
    kinds = [*KIND_ORDER, *(k for k in annual.kinds() if k not in KIND_ORDER)]
    reasons = [*REASON_ORDER, *(r for r in annual.reasons() if r not in REASON_ORDER)]
    for row, u in enumerate(annual.totals, start=3):
        label = "全市合计" if u.unit == "city" else annual.unit_label(u.unit)
        values: list = [label, u.mothers, u.girls_on_file, u.girls_paired, u.pairings, u.contacts]
        values += [u.by_kind.get(k, 0) for k in kinds]
        values += [u.double_visits, *(u.ended_by_reason.get(r, 0) for r in reasons)]
        values += [u.commendations, u.trainings_invited, u.trainings_attended]
        _row(upward, row, values)
    put_cell(upward, len(annual.totals) + 4, 1, f"统计期间：{annual.period}。")
    return workbook_bytes(workbook)
