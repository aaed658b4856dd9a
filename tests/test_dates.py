"""Ages, month arithmetic and Beijing "today": the bounds the programme's rules depend on."""

from __future__ import annotations

import datetime as dt

import pytest

from aixin.core import dates
from aixin.core.dates import (
    add_months,
    age_on,
    age_range_from_year_month,
    beijing_today,
    month_bounds,
    months_between_at_least,
    parse_date,
    parse_year_month,
)

D = dt.date


class TestParse:
    @pytest.mark.parametrize("text, expected", [
        ("2019-07-05", D(2019, 7, 5)),
        ("2020-02-29", D(2020, 2, 29)),
    ])
    def test_iso_dates(self, text, expected):
        assert parse_date(text) == expected

    @pytest.mark.parametrize("text", [
        "2019-02-29",      # not a leap year
        "2019-7-5",        # month and day must have two digits
        "20190705",        # fromisoformat accepts this; the records must not
        "2019-W01-1",
        "2019-07-05T00:00",
        " 2019-07-05",
        "２０１９-07-05",   # full-width digits
        "",
        None,
        D(2019, 7, 5),     # a date object is not a record's text
    ])
    def test_rejects_other_spellings(self, text):
        assert parse_date(text) is None

    def test_year_month(self):
        assert parse_year_month("2010-03") == (2010, 3)
        assert parse_year_month("2010-12") == (2010, 12)

    @pytest.mark.parametrize("text", ["2010-13", "2010-00", "2010-3", "2010-03-01", "201003", "", None, 201003])
    def test_year_month_rejects(self, text):
        assert parse_year_month(text) is None

    def test_month_bounds(self):
        assert month_bounds(2020, 2) == (D(2020, 2, 1), D(2020, 2, 29))
        assert month_bounds(2019, 2) == (D(2019, 2, 1), D(2019, 2, 28))
        assert month_bounds(2019, 12) == (D(2019, 12, 1), D(2019, 12, 31))


class TestAge:
    birth = D(2007, 7, 10)

    @pytest.mark.parametrize("on, age", [
        (D(2019, 7, 9), 11),   # the day before the 12th birthday
        (D(2019, 7, 10), 12),  # the birthday itself
        (D(2019, 7, 11), 12),
        (D(2020, 7, 9), 12),   # still 12 the day before turning 13
        (D(2020, 7, 10), 13),
    ])
    def test_twelfth_birthday(self, on, age):
        assert age_on(self.birth, on) == age

    @pytest.mark.parametrize("on, age", [
        (D(2019, 2, 28), 10),  # common year: 29 February has not come yet
        (D(2019, 3, 1), 11),   # ... so she turns 11 on 1 March
        (D(2020, 2, 28), 11),
        (D(2020, 2, 29), 12),  # leap year: on the day itself
        (D(2020, 3, 1), 12),
    ])
    def test_born_29_february(self, on, age):
        assert age_on(D(2008, 2, 29), on) == age

    def test_born_on_first_of_month(self):
        birth = D(2010, 3, 1)
        assert age_on(birth, D(2019, 2, 28)) == 8
        assert age_on(birth, D(2019, 3, 1)) == 9

    def test_born_on_first_of_january(self):
        birth = D(2010, 1, 1)
        assert age_on(birth, D(2018, 12, 31)) == 8
        assert age_on(birth, D(2019, 1, 1)) == 9

    @pytest.mark.parametrize("on, age", [
        (D(2019, 6, 11), 59),
        (D(2019, 6, 12), 60),  # 60 is still inside 20–60
        (D(2020, 6, 11), 60),
        (D(2020, 6, 12), 61),
    ])
    def test_sixtieth_birthday(self, on, age):
        assert age_on(D(1959, 6, 12), on) == age

    def test_before_birth_is_negative(self):
        assert age_on(D(2020, 5, 1), D(2020, 3, 1)) == -1
        assert age_on(D(2020, 5, 1), D(2020, 5, 1)) == 0


class TestAgeRange:
    def test_unambiguous_outside_the_birth_month(self):
        assert age_range_from_year_month(2010, 3, D(2019, 7, 5)) == (9, 9)
        assert age_range_from_year_month(2010, 3, D(2019, 2, 5)) == (8, 8)

    def test_ambiguous_inside_the_birth_month(self):
        # born some day in July 2007: on 15 July 2019 she is 11 (born after the 15th) or 12
        assert age_range_from_year_month(2007, 7, D(2019, 7, 15)) == (11, 12)
        assert age_range_from_year_month(2006, 7, D(2019, 7, 15)) == (12, 13)

    def test_month_edges(self):
        assert age_range_from_year_month(2007, 7, D(2019, 7, 1)) == (11, 12)
        assert age_range_from_year_month(2007, 7, D(2019, 7, 31)) == (12, 12)
        assert age_range_from_year_month(2007, 7, D(2019, 6, 30)) == (11, 11)

    def test_february_of_a_leap_year(self):
        # last possible day is 29 February: not yet 10 on 28 February 2018
        assert age_range_from_year_month(2008, 2, D(2018, 2, 28)) == (9, 10)
        assert age_range_from_year_month(2008, 2, D(2018, 3, 1)) == (10, 10)


class TestMonths:
    @pytest.mark.parametrize("start, n, end", [
        (D(2019, 1, 15), 6, D(2019, 7, 15)),
        (D(2019, 8, 31), 6, D(2020, 2, 29)),
        (D(2018, 8, 31), 6, D(2019, 2, 28)),
        (D(2019, 12, 31), 2, D(2020, 2, 29)),
        (D(2019, 3, 31), -1, D(2019, 2, 28)),
        (D(2019, 7, 5), 0, D(2019, 7, 5)),
    ])
    def test_add_months(self, start, n, end):
        assert add_months(start, n) == end

    def test_exactly_six_months_counts(self):
        assert months_between_at_least(D(2019, 1, 15), D(2019, 7, 15), 6)

    def test_one_day_short(self):
        assert not months_between_at_least(D(2019, 1, 15), D(2019, 7, 14), 6)

    def test_more_than_six_months(self):
        assert months_between_at_least(D(2018, 2, 20), D(2019, 7, 5), 6)

    def test_month_end_clipping(self):
        assert months_between_at_least(D(2019, 8, 31), D(2020, 2, 29), 6)
        assert not months_between_at_least(D(2019, 8, 31), D(2020, 2, 28), 6)

    def test_end_before_start(self):
        assert not months_between_at_least(D(2019, 7, 5), D(2019, 1, 5), 6)


class TestToday:
    def test_override(self, monkeypatch):
        monkeypatch.setenv(dates.TODAY_ENV, "2020-06-15")
        assert beijing_today() == D(2020, 6, 15)

    def test_override_must_be_a_date(self, monkeypatch):
        monkeypatch.setenv(dates.TODAY_ENV, "2020-6-15")
        with pytest.raises(ValueError, match="AIXIN_TODAY"):
            beijing_today()

    def test_empty_override_means_real_today(self, monkeypatch):
        monkeypatch.setenv(dates.TODAY_ENV, "")
        now = dt.datetime.now(dates.BEIJING).date()
        assert beijing_today() in (now, now + dt.timedelta(days=1))

    def test_beijing_not_utc(self, monkeypatch):
        # 2019-07-31 20:00 UTC is already 1 August in Beijing
        monkeypatch.delenv(dates.TODAY_ENV, raising=False)

        class FakeDateTime(dt.datetime):
            @classmethod
            def now(cls, tz=None):
                return dt.datetime(2019, 7, 31, 20, 0, tzinfo=dt.UTC).astimezone(tz)

        monkeypatch.setattr(dates.dt, "datetime", FakeDateTime)
        assert beijing_today() == D(2019, 8, 1)
