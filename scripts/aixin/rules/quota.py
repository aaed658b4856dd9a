"""Recruitment against quotas: the shortfalls of the table in `domain.quota`, as findings."""

from __future__ import annotations

from collections.abc import Iterator

from aixin.core.findings import Problem, Severity
from aixin.domain.quota import quota_table
from aixin.domain.records import RecordIndex

from .registry import Context, cross_rule


@cross_rule("Q001", Severity.WARNING, varies=("提示／警告", "截止日期前为提示，之后为警告；截止日期当天仍为提示"))
def quota_shortfall(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """单位或全市招募人数未达名额

    按经两级审核同意的爱心妈妈人数计算。上报截止日期（7月30日）之前只作提示，之后为警告。

    通过：船山区名额120，已审核通过125名
    不通过：船山区名额120，截止日期后只有100名审核通过
    """
    programme = ctx.programme
    severity = Severity.INFO if ctx.today <= programme.report_deadline else Severity.WARNING
    rows = quota_table(index, programme)
    for position, row in enumerate(rows[:-1]):
        if row.shortfall:
            yield Problem(
                f"{row.unit_name}招募名额 {row.quota} 名，经审核通过 {row.approved} 名，还差 {row.shortfall} 名",
                f"待审核 {row.pending} 名；请继续招募并及时报市妇联审核。",
                ("units", position, "quota"),
                severity=severity,
                record=index.programme,
            )
    total = rows[-1]
    if total.shortfall:
        yield Problem(
            f"全市计划招募 {total.quota} 名，经审核通过 {total.approved} 名，还差 {total.shortfall} 名",
            "各单位的招募进度见检查结果中的名额表。",
            ("total_quota",),
            severity=severity,
            record=index.programme,
        )
