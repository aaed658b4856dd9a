"""The care figures (domain.care): which obligations of the notice a pairing met or owes as of a
date, the calendar's edges, a small hand-made programme whose figures are counted by hand, and
the approval queue. Every date is fixed here: nothing reads the clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from jsonschema import Draft202012Validator

from aixin.domain.care import CITY, approval_queue, assess, assess_pairing
from aixin.domain.programme import OBLIGATION_KEYS, from_data
from aixin.domain.records import Record, RecordIndex
from aixin.load.loader import load_file
from conftest import REPO

PROGRAMME = from_data(load_file(REPO / "records/programme.yaml", "records/programme.yaml").data)
D = dt.date.fromisoformat


def pairing(suffix: str, started: str, unit: str = "chuanshan", status: str = "进行中", ended: str | None = None):
    data = {"mother": f"{unit}-m-{suffix}", "girl": f"{unit}-g-{suffix}", "status": status, "started_on": started}
    if ended:
        data["ended_on"] = ended
    return Record("pairing", unit, f"{unit}-p-{suffix}", f"records/{unit}/pairings/{unit}-p-{suffix}.yaml", data)


def log(of: Record, day: str, kind: str = "电话", with_=("女童", "临时监护人"), **extra):
    data = {"pairing": of.id, "date": day, "kind": kind, "with": list(with_), **extra}
    return Record("log", of.unit, f"{of.unit}-l-{day.replace('-', '')}{kind}", f"{of.id}/{day}.yaml", data)


def monthly(of: Record, first: str, last: str, day: int = 10, **kw):
    """A phone call with the girl and her guardian on `day` of every month from `first` to `last`."""
    year, month = map(int, first.split("-"))
    logs = []
    while f"{year}-{month:02d}" <= last:
        logs.append(log(of, f"{year}-{month:02d}-{day:02d}", **kw))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return logs


def duty(p: Record, logs, as_of: str, key: str, programme=PROGRAMME):
    return assess_pairing(p, logs, programme, D(as_of)).duty(key)


# ---------------------------------------------------------------- the programme file


def test_the_programme_file_holds_the_seven_obligations_with_the_notices_sentence():
    assert tuple(o.key for o in PROGRAMME.obligations) == OBLIGATION_KEYS
    assert all(o.notice and o.label for o in PROGRAMME.obligations)
    assert PROGRAMME.obligation("first_meeting").within_days == 30
    assert "视频通话" in PROGRAMME.obligation("monthly_contact").kinds
    assert PROGRAMME.school_terms[0].name == "2019年秋季学期"
    assert PROGRAMME.school_terms[-1].end >= D("2027-07-01")


def test_the_programme_year_runs_from_1_august_to_31_july():
    assert PROGRAMME.programme_year(D("2020-07-31")) == (D("2019-08-01"), D("2020-07-31"))
    assert PROGRAMME.programme_year(D("2020-08-01")) == (D("2020-08-01"), D("2021-07-31"))


def test_the_log_schema_knows_video_calls_wechat_and_guiding_to_the_parents():
    validator = Draft202012Validator(json.loads((REPO / "schemas/log.schema.json").read_text("utf-8")))
    base = {"pairing": "chuanshan-p-aaaa", "date": "2026-11-02", "with": ["女童"], "summary": "问候。"}
    assert validator.is_valid({**base, "kind": "视频通话", "guided_parents": True})
    assert validator.is_valid({**base, "kind": "微信"})
    assert not validator.is_valid({**base, "kind": "微信", "guided_parents": "是"})


# ---------------------------------------------------------------- the calendar's edges


def test_a_pairing_starting_on_the_31st_owes_from_the_next_month():
    p = pairing("a31a", "2019-08-31")
    logs = [log(p, "2019-09-20", "互认互知")]
    d = duty(p, logs, "2019-11-05", "monthly_contact")
    assert d.owed and d.periods_missed == ("2019-10",) and d.due == D("2019-11-01")
    assert assess_pairing(p, logs, PROGRAMME, D("2019-11-05")).days_late == 4
    assert not duty(p, [], "2019-09-30", "monthly_contact").owed  # August and September not owed yet


def test_a_pairing_starting_after_the_1st_does_not_owe_its_first_month():
    p = pairing("a02a", "2019-08-02")
    assert not duty(p, [], "2019-09-30", "monthly_contact").owed
    assert duty(p, [], "2019-10-01", "monthly_contact").periods_missed == ("2019-09",)
    on_the_first = pairing("a01a", "2019-08-01")
    assert duty(on_the_first, [], "2019-09-01", "monthly_contact").periods_missed == ("2019-08",)


def test_the_current_month_is_never_owed_but_counts_as_met():
    p = pairing("cur1", "2019-08-01")
    logs = monthly(p, "2019-08", "2019-10")
    d = duty(p, logs, "2019-11-30", "monthly_contact")
    assert not d.owed and not d.met_this_period
    d = duty(p, [*logs, log(p, "2019-11-03")], "2019-11-30", "monthly_contact")
    assert not d.owed and d.met_this_period


def test_a_pairing_ended_mid_month_does_not_owe_that_month():
    mid = pairing("e15a", "2019-08-01", status="已结束", ended="2020-03-15")
    logs = monthly(mid, "2019-08", "2020-02")
    assert not duty(mid, logs, "2020-06-01", "monthly_contact").owed
    whole = pairing("e31a", "2019-08-01", status="已结束", ended="2020-03-31")
    assert duty(whole, monthly(whole, "2019-08", "2020-02"), "2020-06-01", "monthly_contact").periods_missed == (
        "2020-03",
    )


def test_february_ends_on_its_last_day_in_a_leap_year_and_in_a_common_one():
    p = pairing("feb1", "2020-02-01")
    assert not duty(p, [], "2020-02-29", "monthly_contact").owed  # the 29th is still February
    assert duty(p, [log(p, "2020-02-29")], "2020-03-01", "monthly_contact").owed is False
    q = pairing("feb2", "2021-02-01")
    assert duty(q, [], "2021-03-01", "monthly_contact").due == D("2021-03-01")
    assert duty(q, [log(q, "2021-02-28")], "2021-03-01", "monthly_contact").owed is False


def test_months_before_the_launch_are_not_owed():
    later = dataclasses.replace(PROGRAMME, launch=D("2019-08-15"))
    p = pairing("l01a", "2019-08-01")
    assert duty(p, [], "2019-10-01", "monthly_contact", later).periods_missed == ("2019-09",)
    assert duty(p, [], "2019-10-01", "monthly_contact").periods_missed == ("2019-08", "2019-09")


def test_the_programme_year_boundary_31_july_and_1_august():
    p = pairing("py01", "2019-08-01")
    on_31_july = [log(p, "2020-07-31", "家访")]
    d = duty(p, on_31_july, "2020-08-01", "home_visit")
    assert not d.owed and not d.met_this_period  # 2019-2020 was met; 2020-2021 has just begun
    assert duty(p, on_31_july, "2020-07-31", "home_visit").met_this_period
    on_1_august = [log(p, "2020-08-01", "家访")]
    d = duty(p, on_1_august, "2020-08-02", "home_visit")
    assert d.owed and d.periods_missed == ("2019-2020学年",) and d.due == D("2020-08-01") and d.met_this_period


def test_a_pairing_that_began_late_in_a_programme_year_owes_it_only_for_half_of_it():
    early = pairing("hy01", "2019-08-20")  # owes 11 of its 12 months
    assert duty(early, [], "2020-08-01", "festival").periods_missed == ("2019-2020学年",)
    late = pairing("hy02", "2020-02-15")  # owes March to July: 5 of 12
    assert not duty(late, [], "2020-08-01", "festival").owed
    assert duty(late, [], "2020-08-01", "teacher_visit").periods_missed == ("2020年春季学期",)


def test_a_term_ends_on_its_last_day_and_the_holiday_belongs_to_no_term():
    p = pairing("tm01", "2019-08-01")
    assert not duty(p, [log(p, "2020-01-15", "访老师")], "2020-02-10", "teacher_visit").owed
    d = duty(p, [log(p, "2020-01-16", "访老师")], "2020-02-10", "teacher_visit")
    assert d.periods_missed == ("2019年秋季学期",) and d.due == D("2020-01-16")
    d = duty(p, [], "2020-01-15", "teacher_visit")
    assert not d.owed  # the term's last day: not over yet


def test_a_home_visit_counts_as_a_guardian_visit_and_the_persons_contacted_count():
    p = pairing("gv01", "2019-08-01")
    assert not duty(p, [log(p, "2019-10-01", "家访")], "2020-02-01", "guardian_visit").owed
    only_girl = monthly(p, "2019-08", "2019-09", with_=("女童",))
    assert not duty(p, only_girl, "2019-10-01", "monthly_contact").owed
    assert duty(p, only_girl, "2019-10-01", "guardian_contact").periods_missed == ("2019-08", "2019-09")


def test_the_first_meeting_is_owed_once_its_deadline_has_passed():
    p = pairing("fm01", "2019-08-01")
    assert not duty(p, [], "2019-08-31", "first_meeting").owed
    d = duty(p, [], "2019-09-01", "first_meeting")
    assert d.owed and d.due == D("2019-09-01") and d.periods_missed == ("2019-08-31前",)
    late = duty(p, [log(p, "2019-09-20", "互认互知")], "2019-10-01", "first_meeting")
    assert not late.owed and late.met_this_period  # late, but done


def test_logs_after_the_as_of_date_do_not_exist_yet():
    p = pairing("fut1", "2019-08-01")
    logs = [log(p, "2019-08-10"), log(p, "2019-10-10")]
    care = assess_pairing(p, logs, PROGRAMME, D("2019-10-01"))
    assert care.last_contact == D("2019-08-10")
    assert care.duty("monthly_contact").periods_missed == ("2019-09",)


# ---------------------------------------------------------------- a small programme, counted by hand


def small_index() -> RecordIndex:
    """chuanshan: A keeps the rhythm, B lapsed since September 2026, C started 2026-11-15 (nothing
    owed yet), D awaits approval and E ended: neither counts. anju: F never called."""
    index = RecordIndex()
    a = pairing("aaaa", "2026-08-01")
    b = pairing("bbbb", "2026-08-01")
    c = pairing("cccc", "2026-11-15")
    d = pairing("dddd", "2026-08-01", status="待审批")
    e = pairing("eeee", "2026-08-01", status="已结束", ended="2026-10-31")
    f = pairing("ffff", "2026-09-01", unit="anju")
    logs = [
        log(a, "2026-08-05", "互认互知"),
        *monthly(a, "2026-09", "2026-12", day=3),
        log(a, "2026-09-20", "访老师"),
        log(a, "2026-10-01", "家访"),
        log(a, "2026-12-02", "视频通话", guided_parents=True),
        log(b, "2026-08-10", "互认互知"),
        log(b, "2026-08-20", "微信", with_=("女童",)),
        log(c, "2026-11-20", "互认互知"),
    ]
    for record in (a, b, c, d, e, f, *logs):
        index.add(record)
    return index


def test_the_small_programme_figures_as_counted_by_hand():
    report = assess(small_index(), PROGRAMME, D("2026-12-10"))
    by_id = {p.pairing_id: p for p in report.pairings}
    assert set(by_id) == {"chuanshan-p-aaaa", "chuanshan-p-bbbb", "chuanshan-p-cccc", "anju-p-ffff"}
    # F: no first meeting (overdue from 2026-10-02) and no contact in September to November: late
    # since 2026-10-01, 70 days by 2026-12-10. B: its last contact (girl and guardian) was in August,
    # so September (overdue from 2026-10-01) is its earliest missed month too.
    b, f = by_id["chuanshan-p-bbbb"], by_id["anju-p-ffff"]
    assert b.duty("monthly_contact").periods_missed == ("2026-09", "2026-10", "2026-11")
    assert b.duty("guardian_contact").periods_missed == ("2026-09", "2026-10", "2026-11")
    assert (b.days_late, f.days_late) == (70, 70)
    assert f.duty("first_meeting").due == D("2026-10-02")
    assert [p.pairing_id for p in report.pairings][:2] == ["anju-p-ffff", "chuanshan-p-bbbb"]
    a = by_id["chuanshan-p-aaaa"]
    assert not a.overdue and a.last_contact == D("2026-12-03") and a.guided_parents == 1
    assert not by_id["chuanshan-p-cccc"].overdue

    chuanshan = next(u for u in report.units if u.unit == "chuanshan")
    assert (chuanshan.active, chuanshan.contacted_this_month, chuanshan.overdue) == (3, 1, 1)
    assert chuanshan.completion["monthly_contact"] == 1 / 3  # A called in December
    assert chuanshan.completion["first_meeting"] == 1.0  # all three met
    assert chuanshan.completion["home_visit"] == 1 / 3 and chuanshan.guided_parents == 1
    assert [u.unit for u in report.units] == list(PROGRAMME.unit_ids)
    assert report.city.unit == CITY and (report.city.active, report.city.overdue) == (4, 2)

    anju = report.of_unit("anju")
    assert [p.pairing_id for p in anju.pairings] == ["anju-p-ffff"]
    assert [u.unit for u in anju.units] == ["anju"] and (anju.city.active, anju.city.overdue) == (1, 1)


def test_the_approval_queue_as_of_a_date():
    index = RecordIndex()
    mothers = {
        "m1": {"county_approval": {"decision": "同意", "date": "2026-10-01"}},
        "m2": {"county_approval": {"decision": "同意", "date": "2026-11-20"}},
        "m3": {
            "county_approval": {"decision": "同意", "date": "2026-09-01"},
            "city_approval": {"decision": "同意", "date": "2026-09-15"},
        },
        "m4": {
            "county_approval": {"decision": "同意", "date": "2026-09-01"},
            "city_approval": {"decision": "同意", "date": "2026-12-20"},  # decided after the as-of date
        },
        "m5": {"county_approval": {"decision": "不同意", "date": "2026-09-01"}},
        "m6": {"county_approval": {"decision": "同意", "date": "2026-12-15"}},  # not approved yet then
        "m7": {"county_approval": {"decision": "同意", "date": "2026-09-01"}, "withdrawn": {"date": "2026-11-01"}},
        "m8": {"county_approval": {"decision": "同意", "date": "2026-09-02"}, "withdrawn": {"date": "2026-12-31"}},
    }
    for suffix, data in mothers.items():
        index.add(Record("mother", "daying", f"daying-m-{suffix}", f"{suffix}.yaml", data))
    queue = approval_queue(index, D("2026-12-10"))
    # m7 withdrew before the day: she waits for nothing; m8 withdraws only later.
    assert [(w.mother_id, w.days) for w in queue] == [
        ("daying-m-m4", 100), ("daying-m-m8", 99), ("daying-m-m1", 70), ("daying-m-m2", 20),
    ]
    assert queue[0].unit == "daying" and queue[0].county_date == D("2026-09-01")


# ---------------------------------------------------------------- the check carries the figures


def test_the_check_carries_the_care_figures_without_a_finding_and_caches_them(tmp_path):
    import shutil

    from aixin.check.engine import run_check
    from aixin.report.reporters import step_summary

    root = tmp_path / "bundled"
    shutil.copytree(REPO / "records", root / "records")
    shutil.copytree(REPO / "schemas", root / "schemas")
    cold = run_check(root, today=D("2026-12-01"))
    care = cold.care
    assert care is not None and care.as_of == D("2026-12-01")
    assert care.city.active >= care.city.overdue > 0  # the bundled records hold overdue pairings
    # Overdue care is no finding: only the quota note and the yearly review of girls now past 12.
    assert cold.exit_code == 0 and {f.rule for f in cold.findings} <= {"Q001", "G012"}
    warm = run_check(root, today=D("2026-12-01"))
    assert warm.care == care and warm.waiting == cold.waiting
    summary = step_summary(cold)
    assert "### 待跟进（截至 2026-12-01）" in summary
    chuanshan = next(u for u in care.units if u.unit == "chuanshan")
    assert f"| 船山区 | {chuanshan.active} | {chuanshan.contacted_this_month} | {chuanshan.overdue} |" in summary
    then = run_check(root, today=D("2019-09-30")).care  # another day: figures of that day
    assert then.as_of == D("2019-09-30") and then.city.overdue < care.city.overdue


def test_a_pairing_overdue_since_today_comes_before_those_on_time():
    index = RecordIndex()
    on_time, due_today = pairing("aaaa", "2026-11-01"), pairing("zzzz", "2026-11-01")
    for record in (on_time, due_today, log(on_time, "2026-11-02", "互认互知")):
        index.add(record)
    report = assess(index, PROGRAMME, D("2026-12-01"))  # zzzz missed November: overdue from today
    assert [(p.pairing_id, p.days_late, p.overdue) for p in report.pairings] == [
        ("chuanshan-p-zzzz", 0, True),
        ("chuanshan-p-aaaa", 0, False),
    ]
