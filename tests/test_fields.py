"""Field-level checks that the schemas own: phones, the girl's rural address, quoting."""

from __future__ import annotations

import copy

import pytest

from aixin.load.loader import load_file
from aixin.load.schemas import SchemaSet
from conftest import REPO

SCHEMAS = SchemaSet.load(REPO / "schemas")
MOTHER = load_file(REPO / "records/chuanshan/mothers/chuanshan-m-7k2q9d.yaml", "m").data
GIRL = load_file(REPO / "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml", "g").data


def mother_with_phone(phone):
    data = copy.deepcopy(MOTHER)
    data["phone"] = phone
    return data


@pytest.mark.parametrize("phone", ["13812345678", "19900001111", "0825-2223344", "028-12345678"])
def test_good_phones(phone):
    assert SCHEMAS.problems("mother", mother_with_phone(phone)) == []


@pytest.mark.parametrize(
    "phone",
    ["1381234567", "138123456789", "12812345678", "0825 2223344", "08252223344", "2223344", "１３８１２３４５６７８", "+8613812345678"],
)
def test_bad_phones_are_pattern_findings(phone):
    found = SCHEMAS.problems("mother", mother_with_phone(phone))
    assert [code for code, _ in found] == ["S005"]
    problem = found[0][1]
    assert problem.path == ("phone",)
    assert phone not in problem.message  # masked: never the full number
    assert "座机" in problem.hint


def test_an_unquoted_phone_is_asked_to_be_quoted():
    [(code, problem)] = SCHEMAS.problems("mother", mother_with_phone(13812345678))
    assert code == "S003" and "引号" in problem.message and "13812345678" not in problem.message


@pytest.mark.parametrize("field,title", [("township", "乡镇（街道）"), ("village", "村（社区）")])
def test_a_girl_must_have_a_rural_address(field, title):
    data = copy.deepcopy(GIRL)
    del data[field]
    [(code, problem)] = SCHEMAS.problems("girl", data)
    assert code == "S001" and title in problem.message


def test_a_girl_record_cannot_hold_an_id_number():
    data = copy.deepcopy(GIRL)
    data["id_number"] = "510903201003050026"
    [(code, problem)] = SCHEMAS.problems("girl", data)
    assert code == "S002" and "id_number" in problem.message
