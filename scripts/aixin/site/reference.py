"""The generated reference pages: the data dictionary (from the JSON Schemas) and the rules list
(the Y/S/R codes, the record and cross-record rules, and the pull-request rules A…).

Pure functions: the caller passes the schemas (as loaded by `schemas.SchemaSet.load`) and gets
Markdown for Python-Markdown with `tables`, `attr_list`, `md_in_html` and `admonition`. Every
piece of text taken from a schema or a docstring goes through `text()` (Markdown punctuation
becomes numeric entities, so it is shown and never interpreted) or `code()` (a code span whose
fence is longer than any backtick run inside it); output is deterministic.
"""

from __future__ import annotations

import re

from aixin.rules.catalogue import GROUPS, OTHER_GROUP, Entry, catalogue

# The record types in the order of the notice's forms, then the programme settings.
SCHEMA_ORDER = ("girl", "mother", "pairing", "log", "commendation", "training", "programme")
SCHEMA_FILES = {
    "girl": "records/<单位>/girls/<编号>.yaml",
    "mother": "records/<单位>/mothers/<编号>.yaml",
    "pairing": "records/<单位>/pairings/<编号>.yaml",
    "log": "records/<单位>/logs/<结对编号>/<编号>.yaml",
    "commendation": "records/city/commendations/<编号>.yaml",
    "training": "records/city/trainings/<编号>.yaml",
    "programme": "records/programme.yaml",
}

# Characters that Markdown, tables or attr_list could interpret, shown as numeric entities.
_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_[]{}|<>#!~^$"}
_SPECIAL["&"] = "&amp;"
_LEADING = re.compile(r"^([-+=:]|\d+(?=[.)]))")
_YEAR_MONTH_TAIL = "(0[1-9]|1[0-2])$"


# --------------------------------------------------------------------------- escaping


def text(value: object) -> str:
    """Inline text that Markdown shows as written: one line, every special character an entity."""
    s = " ".join(str(value).split())
    s = "".join(_SPECIAL.get(c, c) for c in s)
    # A leading "-", "+", "1." could start a list or a setext underline where the text starts a line.
    return _LEADING.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(1)), s)


def code(value: object) -> str:
    """A code span for any string: the fence is one backtick longer than any run inside it."""
    s = " ".join(str(value).split())
    runs = [len(r) for r in re.findall(r"`+", s)]
    fence = "`" * (max(runs, default=0) + 1)
    if s.startswith("`"):
        s = " " + s
    if s.endswith(("`", "\\")):
        # a closing fence after a backslash would read as an escaped backtick to the table parser
        s = s + " "
    return f"{fence}{s}{fence}"


def _quote(value: object) -> str:
    return f"“{text(value)}”"


# --------------------------------------------------------------------------- data dictionary


def _resolve(node: dict, root: dict) -> dict:
    """The node with every local `$ref` followed: the target's keys, overridden by the node's own."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            break
        seen.add(ref)
        target = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node if isinstance(node, dict) else {}


def _condition(cond: dict, root: dict, props: dict) -> str | None:
    """The `if` of an if/then in words, e.g. 父母外出情况为“父亲外出”或“父母均外出”; None if unknown."""
    parts = []
    for name, test in (cond.get("properties") or {}).items():
        title = text(_resolve(props.get(name, {}), root).get("title") or name)
        if "const" in test:
            parts.append(f"{title}为{_quote(test['const'])}")
        elif "enum" in test:
            parts.append(f"{title}为" + "或".join(_quote(v) for v in test["enum"]))
        elif isinstance(test.get("contains"), dict) and "const" in test["contains"]:
            parts.append(f"{title}中选了{_quote(test['contains']['const'])}")
        elif isinstance(test.get("contains"), dict) and "enum" in test["contains"]:
            parts.append(f"{title}中选了" + "或".join(_quote(v) for v in test["contains"]["enum"]))
        else:
            return None
    return "且".join(parts) if parts else None


def _conditionals(node: dict, root: dict, path: tuple) -> dict[tuple, list[str]]:
    """Field path -> sentences "…时必填" from the node's allOf/if/then blocks."""
    found: dict[tuple, list[str]] = {}
    props = node.get("properties") or {}
    for block in node.get("allOf") or ():
        if not isinstance(block, dict) or "if" not in block or "then" not in block:
            continue
        words = _condition(block["if"], root, props)
        sentence = f"{words}时必填" if words else "满足特定条件时必填"
        then = block["then"]
        targets = [path + (name,) for name in then.get("required") or ()]
        for name, sub in (then.get("properties") or {}).items():
            targets += [path + (name, inner) for inner in (sub or {}).get("required") or ()]
        for target in targets:
            found.setdefault(target, []).append(sentence)
    return found


def _type_label(node: dict, root: dict) -> str:
    kind = node.get("type")
    if kind == "string":
        if node.get("format") == "date":
            return "日期 YYYY-MM-DD"
        if node.get("pattern", "").endswith(_YEAR_MONTH_TAIL):
            return "年-月 YYYY-MM"
        if "enum" in node or "const" in node:
            return "文字（单选）"
        label = "文字"
        if "maxLength" in node:
            label += f"，最多 {node['maxLength']} 字"
        return label
    if kind == "boolean":
        return "true/false"
    if kind in ("integer", "number"):
        label = "整数" if kind == "integer" else "数字"
        if "minimum" in node:
            label += f"，不小于 {node['minimum']}"
        if "maximum" in node:
            label += f"，不大于 {node['maximum']}"
        return label
    if kind == "array":
        items = _resolve(node.get("items") or {}, root)
        if "enum" in items:
            label = "列表（可多选）"
        elif items.get("type") == "object":
            label = "列表（每项是一组字段）"
        elif items.get("format") == "date":
            label = "列表（每项是日期 YYYY-MM-DD）"
        else:
            label = "列表（每项是文字）" if items.get("type") == "string" else "列表"
        extras = []
        if node.get("minItems"):
            extras.append(f"至少 {node['minItems']} 项")
        if node.get("uniqueItems"):
            extras.append("不能重复")
        return label + ("，" + "，".join(extras) if extras else "")
    if kind == "object":
        return "一组字段"
    return text(kind or "任意")


def _values(node: dict, root: dict) -> list:
    if "enum" in node:
        return list(node["enum"])
    if "const" in node:
        return [node["const"]]
    if node.get("type") == "array":
        items = _resolve(node.get("items") or {}, root)
        return _values(items, root) if items.get("type") != "object" else []
    return []


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _notes(node: dict, root: dict, type_label: str, conditions: list[str]) -> str:
    parts = []
    if node.get("description"):
        parts.append(text(node["description"]))
    if conditions:
        parts.append("；".join(conditions) + "。")
    pattern_node = node
    if node.get("type") == "array":
        pattern_node = _resolve(node.get("items") or {}, root)
    pattern = pattern_node.get("pattern")
    if pattern and not type_label.startswith(("日期", "年-月", "列表（每项是日期")):
        parts.append(f"格式：{code(pattern)}")
    hint = node.get("x-hint") or pattern_node.get("x-hint")
    if hint and hint != node.get("description"):
        parts.append(f"填写提示：{text(hint)}")
    return "<br>".join(parts) if parts else "—"


def _rows(node: dict, root: dict, path: tuple, label: str, optional_parent: str | None, conditions: dict) -> list[str]:
    """Table rows for the properties of an object node, depth first in schema order."""
    conditions = dict(conditions)
    for target, sentences in _conditionals(node, root, path).items():
        conditions[target] = conditions.get(target, []) + sentences
    required = set(node.get("required") or ())
    rows = []
    for name, raw in (node.get("properties") or {}).items():
        sub = _resolve(raw, root)
        here = path + (name,)
        shown = _dotted(here)
        title = sub.get("title") or name
        if label and label not in title:
            title = f"{label}·{title}"
        conds = conditions.get(here, [])
        if name in required:
            need = "是" if optional_parent is None else f"是（填写{_quote(optional_parent)}时）"
        elif conds:
            need = "条件必填"
        else:
            need = "否"
        type_label = _type_label(sub, root)
        values = "、".join(code(_value_text(v)) for v in _values(sub, root)) or "—"
        rows.append(
            f"| {code(shown)} | {text(title)} | {need} | {type_label} | {values} | "
            f"{_notes(sub, root, type_label, conds)} |"
        )
        child_parent = optional_parent
        if child_parent is None and name not in required:
            child_parent = sub.get("title") or name
        if sub.get("type") == "object":
            rows += _rows(sub, root, here, sub.get("title") or label, child_parent, conditions)
        elif sub.get("type") == "array":
            items = _resolve(sub.get("items") or {}, root)
            if items.get("type") == "object":
                rows += _rows(items, root, here + ("[]",), sub.get("title") or label, child_parent, conditions)
    return rows


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        if part == "[]":
            out += "[]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _schema_section(key: str, schema: dict) -> list[str]:
    root = schema
    node = _resolve(schema, root)
    title = node.get("title") or key
    lines = [f"## {text(title)} {{#{key}}}", ""]
    if node.get("description"):
        lines += [text(node["description"]), ""]
    where = SCHEMA_FILES.get(key)
    if where:
        one = "" if key == "programme" else "每个文件一条记录，"
        lines += [f"文件位置：{code(where)}。{one}只能写下表中的字段。", ""]
    conditions = _conditionals(node, root, ())
    if conditions:
        lines.append("按条件必填的字段：")
        lines.append("")
        for path in conditions:
            lines.append(f"- {code(_dotted(path))}：{'；'.join(conditions[path])}")
        lines.append("")
    lines += [
        "| 字段 | 中文名 | 必填 | 类型/格式 | 可选值 | 说明 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += _rows(node, root, (), "", None, {})
    lines.append("")
    return lines


def dictionary_markdown(schemas: dict[str, dict]) -> str:
    """The data dictionary page: one section and one field table per schema."""
    keys = [k for k in SCHEMA_ORDER if k in schemas] + sorted(k for k in schemas if k not in SCHEMA_ORDER)
    lines = [
        "# 数据字典",
        "",
        "本页根据 schemas/ 中的 JSON Schema 自动生成，列出每种记录文件可以填写的字段。"
        "字段名写在冒号前面（英文），值写在冒号后面；嵌套的字段写在上一级字段下面并缩进两个空格，"
        "表中用“上一级.字段”表示，如 "
        + code("father.left_on")
        + "，列表中每一项的字段写作 "
        + code("units[].id")
        + "。",
        "",
        '!!! note "填写格式"',
        "",
        "    日期写作 年-月-日（如 2019-07-05），出生年月写作 年-月（如 2010-03），月和日都写两位；"
        "“是否”类的项只能写 true 或 false；电话号码和身份证号码请加英文引号。"
        "“可选值”一栏列出的文字要一字不差地照写。",
        "",
    ]
    for key in keys:
        lines += _schema_section(key, schemas[key])
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- rules


def rules_markdown() -> str:
    """The rules page: an overview table, then every code with its explanation and examples."""
    entries = list(catalogue().values())
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.group.letter, []).append(entry)
    groups = [g for g in GROUPS if g.letter in grouped]
    if "" in grouped:
        groups.append(OTHER_GROUP)

    lines = [
        "# 检查规则",
        "",
        "本页根据检查程序中的规则说明自动生成。每次提交记录时，系统按下列规则检查，"
        "每条检查结果都带有规则编号，可以在本页查到它的含义和改正方法。",
        "",
        '!!! note "严重程度"',
        "",
        "    **错误**：记录有误，必须改正后才能合并。"
        "**警告**：记录可能有问题或不符合活动要求，请核实，必要时改正或说明。"
        "**提示**：只作提醒，不需要改正。",
        "",
        "| 编号 | 类别 | 严重程度 | 规则 |",
        "| --- | --- | --- | --- |",
    ]
    for entry in entries:
        lines.append(
            f"| [{entry.code}](#{entry.code.lower()}) | {entry.group.name} | {entry.severity_label} | {text(entry.title)} |"
        )
    lines.append("")

    for group in groups:
        letter = group.letter
        anchor = f"group-{letter.lower()}" if letter else "group-other"
        heading = f"{group.name}（{letter}）" if letter else group.name
        lines += [f"## {heading} {{#{anchor}}}", ""]
        if group.intro:
            lines += [group.intro, ""]
        for entry in grouped[letter]:
            lines += [f"### {entry.code} {text(entry.title)} {{#{entry.code.lower()}}}", ""]
            meta = f"严重程度：**{entry.severity_label}**" + (
                f"（{entry.severity_note}）" if entry.severity_note else ""
            )
            if entry.applies_to:
                meta += f"；检查对象：{text(entry.applies_to)}"
            lines += [meta + "。", ""]
            for paragraph in entry.paragraphs:
                lines += [text(paragraph), ""]
            if entry.passes or entry.fails:
                lines += [f"- 通过：{text(example)}" for example in entry.passes]
                lines += [f"- 不通过：{text(example)}" for example in entry.fails]
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
