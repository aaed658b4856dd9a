"""Rural residence (the notice's "留在农村生活", issue 9 item 9): a girl whose township or village
is a 街道 or 社区 gets G011 until the coordinator confirms it with `rural_confirmed: true`."""

from __future__ import annotations

import pytest

from aixin import demo
from aixin.check.engine import run_check
from aixin.domain.eligibility import URBAN_TOWNSHIP, URBAN_VILLAGE
from aixin.load.loader import load_file
from aixin.load.schemas import SchemaSet
from aixin.sheets.layout import build_forms
from conftest import CASES, REPO, TODAY

SCHEMAS = SchemaSet.load(REPO / "schemas")
GIRL = "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml"  # a girl of the valid tree, 示例镇示例村


def g011(make_root, **lines: str) -> list:
    """G011 findings after rewriting `township`, `village` or adding `rural_confirmed` lines."""
    root = make_root(CASES / "valid" / "records")
    path = root / GIRL
    text = path.read_text("utf-8")
    for key, value in lines.items():
        if f"\n{key}: " in text:
            start = text.index(f"\n{key}: ") + 1
            end = text.index("\n", start)
            text = text[:start] + f"{key}: {value}" + text[end:]
        else:
            text += f"{key}: {value}\n"
    path.write_text(text, "utf-8")
    return [f for f in run_check(root, today=TODAY, use_cache=False, jobs=1).findings if f.rule == "G011"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("township", "示例街道"), ("township", "示例街道办事处"), ("village", "示例社区"), ("village", "示例居委会")],
)
def test_a_street_or_community_asks_to_confirm(make_root, field, value):
    [finding] = g011(make_root, **{field: value})
    assert finding.severity.value == "warning" and value in finding.message and "rural_confirmed: true" in finding.hint


def test_both_are_named_in_one_warning(make_root):
    [finding] = g011(make_root, township="示例街道", village="示例社区")
    assert "示例街道" in finding.message and "示例社区" in finding.message


def test_the_confirmation_silences_the_warning(make_root):
    assert g011(make_root, village="示例社区", rural_confirmed="true") == []


def test_false_says_she_is_not_in_the_target_group(make_root):
    [finding] = g011(make_root, rural_confirmed="false")
    assert "不是本活动的结对对象" in finding.message


def test_a_township_and_village_need_nothing(make_root):
    assert g011(make_root) == []


def test_the_confirmation_is_a_yes_or_no():
    girl = load_file(REPO / "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml", "g").data
    assert SCHEMAS.problems("girl", {**girl, "rural_confirmed": True}) == []
    [(code, _)] = SCHEMAS.problems("girl", {**girl, "rural_confirmed": "是"})
    assert code == "S003"


def test_the_template_has_the_confirmation_column():
    forms = build_forms(SCHEMAS.schemas, ())
    [column] = [c for c in forms["girl"].columns if c.path == ("rural_confirmed",)]
    assert (column.header, column.kind, column.required) == ("已核实留在农村生活", "yesno", False)


def test_the_demo_girls_live_in_townships_and_villages(tmp_path):
    demo.generate(tmp_path, scale=0.05, seed=7)
    for path in (tmp_path / "records").glob("*/girls/*.yaml"):
        girl = load_file(path, path.name).data
        assert not girl["township"].endswith(URBAN_TOWNSHIP) and not girl["village"].endswith(URBAN_VILLAGE)


def test_the_data_dictionary_lists_the_confirmation():
    from aixin.site.reference import dictionary_markdown

    text = dictionary_markdown(SCHEMAS.schemas)
    assert "rural_confirmed" in text and "已核实留在农村生活" in text
