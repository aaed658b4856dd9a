"""GB 11643 resident ID numbers: check digit, birth date, sex and the spellings people type."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from aixin.core.idnumber import IdNumberError, check_digit, make, normalise, parse

# The textbook example from GB 11643-1999 itself (a woman born 31 Dec 1949 in Beijing's Chaoyang).
TEXTBOOK = "11010519491231002X"


def expected_check(first17: str) -> str:
    """The check character computed from the standard's definition, not from the module's tables.

    Weight of position i (1-based from the left) is 2^(18-i) mod 11; the check value a1 satisfies
    (sum + a1) ≡ 1 (mod 11), and a1 = 10 is written X.
    """
    total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(first17))
    a1 = (12 - total % 11) % 11
    return "X" if a1 == 10 else str(a1)


def with_check(first17: str) -> str:
    return first17 + expected_check(first17)


class TestCheckDigit:
    def test_textbook_example(self):
        assert check_digit(TEXTBOOK[:17]) == "X"
        assert expected_check(TEXTBOOK[:17]) == "X"

    @pytest.mark.parametrize("first17, check", [
        ("11010519491231002", "X"),
        ("51090319850612002", "1"),   # the example mother record's (fictional) number
        ("00000000000000000", "1"),   # sum 0 → check value 1
    ])
    def test_known_values(self, first17, check):
        assert check_digit(first17) == check

    def test_agrees_with_the_standard_on_many_numbers(self):
        rng = random.Random(11643)
        seen = set()
        for _ in range(2000):
            first17 = "".join(rng.choice("0123456789") for _ in range(17))
            assert check_digit(first17) == expected_check(first17)
            seen.add(check_digit(first17))
        assert seen == set("0123456789X")  # every check character occurs, X included


class TestNormalise:
    @pytest.mark.parametrize("raw", [
        "11010519491231002x",                      # lower-case x
        "１１０１０５１９４９１２３１００２Ｘ",      # full-width digits and X
        "１１０１０５１９４９１２３１００２ｘ",      # full-width lower-case x
        "  11010519491231002X\n",                  # stray whitespace around
    ])
    def test_canonical_spelling(self, raw):
        assert normalise(raw) == TEXTBOOK
        assert parse(normalise(raw)).value == TEXTBOOK

    def test_already_canonical(self):
        assert normalise(TEXTBOOK) == TEXTBOOK


class TestParse:
    def test_textbook_example(self):
        n = parse(TEXTBOOK)
        assert n.value == TEXTBOOK
        assert n.birth == dt.date(1949, 12, 31)
        assert n.female  # 17th digit 2 is even

    def test_male(self):
        number = with_check("51090319850612001")  # 17th digit 1 is odd
        assert not parse(number).female

    @pytest.mark.parametrize("digit, female", [(str(d), d % 2 == 0) for d in range(10)])
    def test_sex_from_seventeenth_digit(self, digit, female):
        number = with_check("5109031985061200" + digit)
        assert parse(number).female is female

    def test_wrong_check_digit(self):
        wrong = TEXTBOOK[:17] + "1"
        with pytest.raises(IdNumberError, match="校验码") as e:
            parse(wrong)
        assert e.value.reason == str(e.value)

    def test_one_digit_miscopied(self):
        good = with_check("51090319850612002")
        miscopied = good[:3] + ("1" if good[3] != "1" else "2") + good[4:]
        with pytest.raises(IdNumberError, match="校验码"):
            parse(miscopied)

    def test_impossible_date(self):
        number = with_check("510903" + "19900230" + "002")
        with pytest.raises(IdNumberError, match="19900230"):
            parse(number)

    def test_29_february(self):
        assert parse(with_check("510903" + "20000229" + "002")).birth == dt.date(2000, 2, 29)
        with pytest.raises(IdNumberError, match="19000229"):  # 1900 was not a leap year
            parse(with_check("510903" + "19000229" + "002"))

    def test_future_birth(self):
        number = with_check("510903" + "20300101" + "002")
        with pytest.raises(IdNumberError, match="今天之后"):
            parse(number, today=dt.date(2020, 7, 31))
        assert parse(number).birth == dt.date(2030, 1, 1)  # no today given: not checked

    def test_born_today_is_not_future(self):
        number = with_check("510903" + "20200731" + "002")
        assert parse(number, today=dt.date(2020, 7, 31)).birth == dt.date(2020, 7, 31)

    def test_before_1900(self):
        with pytest.raises(IdNumberError, match="1900"):
            parse(with_check("510903" + "18991231" + "002"))

    @pytest.mark.parametrize("value", [
        TEXTBOOK[:17],                 # 17 characters
        TEXTBOOK + "1",                # 19 characters
        "110105491231002",             # an old 15-digit number
        "",
        "11010519491231X02X",          # X only at the end
        "1101051949123100AX",
        "11010519491231002x",          # parse wants the canonical spelling
        "１１０１０５１９４９１２３１００２Ｘ",
        "11010519491231002Y",
    ])
    def test_wrong_shape(self, value):
        with pytest.raises(IdNumberError, match="18位"):
            parse(value)


class TestMake:
    def test_round_trip(self):
        number = make("510903", dt.date(1985, 6, 12), 2)
        assert number == "510903198506120021"
        n = parse(number)
        assert n.birth == dt.date(1985, 6, 12)
        assert n.female

    def test_odd_sequence_is_male(self):
        assert not parse(make("510904", dt.date(1970, 1, 1), 137)).female

    def test_every_made_number_is_valid(self):
        rng = random.Random(7)
        for _ in range(500):
            birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
            number = make(rng.choice(["510903", "510904", "510981"]), birth, rng.randrange(1000))
            assert parse(number).birth == birth
            assert number[17] == expected_check(number[:17])
