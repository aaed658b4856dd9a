"""Rules for pairings (附件3): who is paired, whether they may be, and how many at once."""

from __future__ import annotations

from collections.abc import Iterator

from aixin.core.findings import Problem, Severity
from aixin.domain import eligibility
from aixin.domain.records import ELIGIBILITY, Record, RecordIndex
from aixin.domain.terms import (
    ACTIVE,
    CITY_OPINION,
    COUNTY_OPINION,
    ENDED,
    PROPOSED,
    is_city_approved,
    is_proposed,
    may_be_paired,
    missing_approvals,
)

from .common import after_today, record_date
from .registry import Context, cross_rule, record_rule


@record_rule("P001", Severity.ERROR, "pairing")
def pairing_dates(record: Record, ctx: Context) -> Iterator[Problem]:
    """结对日期不合理

    结对日期不早于启动实施日期，不晚于今天；结束日期不早于结对日期。

    通过：started_on: 2019-08-01，ended_on: 2020-06-30
    不通过：ended_on: 2019-07-01 早于 started_on: 2019-08-01
    """
    data = record.data
    yield from after_today([(("started_on",), data["started_on"])], ctx.today, "结对日期")
    if data["started_on"] < ctx.programme.launch.isoformat():
        yield Problem(
            f"结对日期 {data['started_on']} 早于活动启动实施日期 {ctx.programme.launch}",
            "结对从启动实施阶段开始；请核对日期。",
            ("started_on",),
        )
    if "ended_on" in data and data["ended_on"] < data["started_on"]:
        yield Problem(f"结束日期 {data['ended_on']} 早于结对日期 {data['started_on']}", "请核对日期。", ("ended_on",))
    if "ended_on" in data and data["status"] != ENDED:
        yield Problem(
            f"结对状态是“{data['status']}”，却填写了结束日期",
            "如果结对已经结束，请把 status 改为“已结束”并写明结束原因；否则删去 ended_on。",
            ("ended_on",),
        )


@cross_rule("P002", Severity.ERROR)
def pairing_references(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """结对中的爱心妈妈或女童不存在

    mother 和 girl 要写已有记录的编号（文件名）。

    通过：mother: chuanshan-m-7k2q9d（records/chuanshan/mothers/ 中有这个文件）
    不通过：mother: chuanshan-m-000000（没有这个记录）
    """
    for pairing in index.valid("pairing"):
        for key, kind, label in (("mother", "mother", "爱心妈妈"), ("girl", "girl", "女童")):
            target = pairing.data[key]
            if index.get(target, kind) is None:
                yield Problem(
                    f"找不到编号为“{target}”的{label}记录",
                    f"请核对编号；{label}的记录要先建好（在 records/<单位>/{kind}s/ 中）。",
                    (key,),
                    record=pairing,
                )


@cross_rule("P003", Severity.ERROR)
def mother_not_approved(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """爱心妈妈结对前没有通过两级审核

    进行中（或已结束）的结对，爱心妈妈要有县区（园区）意见和市妇联意见，都为“同意”，市妇联审核日期不晚于结对日期。
    新报名、还没有市妇联意见的爱心妈妈，结对可以先写 status: 待审批（要有县区（园区）意见“同意”），与她的申报表一起提交。

    通过：city_approval 为“同意”，日期不晚于 started_on；或 status: 待审批，county_approval 为“同意”，还没有 city_approval
    不通过：status: 进行中，没有 city_approval；或审核日期晚于结对日期
    """
    for pairing in index.valid("pairing"):
        mother = index.get(pairing.data["mother"], "mother")
        if mother is None or not mother.valid:
            continue
        name = mother.data["name"]
        missing = missing_approvals(mother.data)
        if is_proposed(pairing.data):
            if missing and missing[-1][0] == CITY_OPINION and not missing[-1][1]:
                missing = missing[:-1]  # the city's opinion is what a proposed pairing waits for
            if missing:
                yield Problem(
                    f"爱心妈妈“{name}”{_approvals_wanting(missing)}，结对还不能写成“{PROPOSED}”",
                    _PROPOSED_HINT_REFUSED if any(refused for _, refused in missing) else _PROPOSED_HINT_COUNTY,
                    ("mother",),
                    record=pairing,
                )
        elif missing:
            yield Problem(
                f"爱心妈妈“{name}”{_approvals_wanting(missing)}，不能结对",
                _active_hint(missing),
                ("mother",),
                record=pairing,
            )
        elif mother.data["city_approval"]["date"] > pairing.data["started_on"]:
            yield Problem(
                f"结对日期 {pairing.data['started_on']} 早于市妇联审核日期 {mother.data['city_approval']['date']}",
                "爱心妈妈须经市妇联审核同意后才能结对；请核对日期（结对日期写实际开始结对的日期）。",
                ("started_on",),
                record=pairing,
            )


_ACTIVE_HINT_PENDING = (
    f"新报名的爱心妈妈可以先结对：把 status 写成“{PROPOSED}”，与她的申报表放在同一个 pull request 中提交；"
    f"市妇联审核同意时，会在同一次修改中把结对改为“{ACTIVE}”。"
)
_ACTIVE_HINT_COUNTY = (
    f"请先在她的申报表中填写本单位的区县（园区）意见（county_approval）；同意后，结对可以先写成“{PROPOSED}”，"
    f"与申报表一起提交，市妇联审核同意时再改为“{ACTIVE}”。"
)
_ACTIVE_HINT_REFUSED = "审核没有同意的爱心妈妈不能结对；请删去这条结对（或请市妇联核实审核意见），为女童另找爱心妈妈。"


def _active_hint(missing: list[tuple[str, bool]]) -> str:
    if any(refused for _, refused in missing):
        return _ACTIVE_HINT_REFUSED
    return _ACTIVE_HINT_COUNTY if missing[0][0] == COUNTY_OPINION else _ACTIVE_HINT_PENDING


_PROPOSED_HINT_COUNTY = f"“{PROPOSED}”的结对等的是市妇联审核：请先在她的申报表中填写本单位的区县（园区）意见（county_approval，同意），再一起提交。"
_PROPOSED_HINT_REFUSED = "审核没有同意，这条结对不能进行：请删去这条结对，为女童另找爱心妈妈。"


def _approvals_wanting(missing: list[tuple[str, bool]]) -> str:
    """缺少市妇联意见 / 缺少区县（园区）意见和市妇联意见 / 的市妇联意见是“不同意”."""
    refused = [label for label, no in missing if no]
    absent = [label for label, no in missing if not no]
    parts = []
    if refused:
        parts.append(f"的{'和'.join(refused)}是“不同意”")
    if absent:
        parts.append(f"{'，还' if refused else '还'}缺少{'和'.join(absent)}")
    return "".join(parts)


@cross_rule("P011", Severity.ERROR)
def proposed_but_approved(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """爱心妈妈已通过市妇联审核，结对仍是“待审批”

    市妇联审核同意爱心妈妈时，在同一次修改中把她“待审批”的结对改为“进行中”，结对日期写实际开始结对的日期。

    通过：city_approval 为“同意”，结对 status: 进行中
    不通过：city_approval 为“同意”，结对仍是 status: 待审批
    """
    for pairing in index.valid("pairing"):
        mother = index.get(pairing.data["mother"], "mother")
        if not is_proposed(pairing.data) or mother is None or not mother.valid or not is_city_approved(mother.data):
            continue
        approved_on = mother.data["city_approval"]["date"]
        yield Problem(
            f"爱心妈妈“{mother.data['name']}”已经通过市妇联审核（{approved_on}），这条结对还是“{PROPOSED}”",
            f"请把 status 改为“{ACTIVE}”，started_on 写实际开始结对的日期（不早于 {approved_on}）；"
            "市妇联审核同意时，请在同一次修改中一起改。不再结对的，请删去这条结对。",
            ("status",),
            record=pairing,
        )


@cross_rule("P004", Severity.ERROR)
def girl_not_eligible(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """结对的女童不符合条件，也没有特例批准

    符合条件：建档时12周岁以下，到结对日期父母均已外出半年以上。不符合时须在 exception 中写明原因、批准人和日期。

    通过：女童父母均外出一年；父母建档时外出4个月、结对时已满6个月；或写有 exception
    不通过：女童只有父亲外出，且没有 exception
    """
    for pairing in index.valid("pairing"):
        girl = index.get(pairing.data["girl"], "girl")
        if girl is None or not girl.valid or "exception" in pairing.data:
            continue
        start = record_date(pairing.data["started_on"])
        if start is None:
            continue
        verdict = eligibility.Eligibility.from_facts(girl.data[ELIGIBILITY], ctx.programme, start)
        if not may_be_paired(verdict.eligible, pairing.data):
            yield Problem(
                f"女童“{girl.data['name']}”不符合结对条件：{'，'.join(verdict.reasons(ctx.programme))}",
                "如确需结对，请在 exception 中写明原因、批准人和日期。",
                ("girl",),
                record=pairing,
                related=(girl,),
            )


def _who(index: RecordIndex, record_id: str, kind: str) -> str:
    """`“示例女童甲”（chuanshan-g-3m8x4p）`: a person by name and code (the code alone when the
    record is missing or unreadable). Names are not masked; no number of theirs is shown."""
    record = index.get(record_id, kind)
    name = record.data.get("name") if record is not None and record.valid else None
    return f"“{name}”（{record_id}）" if name else f"“{record_id}”"


def _people(index: RecordIndex, pairing: Record) -> list[Record]:
    """The mother and girl a pairing names, those that exist: what its cross findings come from."""
    found = (index.get(pairing.data["mother"], "mother"), index.get(pairing.data["girl"], "girl"))
    return [record for record in found if record is not None]


@cross_rule("P005", Severity.ERROR)
def girl_paired_twice(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """一名女童同时有多个结对

    进行中的结对和待审批的结对都算：一名女童同时只能有一位爱心妈妈。报在后结对的那一条上（待审批的排在进行中的后面；
    结对日期晚的；同一天按填报时间，再按编号；pull request 中新增或修改的那一条算后结对的），并写出已有的结对。

    通过：女童只有一个“进行中”的结对
    不通过：同一女童有两个“进行中”的结对，或已有“进行中”的结对又报了一个“待审批”的结对
    """
    for girl_id in sorted(index.pairings_of_girl):
        held = index.pairings_holding(girl_id)
        if len(held) < 2:
            continue
        first = held[0]
        girl = _who(index, girl_id, "girl")
        for extra in held[1:]:
            mother = extra.data["mother"]
            other = "" if mother == first.data["mother"] else f"的爱心妈妈是{_who(index, mother, 'mother')}，"
            yield Problem(
                f"女童{girl}已有{first.data['status']}的结对 {first.id}，爱心妈妈是"
                f"{_who(index, first.data['mother'], 'mother')}，{first.data['started_on']} 起；这一条{other}不能再结对",
                "一名女童同时只能有一位爱心妈妈：如果已有的结对已经结束，请在那个文件中把 status 改为“已结束”，"
                "写明结束日期和原因；否则删去这一条。",
                ("girl",),
                record=extra,
                related=(first, *_people(index, extra)),
            )


@cross_rule("P006", Severity.ERROR)
def mother_over_limit(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """爱心妈妈进行中的结对超过上限

    一位爱心妈妈同时结对的女童人数上限见 records/programme.yaml（max_girls_per_mother）。
    报在超出上限的、后结对的那些结对上（顺序同 P005），并写出已有的结对。

    通过：上限为3，妈妈有3个进行中的结对
    不通过：上限为3，妈妈有4个进行中的结对
    """
    limit = ctx.programme.max_girls_per_mother
    for mother_id in sorted(index.pairings_of_mother):
        active = index.active_pairings("mother", mother_id)
        existing = active[:limit]
        mother = _who(index, mother_id, "mother")
        for extra in active[limit:]:
            yield Problem(
                f"爱心妈妈{mother}已有 {len(existing)} 个进行中的结对（已有的：{'、'.join(p.id for p in existing)}），"
                f"达到上限 {limit} 个；这一条为女童{_who(index, extra.data['girl'], 'girl')}结对，超出上限",
                "请先结束已有的结对中的一个，或为这名女童另找爱心妈妈。",
                ("mother",),
                record=extra,
                related=(*existing, *_people(index, extra)),
            )


@cross_rule("P007", Severity.ERROR)
def mode_mismatch(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """结对方式与结对人数不一致

    一位爱心妈妈只有一个进行中的结对时写“一对一”，有多个时每个结对都写“一对多”。
    每个写错的结对各报一条（新结对会让原来的结对也要改），并写出她的其他结对。

    通过：妈妈有2个进行中的结对，mode 都是 一对多
    不通过：妈妈有2个进行中的结对，其中一个 mode 是 一对一
    """
    for mother_id in sorted(index.pairings_of_mother):
        active = index.active_pairings("mother", mother_id)
        expected = "一对一" if len(active) == 1 else "一对多"
        for pairing in active:
            if pairing.data["mode"] != expected:
                others = [p for p in active if p is not pairing]
                besides = f"（除这一条外还有 {'、'.join(p.id for p in others)}）" if others else ""
                yield Problem(
                    f"结对方式写的是“{pairing.data['mode']}”，但爱心妈妈{_who(index, mother_id, 'mother')}"
                    f"有 {len(active)} 个进行中的结对{besides}",
                    f"应写“{expected}”。",
                    ("mode",),
                    record=pairing,
                    related=(*others, *(r for r in [index.get(mother_id, "mother")] if r is not None)),
                )


@cross_rule("P008", Severity.WARNING)
def far_from_home(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """爱心妈妈与女童不在同一地区（就近就亲）

    按就近就亲原则，爱心妈妈常住地所在单位与女童所在单位一般相同。

    通过：residence.unit: chuanshan，女童在 records/chuanshan/
    不通过：residence.unit: chuanshan，女童在 records/daying/
    """
    for pairing in index.valid("pairing"):
        mother = index.get(pairing.data["mother"], "mother")
        girl = index.get(pairing.data["girl"], "girl")
        if not (mother and girl and mother.valid):
            continue
        home = mother.data["residence"]["unit"]
        if home != girl.unit:
            yield Problem(
                f"爱心妈妈常住{ctx.programme.unit_name(home)}，女童在{ctx.programme.unit_name(girl.unit)}，不在同一地区",
                "按就近就亲原则，尽量为女童结对同一地区的爱心妈妈；如确有原因可以忽略。",
                ("girl",),
                record=pairing,
                related=(mother, girl),
            )


@cross_rule("P009", Severity.ERROR)
def pairing_in_wrong_unit(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """结对记录不在爱心妈妈所在单位的文件夹中

    结对由爱心妈妈报名的单位管理，记录放在该单位的 pairings/ 文件夹中。

    通过：mother: chuanshan-m-…，文件在 records/chuanshan/pairings/
    不通过：mother: chuanshan-m-…，文件在 records/anju/pairings/
    """
    for pairing in index.valid("pairing"):
        mother = index.get(pairing.data["mother"], "mother")
        if mother and mother.unit != pairing.unit:
            yield Problem(
                f"爱心妈妈属于{ctx.programme.unit_name(mother.unit)}，结对记录却在{ctx.programme.unit_name(pairing.unit)}的文件夹中",
                f"结对由爱心妈妈报名的单位管理：请在 records/{mother.unit}/pairings/ 新建这个结对（新编号），把联系记录移到新结对的文件夹并改正其中的 pairing，再删去本记录。",
                ("mother",),
                record=pairing,
                related=(mother,),
            )


# ------------------------------------------------------------------ the pairing's whole life

_END_REASON_OF = {"父母返乡": "父母返乡", "迁出": "迁出"}  # the girl's reason → the pairing's end_reason


@cross_rule("P012", Severity.ERROR)
def paired_after_left_behind_ended(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """女童不再是留守女童之后又结对

    女童记录写了 left_behind_ended（不再是留守女童：日期和原因）的，从那一天起不能再结对：结对日期要早于那一天。

    通过：left_behind_ended.date: 2020-03-01，结对 started_on: 2019-08-01（之后结束）
    不通过：left_behind_ended.date: 2020-03-01，结对 started_on: 2020-04-01
    """
    for pairing in index.valid("pairing"):
        girl = index.get(pairing.data["girl"], "girl")
        if girl is None or not girl.valid:
            continue
        ended = eligibility.left_behind_ended_on(girl.data)
        start = record_date(pairing.data["started_on"])
        if ended is None or start is None or start < ended:
            continue
        reason = girl.data["left_behind_ended"]["reason"]
        yield Problem(
            f"女童{_who(index, girl.id, 'girl')}从 {ended} 起不再是留守女童（{reason}），"
            f"结对日期 {pairing.data['started_on']} 在这之后，不能结对",
            "不再留守的女童不是本活动的结对对象。请核对女童记录中 left_behind_ended 的日期和结对日期；"
            "日期没有写错的，这个结对不应建立（还没有联系记录的，可以删去这个文件）。",
            ("started_on",),
            record=pairing,
            related=(girl,),
        )


@cross_rule("P013", Severity.WARNING)
def pairing_outlasts_left_behind(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """女童已不再是留守女童，结对还没有结束

    女童记录写了 left_behind_ended（如父母返乡、迁出）后，她进行中（或待审批）的结对应当结束：
    改为“已结束”，写上结束日期和结束原因。

    通过：left_behind_ended: {date: 2020-03-01, reason: 父母返乡}，结对 status: 已结束，end_reason: 父母返乡
    不通过：left_behind_ended: {date: 2020-03-01, reason: 父母返乡}，结对仍是 status: 进行中
    """
    for girl_id in sorted(index.pairings_of_girl):
        girl = index.get(girl_id, "girl")
        ended = eligibility.left_behind_ended_on(girl.data) if girl is not None and girl.valid else None
        if girl is None or ended is None:
            continue
        reason = girl.data["left_behind_ended"]["reason"]
        for pairing in index.pairings_holding(girl_id):
            start = record_date(pairing.data["started_on"])
            if start is None or start >= ended:
                continue  # P012's
            yield Problem(
                f"女童{_who(index, girl_id, 'girl')}从 {ended} 起不再是留守女童（{reason}），"
                f"这个结对还是“{pairing.data['status']}”",
                f"请结束这个结对：把 status 改为“{ENDED}”，写上结束日期 ended_on（不早于 {pairing.data['started_on']}）"
                f"和结束原因 end_reason（{_END_REASON_OF.get(reason, '从六种原因中选一种')}）。",
                ("status",),
                record=pairing,
                related=(girl,),
            )


@cross_rule("P014", Severity.ERROR)
def pairing_outlasts_mother(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """爱心妈妈退出活动后，结对还没有结束

    爱心妈妈的记录写了 withdrawn（退出活动：日期和原因）时，她的结对都要在退出那天或之前结束（结束原因一般写“爱心妈妈退出”），
    退出之后也不能再结对。

    通过：withdrawn.date: 2020-05-31，她的结对 status: 已结束，ended_on: 2020-05-31
    不通过：withdrawn.date: 2020-05-31，她的结对仍是 status: 进行中，或 ended_on: 2020-06-30
    """
    for mother_id in sorted(index.pairings_of_mother):
        mother = index.get(mother_id, "mother")
        left = eligibility.withdrawn_on(mother.data) if mother is not None and mother.valid else None
        if mother is None or left is None:
            continue
        who = _who(index, mother_id, "mother")
        for pairing in index.oldest_first(index.pairings_of_mother[mother_id], "started_on"):
            data = pairing.data
            if data["started_on"] > left.isoformat():
                message = f"爱心妈妈{who}已于 {left} 退出活动，这个结对的结对日期 {data['started_on']} 在这之后"
                hint = "退出活动的爱心妈妈不能再结对：请核对她的退出日期和结对日期，或为女童另找爱心妈妈。"
                path: tuple[str, ...] = ("started_on",)
            elif data["status"] != ENDED:
                message = f"爱心妈妈{who}已于 {left} 退出活动，这个结对还是“{data['status']}”"
                hint = (
                    f"请结束这个结对：把 status 改为“{ENDED}”，结束日期 ended_on 不晚于 {left}，"
                    "结束原因 end_reason 写“爱心妈妈退出”；女童可以另找爱心妈妈结对。"
                )
                path = ("status",)
            elif "ended_on" in data and data["ended_on"] > left.isoformat():
                message = f"爱心妈妈{who}已于 {left} 退出活动，这个结对的结束日期 {data['ended_on']} 晚于退出日期"
                hint = f"结对要在她退出那天或之前结束：请把 ended_on 改为不晚于 {left} 的日期，或核对她的退出日期。"
                path = ("ended_on",)
            else:
                continue
            yield Problem(message, hint, path, record=pairing, related=(mother,))
