"""City-wide duplicates: one person, one record, whichever unit filed it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator

from aixin.core import idnumber
from aixin.core.findings import Problem, Severity
from aixin.core.masking import mask_id, mask_phone
from aixin.domain.records import Record, RecordIndex

from .registry import Context, cross_rule


def _groups(records: Iterable[Record], key: Callable[[Record], Hashable]) -> list[list[Record]]:
    grouped: defaultdict[Hashable, list[Record]] = defaultdict(list)
    for record in records:
        grouped[key(record)].append(record)
    repeated = [group for group in grouped.values() if len(group) > 1]
    return sorted((sorted(group, key=lambda r: r.file) for group in repeated), key=lambda g: g[0].file)


@cross_rule("D001", Severity.ERROR)
def mother_id_twice(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """同一身份证号码有两条爱心妈妈记录

    全市范围内，一位爱心妈妈只能有一条记录（不论在哪个单位报名）。

    通过：每个身份证号码只出现一次
    不通过：records/chuanshan/mothers/ 和 records/anju/mothers/ 中有相同的身份证号码
    """
    for group in _groups(index.valid("mother"), lambda r: idnumber.normalise(r.data["id_number"])):
        for record in group:
            others = "、".join(r.file for r in group if r is not record)
            yield Problem(
                f"身份证号码 {mask_id(record.data['id_number'])} 同时出现在 {others}",
                "同一位爱心妈妈只能有一条记录：请与相关单位核对，保留一条；删去另一条之前，先把指向它的结对改为指向保留的记录。",
                ("id_number",),
                record=record,
            )


@cross_rule("D002", Severity.ERROR)
def girl_twice(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """同一女童有两条记录

    姓名、出生年月和临时监护人电话都相同的两条女童记录视为同一人。

    通过：姓名相同但出生年月不同
    不通过：两条记录的姓名、出生年月、监护人电话都相同
    """

    def key(record: Record) -> tuple[str, str, str]:
        data = record.data
        return (data["name"], data["birth"], data["guardian"]["phone"])

    for group in _groups(index.valid("girl"), key):
        for record in group:
            others = "、".join(r.file for r in group if r is not record)
            phone = mask_phone(record.data["guardian"]["phone"])
            yield Problem(
                f"女童“{record.data['name']}”（{record.data['birth']}，监护人电话 {phone}）与 {others} 重复",
                "同一名女童只能有一条记录：请与相关单位核对，保留一条；删去另一条之前，先把指向它的结对改为指向保留的记录。",
                ("name",),
                record=record,
            )


@cross_rule("D003", Severity.ERROR)
def id_twice(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """同一记录编号出现在两个文件中

    通过：每个编号（文件名）只用一次
    不通过：两个结对文件夹中都有 chuanshan-l-9b4n2h.yaml
    """
    for group in _groups(index.all_records(), lambda r: r.id):
        for record in group:
            others = "、".join(r.file for r in group if r is not record)
            yield Problem(
                f"编号“{record.id}”也用在 {others}",
                "每条记录的编号必须唯一：给其中一个文件换一个新的随机码（6 位小写字母或数字），并改正引用它的记录。",
                (),
                record=record,
            )
