"""Everyday ways of writing kin words, phones and dates, turned into the forms' one way."""

import pytest

from aixin.domain import everyday


@pytest.mark.parametrize(
    ("word", "canonical"),
    [("奶奶", "祖母"), ("外婆", "外祖母"), ("爷爷", "祖父"), ("外公", "外祖父"), ("姥姥", "外祖母"), (" 妈妈 ", "母亲")],
)
def test_kin_words(word, canonical):
    assert everyday.relationship(word) == canonical


def test_unknown_kin_word_is_left_alone():
    assert everyday.relationship("邻居") is None


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("138 0000 0001", "13800000001"),
        ("138-0000-0001", "13800000001"),
        ("+86 138 0000 0001", "13800000001"),
        ("１３８００００００01", "13800000001"),
        ("0825 222 3344", "0825-2223344"),
        ("(0825)2223344", "0825-2223344"),
    ],
)
def test_phones(written, stored):
    assert everyday.phone(written) == stored


@pytest.mark.parametrize("written", ["12", "138000000", "电话", "238 0000 0001"])
def test_not_a_phone(written):
    assert everyday.phone(written) is None


@pytest.mark.parametrize(
    ("written", "stored"),
    [("2019.7.5", "2019-07-05"), ("2019年7月5日", "2019-07-05"), ("2019/07/05", "2019-07-05"), ("2019年7月12号", "2019-07-12")],
)
def test_dates(written, stored):
    assert everyday.date(written) == stored


@pytest.mark.parametrize("written", ["2019-02-30", "2019年13月1日", "七月五日", "2019-07"])
def test_not_a_day(written):
    assert everyday.date(written) is None


def test_year_months():
    assert everyday.year_month("2010年3月") == "2010-03"
    assert everyday.year_month("2010.3") == "2010-03"
    assert everyday.year_month("2010年13月") is None


def test_day_shape_keeps_an_impossible_day_for_the_schema_to_name():
    assert everyday.day_shape("2019/2/30") == "2019-02-30" and everyday.date("2019/2/30") is None
    assert everyday.day_shape("2019年7月5日") == "2019-07-05" and everyday.day_shape("2019-07") is None


@pytest.mark.parametrize(("written", "code"), [("船山区", "chuanshan"), ("船山", "chuanshan"), ("射洪县", "shehong"), ("市直", "shizhi")])
def test_unit_names(written, code):
    from aixin.domain.programme import Unit

    units = (Unit("shizhi", "市直", "city", 220), Unit("chuanshan", "船山区", "county", 120), Unit("shehong", "射洪市", "county", 120))
    assert everyday.unit(written, units) == code
    assert everyday.unit("示例区", units) is None


def test_sichuan_kin_words():
    assert (everyday.relationship("嘎婆"), everyday.relationship("婆婆")) == ("外祖母", "祖母")
