"""Findings a coordinator can act on: whose field, which list item, what was probably meant."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from aixin.domain import eligibility
from aixin.domain.programme import from_data
from aixin.load.loader import load_bytes, load_file
from aixin.load.schemas import SchemaSet
from conftest import REPO

SCHEMAS = SchemaSet.load(REPO / "schemas")
PROGRAMME = from_data(load_file(REPO / "records/programme.yaml", "p").data)
GIRL = load_file(REPO / "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml", "g").data
GIRL_TEXT = (REPO / "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml").read_text("utf-8")


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


# Item 4 and 7 of issue 9: plain words for what people type, and the canonical form as the hint.


def test_a_chinese_comma_inside_a_list_gets_a_hint_about_the_comma():
    [(code, problem)] = SCHEMAS.problems("girl", girl(needs=["学习辅导，心理沟通"]))
    assert code == "S004" and "英文逗号" in problem.hint and "[学习辅导, 心理沟通]" in problem.hint


def test_needs_written_as_text_shows_the_list():
    [(code, problem)] = SCHEMAS.problems("girl", girl(needs="学习辅导，心理沟通"))
    assert code == "S003" and "写作 [学习辅导, 心理沟通]" in problem.hint


@pytest.mark.parametrize("written", ["2019年7月12日", "2019.7.12", "2019/7/12", "2019-7-12"])
def test_a_date_written_the_everyday_way_is_one_finding_that_shows_the_date(written):
    [(code, problem)] = SCHEMAS.problems("girl", girl(survey_date=written))
    assert code == "S005" and "写作 2019-07-12" in problem.hint


def test_an_impossible_day_gets_no_suggestion():
    [(code, problem)] = SCHEMAS.problems("girl", girl(survey_date="2019年2月30日"))
    assert code == "S005" and "写作 2019" not in problem.hint


def test_a_birth_month_written_the_everyday_way_shows_the_month():
    [(_, problem)] = SCHEMAS.problems("girl", girl(birth="2010年3月"))
    assert "写作 2010-03" in problem.hint


@pytest.mark.parametrize(("word", "canonical"), [("奶奶", "祖母"), ("外婆", "外祖母"), ("爷爷", "祖父"), ("外公", "外祖父")])
def test_an_everyday_kin_word_suggests_the_forms_word(word, canonical):
    data = girl()
    data["guardian"] = {**data["guardian"], "relationship": word}
    [(code, problem)] = SCHEMAS.problems("girl", data)
    assert code == "S004" and problem.hint.startswith(f"写作 {canonical}。")


@pytest.mark.parametrize("written", ["138 0000 0001", "138-0000-0001"])
def test_a_phone_with_spaces_or_dashes_suggests_the_digits_masked(written):
    data = girl()
    data["guardian"] = {**data["guardian"], "phone": written}
    [(code, problem)] = SCHEMAS.problems("girl", data)
    assert code == "S005" and "写作 138****0001" in problem.hint
    assert "13800000001" not in problem.hint  # hints are printed as they are: no full number


def test_a_unit_written_by_its_name_suggests_its_code():
    mother = load_file(REPO / "records/chuanshan/mothers/chuanshan-m-7k2q9d.yaml", "m").data
    mother["residence"] = {**mother["residence"], "unit": "船山区"}
    [(code, problem)] = SCHEMAS.problems("mother", mother, PROGRAMME.units)
    assert code == "S005" and "写作 chuanshan" in problem.hint


def test_a_chinese_colon_is_named_in_chinese():
    text = GIRL_TEXT.replace("name: 示例女童甲", "name：示例女童甲")
    [finding] = load_bytes(text.encode(), "g.yaml").findings
    line = text.splitlines().index("name：示例女童甲") + 1
    assert (finding.rule, finding.line, finding.column) == ("Y005", line, 1)
    assert "中文冒号" in finding.message and "YAML" not in finding.message and "expected" not in finding.message
    assert "写作 name: 示例女童甲" in finding.hint


def test_a_chinese_colon_in_a_nested_field_is_reported_on_its_own_line():
    text = GIRL_TEXT.replace("  name: 示例父亲甲", "  name：示例父亲甲")
    [finding] = load_bytes(text.encode(), "g.yaml").findings
    assert finding.line == text.splitlines().index("  name：示例父亲甲") + 1 and "中文冒号" in finding.message


def test_a_known_syntax_error_has_no_english():
    [finding] = load_bytes(b"name: a\nphone:13800000001\nschool: b\n", "g.yaml").findings
    assert finding.rule == "Y005" and "YAML" not in finding.message and "could not" not in finding.message


def test_the_check_suggests_the_unit_code(make_root):
    from aixin.check.engine import run_check
    from conftest import CASES, TODAY

    root = make_root(CASES / "valid" / "records")
    path = root / "records/chuanshan/mothers/chuanshan-m-h3j6n9.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("unit: chuanshan", "unit: 船山区"), "utf-8")
    found = [f for f in run_check(root, today=TODAY, use_cache=False, jobs=1).findings if f.rule == "S005"]
    assert [f.file for f in found] == [f"records/chuanshan/mothers/{path.name}"]
    assert "写作 chuanshan" in found[0].hint


def test_a_list_hint_never_shows_a_full_phone():
    [(_, problem)] = SCHEMAS.problems("girl", girl(needs="学习辅导，13800000001"))
    assert "13800000001" not in problem.hint and "138****0001" in problem.hint


def test_a_landline_suggestion_keeps_its_area_code():
    data = girl()
    data["guardian"] = {**data["guardian"], "phone": "0825 222 3344"}
    [(_, problem)] = SCHEMAS.problems("girl", data)
    assert "写作 0825-***3344" in problem.hint
