"""City-wide duplicates: one person, one record, whichever unit filed it.

A duplicate is reported on the later record of each group (`RecordIndex.oldest_first`: in a pull
request the file it adds or changes, else the later filing date, then the record id), naming the
first as the existing record: the later one is the one to look at, the existing one stays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator

from aixin.core import idnumber
from aixin.core.findings import Problem, Severity
from aixin.core.masking import mask_id, mask_phone
from aixin.domain.records import Record, RecordIndex

from .registry import Context, cross_rule

_KEEP_ONE = "请与相关单位核对，保留一条；删去另一条之前，先把指向它的结对改为指向保留的记录。"


def _groups(index: RecordIndex, records: Iterable[Record], key: Callable[[Record], Hashable]) -> list[list[Record]]:
    """Records sharing `key`, each group oldest first, groups in the order of their first file."""
    grouped: defaultdict[Hashable, list[Record]] = defaultdict(list)
    for record in records:
        grouped[key(record)].append(record)
    repeated = [index.oldest_first(group) for group in grouped.values() if len(group) > 1]
    return sorted(repeated, key=lambda g: g[0].file)


def _girl_key(record: Record) -> tuple[str, str, str]:
    data = record.data
    return (data["name"], data["birth"], data["guardian"]["phone"])


@cross_rule("D001", Severity.ERROR)
def mother_id_twice(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """同一身份证号码有两条爱心妈妈记录

    全市范围内，一位爱心妈妈只能有一条记录（不论在哪个单位报名）。报在后登记的那一条上，并写出已有的记录。

    通过：每个身份证号码只出现一次
    不通过：records/chuanshan/mothers/ 和 records/anju/mothers/ 中有相同的身份证号码
    """
    for first, *later in _groups(index, index.valid("mother"), lambda r: idnumber.normalise(r.data["id_number"])):
        for record in later:
            yield Problem(
                f"身份证号码 {mask_id(record.data['id_number'])} 已有爱心妈妈记录 {first.file}（“{first.data['name']}”）",
                f"同一位爱心妈妈只能有一条记录，这一条是后登记的：{_KEEP_ONE}",
                ("id_number",),
                record=record,
                related=(first,),
            )


@cross_rule("D002", Severity.ERROR)
def girl_twice(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """同一女童有两条记录

    姓名、出生年月和临时监护人电话都相同的两条女童记录视为同一人。报在后建档的那一条上，并写出已有的记录。

    通过：姓名相同但出生年月不同
    不通过：两条记录的姓名、出生年月、监护人电话都相同
    """
    for first, *later in _groups(index, index.valid("girl"), _girl_key):
        for record in later:
            phone = mask_phone(record.data["guardian"]["phone"])
            yield Problem(
                f"女童“{record.data['name']}”（{record.data['birth']}，监护人电话 {phone}）与已有的记录 {first.file} 重复",
                f"同一名女童只能有一条记录，这一条是后建档的：{_KEEP_ONE}",
                ("name",),
                record=record,
                related=(first,),
            )


@cross_rule("D003", Severity.ERROR)
def id_twice(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """同一记录编号出现在两个文件中

    报在后建的那个文件上（pull request 中新增或修改的那个），并写出已有的文件。

    通过：每个编号（文件名）只用一次
    不通过：两个结对文件夹中都有 chuanshan-l-9b4n2h.yaml
    """
    for first, *later in _groups(index, index.all_records(), lambda r: r.id):
        for record in later:
            yield Problem(
                f"编号“{record.id}”已用在已有的 {first.file}",
                "每条记录的编号必须唯一：给这个文件换一个新的随机码（6 位小写字母或数字），并改正引用它的记录；已有的那个不要改。",
                (),
                record=record,
                related=(first,),
            )


@cross_rule("D004", Severity.WARNING)
def girl_likely_twice(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """可能重复登记的女童

    姓名、出生年月、乡镇（街道）和村（社区）都相同，其他内容（如监护人电话）不同的两条女童记录，可能是同一人登记了两次。
    报在后建档的那一条上，并写出已有的记录；确实是两个人时可以忽略。

    通过：同村两名女童姓名相同，但出生年月不同
    不通过：两条记录的姓名、出生年月、乡镇和村都相同，只有监护人电话不同
    """

    def key(record: Record) -> tuple[str, str, str, str]:
        data = record.data
        return (data["name"], data["birth"], data["township"], data["village"])

    for group in _groups(index, index.valid("girl"), key):
        for position, record in enumerate(group[1:], start=1):
            earlier = [r for r in group[:position] if _girl_key(r) != _girl_key(record)]  # same key: D002's
            if not earlier:
                continue
            first = earlier[0]
            data = record.data
            yield Problem(
                f"女童“{data['name']}”（{data['birth']}，{data['township']}{data['village']}）可能与已有的记录 {first.file} 是同一人"
                f"（监护人电话 {mask_phone(data['guardian']['phone'])}，已有的记录是 {mask_phone(first.data['guardian']['phone'])}）",
                f"请核实是否重复登记。是同一人时：{_KEEP_ONE}确实是两个人时，可以忽略这条警告。",
                ("name",),
                record=record,
                related=(first,),
            )
