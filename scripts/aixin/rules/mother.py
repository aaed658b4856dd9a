"""Rules for one caring mother's record (附件2): ID number, sex, age, approvals, dates, residence."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from aixin.core import dates, idnumber
from aixin.core.findings import FieldPath, Problem, Severity
from aixin.core.masking import mask_id
from aixin.domain.records import Record
from aixin.domain.terms import AGREE, is_county_approved

from .common import after_today, outside_phase, record_date
from .registry import Context, record_rule

KIND = "mother"


def parsed_id(data: Mapping[str, Any]) -> idnumber.IdNumber | None:
    """The mother's ID number when it is valid as written (canonical form), else None."""
    raw = data["id_number"]
    if idnumber.normalise(raw) != raw:
        return None
    try:
        return idnumber.parse(raw)
    except idnumber.IdNumberError:
        return None


@record_rule("M001", Severity.ERROR, KIND)
def invalid_id_number(record: Record, ctx: Context) -> Iterator[Problem]:
    """身份证号码无效

    按国家标准 GB 11643 检查：18位，出生日期真实且不晚于今天，最后一位校验码正确。

    通过：id_number: "510903198506120021"
    不通过：id_number: "510903198506120022"（校验码不对）
    """
    raw = record.data["id_number"]
    try:
        idnumber.parse(idnumber.normalise(raw), today=ctx.today)
    except idnumber.IdNumberError as error:
        yield Problem(
            f"身份证号码 {mask_id(raw)} 无效：{error.reason}",
            "请对照身份证逐位核对号码。",
            ("id_number",),
        )


@record_rule("M002", Severity.ERROR, KIND)
def id_number_spelling(record: Record, ctx: Context) -> Iterator[Problem]:
    """身份证号码含小写 x 或全角数字

    通过：id_number: "51090219850612002X"
    不通过：id_number: "51090219850612002x" 或 "５１０９…"
    """
    raw = record.data["id_number"]
    fixed = idnumber.normalise(raw)
    if fixed != raw:
        what: list[str] = []
        if "x" in raw:
            what.append("小写 x 应改为大写 X")
        if any("０" <= ch <= "９" or ch in "Ｘｘ" for ch in raw):
            what.append("全角数字应改为半角数字")
        yield Problem(
            f"身份证号码 {mask_id(raw)} 的写法不规范：{'，'.join(what)}",
            f"请改写为 {mask_id(fixed)}（半角数字，末位大写 X）。",
            ("id_number",),
        )


@record_rule("M003", Severity.ERROR, KIND)
def not_female(record: Record, ctx: Context) -> Iterator[Problem]:
    """身份证号码显示不是女性

    身份证号码第17位为偶数表示女性；爱心妈妈是女性志愿者。

    通过：id_number 第17位是 0、2、4、6、8
    不通过：id_number 第17位是奇数
    """
    number = parsed_id(record.data)
    if number and not number.female:
        yield Problem(
            f"身份证号码 {mask_id(number.value)} 第17位是奇数，表示男性",
            "爱心妈妈应为女性；请核对身份证号码。",
            ("id_number",),
        )


@record_rule("M004", Severity.ERROR, KIND)
def age_out_of_range(record: Record, ctx: Context) -> Iterator[Problem]:
    """爱心妈妈年龄不在规定范围

    年龄按身份证上的出生日期计算到填报时间的周岁，范围见 records/programme.yaml（20至60周岁，含两端）。

    通过：出生 1985-06-12，filed_on: 2019-07-10（34周岁）
    不通过：出生 2000-08-01，filed_on: 2019-07-10（18周岁）
    """
    number = parsed_id(record.data)
    if not number:
        return
    filed = record_date(record.data["filed_on"])
    if filed is None:
        return
    age = dates.age_on(number.birth, filed)
    low, high = ctx.programme.mother_min_age, ctx.programme.mother_max_age
    if not low <= age <= high:
        yield Problem(
            f"填报时 {record.data['filed_on']} 年龄为 {age} 周岁，不在 {low} 至 {high} 周岁之间",
            "请核对身份证号码和填报时间；确有特殊情况请报市妇联研究。",
            ("id_number",),
        )


@record_rule("M005", Severity.ERROR, KIND)
def birth_differs_from_id(record: Record, ctx: Context) -> Iterator[Problem]:
    """出生年月与身份证号码不一致

    通过：birth: 1985-06，身份证第7至12位 198506
    不通过：birth: 1986-06，身份证第7至12位 198506
    """
    number = parsed_id(record.data)
    if number and record.data["birth"] != f"{number.birth:%Y-%m}":
        yield Problem(
            f"出生年月 {record.data['birth']} 与身份证号码中的出生年月 {number.birth:%Y-%m} 不一致",
            "请核对出生年月或身份证号码。",
            ("birth",),
        )


@record_rule("M006", Severity.ERROR, KIND)
def approvals_out_of_order(record: Record, ctx: Context) -> Iterator[Problem]:
    """审核顺序或日期不对

    先由县区（园区）妇联审核，再由市妇联审核；审核日期不早于填报时间，市妇联审核不早于县区审核。

    通过：filed_on 2019-07-10，county_approval 2019-07-20，city_approval 2019-07-28
    不通过：city_approval 2019-07-15 早于 county_approval 2019-07-20；或没有 county_approval 就有 city_approval
    """
    data = record.data
    county, city = data.get("county_approval"), data.get("city_approval")
    for key, approval, label in (("county_approval", county, "县区（园区）妇联"), ("city_approval", city, "市妇联")):
        if approval and approval["date"] < data["filed_on"]:
            yield Problem(
                f"{label}审核日期 {approval['date']} 早于填报时间 {data['filed_on']}",
                "请核对审核日期。",
                (key, "date"),
            )
    if city and not county:
        yield Problem(
            "有市妇联意见，但没有县区（园区）妇联意见",
            "应先由报名单位妇联审核同意，再报市妇联审核。",
            ("city_approval",),
        )
    elif city and county and city["date"] < county["date"]:
        yield Problem(
            f"市妇联审核日期 {city['date']} 早于县区（园区）妇联审核日期 {county['date']}",
            "应先由报名单位妇联审核，再由市妇联审核；请核对日期。",
            ("city_approval", "date"),
        )
    elif city and county and not is_county_approved(record.data) and city["decision"] == AGREE:
        yield Problem(
            "县区（园区）妇联意见为“不同意”，市妇联却为“同意”",
            "报名单位妇联不同意的申报不应报市妇联审核；请核对审核结论。",
            ("city_approval", "decision"),
        )


@record_rule("M007", Severity.WARNING, KIND)
def filed_outside_recruitment(record: Record, ctx: Context) -> Iterator[Problem]:
    """填报时间不在招募阶段内

    招募阶段见 records/programme.yaml（2019年7月1日至31日）。

    通过：filed_on: 2019-07-10
    不通过：filed_on: 2019-09-01
    """
    yield from outside_phase(
        ctx.programme.recruitment, record.data["filed_on"], "填报时间", ("filed_on",), "如果是阶段结束后补充招募"
    )


@record_rule("M008", Severity.WARNING, KIND)
def registered_away_from_home(record: Record, ctx: Context) -> Iterator[Problem]:
    """没有在常住地报名（就近报名）

    爱心妈妈在常住地所在的县区（园区）妇联报名；市直机关工作人员可以在本机关妇委会报名，不受此限。

    通过：文件在 records/chuanshan/，residence.unit: chuanshan
    不通过：文件在 records/chuanshan/，residence.unit: pengxi
    """
    home = record.data["residence"]["unit"]
    unit = ctx.programme.unit(record.unit)
    if home == record.unit or unit is None or unit.kind == "city" or ctx.programme.unit(home) is None:
        return
    yield Problem(
        f"常住地在{ctx.programme.unit_name(home)}，却在{unit.name}报名",
        f"按就近报名原则，应在{ctx.programme.unit_name(home)}妇联报名；如确有原因（如在工作单位附近报名），可以忽略这条警告。",
        ("residence", "unit"),
    )


@record_rule("M009", Severity.ERROR, KIND)
def unknown_residence_unit(record: Record, ctx: Context) -> Iterator[Problem]:
    """常住地单位代码不存在

    通过：residence.unit: chuanshan
    不通过：residence.unit: chuanshang
    """
    home = record.data["residence"]["unit"]
    if ctx.programme.unit(home) is None:
        yield Problem(
            f"常住地单位代码“{home}”不存在",
            "可以填写：" + "、".join(f"{u.id}（{u.name}）" for u in ctx.programme.units),
            ("residence", "unit"),
        )


@record_rule("M010", Severity.ERROR, KIND)
def mother_dates_in_future(record: Record, ctx: Context) -> Iterator[Problem]:
    """日期晚于今天

    通过：filed_on: 2019-07-10
    不通过：filed_on、审核日期或退出日期晚于今天（北京时间）
    """
    data = record.data
    places: list[tuple[FieldPath, str]] = [(("filed_on",), data["filed_on"])]
    places += [
        ((key, "date"), data[key]["date"]) for key in ("county_approval", "city_approval", "withdrawn") if key in data
    ]
    yield from after_today(places, ctx.today)
