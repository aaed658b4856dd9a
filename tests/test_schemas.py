"""The schemas document themselves: every field has a Chinese title and description."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO

SCHEMA_FILES = sorted((REPO / "schemas").glob("*.schema.json"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def properties(schema: dict, node: dict, path: str = ""):
    """(path, property schema) for every property, following local $refs and array items."""
    while "$ref" in node:
        target = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    for name, child in node.get("properties", {}).items():
        yield f"{path}{name}", child
        yield from properties(schema, child, f"{path}{name}.")
    if "items" in node:
        yield from properties(schema, node["items"], f"{path}[]")


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_2020_12(path):
    Draft202012Validator.check_schema(json.loads(path.read_text("utf-8")))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_a_chinese_title_and_description(path):
    schema = json.loads(path.read_text("utf-8"))
    assert CHINESE.search(schema["title"]) and CHINESE.search(schema["description"])
    missing = [
        name
        for name, node in properties(schema, schema)
        if not (CHINESE.search(node.get("title", "")) and CHINESE.search(node.get("description", "")))
    ]
    assert missing == []


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schemas_use_only_what_both_validators_understand(path):
    text = path.read_text("utf-8")
    for keyword in ("prefixItems", "dependentRequired", "dependentSchemas", "unevaluatedProperties", "unevaluatedItems"):
        assert f'"{keyword}"' not in text
