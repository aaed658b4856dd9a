"""The city's own records (issue 11): commendations and trainings in records/city/.

Where they live and what a misplaced one is told, the reserved unit id `city`, the index's
look-ups, the check's counts, and what each site audience keeps of them. The tree is the valid
rules tree with tests/cases/city/records/ laid over it (two commendations, one training).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aixin.check.engine import run_check
from aixin.domain import changes, layout
from aixin.domain.records import Record, RecordIndex
from aixin.load.loader import load_file
from aixin.load.schemas import SchemaSet
from aixin.report.reporters import kind_counts
from aixin.site import audience, collect
from conftest import CASES, REPO, TODAY

CITY_CASE = Path(__file__).parent / "cases" / "city" / "records"
UNITS = ("chuanshan", "anju")


@pytest.fixture
def city_root(make_root):
    root = make_root(CASES / "valid" / "records")
    shutil.copytree(CITY_CASE / "city", root / "records" / "city")
    return root


# ---------------------------------------------------------------- where they live


def test_city_records_are_classified_as_the_citys():
    place = layout.classify("records/city/commendations/city-c-a7k2m9.yaml", UNITS)
    assert place == layout.Place("commendation", "city", "city-c-a7k2m9")
    assert layout.classify("records/city/trainings/city-t-c5q2r7.yaml", UNITS).kind == "training"
    assert layout.record_path("commendation", "city", "city-c-a7k2m9") == place_path("commendations", "city-c-a7k2m9")
    assert layout.record_path("training", "city", "city-t-c5q2r7") == place_path("trainings", "city-t-c5q2r7")


def place_path(folder: str, record_id: str) -> str:
    return f"records/city/{folder}/{record_id}.yaml"


@pytest.mark.parametrize(
    "rel,code",
    [
        ("records/chuanshan/commendations/chuanshan-c-a7k2m9.yaml", "R001"),  # in a unit's folder
        ("records/chuanshan/trainings/city-t-c5q2r7.yaml", "R001"),
        ("records/city/girls/city-g-a7k2m9.yaml", "R001"),  # the city keeps no girls
        ("records/city/commendations/sub/city-c-a7k2m9.yaml", "R001"),
        ("records/city/city-c-a7k2m9.yaml", "R001"),
        ("records/city/commendations/chuanshan-c-a7k2m9.yaml", "R002"),  # a unit's prefix
        ("records/city/commendations/city-t-a7k2m9.yaml", "R005"),  # a training's letter
        ("records/city/commendations/commendation1.yaml", "R003"),
        ("records/city/trainings/city-t-c5q2r7.yml", "R006"),
    ],
)
def test_misplaced_city_records_get_a_layout_finding_naming_the_city_folder(rel, code):
    place = layout.classify(rel, UNITS)
    assert place.problem is not None and place.problem[0] == code, place
    problem = place.problem[1]
    assert "city" in problem.hint
    if code == "R001":
        assert "records/city/commendations/" in problem.hint and "records/city/trainings/" in problem.hint


def test_a_unit_may_not_be_called_city():
    schemas = SchemaSet.load(REPO / "schemas")
    data = load_file(REPO / "records" / "programme.yaml", "records/programme.yaml").data
    assert schemas.problems("programme", data) == []
    data["units"][1]["id"] = "city"
    found = schemas.problems("programme", data)
    assert [code for code, _ in found] == ["S005"]
    assert "city" in found[0][1].hint and "市妇联" in found[0][1].hint
    data["units"][1]["id"] = "cityzone"  # only the word itself is reserved
    assert schemas.problems("programme", data) == []


def test_a_pull_request_sees_city_records_as_the_citys_not_a_units():
    assert changes.record_at("records/city/commendations/city-c-a7k2m9.yaml") == changes.RecordPath(
        "commendation", "city", "city-c-a7k2m9"
    )
    assert changes.record_at("records/chuanshan/commendations/chuanshan-c-a7k2m9.yaml") is None
    assert changes.record_at("records/city/girls/city-g-a7k2m9.yaml") is None
    assert changes.unit_of("records/city/trainings/city-t-c5q2r7.yaml") is None
    assert changes.in_city_folder("records/city/trainings/city-t-c5q2r7.yaml")
    assert changes.unit_of("records/chuanshan/girls/chuanshan-g-3m8x4p.yaml") == "chuanshan"


# ---------------------------------------------------------------- the index and the check


def test_the_index_finds_a_mothers_commendations_and_trainings():
    index = RecordIndex()
    commendation = Record("commendation", "city", "city-c-a7k2m9", "c.yaml", {"mother": "m1", "year": "2019-2020"})
    training = Record("training", "city", "city-t-c5q2r7", "t.yaml", {"invited": ["m1", "m2"], "attended": ["m1", "m3"]})
    index.add(commendation)
    index.add(training)
    assert index.commendations_of_mother["m1"] == [commendation]
    assert {m: [t.id for t in ts] for m, ts in index.trainings_of_mother.items()} == {
        "m1": ["city-t-c5q2r7"],  # invited and attended: listed once
        "m2": ["city-t-c5q2r7"],
        "m3": ["city-t-c5q2r7"],  # attended without an invitation: counts as invited
    }
    assert index.valid("commendation") == [commendation] and index.valid("training") == [training]


def test_the_check_reads_validates_and_counts_city_records(city_root):
    result = run_check(city_root, today=TODAY, use_cache=False, jobs=1)
    assert [f for f in result.findings if f.rule != "Q001"] == []
    assert result.counts == {"girl": 6, "mother": 5, "pairing": 6, "log": 11, "commendation": 2, "training": 1}
    assert kind_counts(result.counts).endswith("，表彰 2 条，培训 1 次")


def test_a_repository_without_city_records_counts_as_before(make_root):
    result = run_check(make_root(CASES / "valid" / "records"), today=TODAY, use_cache=False, jobs=1)
    assert "commendation" not in result.counts and "training" not in result.counts
    assert "表彰" not in kind_counts(result.counts)


def test_a_city_record_the_schema_rejects_is_a_finding(city_root):
    path = city_root / "records/city/trainings/city-t-c5q2r7.yaml"
    path.write_text(path.read_text("utf-8").replace("  - anju-m-x9v3b7\n", "  - anju-m-x9v3b7\n  - anju-m-x9v3b7\n", 1))
    found = [(f.rule, f.file) for f in run_check(city_root, today=TODAY, use_cache=False, jobs=1).findings]
    assert ("S006", "records/city/trainings/city-t-c5q2r7.yaml") in found  # the same mother twice


# ---------------------------------------------------------------- the sites


@pytest.fixture
def site_data(city_root):
    return collect.collect(city_root, today=TODAY)


def test_the_city_site_holds_every_city_record(site_data):
    assert sorted(site_data.commendations) == ["city-c-a7k2m9", "city-c-b3n8p4"]
    assert sorted(site_data.trainings) == ["city-t-c5q2r7"]
    index = collect.record_index(site_data)
    assert [c.id for c in index.commendations_of_mother["anju-m-x9v3b7"]] == ["city-c-b3n8p4"]
    assert [t.id for t in index.trainings_of_mother["chuanshan-m-r5t8w2"]] == ["city-t-c5q2r7"]


def test_a_unit_site_keeps_its_own_mothers_only(site_data):
    chuanshan = audience.restrict(site_data, audience.Audience("unit", "chuanshan")).data
    assert sorted(chuanshan.commendations) == ["city-c-a7k2m9"]
    training = chuanshan.trainings["city-t-c5q2r7"].data
    assert training["invited"] == ["chuanshan-m-7k2q9d4x", "chuanshan-m-h3j6n9"]
    assert training["attended"] == ["chuanshan-m-r5t8w2"]
    assert site_data.trainings["city-t-c5q2r7"].data["attended"] == ["anju-m-x9v3b7", "chuanshan-m-r5t8w2"]
    anju = audience.restrict(site_data, audience.Audience("unit", "anju")).data
    assert sorted(anju.commendations) == ["city-c-b3n8p4"]
    assert anju.trainings["city-t-c5q2r7"].data["invited"] == ["anju-m-x9v3b7"]


def test_a_unit_site_without_such_mothers_has_none_and_the_public_none_at_all(site_data):
    shizhi = audience.restrict(site_data, audience.Audience("unit", "shizhi")).data
    assert shizhi.commendations == {} and shizhi.trainings == {}
    public = audience.restrict(site_data, audience.PUBLIC_AUDIENCE).data
    assert public.commendations == {} and public.trainings == {}
