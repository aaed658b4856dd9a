"""The editor's Chinese messages (`errorMessage` in schemas/*.json, written by
scripts/schema_messages.py) are all there, up to date with what the schemas say, and change
nothing of what `aixin check` finds."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from aixin.load.loader import load_file
from aixin.load.schemas import SCHEMA_NAMES, SchemaSet

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "schemas"
FILES = sorted(SCHEMAS.glob("*.schema.json"))
FOLDER_KIND = {"girls": "girl", "mothers": "mother", "pairings": "pairing", "commendations": "commendation", "trainings": "training"}

_spec = importlib.util.spec_from_file_location("schema_messages", REPO / "scripts" / "schema_messages.py")
assert _spec and _spec.loader
messages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(messages)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_checked_node_has_its_message(path):
    """Each node holding a type, enum, const, pattern, format or required list has a Chinese
    errorMessage, and the if/then blocks' `then` has one for its conditional fields."""
    root = json.loads(path.read_text(encoding="utf-8"))
    lacking = [at for at, node in messages.nodes(root) if messages.needs_message(node) and not node.get("errorMessage")]
    assert lacking == []
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in node["errorMessage"]) for _, node in messages.nodes(root) if "errorMessage" in node)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_messages_follow_the_schema(path):
    """Made from x-hint, title, the choices and the required fields: changing one of those and
    not running scripts/schema_messages.py fails here."""
    text = path.read_text(encoding="utf-8")
    assert messages.with_messages(text) == text, "run .venv/bin/python scripts/schema_messages.py"
    assert messages.stale(json.loads(text)) == []


def test_a_changed_hint_changes_the_message_in_place():
    text = (SCHEMAS / "log.schema.json").read_text(encoding="utf-8")
    changed = messages.with_messages(text.replace("简要写下这次联系的内容。", "写下这次联系说了什么。"))
    summary = json.loads(changed)["properties"]["summary"]
    assert summary["errorMessage"] == summary["x-hint"] == "写下这次联系说了什么。"
    assert changed.count("\n") == text.count("\n")  # the layout is kept: replaced, not rewritten


def test_a_new_field_gets_a_message_on_its_own_line():
    text = (SCHEMAS / "log.schema.json").read_text(encoding="utf-8")
    grown = text.replace('"properties": {\n', '"properties": {\n    "mood": {"type": "string", "enum": ["好", "一般"], "title": "情绪"},\n', 1)
    added = messages.with_messages(grown)
    assert '"mood": {"type": "string", "enum": ["好", "一般"], "title": "情绪", "errorMessage": "情绪：只能写其中之一：好、一般。"},\n' in added
    assert added.replace(', "errorMessage": "情绪：只能写其中之一：好、一般。"', "") == grown


def _without_messages(tmp_path: Path) -> Path:
    plain = tmp_path / "schemas"
    plain.mkdir()
    for path in FILES:
        root = json.loads(path.read_text(encoding="utf-8"))
        for _, node in messages.nodes(root):
            node.pop("errorMessage", None)
        (plain / path.name).write_text(json.dumps(root, ensure_ascii=False), encoding="utf-8")
    return plain


def _records() -> list[tuple[str, Path]]:
    found = [("programme", REPO / "records" / "programme.yaml")]
    for base in (REPO / "records", REPO / "tests" / "cases"):
        for path in sorted(base.rglob("*.yaml")):
            kind = "log" if path.parent.parent.name == "logs" else FOLDER_KIND.get(path.parent.name)
            if kind:
                found.append((kind, path))
    return found


def _spoilt(data: dict) -> list[dict]:
    """`data` with each top-level field in turn left out or written wrong three ways."""
    found = []
    for key in data:
        found.append({k: v for k, v in data.items() if k != key})
        found += [{**data, key: wrong} for wrong in (7, "？", [])]
    return found


def test_aixin_check_finds_the_same_with_and_without_the_messages(tmp_path):
    """jsonschema and fastjsonschema ignore `errorMessage`: every bundled and test record, valid
    or not, and the first records of each kind spoilt field by field, get the same verdict and
    the same Chinese findings."""
    with_them = SchemaSet.load(SCHEMAS, SCHEMA_NAMES)
    without = SchemaSet.load(_without_messages(tmp_path), SCHEMA_NAMES)
    compared, invalid, spoilt = 0, 0, dict.fromkeys(SCHEMA_NAMES, 0)
    for kind, path in _records():
        data = load_file(path, path.name).data
        if not isinstance(data, dict):
            continue
        variants = [data] + (_spoilt(data) if spoilt[kind] < 3 else [])
        spoilt[kind] += 1
        for record in variants:
            assert with_them.is_valid_fast(kind, record) == without.is_valid_fast(kind, record), path
            assert with_them.is_valid_reference(kind, record) == without.is_valid_reference(kind, record), path
            found = with_them.problems(kind, record)
            assert found == without.problems(kind, record), path
            compared += 1
            invalid += bool(found)
    assert compared > 1500 and invalid > 500
