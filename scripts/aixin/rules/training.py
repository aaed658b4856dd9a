"""Rules for the city's trainings (records/city/trainings/), codes T001–T002.

A mother listed twice in `invited` or `attended` is the schema's (`uniqueItems`, S006); a mother
in both lists is fine (who attended counts as invited).
"""

from __future__ import annotations

from collections.abc import Iterator

from aixin.core.findings import Problem, Severity
from aixin.domain.records import Record, RecordIndex

from .registry import Context, cross_rule, record_rule

_LISTS = (("invited", "提供培训机会的爱心妈妈"), ("attended", "实际参加的爱心妈妈"))


@cross_rule("T001", Severity.ERROR)
def unknown_mother(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """培训记录中的爱心妈妈不存在

    invited 和 attended 中的每个编号都要是已有的爱心妈妈记录的文件名。

    通过：attended: [chuanshan-m-7k2q9d]（records/chuanshan/mothers/ 中有这个文件）
    不通过：attended: [chuanshan-m-000000]
    """
    for training in index.valid("training"):
        for key, label in _LISTS:
            for position, mother_id in enumerate(training.data.get(key, ())):  # `aixin new`: not yet asked
                if index.get(mother_id, "mother") is None:
                    yield Problem(
                        f"“{label}”中的“{mother_id}”找不到对应的爱心妈妈记录",
                        "请核对编号：写爱心妈妈记录的文件名（records/<单位>/mothers/ 中），如 chuanshan-m-7k2q9d。",
                        (key, position),
                        record=training,
                    )


@record_rule("T002", Severity.WARNING, "training")
def training_in_future(record: Record, ctx: Context) -> Iterator[Problem]:
    """培训日期晚于今天

    培训记录写的是已经举办的培训和实际参加的人，一般在培训以后登记。

    通过：date: 2020-07-15（已经过去）
    不通过：date 晚于今天（北京时间）
    """
    day, today = record.data["date"], ctx.today.isoformat()
    if day > today:
        yield Problem(
            f"培训日期 {day} 晚于今天（{today}）",
            "培训举办以后再登记谁参加了；如果日期写错了，请改正 date。",
            ("date",),
        )
