"""The yearly review (domain.annual) on a small hand-made programme whose figures were counted by
hand (the counts are written out next to each assertion), the criteria's boundaries, ties at the
cut of the places, and the year's words. Every date is fixed here: nothing reads the clock.

The fixture, programme year 2019-2020 (2019-08-01 to 2020-07-31), reviewed as of 2020-12-01:
- chuanshan-m-aaaa: paired 2019-08-01 with chuanshan-g-aaaa; a phone call with the girl and her
  guardian on the 10th of Aug 2019 … Jun 2020 (11 months), 互认互知 08-05, 家访 2019-10-20,
  节日陪伴 2020-01-25, 访老师 2019-11-05 and 2020-04-10, 访监护人 2020-05-15: 17 logs.
- chuanshan-m-bbbb: paired 2019-09-01 with chuanshan-g-bbbb; the same from September (10 months):
  16 logs, nothing owed on 2020-07-31 (August was never hers).
- chuanshan-m-cccc: approved, never paired. chuanshan-m-dddd: waiting for the city (not reviewed).
  chuanshan-m-wwww: withdrew 2019-07-20, before the year (not reviewed).
- anju-m-eeee: paired 2019-08-01, ended 2020-01-20 (父母返乡); calls with the girl only,
  Aug … Dec 2019 (5 logs), no first meeting, no guardian contact, no 双访.
- girls on file: chuanshan gaaaa, gbbbb, gxxxx (unpaired), gfutr (filed 2020-09-01: not yet at the
  year's end); anju geeee.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import marshal

import pytest

from aixin.domain import care
from aixin.domain.annual import (
    BEYOND,
    BORDERLINE,
    CANDIDATE,
    TIED,
    MotherYear,
    candidates,
    index_of_row,
    parse_year,
    review,
    review_of_row,
    reviews,
    to_row,
    year_of,
    years_on_record,
)
from aixin.domain.programme import ReviewRules, from_data
from aixin.domain.records import Record, RecordIndex
from aixin.load.loader import load_file
from conftest import REPO

PROGRAMME = from_data(load_file(REPO / "records/programme.yaml", "records/programme.yaml").data)
D = dt.date.fromisoformat
AS_OF = D("2020-12-01")
APPROVED = {"decision": "同意", "date": "2019-07-25"}


def add(index: RecordIndex, record: Record) -> Record:
    index.add(record)
    return record


def mother(index, unit, suffix, **data):
    base = {"name": f"示例{suffix}", "county_approval": APPROVED, "city_approval": APPROVED}
    rid = f"{unit}-m-{suffix}"
    return add(index, Record("mother", unit, rid, f"records/{unit}/mothers/{rid}.yaml", {**base, **data}))


def girl(index, unit, suffix, filed="2019-07-01"):
    rid = f"{unit}-g-{suffix}"
    return add(index, Record("girl", unit, rid, f"records/{unit}/girls/{rid}.yaml", {"survey_date": filed}))


def pairing(index, unit, suffix, started, ended=None, reason=None):
    data = {"mother": f"{unit}-m-{suffix}", "girl": f"{unit}-g-{suffix}", "status": "进行中", "started_on": started}
    if ended:
        data.update(status="已结束", ended_on=ended, end_reason=reason)
    rid = f"{unit}-p-{suffix}"
    return add(index, Record("pairing", unit, rid, f"records/{unit}/pairings/{rid}.yaml", data))


def log(index, of, day, kind="电话", with_=("女童", "临时监护人")):
    rid = f"{of.unit}-l-{day.replace('-', '')}{len(index.records)}"
    data = {"pairing": of.id, "date": day, "kind": kind, "with": list(with_)}
    return add(index, Record("log", of.unit, rid, f"records/{of.unit}/logs/{of.id}/{rid}.yaml", data))


def monthly(index, of, months, **kw):
    for year, month in months:
        log(index, of, f"{year}-{month:02d}-10", **kw)


def months(first, last):
    """(year, month) from `first` to `last`, both "YYYY-MM"."""
    y, m = map(int, first.split("-"))
    out = []
    while f"{y}-{m:02d}" <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def visits(index, p, first_meeting, home, festival):
    log(index, p, first_meeting, "互认互知", ("女童",))
    log(index, p, home, "家访")
    log(index, p, festival, "节日陪伴", ("女童",))
    log(index, p, "2019-11-05", "访老师", ("老师",))
    log(index, p, "2020-04-10", "访老师", ("老师",))
    log(index, p, "2020-05-15", "访监护人", ("临时监护人",))


@pytest.fixture(scope="module")
def index():
    ix = RecordIndex()
    for suffix in ("aaaa", "bbbb", "xxxx"):
        girl(ix, "chuanshan", suffix)
    girl(ix, "chuanshan", "futr", filed="2020-09-01")
    girl(ix, "anju", "eeee")
    for suffix in ("aaaa", "bbbb", "cccc"):
        mother(ix, "chuanshan", suffix)
    mother(ix, "chuanshan", "dddd", city_approval=None)
    mother(ix, "chuanshan", "wwww", withdrawn={"date": "2019-07-20"})
    mother(ix, "anju", "eeee")
    a = pairing(ix, "chuanshan", "aaaa", "2019-08-01")
    monthly(ix, a, months("2019-08", "2020-06"))
    visits(ix, a, "2019-08-05", "2019-10-20", "2020-01-25")
    b = pairing(ix, "chuanshan", "bbbb", "2019-09-01")
    monthly(ix, b, months("2019-09", "2020-06"))
    visits(ix, b, "2019-09-03", "2019-12-01", "2019-10-01")
    e = pairing(ix, "anju", "eeee", "2019-08-01", ended="2020-01-20", reason="父母返乡")
    monthly(ix, e, months("2019-08", "2019-12"), with_=("女童",))
    log(ix, a, "2020-08-10")  # the next year's: not counted in 2019-2020
    return ix


@pytest.fixture(scope="module")
def year_review(index):
    return review(index, PROGRAMME, parse_year("2019-2020", PROGRAMME), AS_OF)


def of(result, mother_id):
    return next(m for m in result.mothers if m.mother_id == mother_id)


# ---------------------------------------------------------------- the year's words


def test_a_programme_year_is_written_first_year_dash_second():
    year = parse_year("2019-2020", PROGRAMME)
    assert (year.label, year.start, year.end) == ("2019-2020", D("2019-08-01"), D("2020-07-31"))
    assert parse_year(" 2020－2021 ", PROGRAMME).start == D("2020-08-01")
    assert year_of(D("2020-07-31"), PROGRAMME) == year
    assert year_of(D("2020-08-01"), PROGRAMME).label == "2020-2021"


@pytest.mark.parametrize(
    ("text", "words"),
    [("2019", "起始年-结束年"), ("2019-2021", "相差一年"), ("2018-2019", "活动启动"), ("", "起始年-结束年")],
)
def test_a_bad_year_is_refused_in_chinese(text, words):
    with pytest.raises(ValueError, match=words):
        parse_year(text, PROGRAMME)


def test_the_years_on_record_run_from_the_launch_to_the_as_of_day():
    years = years_on_record(PROGRAMME, D("2021-08-01"))
    assert [y.label for y in years] == ["2019-2020", "2020-2021", "2021-2022"]
    assert years_on_record(PROGRAMME, D("2019-07-01")) == ()


# ---------------------------------------------------------------- the figures, counted by hand


def test_the_review_day_is_the_years_end_when_it_is_over(year_review, index):
    assert year_review.as_of == D("2020-07-31")
    running = review(index, PROGRAMME, parse_year("2020-2021", PROGRAMME), D("2020-12-01"))
    assert running.as_of == D("2020-12-01")


def test_only_the_mothers_approved_and_not_withdrawn_before_the_year_are_reviewed(year_review):
    assert [m.mother_id for m in year_review.mothers] == [
        "chuanshan-m-aaaa",
        "chuanshan-m-bbbb",
        "chuanshan-m-cccc",
        "anju-m-eeee",
    ]


def test_a_mother_with_eleven_months_and_every_period_met(year_review):
    a = of(year_review, "chuanshan-m-aaaa")
    assert (a.girls, a.contacts, a.months_covered, a.months_active) == (1, 17, 11, 12)
    assert a.by_kind == {"互认互知": 1, "家访": 1, "节日陪伴": 1, "电话": 11, "访老师": 2, "访监护人": 1}
    assert (a.home_visits, a.festivals, a.double_visits) == (1, 1, 3)
    # owed and met: first meeting 1, monthly 11 (Aug–Jun), guardian 11, the two terms' 访老师 2 and
    # 访临时监护人 2 (the 家访 of October counts for the autumn); the year itself ends on the review day.
    assert a.obligations_met == 1.0
    assert not a.open_followup


def test_a_mother_paired_in_september_covers_ten_months_and_owes_nothing(year_review):
    b = of(year_review, "chuanshan-m-bbbb")
    assert (b.girls, b.contacts, b.months_covered, b.months_active) == (1, 16, 10, 11)
    assert b.obligations_met == 1.0 and not b.open_followup


def test_an_ended_pairing_counts_its_months_and_what_it_missed(year_review):
    e = of(year_review, "anju-m-eeee")
    assert (e.girls, e.contacts, e.months_covered, e.months_active) == (1, 5, 5, 6)
    # owed 13: first meeting 1, monthly Aug–Dec 5, guardian 5, autumn term 2 (4 of its 5 months); met 5.
    assert e.obligations_met == pytest.approx(5 / 13)
    assert not e.open_followup  # no longer in progress on the review day: not on the 待跟进 page


def test_a_mother_never_paired_has_nothing(year_review):
    c = of(year_review, "chuanshan-m-cccc")
    assert (c.girls, c.contacts, c.months_covered, c.months_active, c.obligations_met) == (0, 0, 0, 0, None)


def test_the_units_and_the_city_totals(year_review):
    chuanshan, anju = (next(u for u in year_review.units if u.unit == x) for x in ("chuanshan", "anju"))
    assert (chuanshan.mothers, chuanshan.girls_on_file, chuanshan.girls_paired, chuanshan.pairings) == (3, 3, 2, 2)
    assert (chuanshan.contacts, chuanshan.home_visits, chuanshan.festivals, chuanshan.double_visits) == (33, 2, 2, 6)
    assert chuanshan.by_kind["电话"] == 21 and chuanshan.ended_by_reason == {}
    assert chuanshan.obligations_met == 1.0
    assert (anju.mothers, anju.girls_on_file, anju.girls_paired, anju.pairings, anju.contacts) == (1, 1, 1, 1, 5)
    assert anju.ended_by_reason == {"父母返乡": 1}
    city = year_review.city
    assert (city.unit, city.mothers, city.girls_on_file, city.girls_paired, city.pairings) == ("city", 4, 4, 3, 3)
    assert (city.contacts, city.home_visits, city.festivals, city.double_visits) == (38, 2, 2, 6)
    assert city.obligations_met == pytest.approx(57 / 65)  # 52 of 52 and 5 of 13
    assert city.ended_by_reason == {"父母返乡": 1}
    shehong = next(u for u in year_review.units if u.unit == "shehong")
    assert (shehong.mothers, shehong.pairings, shehong.obligations_met) == (0, 0, None)


def test_the_first_year_has_no_previous_and_the_second_compares_with_it(year_review, index):
    assert year_review.previous == ()
    second = review(index, PROGRAMME, parse_year("2020-2021", PROGRAMME), D("2021-08-15"))
    assert second.previous[-1] == year_review.city
    assert second.previous_of("anju").ended_by_reason == {"父母返乡": 1}
    assert second.city.contacts == 1 and second.city.pairings == 2  # a's call of 2020-08-10; a and b go on


def test_the_reviews_of_several_years_are_each_years_own_review(index):
    # The site asks for every year at once (domain.annual.reviews, each year's figures made once and
    # reused as the next year's year before): the same reviews as asked one by one.
    years = years_on_record(PROGRAMME, D("2022-03-01"))
    together = reviews(index, PROGRAMME, years, D("2022-03-01"))
    assert list(together) == [y.label for y in years] == ["2019-2020", "2020-2021", "2021-2022"]
    for year in years:
        assert together[year.label] == review(index, PROGRAMME, year, D("2022-03-01")), year.label
    assert together["2020-2021"].previous[-1] == together["2019-2020"].city
    # Newest first: a year first made only as the year before (without what each mother still
    # owes) is made again in full when it is asked for itself.
    backwards = reviews(index, PROGRAMME, tuple(reversed(years)), D("2022-03-01"))
    assert {label: backwards[label] for label in together} == together


# ---------------------------------------------------------------- the candidates


def test_exactly_eleven_months_is_a_candidate_and_ten_is_borderline(year_review):
    standing = {c.mother_id: c for c in year_review.candidates}
    assert standing["chuanshan-m-aaaa"].standing == CANDIDATE
    b = standing["chuanshan-m-bbbb"]
    assert b.standing == BORDERLINE
    assert [(c.key, c.value) for c in b.missed] == [("months_covered", "10 个月")]
    assert "anju-m-eeee" not in standing and "chuanshan-m-cccc" not in standing
    assert [c.mother_id for c in year_review.candidates] == ["chuanshan-m-aaaa", "chuanshan-m-bbbb"]
    assert year_review.criteria == (
        "至少 11 个月与女童有联系",
        "至少家访 1 次",
        "至少陪女童过 1 个节日",
        "年度结束时没有待跟进事项",
    )


def _mother(suffix, months_covered=11, share=1.0, contacts=20, **kw):
    base = {"mother_id": f"chuanshan-m-{suffix}", "unit": "chuanshan", "girls": 1, "contacts": contacts, "by_kind": {}}
    base.update(months_covered=months_covered, months_active=12, home_visits=1, festivals=1, double_visits=2)
    return MotherYear(**{**base, "obligations_met": share, "open_followup": False, **kw})


def test_nine_months_is_too_far_to_be_borderline_and_two_misses_too_many():
    rules = ReviewRules()
    listed = candidates([_mother("m009", 9), _mother("m010", 10, home_visits=0), _mother("m10b", 10)], rules)
    assert [(c.mother_id, c.standing) for c in listed] == [("chuanshan-m-m10b", BORDERLINE)]


def test_a_single_missed_visit_or_open_followup_is_borderline_with_what_is_missing():
    listed = candidates([_mother("nohv", home_visits=0), _mother("open", open_followup=True)], ReviewRules())
    assert [(c.standing, [m.key for m in c.missed]) for c in listed] == [
        (BORDERLINE, ["home_visits"]),
        (BORDERLINE, ["no_open_followup"]),
    ]
    assert listed[1].missed[0].value == "有待跟进事项"


def test_ties_at_the_cut_of_the_places_are_all_listed_as_tied():
    mothers = [
        _mother("best", 12),
        _mother("tie1", 11),
        _mother("tie2", 11),
        _mother("tie3", 11),
        _mother("last", 11, 0.5),
    ]
    listed = candidates(mothers, ReviewRules(places=2))
    assert [(c.mother_id[-4:], c.standing) for c in listed] == [
        ("best", CANDIDATE),
        ("tie1", TIED),
        ("tie2", TIED),
        ("tie3", TIED),
        ("last", BEYOND),
    ]


def test_no_tie_when_the_cut_falls_between_two_ranks():
    listed = candidates([_mother("one", 12), _mother("two", 11), _mother("thre", 11, 0.9)], ReviewRules(places=2))
    assert [c.standing for c in listed] == [CANDIDATE, CANDIDATE, BEYOND]
    assert [c.standing for c in candidates([_mother("one"), _mother("two")], ReviewRules(places=5))] == [CANDIDATE] * 2


def test_a_completion_criterion_when_the_programme_sets_one():
    rules = ReviewRules(obligations_met=90)
    listed = candidates([_mother("hi00", share=0.9), _mother("lo00", share=0.85), _mother("none", share=None)], rules)
    assert [(c.mother_id[-4:], c.standing) for c in listed] == [
        ("hi00", CANDIDATE),
        ("lo00", BORDERLINE),
        ("none", BORDERLINE),
    ]
    assert [c.missed[0].value for c in listed[1:]] == ["85%", "没有应完成的任务"]


def test_the_programme_file_sets_the_criteria_and_an_older_file_gets_the_defaults():
    assert PROGRAMME.review == ReviewRules()
    data = load_file(REPO / "records/programme.yaml", "records/programme.yaml").data
    older = from_data({k: v for k, v in data.items() if k != "review"})
    assert older.review == ReviewRules()
    custom = from_data({**data, "review": {"criteria": {"months_covered": 10}, "places": 3}})
    assert (custom.review.months_covered, custom.review.places, custom.review.home_visits) == (10, 3, 1)


# ---------------------------------------------------------------- commendations and trainings (core's records)


@pytest.fixture(scope="module")
def city_index(index):
    """The index with the city's commendations and a training."""
    ix = dataclasses.replace(index, records=list(index.records), by_kind={k: list(v) for k, v in index.by_kind.items()})
    city = "records/city"
    commendation = {"year": "2019-2020", "mother": "chuanshan-m-aaaa", "title": "优秀爱心妈妈"}
    commendation.update(awarded_by="遂宁市妇女联合会", date="2020-09-10")
    add(ix, Record("commendation", "city", "city-c-aaaa", f"{city}/commendations/city-c-aaaa.yaml", commendation))
    later = {**commendation, "mother": "anju-m-eeee", "date": "2021-01-10"}  # after the as-of day
    add(ix, Record("commendation", "city", "city-c-late", f"{city}/commendations/city-c-late.yaml", later))
    other = {**commendation, "year": "2020-2021", "mother": "chuanshan-m-bbbb"}
    add(ix, Record("commendation", "city", "city-c-next", f"{city}/commendations/city-c-next.yaml", other))
    training = {"date": "2020-07-15", "topic": "家庭教育与心理沟通", "place": "遂宁市妇女儿童活动中心"}
    training.update(organiser="遂宁市妇女联合会", invited=["chuanshan-m-aaaa", "chuanshan-m-bbbb"])
    training["attended"] = ["chuanshan-m-aaaa", "anju-m-eeee"]
    add(ix, Record("training", "city", "city-t-aaaa", f"{city}/trainings/city-t-aaaa.yaml", training))
    return ix


@pytest.fixture(scope="module")
def with_city(city_index):
    return review(city_index, PROGRAMME, parse_year("2019-2020", PROGRAMME), AS_OF)


def test_the_years_commendations_dated_by_the_as_of_day(with_city):
    assert [(c.record_id, c.unit, c.date) for c in with_city.commendations] == [
        ("city-c-aaaa", "chuanshan", D("2020-09-10"))
    ]
    assert of(with_city, "chuanshan-m-aaaa").commendations == ("优秀爱心妈妈",)
    assert of(with_city, "chuanshan-m-bbbb").commendations == ()
    assert [u.commendations for u in with_city.units[:2]] == [0, 1]  # shizhi, chuanshan
    assert with_city.city.commendations == 1


def test_a_mother_who_attended_counts_as_invited(with_city):
    (training,) = with_city.trainings
    assert training.invited == ("chuanshan-m-aaaa", "chuanshan-m-bbbb", "anju-m-eeee")
    a, b, e = (of(with_city, m) for m in ("chuanshan-m-aaaa", "chuanshan-m-bbbb", "anju-m-eeee"))
    assert [(m.trainings_invited, m.trainings_attended) for m in (a, b, e)] == [(1, 1), (1, 0), (1, 1)]
    assert (with_city.city.trainings_invited, with_city.city.trainings_attended) == (3, 2)


def test_a_units_review_holds_its_own_mothers_only(with_city):
    anju = with_city.of_unit("anju")
    assert [m.mother_id for m in anju.mothers] == ["anju-m-eeee"]
    assert [u.unit for u in anju.units] == ["anju"] and anju.city.unit == "city" and anju.city.contacts == 5
    assert anju.commendations == () and anju.candidates == ()
    (training,) = anju.trainings
    assert (training.invited, training.attended) == (("anju-m-eeee",), ("anju-m-eeee",))
    chuanshan = with_city.of_unit("chuanshan")
    assert [c.mother_id for c in chuanshan.candidates] == ["chuanshan-m-aaaa", "chuanshan-m-bbbb"]
    assert chuanshan.trainings[0].attended == ("chuanshan-m-aaaa",)


# ---------------------------------------------------------------- care's year-scoped counts agree with care


@pytest.mark.parametrize("day", ["2019-08-31", "2019-10-01", "2020-01-20", "2020-03-15", "2020-07-31", "2021-02-01"])
def test_the_parsed_logs_owe_what_assess_pairing_owes(index, day):
    as_of = D(day)
    for p in index.valid("pairing"):
        logs = index.logs_of_pairing.get(p.id, [])
        parsed = care.LogDays(logs, PROGRAMME)
        assert care.overdue_days(p, parsed, PROGRAMME, as_of) == care.assess_pairing(p, logs, PROGRAMME, as_of).overdue
        # the months of all logs give the same tally as the days up to the as-of day
        window = (D("2019-08-01"), D("2020-07-31"))
        without = care.LogDays(logs, PROGRAMME)
        without.months = {}
        assert care.tally_days(p, parsed, PROGRAMME, window, as_of) == care.tally_days(
            p, without, PROGRAMME, window, as_of
        )


# ---------------------------------------------------------------- the check's cached figures


@pytest.mark.parametrize("as_of", ["2020-12-01", "2020-07-31", "2020-01-20", "2019-08-01"])
def test_the_checks_plain_figures_give_the_same_review_for_every_year_and_unit(city_index, as_of):
    """What the check caches (to_row, through marshal as the cache stores it) reviews every year on
    record exactly as the logs do: the report reads no log."""
    day = D(as_of)
    # as the check makes them: with what the care figures say each pairing owes that day
    owing = {p.pairing_id: p.overdue for p in care.assess(city_index, PROGRAMME, day).pairings}
    for made in (to_row(city_index, PROGRAMME, day), to_row(city_index, PROGRAMME, day, owing)):
        row = marshal.loads(marshal.dumps(made))
        small = index_of_row(row)
        assert not small.by_kind["log"]
        for year in years_on_record(PROGRAMME, day):
            expected = review(city_index, PROGRAMME, year, day)
            assert review_of_row(row, small, PROGRAMME, year, day) == expected
            for unit in ("chuanshan", "anju"):
                assert review_of_row(row, small, PROGRAMME, year, day).of_unit(unit) == expected.of_unit(unit)
    assert small.get("chuanshan-m-aaaa", "mother").data["name"] == "示例aaaa"


def test_the_plain_figures_are_of_their_own_day_only(index):
    row = to_row(index, PROGRAMME, AS_OF)
    with pytest.raises(ValueError, match="2020-12-01"):
        review_of_row(row, index_of_row(row), PROGRAMME, parse_year("2019-2020", PROGRAMME), D("2020-12-02"))
