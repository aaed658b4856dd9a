"""Rules for the city's commendations (records/city/commendations/), codes C001–C004.

A commendation is the city's decision at a programme year's end: it names a mother who is
approved by both her unit and the city, the year it honours and the title; the same honour
twice is a slip of the pen, reported on the later record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from aixin.core.findings import Problem, Severity
from aixin.domain.programme import Programme
from aixin.domain.records import Record, RecordIndex
from aixin.domain.terms import approval_state, is_city_approved

from .common import record_date
from .registry import Context, cross_rule, record_rule


def year_start(label: str, programme: Programme) -> dt.date | None:
    """The first day of the programme year written "2019-2020", or None when the second year is
    not the first plus one (the schema has already checked the shape)."""
    first, _, second = label.partition("-")
    if not (first.isdigit() and second.isdigit()) or int(second) != int(first) + 1:
        return None
    month, day = programme.year_start
    return dt.date(int(first), month, day)


def _label(start: dt.date) -> str:
    return f"{start.year}-{start.year + 1}"


@cross_rule("C001", Severity.ERROR)
def commended_mother(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """受表彰的爱心妈妈不存在或未通过两级审核

    表彰记录的 mother 要是已有的爱心妈妈记录的编号，而且她已通过县区（园区）妇联和市妇联两级审核。

    通过：mother: chuanshan-m-7k2q9d（她的记录中两级意见都是“同意”）
    不通过：mother: chuanshan-m-000000（没有这个记录），或她还在等待市妇联审核
    """
    for commendation in index.valid("commendation"):
        mother_id = commendation.data["mother"]
        mother = index.get(mother_id, "mother")
        if mother is None:
            yield Problem(
                f"找不到编号为“{mother_id}”的爱心妈妈记录",
                "请核对编号：写爱心妈妈记录的文件名（records/<单位>/mothers/ 中），如 chuanshan-m-7k2q9d。",
                ("mother",),
                record=commendation,
            )
        elif mother.valid and not is_city_approved(mother.data):
            yield Problem(
                f"爱心妈妈“{mother_id}”还没有通过两级审核（{approval_state(mother.data)}），不能受表彰",
                "只有县区（园区）妇联和市妇联都同意的爱心妈妈才能受表彰：请核对编号，或等她的审核完成后再登记。",
                ("mother",),
                record=commendation,
                related=(mother,),
            )


@cross_rule("C002", Severity.ERROR)
def commended_twice(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """同一位爱心妈妈在同一年度重复受同一项表彰

    同一位妈妈、同一个活动年度、同一个表彰名称只登记一次。报在后登记的那一条上，并写出已有的记录。

    通过：chuanshan-m-7k2q9d 在 2019-2020 和 2020-2021 各受一次“优秀爱心妈妈”表彰
    不通过：两条表彰记录都是 chuanshan-m-7k2q9d、2019-2020、优秀爱心妈妈
    """
    grouped: defaultdict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for commendation in index.valid("commendation"):
        data = commendation.data
        if all(isinstance(data.get(key), str) for key in ("mother", "year", "title")):  # `aixin new` asks one by one
            grouped[(data["mother"], data["year"], data["title"].strip())].append(commendation)
    for (mother_id, year, title), group in sorted(grouped.items()):
        first, *later = index.oldest_first(group, "date")
        for commendation in later:
            yield Problem(
                f"爱心妈妈“{mother_id}”在 {year} 年度的“{title}”表彰已有记录 {first.file}，这一条重复了",
                "同一项表彰只登记一次：请删除这一条；如果是另一项表彰，请改正表彰名称（title）或活动年度（year）。",
                ("mother",),
                record=commendation,
                related=(first,),
            )


@record_rule("C003", Severity.ERROR, "commendation")
def year_that_does_not_exist(record: Record, ctx: Context) -> Iterator[Problem]:
    """表彰的活动年度不存在

    活动年度写作 起始年-结束年（后一年比前一年大 1），从活动启动的那个年度开始，不能是还没有开始的年度。

    通过：活动 2019-08-01 启动，year: 2019-2020
    不通过：year: 2019-2021，year: 2018-2019（活动还没有启动），或今天还在 2020-2021 年度时写 year: 2021-2022
    """
    label, programme = record.data["year"], ctx.programme
    start = year_start(label, programme)
    first = programme.programme_year(programme.launch)[0]
    current = programme.programme_year(ctx.today)[0]
    if start is None:
        yield Problem(
            f"活动年度“{label}”写得不对：后一年要比前一年大 1",
            f"活动年度写作 起始年-结束年，如 {_label(current)}（从 {current.month} 月 {current.day} 日到次年）。",
            ("year",),
        )
    elif start < first:
        yield Problem(
            f"活动年度 {label} 早于活动启动的年度 {_label(first)}（活动 {programme.launch} 启动）",
            f"表彰的是活动启动以后某一年度的工作：请改正 year，如 {_label(first)}。",
            ("year",),
        )
    elif start > current:
        yield Problem(
            f"活动年度 {label} 还没有开始（今天 {ctx.today} 属于 {_label(current)} 年度）",
            "表彰在年度结束前后登记，写的是已经开始的年度：请核对 year。",
            ("year",),
        )


@record_rule("C004", Severity.ERROR, "commendation")
def dated_before_its_year(record: Record, ctx: Context) -> Iterator[Problem]:
    """表彰日期早于所表彰的活动年度开始

    表彰的是一个活动年度的工作，表彰日期不能早于这个年度的第一天。

    通过：year: 2019-2020，date: 2020-06-28
    不通过：year: 2019-2020，date: 2019-07-20（2019-2020 年度从 2019-08-01 开始）
    """
    programme = ctx.programme
    start = year_start(record.data["year"], programme)
    if (
        start is None
        or not programme.programme_year(programme.launch)[0] <= start <= programme.programme_year(ctx.today)[0]
    ):
        return  # the year itself is wrong: C003 says so, once
    day = record_date(record.data["date"])
    if day is not None and day < start:
        yield Problem(
            f"表彰日期 {day} 早于活动年度 {record.data['year']} 的开始（{start}）",
            "请核对表彰日期（date）和活动年度（year）：表彰一般在年度结束前后作出。",
            ("date",),
        )
