"""Every rule is documented: a title, what it checks, and a passing and a failing example."""

from __future__ import annotations

import re

import pytest

from aixin.rules import RULES


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_documented(code):
    rule = RULES[code]
    assert re.fullmatch(r"[A-Z]\d{3}", code)
    assert re.search(r"[\u4e00-\u9fff]", rule.title), "the title is Chinese"
    assert "通过：" in rule.doc and "不通过：" in rule.doc


def test_codes_are_unique_per_function():
    assert len({rule.check for rule in RULES.values()}) == len(RULES)
