"""The questions `aixin new` asks, derived by walking a record schema (following `$ref`).

The schema owns shape: each question carries its resolved subschema, so that an answer is
checked against the schema itself, and its title and description become the question and its
help. Conditional requirements come from the schema's `allOf` if/then: a field that only a
condition makes required (needs_other, festival, ended_on, a parent's left_on) is asked only
when that condition holds for the answers given so far.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from jsonschema import Draft202012Validator

from aixin.domain import eligibility
from aixin.domain.terms import KIND_LETTERS
from aixin.load.schemas import subschema

# Fields `aixin new` leaves out: the city's approval is entered by the city alone; a girl who is
# no longer left-behind and a mother who withdrew are written later, into the record on file.
NOT_ASKED = {"mother": {("city_approval",), ("withdrawn",)}, "girl": {("left_behind_ended",)}}
# Fields `aixin new` fills in itself instead of asking: a pairing's 一对一/一对多 follows from the
# mother's pairings in progress (rule P007), so it is derived once she and the status are known.
DERIVED = {"pairing": {("mode",)}}
# Asked before the schema's order: a pairing's dates, status and approved exception come before
# the two people, so that picking a mother or a girl is checked against the real pairing (P003
# to P007 read them; an exception lets a girl who does not fully qualify be paired, P004).
ASKED_FIRST = {
    "pairing": ("filed_on", "started_on", "status", "ended_on", "end_reason", "end_reason_other", "exception")
}

# Optional fields asked only when they matter: whether a girl lives in the countryside is asked
# only when her township is a 街道 or her village a 社区 (rule G011 warns then).
ASKED_IF: dict[str, dict[tuple[str, ...], Callable[[dict], bool]]] = {
    "girl": {("rural_confirmed",): eligibility.looks_urban}
}

REQUIRED, OPTIONAL, SKIP = "required", "optional", "skip"


@dataclass(frozen=True)
class Question:
    """One field to ask: where it goes, how it is worded, and the schema its answer must meet.

    `kind` says how an answer is read: text, date, year_month, boolean, choice (one of an enum),
    relationship (a choice that also takes everyday kin words: 奶奶),
    choices (several of an enum), list (several texts), id_number, phone, unit (a unit code),
    integer, reference (the id of another record, of kind `reference`), references (several
    such ids, possibly none) or object (asked field by field).
    """

    path: tuple[str, ...]
    title: str
    label: str  # the title as asked: a short one says whose it is (父亲的姓名)
    description: str
    schema: dict  # the resolved subschema, with the root's $defs so that its $refs resolve
    required: bool  # within its parent, whatever the other answers
    kind: str = "text"
    choices: tuple[str, ...] = ()
    reference: str | None = None
    conditions: tuple[dict, ...] = ()  # `if` schemas (on the whole record) that make it required
    children: tuple[Question, ...] = ()
    asked_if: Callable[[dict], bool] | None = None  # an optional field asked only when this holds

    @property
    def key(self) -> str:
        return self.path[-1]

    def status(self, record: dict) -> str:
        """REQUIRED, OPTIONAL or SKIP (a conditional field whose condition does not hold)."""
        if self.required:
            return REQUIRED
        if self.asked_if is not None and not self.asked_if(record):
            return SKIP
        if self.conditions:
            holds = any(Draft202012Validator(c).is_valid(record) for c in self.conditions)
            return REQUIRED if holds else SKIP
        return OPTIONAL


def build(kind: str, root: dict) -> tuple[Question, ...]:
    """The questions for a record of `kind`, in the schema's order of properties."""
    walk = _Walk(root, _conditional_paths(root), NOT_ASKED.get(kind, set()), ASKED_IF.get(kind, {}))
    return walk.children((), walk.resolved(()), "")


def asking_order(kind: str, questions: tuple[Question, ...]) -> tuple[Question, ...]:
    """The top-level questions in the order they are asked (ASKED_FIRST, then the schema's)."""
    first = ASKED_FIRST.get(kind, ())
    ahead = sorted((q for q in questions if q.key in first), key=lambda q: first.index(q.key))
    return (*ahead, *(q for q in questions if q.key not in first))


def in_schema_order(questions: tuple[Question, ...], record: dict) -> dict:
    """The record with its fields in the schema's order (the order the file is written in)."""
    ordered = {}
    for question in questions:
        if question.key in record:
            value = record[question.key]
            ordered[question.key] = in_schema_order(question.children, value) if question.children else value
    return ordered


def walk_all(questions) -> list[Question]:
    """Every question, depth first (objects before their fields)."""
    found = []
    for question in questions:
        found.append(question)
        found.extend(walk_all(question.children))
    return found


class _Walk:
    def __init__(self, root: dict, conditional: dict, not_asked: set, asked_if: dict):
        self.root = root
        self.asked_if = asked_if
        self.defs = root.get("$defs", {})
        self.conditional = conditional
        self.not_asked = not_asked

    def resolved(self, path: tuple) -> dict:
        return subschema(self.root, path)

    def children(self, path: tuple, node: dict, parent_title: str) -> tuple[Question, ...]:
        required = set(node.get("required", ()))
        return tuple(
            self.question(path + (name,), name in required, parent_title)
            for name in node.get("properties", {})
            if path + (name,) not in self.not_asked
        )

    def question(self, path: tuple, required: bool, parent_title: str) -> Question:
        node = self.resolved(path)
        name = path[-1]
        title = node.get("title") or name
        # A short, generic name says whose it is (父亲的姓名), unless the section heading is long.
        label = f"{parent_title}的{title}" if 0 < len(parent_title) <= 4 and len(title) <= 4 else title
        kind, choices, reference = _kind(name, node, self.resolved(path + (0,)))
        conditions = tuple({**c, "$defs": self.defs} for c in self.conditional.get(path, ()))
        children = self.children(path, node, title) if kind == "object" else ()
        return Question(
            path,
            title,
            label,
            node.get("description", ""),
            {**node, "$defs": self.defs},
            required,
            kind,
            choices,
            reference,
            conditions,
            children,
            self.asked_if.get(path),
        )


def _kind(name: str, node: dict, items: dict) -> tuple[str, tuple[str, ...], str | None]:
    """How an answer to this field is read, derived from the schema (and the field's name)."""
    kind = node.get("type")
    if kind == "object":
        return "object", (), None
    if kind == "boolean":
        return "boolean", (), None
    if kind == "integer":
        return "integer", (), None
    if kind == "array":
        if "enum" in items:
            return "choices", tuple(items["enum"]), None
        named = _referenced_kind(items.get("pattern", ""))
        return ("references", (), named) if named else ("list", (), None)
    if "enum" in node:
        return ("relationship" if name == "relationship" else "choice"), tuple(node["enum"]), None
    if node.get("format") == "date":
        return "date", (), None
    pattern = node.get("pattern", "")
    if name == "id_number":
        return "id_number", (), None
    if name == "phone":
        return "phone", (), None
    if name == "unit":
        return "unit", (), None
    if pattern and re.search(pattern, "2010-03") and not re.search(pattern, "2010-03-01"):
        return "year_month", (), None
    letter = KIND_LETTERS.get(name)
    if letter and pattern and re.search(pattern, f"chuanshan-{letter}-3m8x4p"):
        return "reference", (), name
    return "text", (), None


def _referenced_kind(pattern: str) -> str | None:
    """The record kind whose ids a list's items are (a training's invited mothers), else None."""
    if not pattern:
        return None
    return next(
        (kind for kind, letter in KIND_LETTERS.items() if re.search(pattern, f"chuanshan-{letter}-3m8x4p")), None
    )


def _conditional_paths(root: dict) -> dict[tuple, tuple[dict, ...]]:
    """Field path → the `if` schemas under which the schema's `allOf` makes it required."""
    found: dict[tuple, tuple[dict, ...]] = {}
    for rule in root.get("allOf", ()):
        if "if" in rule and "then" in rule:
            for path in _required_paths(rule["then"]):
                found[path] = found.get(path, ()) + (rule["if"],)
    return found


def _required_paths(node: dict, prefix: tuple = ()):
    for name in node.get("required", ()):
        yield prefix + (name,)
    for name, inner in node.get("properties", {}).items():
        yield from _required_paths(inner, prefix + (name,))
