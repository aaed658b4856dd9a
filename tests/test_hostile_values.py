"""Hostile values in records (issue 8): numbers in free text, escaped control characters,
trailing newlines and whitespace-only text. Each one is refused or masked, never echoed or crashed on."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from aixin.core.findings import Finding, Severity
from aixin.core.idnumber import make
from aixin.core.masking import find_numbers, mask_digits, visible
from aixin.domain.programme import from_data
from aixin.domain.records import Record
from aixin.load.loader import load_bytes, load_file
from aixin.load.schemas import SchemaSet, subschema
from aixin.report.reporters import finding_line
from aixin.rules import Context, record_rules
from aixin.rules.free_text import numbers_in_text
from aixin.rules.runner import record_findings
from aixin.site import build as site_build
from aixin.site.audience import CITY_AUDIENCE
from conftest import CASES, REPO, TODAY

SCHEMAS = SchemaSet.load(REPO / "schemas")
PROGRAMME = from_data(load_file(REPO / "records/programme.yaml", "records/programme.yaml").data)
CTX = Context(PROGRAMME, TODAY)
VALID = CASES / "valid" / "records"
ID = make("510903", dt.date(1985, 6, 12), 2)  # fictional, valid check digit
SPACED_ID = f"{ID[:6]} {ID[6:14]} {ID[14:]}"


def _a_record(kind: str) -> tuple[str, dict]:
    folder = {"girl": "girls", "mother": "mothers", "pairing": "pairings", "log": "logs"}[kind]
    path = sorted((VALID / "chuanshan" / folder).rglob("*.yaml"))[0]
    rel = path.relative_to(VALID.parent).as_posix()
    data = load_file(path, rel).data
    assert data is not None and SCHEMAS.problems(kind, data) == []
    return rel, data


# ------------------------------------------------------------------ numbers in free text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("父亲新手机 139 1234 5679，座机0825-2345678", "父亲新手机 139 **** 5679，座机0825-***5678"),
        ("号码 139-1234-5678", "号码 139-****-5678"),
        (f"身份证 {SPACED_ID}", f"身份证 {SPACED_ID[:4]}** ******** {ID[-4:]}"),
        # unchanged: unseparated runs are masked exactly as before, other text not at all
        ("13912345678", "139****5678"),
        (ID, ID[:4] + "*" * 10 + ID[-4:]),
        ("2019-07-05 至 2019-08-31，共 120 人", "2019-07-05 至 2019-08-31，共 120 人"),
    ],
)
def test_mask_digits_catches_spaced_and_dashed_numbers(text, masked):
    assert mask_digits(text) == masked


def test_find_numbers_verifies_the_id_check_digit():
    wrong = ID[:17] + ("1" if ID[17] != "1" else "2")
    assert [m.kind for m in find_numbers(f"妈妈身份证 {ID}，另一个 {wrong}")] == ["id"]
    assert find_numbers("学籍号 20190705，一分钟跳 120 下，编号 2019070512") == []
    kinds = [m.kind for m in find_numbers("新号码是 13912345678，座机 0825 2345678，手机 139 1234 5679")]
    assert kinds == ["mobile", "landline", "mobile"]


def _free_text_paths(kind: str, data: dict) -> list[tuple]:
    """Every free-text field of a kind's schema (plain strings: no pattern, enum or format)."""
    root = SCHEMAS.schemas[kind]
    found = []

    def walk(node: dict, path: tuple) -> None:
        for key in node.get("properties", {}):
            sub = subschema(root, (*path, key))
            if sub.get("type") == "object":
                walk(sub, (*path, key))
            elif sub.get("type") == "string" and not ({"pattern", "enum", "const", "format"} & set(sub)):
                found.append((*path, key))

    walk(subschema(root, ()), ())
    return found


@pytest.mark.parametrize("kind", ["girl", "mother", "pairing", "log"])
def test_every_free_text_field_of_every_kind_is_searched(kind):
    rel, data = _a_record(kind)
    paths = _free_text_paths(kind, data)
    assert paths
    for path in paths:
        changed = copy.deepcopy(data)
        target = changed
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = f"有事请打 139 1234 5679，身份证 {SPACED_ID}"
        record = Record(kind, "chuanshan", Path(rel).stem, rel, changed)
        problems = list(numbers_in_text(record))
        assert [p.path for p in problems] == [path, path], path
        assert "139 **** 5679" in problems[0].message
        for problem in problems:
            assert "1234 5679" not in problem.message
            assert ID not in problem.message and SPACED_ID not in problem.message


def test_the_own_fields_and_identifiers_are_not_free_text():
    _, data = _a_record("mother")
    record = Record("mother", "chuanshan", "chuanshan-m-x", "x.yaml", {**data, "phone": "13912345678"})
    assert list(numbers_in_text(record)) == []


def _with_numbers(make_root) -> Path:
    root = make_root(VALID)
    girl = sorted((root / "records/chuanshan/girls").glob("*.yaml"))[0]
    text = girl.read_text("utf-8")
    text = re.sub(
        r"(?m)^hobbies: .*$", f"hobbies: 画画；父亲新手机 139 1234 5679，座机0825-2345678，妈妈身份证 {ID}", text
    )
    assert "1234 5679" in text
    girl.write_text(text, "utf-8")
    log = sorted((root / "records/chuanshan/logs").rglob("*.yaml"))[0]
    text = log.read_text("utf-8")
    log.write_text(re.sub(r"(?m)^summary: .*$", "summary: 她的新号码是 13912345678。", text), "utf-8")
    return root


def test_site_pages_mask_numbers_in_free_text(make_root, tmp_path):
    root = _with_numbers(make_root)
    docs = tmp_path / "docs"
    site_build.generate(root, CITY_AUDIENCE, docs, today=TODAY)
    keep = ("index.md", "units/", "girls/", "mothers/", "pairings/")  # from records: not the rules page
    pages = "\n".join(p.read_text("utf-8") for p in docs.rglob("*.md") if p.relative_to(docs).as_posix().startswith(keep))
    assert "画画" in pages and "5679" in pages  # the text is there, masked
    digits = re.sub(r"&#45;|&#32;|[ \-]", "", pages)
    for secret in ("13912345679", "08252345678", ID, "13912345678"):
        assert secret not in digits, secret


# ------------------------------------------------------------------ control characters


@pytest.mark.parametrize("escape", ["\\u202e", "\\u200b", "\\0", "\\a", "\\L", "\\e", "\\x1b", "\\r"])
def test_escaped_control_characters_are_y003_at_the_value(escape):
    raw = f'survey_date: 2019-07-05\nname: "示例{escape}女童五"\n'.encode()
    loaded = load_bytes(raw, "records/chuanshan/girls/chuanshan-g-aaaa01.yaml")
    assert loaded.data is None
    assert [(f.rule, f.line, f.column) for f in loaded.findings] == [("Y003", 2, 7)]
    assert "U+" in loaded.findings[0].message


def test_backslashes_that_write_no_control_character_pass():
    raw = 'a: "C:\\\\temp \\u4e2d"\nb: \'\\u202e\'\nc: plain \\e\nd: "行一\\n行二\\t"\n'.encode()
    loaded = load_bytes(raw, "x.yaml")
    assert loaded.findings == []
    assert loaded.data == {"a": "C:\\temp 中", "b": "\\u202e", "c": "plain \\e", "d": "行一\n行二\t"}


def test_messages_show_control_characters():
    _, data = _a_record("girl")
    data = copy.deepcopy(data)
    data["guardian"]["relationship"] = "\x1b[2J\x1b[31mFAKE: 0 个错误\x1b[0m"
    ((code, problem),) = SCHEMAS.problems("girl", data)
    assert code == "S004" and "\x1b" not in problem.message and "\\u001b[2J" in problem.message


def test_the_text_reporter_shows_control_characters():
    finding = Finding("a.yaml", 1, 1, "S004", Severity.ERROR, "值“\x1b[2J\u202e示例”", "提示\x07", "a")
    line = finding_line(finding)
    assert "\x1b" not in line and "\u202e" not in line and "\x07" not in line
    assert "\\u001b[2J\\u202e示例" in line and "提示\\u0007" in line
    assert visible("普通的中文，全角空格　也不变\n第二行\t") == "普通的中文，全角空格　也不变\n第二行\t"


# ------------------------------------------------------------------ trailing newline, blank text


@pytest.mark.parametrize(
    ("kind", "path", "value"),
    [
        ("girl", ("guardian", "phone"), "13800000015\n"),
        ("girl", ("survey_date",), "2019-07-05\n"),
        ("girl", ("birth",), "2010-03\n"),
        ("mother", ("id_number",), ID + "\n"),
        ("pairing", ("started_on",), "2019-08-01\n"),
        ("log", ("date",), "2019-09-15\n"),
    ],
)
def test_a_trailing_newline_is_rejected_by_both_validators(kind, path, value):
    _, data = _a_record(kind)
    data = copy.deepcopy(data)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert not SCHEMAS.is_valid_fast(kind, data)
    assert not SCHEMAS.is_valid_reference(kind, data)
    assert [code for code, _ in SCHEMAS.problems(kind, data)] == ["S005"]


def test_rules_never_crash_on_a_date_that_is_not_one():
    _, data = _a_record("girl")
    data = {**copy.deepcopy(data), "survey_date": "2019-07-05\n"}
    record = Record("girl", "chuanshan", "chuanshan-g-x", "x.yaml", data)
    found = record_findings(record_rules("girl"), record, CTX, {})
    assert not [f for f in found if "内部错误" in f.message]


@pytest.mark.parametrize("value", ["   ", "\u3000", " \u3000\n", ""])
@pytest.mark.parametrize(("kind", "path"), [("girl", ("school",)), ("girl", ("name",)), ("log", ("summary",))])
def test_whitespace_only_text_is_empty(kind, path, value):
    _, data = _a_record(kind)
    data = {**copy.deepcopy(data), path[0]: value}
    assert not SCHEMAS.is_valid_fast(kind, data) and not SCHEMAS.is_valid_reference(kind, data)
    problems = SCHEMAS.problems(kind, data)
    assert [(code, p.path) for code, p in problems] == [("S006", path)]
    assert "不能为空" in problems[0][1].message


def test_an_invalid_record_always_has_a_finding():
    _, data = _a_record("girl")
    assert SCHEMAS.problems("girl", {**data, "survey_date": "2019-07-05\n"})


def test_guided_entry_calls_an_answer_of_spaces_empty():
    """`aixin new` checks each answer against the field's schema: spaces alone are "empty"."""
    from aixin.entry import answers, questions

    schema = json.loads((REPO / "schemas" / "girl.schema.json").read_text("utf-8"))
    school = next(q for q in questions.walk_all(questions.build("girl", schema)) if q.path == ("school",))
    with pytest.raises(answers.AnswerError) as caught:
        answers.parse(school, "\u3000 ", today=dt.date(2020, 1, 15))
    assert caught.value.reason == "不能为空"
