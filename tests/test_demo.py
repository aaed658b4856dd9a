"""The fictional programme generator: reproducible, never overwriting, and valid in every respect
the schemas and the programme's rules can see."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from aixin import demo
from aixin.core import idnumber
from aixin.core.dates import add_months, age_on, age_range_from_year_month, parse_date, parse_year_month
from aixin.domain import layout

SCALE = 0.05
SEED = 2019
D = dt.date


class NoDatesLoader(yaml.CSafeLoader):
    """Like the project's loader: plain dates stay strings, so `format: date` is what checks them."""


NoDatesLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


def load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=NoDatesLoader)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class Records:
    """Every generated record, by kind and id, with the folder it was found in."""

    def __init__(self, root: Path):
        self.root = root
        self.programme = load(root / "records" / "programme.yaml")
        self.units = {u["id"]: u for u in self.programme["units"]}
        self.by_kind: dict[str, dict[str, dict]] = {"g": {}, "m": {}, "p": {}, "l": {}, "c": {}, "t": {}}
        self.unit_of: dict[str, str] = {}
        self.path_of: dict[str, Path] = {}
        for path in sorted((root / "records").rglob("*.yaml")):
            if path.name == "programme.yaml":
                continue
            rid = path.stem
            unit, letter, _ = rid.split("-")
            self.by_kind[letter][rid] = load(path)
            self.unit_of[rid] = path.relative_to(root / "records").parts[0]
            self.path_of[rid] = path

    @property
    def girls(self):
        return self.by_kind["g"]

    @property
    def mothers(self):
        return self.by_kind["m"]

    @property
    def pairings(self):
        return self.by_kind["p"]

    @property
    def logs(self):
        return self.by_kind["l"]

    @property
    def commendations(self):
        return self.by_kind["c"]

    @property
    def trainings(self):
        return self.by_kind["t"]

    def phase(self, name: str) -> tuple[D, D]:
        p = self.programme["phases"][name]
        return D.fromisoformat(p["start"]), D.fromisoformat(p["end"])


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    demo.generate(root, scale=SCALE, seed=SEED)
    return root


@pytest.fixture(scope="module")
def recs(out) -> Records:
    return Records(out)


# --- reproducibility and safety -------------------------------------------------------------

def test_same_seed_gives_identical_trees(out, tmp_path):
    demo.generate(tmp_path, scale=SCALE, seed=SEED)
    first, second = tree(out), tree(tmp_path)
    assert list(first) == list(second)
    assert first == second


def test_identical_across_processes_with_other_hash_seeds(out, tmp_path):
    code = "import sys; from pathlib import Path; from aixin.demo import generate; generate(Path(sys.argv[1]), scale=float(sys.argv[2]), seed=int(sys.argv[3]))"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-c", code, str(tmp_path), str(SCALE), str(SEED)], check=True, env=env)
    assert tree(tmp_path) == tree(out)


def test_other_seed_differs(out, tmp_path):
    demo.generate(tmp_path, scale=SCALE, seed=SEED + 1)
    first, second = tree(out), tree(tmp_path)
    assert set(first) != set(second)
    assert first["records/programme.yaml"] == second["records/programme.yaml"]


def test_refuses_to_overwrite(out):
    before = tree(out)
    with pytest.raises(ValueError, match=r"不会覆盖|从不覆盖"):
        demo.generate(out, scale=SCALE, seed=SEED + 7)
    assert tree(out) == before


def test_refuses_any_existing_records(tmp_path):
    (tmp_path / "records" / "chuanshan").mkdir(parents=True)
    with pytest.raises(ValueError):
        demo.generate(tmp_path, scale=SCALE)
    assert not (tmp_path / "schemas").exists()


def test_empty_records_folder_is_fine(tmp_path):
    (tmp_path / "records").mkdir()
    stats = demo.generate(tmp_path, scale=0.001)
    assert stats.mothers == len(list((tmp_path / "records").glob("*/mothers/*.yaml")))


@pytest.mark.parametrize("scale", [0, -1])
def test_scale_must_be_positive(tmp_path, scale):
    with pytest.raises(ValueError, match="scale"):
        demo.generate(tmp_path, scale=scale)


def test_copies_programme_and_schemas(out):
    repo = demo.REPO
    assert (out / "records" / "programme.yaml").read_bytes() == (repo / "records" / "programme.yaml").read_bytes()
    names = sorted(p.name for p in (repo / "schemas").glob("*.json"))
    assert sorted(p.name for p in (out / "schemas").glob("*.json")) == names
    for name in names:
        assert (out / "schemas" / name).read_bytes() == (repo / "schemas" / name).read_bytes()


# --- the files ------------------------------------------------------------------------------

def test_every_file_is_valid_against_its_schema(out):
    schemas = {p.name.split(".")[0]: json.loads(p.read_text(encoding="utf-8")) for p in (out / "schemas").glob("*.json")}
    validators = {k: Draft202012Validator(s, format_checker=Draft202012Validator.FORMAT_CHECKER) for k, s in schemas.items()}
    kind_of = {"girls": "girl", "mothers": "mother", "pairings": "pairing", "logs": "log",
               "commendations": "commendation", "trainings": "training"}
    checked = Counter()
    for path in sorted((out / "records").rglob("*.yaml")):
        rel = path.relative_to(out / "records")
        kind = "programme" if rel.name == "programme.yaml" else kind_of[rel.parts[1]]
        errors = [e.message for e in validators[kind].iter_errors(load(path))]
        assert not errors, f"{rel}: {errors}"
        checked[kind] += 1
    assert set(checked) == {"programme", "girl", "mother", "pairing", "log", "commendation", "training"}


def test_headers_point_at_the_right_schema(out):
    for path in sorted((out / "records").rglob("*.yaml")):
        if path.name == "programme.yaml":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# yaml-language-server: $schema=")
        assert lines[1] == "# 虚构的示例数据（aixin demo 生成）"
        schema = (path.parent / lines[0].split("=", 1)[1]).resolve()
        assert schema.is_file() and schema.parent == (out / "schemas").resolve()
        assert schema.name.split(".")[0] in {"girl", "mother", "pairing", "log", "commendation", "training"}


def test_phones_and_id_numbers_are_quoted(out):
    for path in sorted((out / "records").rglob("*.yaml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            key = line.strip().split(":", 1)[0]
            if key in ("phone", "id_number"):
                assert line.split(": ", 1)[1].startswith('"'), f"{path.name}: {line}"


def test_dates_are_plain_and_load_as_strings(recs):
    girl = next(iter(recs.girls.values()))
    assert isinstance(girl["survey_date"], str) and parse_date(girl["survey_date"])
    text = recs.path_of[next(iter(recs.girls))].read_text(encoding="utf-8")
    assert f"survey_date: {girl['survey_date']}\n" in text


def test_file_names_are_record_ids(recs):
    alphabet = set(layout.ID_ALPHABET)
    kinds = {"g": "girls", "m": "mothers", "p": "pairings"}
    for letter, records in recs.by_kind.items():
        for rid in records:
            unit, l, suffix = rid.split("-")
            assert l == letter and unit == recs.unit_of[rid] and unit in (*recs.units, "city")
            assert (unit == "city") == (letter in "ct")  # the city's records live in records/city/
            assert len(suffix) == 6 and set(suffix) <= alphabet
            if letter in kinds:
                assert recs.path_of[rid].parent.name == kinds[letter]


# --- counts -----------------------------------------------------------------------------------

def test_counts_follow_the_quotas(out, recs):
    expected = {u: max(1, round(spec["quota"] * SCALE)) for u, spec in recs.units.items()}
    per_unit = Counter(recs.unit_of[m] for m in recs.mothers)
    assert per_unit == Counter(expected)
    mothers = len(recs.mothers)
    assert mothers == 50
    assert 1.2 * mothers <= len(recs.girls) <= 1.5 * mothers
    assert 1.0 * mothers <= len(recs.pairings) <= 1.4 * mothers
    # a contact a month, and a visit to the teacher and to the guardian each term besides
    assert 12 * len(recs.pairings) <= len(recs.logs) <= 16 * len(recs.pairings)


def test_stats_match_the_files(tmp_path):
    stats = demo.generate(tmp_path, scale=SCALE, seed=SEED)
    r = Records(tmp_path)
    assert (stats.girls, stats.mothers, stats.pairings, stats.logs, stats.commendations, stats.trainings) == (
        len(r.girls), len(r.mothers), len(r.pairings), len(r.logs), len(r.commendations), len(r.trainings))
    assert stats.files == len(tree(tmp_path))
    assert stats.per_unit["shizhi"]["girls"] == 0
    assert sum(u["logs"] for u in stats.per_unit.values()) == stats.logs
    assert "爱心妈妈 50 人" in stats.summary()


@pytest.mark.parametrize("scale", [0.001, 0.013])
def test_tiny_scales_still_cover_every_unit(tmp_path, scale):
    demo.generate(tmp_path, scale=scale)
    r = Records(tmp_path)
    for unit, spec in r.units.items():
        assert any(r.unit_of[m] == unit for m in r.mothers), unit
        if spec["kind"] != "city":
            assert any(r.unit_of[g] == unit for g in r.girls), unit
            assert any(r.unit_of[p["girl"]] == unit for p in r.pairings.values()), unit


# --- the programme's rules ------------------------------------------------------------------

def test_mothers(recs):
    recruit = recs.phase("recruitment")
    launch = D.fromisoformat(recs.programme["phases"]["launch"])
    county_units = {u for u, s in recs.units.items() if s["kind"] == "county"}
    rules = recs.programme["rules"]
    numbers = []
    for mid, m in recs.mothers.items():
        unit = recs.unit_of[mid]
        filed = parse_date(m["filed_on"])
        assert recruit[0] <= filed <= recruit[1]
        n = idnumber.parse(m["id_number"], today=filed)
        assert n.female
        assert m["birth"] == f"{n.birth:%Y-%m}"
        assert 22 <= age_on(n.birth, filed) and age_on(n.birth, demo.DEMO_END) <= 58
        assert rules["mother_min_age"] <= age_on(n.birth, filed) <= rules["mother_max_age"]
        numbers.append(n.value)
        home = m["residence"]["unit"]
        if recs.units[unit]["kind"] == "city":
            assert home in county_units
        else:
            assert home == unit
        county = m["county_approval"]
        assert parse_date(county["date"]) > filed
        if "city_approval" in m:
            assert county["decision"] == "同意"
            assert parse_date(county["date"]) < parse_date(m["city_approval"]["date"]) < launch
    assert len(numbers) == len(set(numbers))


def approved(m: dict) -> bool:
    return m.get("county_approval", {}).get("decision") == "同意" and m.get("city_approval", {}).get("decision") == "同意"


def test_most_mothers_are_approved(recs):
    assert sum(approved(m) for m in recs.mothers.values()) >= 0.95 * len(recs.mothers)


def eligible(g: dict, rules: dict) -> bool:
    survey = parse_date(g["survey_date"])
    if g["parents_away"] != "父母均外出":
        return False
    months = rules["parents_away_min_months"]
    if any(add_months(parse_date(g[p]["left_on"]), months) > survey for p in ("father", "mother")):
        return False
    return age_range_from_year_month(*parse_year_month(g["birth"]), survey)[1] <= rules["girl_max_age"]


def test_girls(recs):
    survey_phase = recs.phase("survey")
    rules = recs.programme["rules"]
    seen = set()
    for gid, g in recs.girls.items():
        assert recs.units[recs.unit_of[gid]]["kind"] != "city"
        survey = parse_date(g["survey_date"])
        assert survey_phase[0] <= survey <= survey_phase[1]
        assert g["consent"]["date"] == g["survey_date"]
        youngest, oldest = age_range_from_year_month(*parse_year_month(g["birth"]), survey)
        assert youngest == oldest and 4 <= youngest <= rules["girl_max_age"] - 1
        for parent in ("father", "mother"):
            if "left_on" in g[parent]:
                assert parse_date(g[parent]["left_on"]) < survey
        key = (g["name"], g["birth"], g["guardian"]["phone"])
        assert key not in seen
        seen.add(key)
        assert 2 <= len(g["name"]) <= 3
    share = sum(eligible(g, rules) for g in recs.girls.values()) / len(recs.girls)
    assert 0.85 <= share <= 0.95
    assert {g["parents_away"] for g in recs.girls.values()} == {"父母均外出", "父亲外出", "母亲外出"}


def test_pairings(recs):
    rules = recs.programme["rules"]
    launch = D.fromisoformat(recs.programme["phases"]["launch"])
    by_mother = defaultdict(list)
    girls_paired = Counter()
    for pid, p in recs.pairings.items():
        assert p["mother"] in recs.mothers and p["girl"] in recs.girls
        mother, girl = recs.mothers[p["mother"]], recs.girls[p["girl"]]
        assert recs.unit_of[pid] == recs.unit_of[p["mother"]]  # lives with the mother's unit
        assert recs.unit_of[p["girl"]] == mother["residence"]["unit"]
        assert approved(mother)
        assert eligible(girl, rules)
        start = parse_date(p["started_on"])
        assert start >= launch and start > parse_date(mother["city_approval"]["date"])
        assert p["filed_on"] == p["started_on"]  # the card is filled in when the pair is formed
        if p["status"] == "已结束":
            assert start < parse_date(p["ended_on"]) < demo.DEMO_END and p["end_reason"] in END_REASONS
            assert ("end_reason_other" in p) == (p["end_reason"] == "其他")
        else:
            assert "ended_on" not in p
        by_mother[p["mother"]].append(p)
        girls_paired[p["girl"]] += 1
    assert sum(n == 1 for n in girls_paired.values()) >= 0.95 * len(girls_paired)
    assert_lives(recs, demo.DEMO_END)
    for mid, ps in by_mother.items():
        active = [p for p in ps if p["status"] == "进行中"]
        assert len(active) <= rules["max_girls_per_mother"]
        assert {p["mode"] for p in active} <= {"一对一" if len(active) == 1 else "一对多"}


def test_logs(recs):
    per_pairing = defaultdict(list)
    for lid, log in recs.logs.items():
        path = recs.path_of[lid]
        assert path.parent.name == log["pairing"] and path.parent.parent.name == "logs"
        assert recs.unit_of[lid] == recs.unit_of[log["pairing"]]
        per_pairing[log["pairing"]].append(log)
    assert set(per_pairing) == set(recs.pairings)
    every_month = whole_year = 0
    for pid, logs in per_pairing.items():
        p = recs.pairings[pid]
        start = parse_date(p["started_on"])
        end = parse_date(p["ended_on"]) if "ended_on" in p else demo.DEMO_END
        days = sorted(parse_date(log["date"]) for log in logs)
        assert start <= days[0] and days[-1] <= end <= demo.DEMO_END
        monthly = sorted(parse_date(log["date"]) for log in logs if log["kind"] not in ("访老师", "访监护人"))
        months = [(d.year, d.month) for d in monthly]
        assert len(months) == len(set(months))  # one contact a month...
        first, m = start.replace(day=1), []
        while first <= end:
            m.append((first.year, first.month))
            first = add_months(first, 1)
        every_month += months == m  # ... and, for most mothers, every month
        kinds = Counter(log["kind"] for log in logs)
        assert kinds["互认互知"] == 1 and min(days) == start
        assert kinds["家访"] <= 1 and kinds["节日陪伴"] <= 1
        if p["status"] == "进行中":  # a whole year: the yearly home visit and festival are due
            whole_year += kinds["家访"] == 1 and kinds["节日陪伴"] == 1
        assert_log_fields(logs)
    assert 0.75 * len(per_pairing) <= every_month < len(per_pairing)  # some mothers lapse
    assert whole_year >= 0.8 * sum(p["status"] == "进行中" for p in recs.pairings.values())


END_REASONS = ("父母返乡", "女童超龄", "迁出", "爱心妈妈退出", "监护人不再同意", "其他")
FESTIVALS = ("中秋节", "春节", "国庆节", "六一儿童节")


def assert_log_fields(logs):
    for log in logs:
        assert "女童" in log["with"]
        assert log.get("guided_parents", True) is True
        if log["kind"] == "节日陪伴":
            assert log["festival"] in FESTIVALS
        else:
            assert "festival" not in log


def assert_lives(recs: Records, until: D):
    """Every girl's pairings follow one another; endings leave the records the rules expect."""
    by_girl = defaultdict(list)
    for pid, p in recs.pairings.items():
        by_girl[p["girl"]].append(p)
    for gid, ps in by_girl.items():
        ps.sort(key=lambda p: p["started_on"])
        for before, after in itertools.pairwise(ps):
            assert before["status"] == "已结束" and before["ended_on"] < after["started_on"]
            assert before["end_reason"] not in ("父母返乡", "迁出", "监护人不再同意", "女童超龄")
        ended = recs.girls[gid].get("left_behind_ended")
        if ended:  # no longer left behind: her last pairing ended that day, for that reason
            assert (ps[-1]["ended_on"], ps[-1]["end_reason"]) == (ended["date"], ended["reason"])
    for mid, m in recs.mothers.items():
        if "withdrawn" in m:
            for p in (p for p in recs.pairings.values() if p["mother"] == mid):
                assert p["status"] == "已结束" and p["ended_on"] <= m["withdrawn"]["date"] <= until.isoformat()
    for pid, p in recs.pairings.items():
        if p["status"] == "已结束":
            assert parse_date(p["started_on"]) < parse_date(p["ended_on"]) <= until
            if p["end_reason"] == "爱心妈妈退出":
                assert recs.mothers[p["mother"]]["withdrawn"]["date"] == p["ended_on"]


# --- several programme years: the pairings' whole lives ------------------------------------------

UNTIL = D(2026, 11, 30)
YEARS_SCALE = 0.1


@pytest.fixture(scope="module")
def years_out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("years")
    demo.generate(root, scale=YEARS_SCALE, seed=SEED, until=UNTIL)
    return root


@pytest.fixture(scope="module")
def years(years_out) -> Records:
    return Records(years_out)


def test_years_same_seed_same_tree_and_the_default_is_one_year(years_out, out, tmp_path):
    demo.generate(tmp_path / "again", scale=YEARS_SCALE, seed=SEED, until=UNTIL)
    assert tree(tmp_path / "again") == tree(years_out)
    demo.generate(tmp_path / "first", scale=SCALE, seed=SEED, until=demo.DEMO_END)
    assert tree(tmp_path / "first") == tree(out)


def test_years_identical_across_processes_with_other_hash_seeds(years_out, tmp_path):
    code = ("import sys, datetime; from pathlib import Path; from aixin.demo import generate; "
            "generate(Path(sys.argv[1]), scale=float(sys.argv[2]), seed=int(sys.argv[3]), until=datetime.date(2026, 11, 30))")
    env = dict(os.environ, PYTHONHASHSEED="54321")
    subprocess.run([sys.executable, "-c", code, str(tmp_path), str(YEARS_SCALE), str(SEED)], check=True, env=env)
    assert tree(tmp_path) == tree(years_out)


def test_years_need_the_whole_first_programme_year(tmp_path):
    with pytest.raises(ValueError, match="第一个活动年度"):
        demo.generate(tmp_path, scale=SCALE, until=D(2020, 7, 30))
    assert not (tmp_path / "records").exists()


def test_years_every_file_is_valid_and_the_check_finds_nothing(years_out):
    test_every_file_is_valid_against_its_schema(years_out)
    from aixin.check.engine import run_check
    result = run_check(years_out, use_cache=False, jobs=1, today=D(2026, 12, 1))
    assert {f.rule for f in result.findings} <= {"Q001"}, [(f.rule, f.message) for f in result.findings[:5]]


def test_years_logs_reach_the_day_and_use_every_way_of_keeping_in_touch(years):
    days = sorted(log["date"] for log in years.logs.values())
    assert days[0] >= "2019-08-01" and "2026-11-01" <= days[-1] <= UNTIL.isoformat()
    kinds = Counter(log["kind"] for log in years.logs.values())
    assert set(kinds) == {"互认互知", "电话", "微信", "视频通话", "见面", "书信", "家访", "节日陪伴", "访老师", "访监护人"}
    recent = Counter(log["kind"] for log in years.logs.values() if log["date"] >= "2025-08-01")
    assert recent["微信"] + recent["视频通话"] > recent["电话"]  # phones gave way to WeChat and video calls
    assert 0.05 <= sum("guided_parents" in log for log in years.logs.values()) / len(years.logs) <= 0.3
    assert {log["festival"] for log in years.logs.values() if "festival" in log} == set(FESTIVALS)
    by_pairing = defaultdict(list)
    for log in years.logs.values():
        by_pairing[log["pairing"]].append(log)
    for pid, logs in by_pairing.items():
        p = years.pairings[pid]
        end = p.get("ended_on", UNTIL.isoformat())
        assert all(p["started_on"] <= log["date"] <= end for log in logs)
        assert min(logs, key=lambda log: log["date"])["kind"] == "互认互知"
        assert_log_fields(logs)


def test_years_most_mothers_keep_the_rhythm_some_lapse(years):
    """Of the pairings active over the last three whole months, most have a contact in each."""
    months = ("2026-08", "2026-09", "2026-10")
    contacted = defaultdict(set)
    for log in years.logs.values():
        contacted[log["pairing"]].add(log["date"][:7])
    running = [pid for pid, p in years.pairings.items() if p["status"] == "进行中" and p["started_on"] < "2026-08"]
    kept = sum(all(m in contacted[pid] for m in months) for pid in running)
    assert 0.75 * len(running) <= kept < len(running)
    guardian = defaultdict(set)  # and the guardian, every month, for most
    for log in years.logs.values():
        if "临时监护人" in log["with"]:
            guardian[log["pairing"]].add(log["date"][:7])
    assert sum(all(m in guardian[pid] for m in months) for pid in running) >= 0.7 * len(running)


def test_years_home_visit_festival_and_term_visits_for_most(years):
    """Programme year 2024–2025 and the autumn term of 2024, for pairings running through them."""
    logs = defaultdict(list)
    for log in years.logs.values():
        logs[log["pairing"]].append(log)
    through = [pid for pid, p in years.pairings.items()
               if p["started_on"] < "2024-08-01" and p.get("ended_on", "9999") > "2025-07-31"]
    assert len(through) >= 30

    def share(kind, lo, hi):
        return sum(any(l["kind"] == kind and lo <= l["date"] <= hi for l in logs[pid]) for pid in through) / len(through)

    assert share("家访", "2024-08-01", "2025-07-31") >= 0.8
    assert share("节日陪伴", "2024-08-01", "2025-07-31") >= 0.8
    assert share("访老师", "2024-09-01", "2025-01-15") >= 0.8
    assert share("访监护人", "2024-09-01", "2025-01-15") + share("家访", "2024-09-01", "2025-01-15") >= 0.8
    for pid in through:  # the yearly home visit is the guardian visit of its term
        for lo, hi in (("2024-09-01", "2025-01-15"), ("2025-03-01", "2025-07-10")):
            kinds = {l["kind"] for l in logs[pid] if lo <= l["date"] <= hi}
            assert not {"家访", "访监护人"} <= kinds


def test_years_pairings_end_for_every_reason_and_girls_are_paired_again(years):
    reasons = Counter(p.get("end_reason") for p in years.pairings.values())
    assert set(reasons) == {None, *END_REASONS}
    assert reasons["女童超龄"] > reasons["父母返乡"] > reasons["其他"]
    assert sum(1 for p in years.pairings.values() if p["status"] == "进行中") >= 0.3 * len(years.mothers)
    assert_lives(years, UNTIL)
    per_girl = Counter(p["girl"] for p in years.pairings.values())
    assert sum(n > 1 for n in per_girl.values()) >= 5
    assert any("withdrawn" in m for m in years.mothers.values())
    assert {g["left_behind_ended"]["reason"] for g in years.girls.values() if "left_behind_ended" in g} == {"父母返乡", "迁出"}


def test_years_girls_age_out_at_the_next_programme_year(years):
    """A girl surely 13 on 1 August: her pairing ended at that yearly review (within two weeks);
    no pairing still running has a girl who was surely 13 on the last 1 August."""
    for p in years.pairings.values():
        y, m = parse_year_month(years.girls[p["girl"]]["birth"])
        if p.get("end_reason") == "女童超龄":
            ended = parse_date(p["ended_on"])
            review = D(ended.year, 8, 1)
            assert review <= ended <= review + dt.timedelta(days=14)
            assert age_range_from_year_month(y, m, review)[0] >= 13
            assert age_range_from_year_month(y, m, review - dt.timedelta(days=366))[0] < 13 or p["started_on"] > (review - dt.timedelta(days=366)).isoformat()
        elif p["status"] == "进行中":
            assert age_range_from_year_month(y, m, D(2026, 8, 1))[0] < 13


def test_years_modes_follow_the_mothers_active_pairings(years):
    active = defaultdict(list)
    for p in years.pairings.values():
        if p["status"] == "进行中":
            active[p["mother"]].append(p)
    for mid, ps in active.items():
        assert len(ps) <= years.programme["rules"]["max_girls_per_mother"]
        assert {p["mode"] for p in ps} == {"一对一" if len(ps) == 1 else "一对多"}
        assert "withdrawn" not in years.mothers[mid]


# --- the year's end: commendations and trainings (issue 11) ----------------------------------

def contact_months(recs: Records, mother_id: str, year: int) -> int:
    """Months of the programme year starting in August `year` with a log that reached a girl."""
    pairings = {pid for pid, p in recs.pairings.items() if p["mother"] == mother_id}
    lo, hi = f"{year}-08-01", f"{year + 1}-07-31"
    return len({log["date"][:7] for log in recs.logs.values()
                if log["pairing"] in pairings and lo <= log["date"] <= hi and "女童" in log["with"]})


def test_years_every_ended_programme_year_has_commendations_and_one_training(years):
    by_year = defaultdict(list)
    for c in years.commendations.values():
        by_year[c["year"]].append(c)
    assert sorted(by_year) == [f"{y}-{y + 1}" for y in range(2019, 2026)]  # 2026-2027 has not ended
    trainings = sorted(years.trainings.values(), key=lambda t: t["date"])
    assert [t["date"] for t in trainings] == [f"{y}-07-15" for y in range(2020, 2027)]
    for (label, commended), training in zip(sorted(by_year.items()), trainings):
        first = int(label[:4])
        ids = [c["mother"] for c in commended]
        assert len(set(ids)) == len(ids) and {c["date"] for c in commended} == {f"{first + 1}-06-28"}
        units = {years.unit_of[m] for m in ids}
        assert units == {u for u in years.units if any(contact_months(years, m, first)
                                                        for m in years.mothers if years.unit_of[m] == u)}
        assert set(training["invited"]) == set(ids)  # the commended are invited ...
        assert set(training["attended"]) <= set(ids) and len(training["attended"]) >= len(ids) / 2  # ... most come
        for mother_id in ids:
            mother = years.mothers[mother_id]
            assert mother["city_approval"]["decision"] == "同意"
            assert mother.get("withdrawn", {}).get("date", "9999") > training["date"]


def test_years_the_commended_are_the_most_diligent_of_their_unit(years):
    for c in years.commendations.values():
        first, unit = int(c["year"][:4]), years.unit_of[c["mother"]]
        theirs = contact_months(years, c["mother"], first)
        others = [contact_months(years, m, first) for m, rec in years.mothers.items()
                  if years.unit_of[m] == unit and "withdrawn" not in rec and m not in
                  {x["mother"] for x in years.commendations.values() if x["year"] == c["year"]}]
        assert theirs >= max(others, default=0), (c, theirs, others)


def test_the_default_demo_commends_for_its_one_year(recs):
    assert {c["year"] for c in recs.commendations.values()} == {"2019-2020"}
    assert len(recs.trainings) == 1


# --- the YAML writer ------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "普通文字", "yes", "no", "on", "null", "true", "123", "0825", "1:20", "a: b", "- 列表", "# 注释",
    "文字 #号", "结尾冒号:", "[1]", "'引号'", '"双引号"', "反斜杠\\", "chuanshan-m-7k2q9d", "2019-07-05",
    "2010-03", "", " 前空格", "多行\n文字", "逗号,括号[]",
])
def test_scalars_round_trip(value):
    text = demo._yaml_text({"a": value, "b": [value, "x"]}, "s.json")
    assert load_text(text) == {"a": value, "b": [value, "x"]}


def load_text(text: str):
    return yaml.load(text, Loader=NoDatesLoader)


def test_project_loader_reads_every_file_the_same_way(out):
    """The records must load cleanly, dates as text, with the strict loader the checks use."""
    from aixin.load import loader
    for path in sorted((out / "records").rglob("*.yaml")):
        rel = path.relative_to(out).as_posix()
        loaded = loader.load_file(path, rel)
        assert not loaded.findings, f"{rel}: {loaded.findings}"
        assert loaded.data == load(path), rel
