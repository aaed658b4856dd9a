"""The reference pages: the code catalogue, the data dictionary and the rules page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import pytest

from aixin.core.findings import Severity
from aixin.domain.terms import CITY_KINDS
from aixin.load.schemas import SCHEMA_NAMES
from aixin.pullrequest import PR_RULES
from aixin.rules import RULES
from aixin.rules.catalogue import CODES
from aixin.site.reference import code, dictionary_markdown, rules_markdown, text

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "scripts" / "aixin"
EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition"]


def _render(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS)


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict]:
    return {name: json.loads((REPO / "schemas" / f"{name}.schema.json").read_text("utf-8")) for name in SCHEMA_NAMES}


@pytest.fixture(scope="module")
def dictionary(schemas) -> str:
    return dictionary_markdown(schemas)


@pytest.fixture(scope="module")
def rules_page() -> str:
    return rules_markdown()


# --------------------------------------------------------------------------- codes.py


def _emitted_codes() -> set[str]:
    """Every Y/S/R code written as a string literal in the package, outside the rules and codes.py."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(("rules/", "site/")) or rel == "codes.py":
            continue
        found |= set(re.findall(r"""["']([YSR]\d{3})["']""", path.read_text("utf-8")))
    return found


def test_every_emitted_code_is_catalogued():
    emitted = _emitted_codes()
    assert {"Y001", "S001", "R001"} <= emitted, "the scan finds the loader, schema and layout codes"
    assert emitted - set(CODES) == set(), "codes emitted but missing from codes.CODES"
    assert set(CODES) - emitted == set(), "codes in codes.CODES that nothing emits"


def test_codes_are_complete_ranges_and_not_rules():
    layout = {f"R{n:03}" for n in (*range(1, 7), *range(12, 15))}  # R007–R011 are the photo rules
    expected = {f"Y{n:03}" for n in range(1, 13)} | {f"S{n:03}" for n in range(1, 7)} | layout
    assert set(CODES) == expected
    assert not set(CODES) & set(RULES)


@pytest.mark.parametrize("key", sorted(CODES))
def test_code_info_is_chinese_and_short(key):
    info = CODES[key]
    assert info.code == key
    assert info.severity == Severity.ERROR == "error"
    assert re.search(r"[\u4e00-\u9fff]", info.title)
    assert re.search(r"[\u4e00-\u9fff]", info.explanation)
    assert 1 <= info.explanation.count("。") <= 2 and info.explanation.endswith("。")


# --------------------------------------------------------------------------- escaping


@pytest.mark.parametrize("value", ["a`b", "``x``", "`lead", "trail\\", "p|q", "a\\`b|c", "plain"])
def test_code_span_survives_a_table_cell(value):
    html = _render(f"| a | b |\n| --- | --- |\n| {code(value)} | end |\n")
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert len(cells) == 2 and cells[1] == "end"
    shown = re.fullmatch(r"<code>(.*)</code>", cells[0]).group(1)
    assert shown.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") == value


def test_text_is_inert_in_a_table_cell():
    nasty = "a|b *em* _u_ [l](x) <script>x</script> `c` \\| {: #id} & # 1. - + ~~s~~"
    html = _render(f"| a | b |\n| --- | --- |\n| {text(nasty)} | end |\n")
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert len(cells) == 2 and cells[1] == "end"
    assert "<script" not in html and "<em>" not in html and "<a " not in html and "<code>" not in html
    assert text("-x").startswith("&#45;") and text("1. x").startswith("&#49;")


def test_hostile_schema_text_stays_in_its_cell():
    schema = {
        "title": "T|itle *x*",
        "description": "desc <b>bold</b> | pipe",
        "type": "object",
        "required": ["a"],
        "properties": {
            "a": {"type": "string", "title": "A`b", "description": "x|y", "pattern": "^(a|b`c)$", "x-hint": "h|i"},
            "b": {"type": "string", "enum": ["p|q", "r`s"], "title": "B"},
        },
    }
    source = dictionary_markdown({"odd": schema})
    html = _render(source)
    assert "<b>" not in html
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    assert len(rows) == 3
    assert all(len(re.findall(r"<t[dh]>", row)) == 6 for row in rows)
    assert "<code>^(a|b`c)$</code>" in html


# --------------------------------------------------------------------------- data dictionary


def test_dictionary_starts_with_its_heading(dictionary):
    assert dictionary.startswith("# 数据字典\n")


def test_dictionary_lists_every_field_and_title(dictionary, schemas):
    for name, schema in schemas.items():
        assert f"{{#{name}}}" in dictionary
        assert text(schema["title"]) in dictionary
        for prop in schema["properties"]:
            assert f"`{prop}`" in dictionary, f"{name}.{prop}"


def _enum_values(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "enum" and isinstance(value, list):
                yield from value
            else:
                yield from _enum_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from _enum_values(item)


def _section(dictionary: str, name: str) -> str:
    start = dictionary.index(f"{{#{name}}}")
    end = dictionary.find("\n## ", start)
    return dictionary[start:] if end < 0 else dictionary[start:end]


def test_dictionary_lists_every_enum_value(dictionary, schemas):
    for name, schema in schemas.items():
        section = _section(dictionary, name)
        values = set(_enum_values({k: v for k, v in schema.items() if k != "allOf"}))
        assert values or name in CITY_KINDS  # a commendation or training has no list of choices
        for value in values:
            assert code(value) in section, f"{name}: {value}"


def test_dictionary_states_nested_fields(dictionary):
    for field in ("father.left_on", "mother.left_on", "guardian.phone", "consent.date", "residence.unit",
                  "county_approval.decision", "exception.approved_by", "units[].quota", "phases.survey.start"):
        assert f"`{field}`" in dictionary


def test_dictionary_states_conditional_requirements(dictionary):
    girl = _section(dictionary, "girl")
    assert "`father.left_on`：父母外出情况为“父亲外出”或“父母均外出”时必填" in girl
    assert "`mother.left_on`：父母外出情况为“母亲外出”或“父母均外出”时必填" in girl
    assert "`needs_other`：目前需求中选了“其他”时必填" in girl
    pairing = _section(dictionary, "pairing")
    assert "`ended_on`：结对状态为“已结束”时必填" in pairing
    assert "`end_reason`：结对状态为“已结束”时必填" in pairing
    assert "`end_reason_other`：结束原因为“其他”时必填" in pairing
    log = _section(dictionary, "log")
    assert "`festival`：方式为“节日陪伴”时必填" in log
    row = next(line for line in girl.splitlines() if line.startswith("| `father.left_on`"))
    assert "| 条件必填 |" in row and "时必填" in row


def test_dictionary_types_and_requirements(dictionary):
    rows = {line.split("|")[1].strip(): line for line in dictionary.splitlines() if line.startswith("| `")}
    assert "日期 YYYY-MM-DD" in rows["`survey_date`"] and "| 是 |" in rows["`survey_date`"]
    assert "年-月 YYYY-MM" in rows["`birth`"]
    assert "true/false" in rows["`poor_household`"]
    assert "列表（可多选）" in rows["`needs`"]
    assert "| 否 |" in rows["`notes`"]
    assert "填写提示" in rows["`poor_household`"]
    assert "是（填写“县区（园区）妇联意见”时）" in rows["`county_approval.decision`"]


def test_dictionary_renders_and_is_deterministic(schemas, dictionary):
    html = _render(dictionary)
    assert "<table>" in html and "<h1>数据字典</h1>" in html
    assert 'id="girl"' in html and "admonition" in html
    assert dictionary_markdown(schemas) == dictionary
    reordered = dict(reversed(list(schemas.items())))
    assert dictionary_markdown(reordered) == dictionary


# --------------------------------------------------------------------------- rules page


def test_rules_page_starts_with_its_heading(rules_page):
    assert rules_page.startswith("# 检查规则\n")


def test_rules_page_lists_every_rule_and_code(rules_page):
    for key, rule in (RULES | PR_RULES).items():
        assert f"### {key} {text(rule.title)} {{#{key.lower()}}}" in rules_page
    for key, info in CODES.items():
        assert f"### {key} {text(info.title)} {{#{key.lower()}}}" in rules_page
        assert text(info.explanation) in rules_page


def test_rules_page_has_examples_and_severities(rules_page):
    html = _render(rules_page)
    for key, rule in (RULES | PR_RULES).items():
        block = html.split(f'<h3 id="{key.lower()}">', 1)[1].split("<h", 1)[0]
        assert "<li>通过：" in block and "<li>不通过：" in block, key
        label = {"error": "错误", "warning": "警告", "info": "提示"}[rule.severity.value]
        assert label in block
    q001 = html.split('<h3 id="q001">', 1)[1].split("<h", 1)[0]
    assert "截止日期前为提示，之后为警告" in q001


def test_rules_page_groups_in_order(rules_page):
    headings = re.findall(r"^## (.+?) \{#", rules_page, re.M)
    assert headings == ["文件格式（Y）", "字段结构（S）", "文件位置（R）", "女童（G）", "爱心妈妈（M）",
                        "结对（P）", "联系记录（L）", "全市重复（D）", "名额（Q）", "修改权限（A）"]
    codes = re.findall(r"^### ([A-Z]\d{3}) ", rules_page, re.M)
    assert len(codes) == len(set(codes)) == len(RULES) + len(CODES) + len(PR_RULES)
    for letter in "YSRGMPLDQA":
        mine = [c for c in codes if c[0] == letter]
        assert mine == sorted(mine)


def test_rules_page_puts_pull_request_rules_in_their_own_group(rules_page):
    assert set(PR_RULES) == {f"A{n:03}" for n in range(1, 12)}
    assert not set(PR_RULES) & set(RULES)
    group = rules_page.split("{#group-a}", 1)[1]
    assert "aixin check --pr" in group.split("###", 1)[0], "the intro says where these findings come from"
    assert re.findall(r"^### (A\d{3}) ", group, re.M) == sorted(PR_RULES)
    for key in PR_RULES:
        row = next(line for line in rules_page.splitlines() if line.startswith(f"| [{key}]"))
        assert "| 修改权限 |" in row
        block = group.split(f"{{#{key.lower()}}}", 1)[1].split("\n### ", 1)[0]
        assert "检查对象：pull request 中的修改" in block, key
    assert "照片" in rules_page.split("{#group-r}", 1)[1].split("###", 1)[0]


def test_rules_page_renders_and_is_deterministic(rules_page):
    html = _render(rules_page)
    assert "<table>" in html and "<h1>检查规则</h1>" in html
    assert 'href="#m001"' in html and 'id="m001"' in html
    assert rules_markdown() == rules_page


# --------------------------------------------------------------------------- the notice page


def test_notice_page_renders_with_its_three_forms():
    source = (REPO / "docs" / "reference" / "notice.md").read_text("utf-8")
    assert source.startswith("# 遂宁市妇女联合会关于向社会征集1000名爱心妈妈开展结对帮扶留守女童活动的通知\n")
    assert "遂妇知〔2019〕18号" in source
    html = _render(source)
    assert html.count("<table>") == 3
    for form in ("遂宁市留守女童基本信息采集表", "遂宁市“爱心妈妈”志愿申报表", "遂宁市“爱心妈妈”与留守女童结对帮扶卡"):
        assert form in html
    assert "①父亲外出" in html and "(父亲外出" not in html
