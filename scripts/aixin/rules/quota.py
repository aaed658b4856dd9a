"""Recruitment against quotas: the shortfalls of the table in `domain.quota`, as findings.

One finding for the city as a whole, so that a run does not print one warning per unit (which
teaches people to skip warnings); a unit's own shortfall only in that unit's own view
(`aixin check records/<unit>`, `Context.units`). Before the report deadline both are 提示.
"""

from __future__ import annotations

from collections.abc import Iterator

from aixin.core.findings import Problem, Severity
from aixin.domain.layout import unit_folder
from aixin.domain.quota import quota_table
from aixin.domain.records import RecordIndex

from .registry import Context, cross_rule


@cross_rule("Q001", Severity.WARNING, varies=("提示／警告", "截止日期前为提示，之后为警告；截止日期当天仍为提示"))
def quota_shortfall(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """全市或单位招募人数未达名额

    按经两级审核同意的爱心妈妈人数计算。全市只报一条，列出未达名额的单位；某个单位的缺额只在单独检查这个单位的文件夹时
    报出。上报截止日期（7月30日）之前只作提示，之后为警告。

    通过：船山区名额120，已审核通过125名
    不通过：船山区名额120，截止日期后只有100名审核通过
    """
    programme = ctx.programme
    severity = Severity.INFO if ctx.today <= programme.report_deadline else Severity.WARNING
    rows = quota_table(index, programme)
    short = [row for row in rows[:-1] if row.shortfall]
    total = rows[-1]
    if total.shortfall or short:
        units = "、".join(f"{row.unit_name}差 {row.shortfall} 名" for row in short)
        yield Problem(
            f"全市计划招募 {total.quota} 名，经审核通过 {total.approved} 名，还差 {total.shortfall} 名"
            + (f"；未达名额的单位有 {len(short)} 个：{units}" if short else ""),
            "不是记录写错了，不需要改文件；各单位的招募进度见检查结果中的名额表。",
            ("total_quota",),
            severity=severity,
            record=index.programme,
        )
    for position, row in enumerate(rows[:-1]):
        if row.shortfall and row.unit_id in ctx.units:
            yield Problem(
                f"{row.unit_name}招募名额 {row.quota} 名，经审核通过 {row.approved} 名，还差 {row.shortfall} 名",
                f"待审核 {row.pending} 名；请继续招募并及时报市妇联审核。",
                ("units", position, "quota"),
                severity=severity,
                record=index.programme,
                related=(unit_folder(row.unit_id),),
            )
