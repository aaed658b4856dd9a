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
