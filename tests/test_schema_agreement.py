"""The fast validator and jsonschema (the reference) must agree on every record we can find."""

from __future__ import annotations

import copy
import random

import pytest

from aixin.domain.layout import classify
from aixin.domain.programme import from_data
from aixin.domain.terms import KINDS
from aixin.load.loader import load_file
from aixin.load.schemas import SchemaSet
from conftest import REPO

SCHEMAS = SchemaSet.load(REPO / "schemas")
UNITS = from_data(load_file(REPO / "records/programme.yaml", "records/programme.yaml").data).unit_ids


def _records():
    """(kind, data) of every loadable record in the repository and the test cases."""
    found = []
    for path in sorted([*(REPO / "records").rglob("*.yaml"), *(REPO / "tests" / "cases").rglob("*.yaml")]):
        parts = path.parts
        if "records" not in parts:
            continue
        rel = "/".join(parts[len(parts) - parts[::-1].index("records") - 1 :])
        place = classify(rel, UNITS)
        if place is None or place.kind is None:
            continue
        data = load_file(path, rel).data
        if data is not None:
            found.append((place.kind, rel, data))
    return found


RECORDS = _records()


def _mutations(data: dict, rng: random.Random) -> list[dict]:
    """Damaged copies: a field dropped, retyped, emptied or misspelt, a date made impossible."""
    out = []
    for key in list(data):
        dropped = copy.deepcopy(data)
        del dropped[key]
        out.append(dropped)
        for bad in (123, "", "2019-02-30", ["x"], {"a": 1}, True, None):
            changed = copy.deepcopy(data)
            changed[key] = bad
            out.append(changed)
    typo = copy.deepcopy(data)
    typo["nmae"] = "示例"
    out.append(typo)
    return out


def test_there_are_records_of_every_kind():
    assert {kind for kind, _, _ in RECORDS} == set(KINDS)


@pytest.mark.parametrize("kind,rel,data", RECORDS, ids=[rel for _, rel, _ in RECORDS])
def test_fast_path_agrees_with_jsonschema(kind, rel, data):
    rng = random.Random(rel)
    for candidate in [data, *_mutations(data, rng)]:
        assert SCHEMAS.is_valid_fast(kind, candidate) == SCHEMAS.is_valid_reference(kind, candidate), candidate
