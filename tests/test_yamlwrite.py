"""Records written by our tools load back exactly, read well, and never replace a record."""

from __future__ import annotations

import pytest

from aixin.load.loader import load_bytes
from aixin.load.writer import record_text, write_new

TRICKY = {
    "survey_date": "2019-07-05",
    "birth": "2010-03",
    "phone": "13800000001",
    "landline": {"phone": "0825-2223344"},
    "id_number": "51090219850612002X",
    "code": "0825",
    "time": "1:20",
    "answer": "no",
    "flag": False,
    "count": 3,
    "text": "a: b # c",
    "name": "王𠮷·示例",
    "list": ["学习辅导", "其他"],
    "empty_list": [],
}


def test_tricky_values_load_back_exactly():
    text = record_text(TRICKY, "../../../schemas/girl.schema.json", header=["示例"], comments={"name": "姓名"})
    loaded = load_bytes(text.encode("utf-8"), "records/x.yaml")
    assert loaded.findings == [] and loaded.data == TRICKY


def test_dates_plain_personal_numbers_double_quoted():
    text = record_text(TRICKY, "s.json")
    assert text.startswith("# yaml-language-server: $schema=s.json\n")
    assert "survey_date: 2019-07-05\n" in text and "birth: 2010-03\n" in text
    assert 'phone: "13800000001"' in text and 'id_number: "51090219850612002X"' in text
    assert 'phone: "0825-2223344"' in text
    assert "code: '0825'" in text and "answer: 'no'" in text


def test_write_new_never_replaces(tmp_path):
    path = tmp_path / "records" / "x.yaml"
    write_new(path, "a: 1\n")
    with pytest.raises(FileExistsError):
        write_new(path, "a: 2\n")
    assert path.read_text() == "a: 1\n"
    assert [p.name for p in path.parent.iterdir()] == ["x.yaml"]  # no temporary file left
