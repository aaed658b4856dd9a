"""Rules for contact-log entries: where they are filed and when they happened."""

from __future__ import annotations

from collections.abc import Iterator

from aixin.core.findings import Problem, Severity
from aixin.domain.records import Record, RecordIndex
from aixin.domain.terms import ACTIVE, PROPOSED, is_proposed

from .common import after_today
from .registry import Context, cross_rule, record_rule


@record_rule("L001", Severity.ERROR, "log")
def log_in_wrong_folder(record: Record, ctx: Context) -> Iterator[Problem]:
    """联系记录不在所属结对的文件夹中

    联系记录放在 records/<单位>/logs/<结对编号>/ 中，文件夹名与 pairing 一致，且结对属于本单位。

    通过：records/chuanshan/logs/chuanshan-p-5t1w6r/…，pairing: chuanshan-p-5t1w6r
    不通过：records/chuanshan/logs/chuanshan-p-5t1w6r/…，pairing: chuanshan-p-0000aa
    """
    folder = record.file.split("/")[-2]
    pairing = record.data["pairing"]
    if pairing != folder:
        yield Problem(
            f"联系记录写的结对是“{pairing}”，却放在文件夹“{folder}”中",
            f"请把文件移到 records/{record.unit}/logs/{pairing}/，或改正 pairing。",
            ("pairing",),
        )
    elif not pairing.startswith(record.unit + "-"):
        yield Problem(
            f"结对“{pairing}”不属于本单位（{record.unit}）",
            "联系记录放在结对所在单位的文件夹中。",
            ("pairing",),
        )


@record_rule("L002", Severity.ERROR, "log")
def log_in_future(record: Record, ctx: Context) -> Iterator[Problem]:
    """联系日期晚于今天

    通过：date: 2019-09-15
    不通过：date 晚于今天（北京时间）
    """
    yield from after_today([(("date",), record.data["date"])], ctx.today, "联系日期")


@cross_rule("L003", Severity.ERROR)
def log_pairing_missing(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """联系记录的结对不存在

    通过：pairing: chuanshan-p-5t1w6r（records/chuanshan/pairings/ 中有这个文件）
    不通过：pairing: chuanshan-p-000000
    """
    for log in index.valid("log"):
        if index.get(log.data["pairing"], "pairing") is None:
            yield Problem(
                f"找不到编号为“{log.data['pairing']}”的结对记录",
                "请核对结对编号；联系记录要记在已有的结对下。",
                ("pairing",),
                record=log,
            )


@cross_rule("L004", Severity.ERROR)
def log_outside_pairing(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """联系日期不在结对期间

    通过：结对 2019-08-01 开始，date: 2019-09-15
    不通过：结对 2019-08-01 开始，date: 2019-07-20
    """
    for log in index.valid("log"):
        pairing = index.get(log.data["pairing"], "pairing")
        if pairing is None or not pairing.valid:
            continue
        day, start, end = log.data["date"], pairing.data["started_on"], pairing.data.get("ended_on")
        if day < start:
            yield Problem(f"联系日期 {day} 早于结对日期 {start}", "请核对日期。", ("date",), record=log)
        elif end and day > end:
            yield Problem(f"联系日期 {day} 晚于结对结束日期 {end}", "请核对日期。", ("date",), record=log)


@cross_rule("L006", Severity.ERROR)
def log_of_proposed_pairing(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """联系记录所属的结对还在待审批

    “待审批”的结对等市妇联审核爱心妈妈，还没有开始，不记联系记录；审核同意、结对改为“进行中”以后再记。

    通过：结对 status: 进行中，联系记录记在它下面
    不通过：结对 status: 待审批，却有联系记录
    """
    for log in index.valid("log"):
        pairing = index.get(log.data["pairing"], "pairing")
        if pairing is not None and pairing.valid and is_proposed(pairing.data):
            yield Problem(
                f"结对“{pairing.id}”还是“{PROPOSED}”（等市妇联审核爱心妈妈），不能记联系记录",
                f"请等市妇联审核同意、结对改为“{ACTIVE}”以后再提交这条联系记录；现在先把它从这次修改中去掉。",
                ("pairing",),
                record=log,
            )
