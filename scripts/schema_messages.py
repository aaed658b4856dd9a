"""Chinese `errorMessage`s in schemas/*.json for the editor's YAML language server.

VS Code's YAML extension (and the GitHub web editor with it) runs `yaml-language-server`, which
shows a schema node's `errorMessage` instead of its English "Incorrect type", "Value is not
accepted", "String does not match the pattern" and "Missing property" (`patternErrorMessage`
would cover pattern and format alone, so `errorMessage` is the one keyword used). It reads the
message of the node that holds the failing keyword: a `$ref`'s target, not the property that
points to it; for a missing field the object's own message. So each such node gets one, made
from what the schema already says there (`x-hint`, `title`, the choices, the required fields):
change those and run this script again; `tests/test_editor_messages.py` fails until you do.

`aixin check` never reads `errorMessage` (its own wording comes from `x-hint`), jsonschema and
fastjsonschema ignore the keyword.

    .venv/bin/python scripts/schema_messages.py          # write the messages into schemas/
    .venv/bin/python scripts/schema_messages.py --check  # exit 1 when one is missing or stale

The files keep their hand-made layout: a message is added as the node's last member, or its
value replaced in place.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

KEY = "errorMessage"
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
CONSTRAINTS = ("type", "enum", "const", "pattern", "format", "required")
CHILD_MAPS = ("properties", "patternProperties", "$defs")
CHILD_LISTS = ("allOf", "anyOf", "oneOf")
CHILD_NODES = ("items", "additionalProperties", "then", "else")
# Not walked: `if` (the server drops its problems), `not`, `contains` and `propertyNames`
# (reported with the enclosing node's message or the server's own words).

Pointer = tuple[str | int, ...]


def nodes(node: dict, at: Pointer = ()) -> Iterator[tuple[Pointer, dict]]:
    """Every schema node the server validates a value against, with its place in the file."""
    yield at, node
    for key in CHILD_MAPS:
        for name, child in (node.get(key) or {}).items():
            if isinstance(child, dict):
                yield from nodes(child, at + (key, name))
    for key in CHILD_LISTS:
        for index, child in enumerate(node.get(key) or ()):
            if isinstance(child, dict):
                yield from nodes(child, at + (key, index))
    for key in CHILD_NODES:
        if isinstance(node.get(key), dict):
            yield from nodes(node[key], at + (key,))


def needs_message(node: dict) -> bool:
    return any(key in node for key in CONSTRAINTS)


def messages(root: dict) -> dict[Pointer, str]:
    """The message each constrained node of `root` should carry."""
    titles = {at: node.get("title") for at, node in nodes(root)}
    found = {}
    for at, node in nodes(root):
        if needs_message(node):
            found[at] = message(node, at, root, titles)
    return found


def message(node: dict, at: Pointer, root: dict, titles: dict[Pointer, str | None]) -> str:
    title = node.get("title") or (titles.get(at[:-1]) if at[-1:] == ("items",) else None)
    if _then_at(at) is not None:
        return _conditional(node, root, at)
    if "x-hint" in node:
        return node["x-hint"]
    if node.get("type") == "object" or "required" in node:
        return _object(node, title, record=not at)
    advice = _advice(node, item=at[-1:] == ("items",))
    return f"{title}：{advice}" if title else advice


def _advice(node: dict, item: bool) -> str:
    each = "每一项" if item else ""
    if len(node.get("enum") or ()) == 1:
        return f"{each}只能写“{node['enum'][0]}”。"
    if "enum" in node:
        return f"{each}只能写其中之一：{'、'.join(map(str, node['enum']))}。"
    if "const" in node:
        return f"{each}只能写“{node['const']}”。"
    kind = node.get("type")
    if kind == "boolean":
        return "写 true（是）或 false（否）。"
    if kind == "integer":
        limits = [
            f"不小于 {node['minimum']}" if "minimum" in node else "",
            f"不大于 {node['maximum']}" if "maximum" in node else "",
        ]
        return "写一个整数" + "".join(f"，{part}" for part in limits if part) + "。"
    if kind == "array":
        return "写成几行，每行以“- ”开头写一项。"
    if node.get("format") == "date":
        return "日期写作 年-月-日，如 2019-09-15，月和日都写两位。"
    return "写文字，不要留空。"


def _object(node: dict, title: str | None, record: bool) -> str:
    props = node.get("properties") or {}
    named = "、".join(f"{name}（{props.get(name, {}).get('title', name)}）" for name in node.get("required") or ())
    what = f"这份{title}" if record else (title or "这一项")
    parts = [f"{what}必须写：{named}"] if named else []
    if node.get("additionalProperties") is False:
        parts.append("只能写列出的项，项目名不能写错（按 Ctrl+空格 可以看到能写哪些）")
    if not parts:
        parts.append(f"{what}要写成几行“项目名: 内容”")
    elif not named and title:
        parts[0] = f"{title}：{parts[0]}"
    return "；".join(parts) + "。"


def _conditional(node: dict, root: dict, at: Pointer) -> str:
    """A `then` block's required fields, or those of a field inside it (…/then/properties/<name>)."""
    then = _then_at(at)
    assert then is not None
    owner = _at(root, at[: then - 2])  # …/allOf/<n>/then → the node whose allOf it is
    props = owner.get("properties") or {}
    when = _condition(_at(root, at[:then]).get("if") or {}, props)
    inside = at[then + 1 :]  # () or ("properties", <name>)
    if inside:
        parent = props.get(inside[-1]) or {}
        inner = _resolved(root, parent).get("properties") or {}
        named = "、".join(
            f"{parent.get('title', inside[-1])}的 {name}（{inner.get(name, {}).get('title', name)}）"
            for name in node.get("required") or ()
        )
    else:
        named = "、".join(f"{name}（{props.get(name, {}).get('title', name)}）" for name in node.get("required") or ())
    return f"{when}时必须写：{named}。"


def _then_at(at: Pointer) -> int | None:
    """Where `at` enters an if/then block's `then` (…/allOf/<n>/then/…), if it does."""
    for index in range(len(at) - 1, 1, -1):
        if at[index] == "then" and at[index - 2] in CHILD_LISTS:
            return index
    return None


def _condition(test: dict, props: dict) -> str:
    parts = []
    for name, rule in (test.get("properties") or {}).items():
        title = (props.get(name) or {}).get("title", name)
        if "const" in rule:
            parts.append(f"{title}为“{rule['const']}”")
        elif "enum" in rule:
            parts.append(f"{title}为“" + "”或“".join(map(str, rule["enum"])) + "”")
        elif "const" in (rule.get("contains") or {}):
            parts.append(f"{title}中选了“{rule['contains']['const']}”")
    return "且".join(parts) or "在这种情况下"


def _resolved(root: dict, node: dict) -> dict:
    """`node` or, when it only points elsewhere, the local definition its `$ref` names."""
    ref = node.get("$ref", "")
    return _at(root, tuple(ref[2:].split("/"))) if ref.startswith("#/") else node


def _at(root: dict, at: Pointer) -> dict:
    node: object = root
    for step in at:
        node = node[step]  # type: ignore[index]
    return node  # type: ignore[return-value]


# --- writing the messages into the text, keeping its layout ---------------------------------

_SPACE = re.compile(r"\s*")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?[0-9.eE+-]+|true|false|null')
Spans = dict[Pointer, tuple[int, int, dict[str, tuple[int, int]]]]


def spans(text: str) -> Spans:
    """Pointer of every object → (offset of `{`, offset of `}`, member key → span of its value)."""
    found: Spans = {}

    def skip(pos: int) -> int:
        return pos + len(_SPACE.match(text, pos).group())  # type: ignore[union-attr]

    def token(pos: int) -> int:
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ValueError(f"not JSON at offset {pos}")
        return match.end()

    def value(pos: int, at: Pointer) -> int:
        pos = skip(pos)
        if text[pos] not in "{[":
            return token(pos)
        opening, members, index, start = text[pos], {}, 0, pos
        pos += 1
        while True:
            pos = skip(pos)
            if text[pos] in "}]":
                if opening == "{":
                    found[at] = (start, pos, members)
                return pos + 1
            if text[pos] == ",":
                pos += 1
            elif opening == "[":
                pos = value(pos, at + (index,))
                index += 1
            else:
                key_end = token(pos)
                name = json.loads(text[pos:key_end])
                begin = skip(text.index(":", key_end) + 1)
                pos = value(begin, at + (name,))
                members[name] = (begin, pos)

    value(0, ())
    return found


def with_messages(text: str) -> str:
    """`text` (one schema file) with every node's message added or brought up to date."""
    wanted = messages(json.loads(text))
    places = spans(text)
    edits = []
    for at, words in wanted.items():
        start, end, members = places[at]
        shown = json.dumps(words, ensure_ascii=False)
        if KEY in members:
            edits.append((*members[KEY], shown))
            continue
        line_start = text.rfind("\n", 0, end) + 1
        if text[line_start:end].strip():  # the object sits on one line
            edits.append((end, end, f", {json.dumps(KEY)}: {shown}"))
        else:
            last = max(stop for _, stop in members.values())
            line = text[text.rfind("\n", 0, last) + 1 :]
            indent = line[: len(line) - len(line.lstrip())]
            edits.append((last, last, f",\n{indent}{json.dumps(KEY)}: {shown}"))
    for begin, stop, new in sorted(edits, reverse=True):
        text = text[:begin] + new + text[stop:]
    return text


def stale(root: dict) -> list[Pointer]:
    """Nodes that carry a message although nothing there needs one."""
    wanted = messages(root)
    return [at for at, node in nodes(root) if KEY in node and at not in wanted]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    behind = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        text = path.read_text(encoding="utf-8")
        new = with_messages(text)
        extra = stale(json.loads(new))
        if extra:
            print(f"{path.name}: errorMessage where nothing is checked: {extra}")
            behind.append(path.name)
        if new != text:
            behind.append(path.name)
            if not check:
                path.write_text(new, encoding="utf-8")
    if check and behind:
        print("not up to date: " + ", ".join(sorted(set(behind))) + " (run scripts/schema_messages.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
