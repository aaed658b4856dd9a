"""Rules for one girl's record (附件1): age, parents away, dates, consent, rural residence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from aixin.core import dates
from aixin.core.findings import FieldPath, Problem, Severity
from aixin.domain import eligibility
from aixin.domain.records import Record, RecordIndex
from aixin.domain.terms import ENDED

from .common import after_today, outside_phase, record_date
from .registry import Context, cross_rule, record_rule

KIND = "girl"


def _ages_at_survey(girl: Mapping[str, Any]) -> tuple[int, int] | None:
    """Her youngest and oldest possible age on the survey date (the form has no day of birth)."""
    survey = record_date(girl["survey_date"])
    return None if survey is None else eligibility.age_range_at(girl["birth"], survey)


@record_rule("G001", Severity.ERROR, KIND)
def over_age(record: Record, ctx: Context) -> Iterator[Problem]:
    """女童建档时超过年龄上限

    本活动为12周岁以下（含12周岁）的女童建档，年龄按建档日期、出生年月计算周岁。

    通过：birth: 2010-03，survey_date: 2019-07-05（9周岁）
    不通过：birth: 2005-03，survey_date: 2019-07-05（14周岁）
    """
    girl = record.data
    ages, limit = _ages_at_survey(girl), ctx.programme.girl_max_age
    if ages and ages[0] > limit:
        yield Problem(
            f"按出生年月 {girl['birth']}，到建档日期 {girl['survey_date']} 已满 {ages[0]} 周岁，超过 {limit} 周岁",
            f"本活动只为 {limit} 周岁以下（含 {limit} 周岁）的女童建档；请核对出生年月。",
            ("birth",),
        )


@record_rule("G002", Severity.WARNING, KIND)
def age_undecidable(record: Record, ctx: Context) -> Iterator[Problem]:
    """只凭出生年月无法确定女童是否超龄

    出生年月只记到月：如果她恰好在建档那个月前后满13周岁，要看具体出生日才能确定，系统不猜测。

    通过：birth: 2010-03，survey_date: 2019-07-05
    不通过：birth: 2006-07，survey_date: 2019-07-05（7月1日至5日出生已满13周岁，其他日子出生则为12周岁）
    """
    girl = record.data
    ages, limit = _ages_at_survey(girl), ctx.programme.girl_max_age
    if ages and ages[0] <= limit < ages[1]:
        yield Problem(
            f"出生年月 {girl['birth']}：到建档日期 {girl['survey_date']} 可能已满 {ages[1]} 周岁，要看具体出生日",
            f"请向监护人核实出生日期；若已满 {limit + 1} 周岁则不符合结对条件。",
            ("birth",),
        )


@record_rule("G003", Severity.ERROR, KIND)
def born_after_survey(record: Record, ctx: Context) -> Iterator[Problem]:
    """出生年月晚于建档日期

    通过：birth: 2010-03，survey_date: 2019-07-05
    不通过：birth: 2019-09，survey_date: 2019-07-05
    """
    girl = record.data
    if girl["birth"] > girl["survey_date"][:7]:
        yield Problem(
            f"出生年月 {girl['birth']} 晚于建档日期 {girl['survey_date']}",
            "请核对出生年月和建档日期。",
            ("birth",),
        )


@record_rule("G004", Severity.WARNING, KIND)
def parents_away_too_short(record: Record, ctx: Context) -> Iterator[Problem]:
    """父母外出不满半年

    结对对象是父母均外出半年以上（含整六个月）的女童；不满半年可以先建档，满半年后再结对。

    通过：left_on: 2018-02-20，survey_date: 2019-07-05
    不通过：left_on: 2019-03-01，survey_date: 2019-07-05（4个月）
    """
    girl = record.data
    survey = record_date(girl["survey_date"])
    months = ctx.programme.parents_away_min_months
    for parent in eligibility.AWAY_KEYS[girl["parents_away"]]:
        left = record_date(girl[parent]["left_on"])
        if survey is None or left is None:
            continue
        if left <= survey and not dates.months_between_at_least(left, survey, months):
            label = "父亲" if parent == "father" else "母亲"
            yield Problem(
                f"{label}外出日期 {girl[parent]['left_on']}，到建档日期 {girl['survey_date']} 不满 {months} 个月",
                f"父母均外出满 {months} 个月才符合结对条件；可以先建档，满 {months} 个月后再结对。",
                (parent, "left_on"),
            )


@record_rule("G005", Severity.ERROR, KIND)
def left_after_survey(record: Record, ctx: Context) -> Iterator[Problem]:
    """外出日期晚于建档日期

    建档时记录的是已经外出的父母，外出日期不能晚于建档日期。

    通过：left_on: 2018-02-20，survey_date: 2019-07-05
    不通过：left_on: 2019-09-01，survey_date: 2019-07-05
    """
    girl = record.data
    for parent in eligibility.AWAY_KEYS[girl["parents_away"]]:
        if girl[parent]["left_on"] > girl["survey_date"]:
            label = "父亲" if parent == "father" else "母亲"
            yield Problem(
                f"{label}外出日期 {girl[parent]['left_on']} 晚于建档日期 {girl['survey_date']}",
                "请核对外出日期；不清楚具体哪天时写外出当月的1日。",
                (parent, "left_on"),
            )


@record_rule("G006", Severity.WARNING, KIND)
def survey_outside_phase(record: Record, ctx: Context) -> Iterator[Problem]:
    """建档日期不在摸底建档阶段内

    摸底建档阶段见 records/programme.yaml（2019年6月20日至7月20日）；之后补充建档的记录会得到这条警告。

    通过：survey_date: 2019-07-05
    不通过：survey_date: 2019-09-10
    """
    yield from outside_phase(
        ctx.programme.survey, record.data["survey_date"], "建档日期", ("survey_date",), "如果是阶段结束后补充建档"
    )


@record_rule("G007", Severity.WARNING, KIND)
def consent_after_survey(record: Record, ctx: Context) -> Iterator[Problem]:
    """监护人同意晚于建档

    应先取得监护人同意，再采集女童信息。

    通过：consent.date: 2019-07-05，survey_date: 2019-07-05
    不通过：consent.date: 2019-08-01，survey_date: 2019-07-05
    """
    girl = record.data
    if girl["consent"]["date"] > girl["survey_date"]:
        yield Problem(
            f"监护人同意日期 {girl['consent']['date']} 晚于建档日期 {girl['survey_date']}",
            "采集女童信息前应先取得监护人同意；请核对日期。",
            ("consent", "date"),
        )


@record_rule("G008", Severity.WARNING, KIND)
def consent_by_non_guardian(record: Record, ctx: Context) -> Iterator[Problem]:
    """同意人不是女童的父母或临时监护人

    通过：consent.by 与 guardian.name、father.name 或 mother.name 之一相同
    不通过：consent.by: 示例邻居，而监护人是 示例祖母
    """
    girl = record.data
    allowed = {girl["guardian"]["name"], girl["father"]["name"], girl["mother"]["name"]}
    if girl["consent"]["by"] not in allowed:
        yield Problem(
            f"同意人“{girl['consent']['by']}”不是女童的父母或临时监护人",
            "应由父母或临时监护人表示同意；请核对同意人姓名。",
            ("consent", "by"),
        )


@record_rule("G009", Severity.ERROR, KIND)
def girl_dates_in_future(record: Record, ctx: Context) -> Iterator[Problem]:
    """日期晚于今天

    通过：survey_date: 2019-07-05
    不通过：survey_date 晚于今天（北京时间）
    """
    girl = record.data
    places: list[tuple[FieldPath, str]] = [
        (("survey_date",), girl["survey_date"]),
        (("consent", "date"), girl["consent"]["date"]),
    ]
    places += [((p, "left_on"), girl[p]["left_on"]) for p in ("father", "mother") if "left_on" in girl[p]]
    if "left_behind_ended" in girl:
        places.append((("left_behind_ended", "date"), girl["left_behind_ended"]["date"]))
    yield from after_today(places, ctx.today)


@record_rule("G011", Severity.WARNING, KIND)
def rural_unconfirmed(record: Record, ctx: Context) -> Iterator[Problem]:
    """女童的乡镇或村是街道、社区：请核实她留在农村生活

    本活动的对象是留在农村生活的女童。乡镇（街道）以“街道”“办事处”结尾，或村（社区）以“社区”“居委会”结尾时，
    请联络员核实后写 rural_confirmed: true（已核实留在农村生活），警告就不再出现；写 false 表示她不在农村生活。

    通过：township: 示例镇，village: 示例村；或 village: 示例社区，rural_confirmed: true
    不通过：township: 示例街道 或 village: 示例社区，没有 rural_confirmed: true
    """
    girl = record.data
    confirmed = girl.get("rural_confirmed")
    if confirmed is True:
        return
    if confirmed is False:
        yield Problem(
            "记录写明她不在农村生活（rural_confirmed: false），不是本活动的结对对象",
            "本活动为留在农村生活的女童结对；如果是写错了，请改为 rural_confirmed: true（表格中“已核实留在农村生活”填“是”）。",
            ("rural_confirmed",),
            plain="记录写明她不在农村生活，不是本活动的结对对象",
        )
        return
    township, village = girl["township"].strip(), girl["village"].strip()
    urban = [
        (("township",), f"乡镇（街道）写的是“{township}”") if eligibility.urban_township(township) else None,
        (("village",), f"村（社区）写的是“{village}”") if eligibility.urban_village(village) else None,
    ]
    found = [item for item in urban if item is not None]
    if found:
        yield Problem(
            f"{'，'.join(words for _, words in found)}：请核实她是否留在农村生活",
            "本活动的对象是留在农村生活的女童。核实她确实在农村生活后，加一行 rural_confirmed: true"
            "（表格中“已核实留在农村生活”填“是”），这条警告就不再出现；她在城镇生活时，不是本活动的结对对象。",
            found[0][0],
        )


@cross_rule("G012", Severity.WARNING)
def over_age_at_review(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """女童结对期间已满13周岁：年度总结时研究是否继续结对

    本活动为12周岁以下的女童结对。女童满13周岁后，从下一个活动年度开始（每年8月1日，按启动实施日期），她的记录会得到这条提醒，
    直到结对结束（结束原因写“女童超龄”），或在结对的 exception 中写明继续帮扶的原因、批准人和日期（不早于那个8月1日）。

    通过：birth: 2007-09，今天 2020-10-01（到2020年9月满13周岁，下一个活动年度从2021-08-01开始）
    不通过：birth: 2006-09，今天 2020-10-01，结对仍是进行中（2019年9月满13周岁，2020-08-01起提醒）
    """
    limit = ctx.programme.girl_max_age + 1
    for girl in index.valid("girl"):
        review = eligibility.over_age_review(girl.data["birth"], ctx.programme)
        if review is None or ctx.today < review[1]:
            continue
        past_limit, review_day = review
        pairings = [p for p in index.active_pairings("girl", girl.id) if not _continued(p.data, review_day)]
        if not pairings:
            continue
        yield Problem(
            f"女童“{girl.data['name']}”（出生年月 {girl.data['birth']}）到 {past_limit:%Y年%-m月} 已满 {limit} 周岁，"
            f"仍有进行中的结对 {'、'.join(p.id for p in pairings)}：请在 {review_day} 开始的活动年度总结中研究是否继续结对",
            f"本活动为 {limit - 1} 周岁以下的女童结对。不再结对的，请把结对改为“{ENDED}”，结束原因 end_reason 写“女童超龄”；"
            f"经批准继续帮扶的，在结对中写 exception（原因、批准人和不早于 {review_day} 的批准日期），这条提醒就不再出现。",
            ("birth",),
            record=girl,
            related=tuple(pairings),
        )


def _continued(pairing: Mapping[str, Any], review_day: dt.date) -> bool:
    """The pairing records an approval, given at or after the review, to go on past the age limit."""
    exception = pairing.get("exception")
    approved = record_date(exception.get("date")) if isinstance(exception, Mapping) else None
    return approved is not None and approved >= review_day
