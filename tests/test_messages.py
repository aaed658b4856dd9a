"""Findings a coordinator can act on: whose field, which list item, what was probably meant."""

from __future__ import annotations

import copy
import datetime as dt

from aixin.domain import eligibility
from aixin.domain.programme import from_data
from aixin.load.loader import load_file
from aixin.load.schemas import SchemaSet
from conftest import REPO

SCHEMAS = SchemaSet.load(REPO / "schemas")
PROGRAMME = from_data(load_file(REPO / "records/programme.yaml", "p").data)
GIRL = load_file(REPO / "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml", "g").data


def girl(**changes):
    data = copy.deepcopy(GIRL)
    data.update(changes)
    return data


def test_a_misspelt_field_gets_a_suggestion():
    data = girl(hobby="画画")
    [(code, problem)] = SCHEMAS.problems("girl", data)
    assert code == "S002" and "是不是想写“hobbies”" in problem.hint


def test_a_parent_field_says_whose_it_is():
    data = girl()
    data["mother"]["phone"] = "12345"
    [(_, problem)] = SCHEMAS.problems("girl", data)
    assert "母亲的联系电话" in problem.message


def test_a_list_item_is_named_by_its_place():
    [(code, problem)] = SCHEMAS.problems("girl", girl(needs=["学习辅导", "补课"]))
    assert code == "S004" and "目前需求的第2项" in problem.message


def test_an_empty_value_is_called_empty():
    [(code, problem)] = SCHEMAS.problems("girl", girl(school=None))
    assert code == "S003" and "没有填写" in problem.message and "null" not in problem.message


def test_needs_written_as_text_is_one_finding():
    found = SCHEMAS.problems("girl", girl(needs="学习辅导、精神关爱"))
    assert [code for code, _ in found] == ["S003"]


def test_an_ended_pairing_without_date_is_reported_once_per_field():
    pairing = load_file(REPO / "records/chuanshan/pairings/chuanshan-p-5t1w6r.yaml", "p").data
    pairing["status"] = "已结束"
    found = SCHEMAS.problems("pairing", pairing)
    assert sorted(p.message for _, p in found) == sorted(
        ["缺少必填项“结束日期”（ended_on）", "缺少必填项“结束原因”（end_reason）"]
    )


def test_time_away_counts_to_the_pairing_start():
    """Parents left four months before the survey: not yet eligible then, eligible two months on."""
    data = girl(survey_date="2019-07-05")
    data["father"]["left_on"] = data["mother"]["left_on"] = "2019-03-05"
    at_survey = eligibility.assess(data, PROGRAMME)
    assert at_survey.eligible is False
    assert at_survey.at(dt.date(2019, 9, 4)).eligible is False
    assert at_survey.at(dt.date(2019, 9, 5)).eligible is True
    restored = eligibility.Eligibility.from_facts(at_survey.as_facts(), PROGRAMME, dt.date(2019, 9, 5))
    assert restored.eligible is True
