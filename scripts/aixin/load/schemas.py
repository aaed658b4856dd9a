"""Schema checks: a compiled fast path for valid records, jsonschema to word the findings.

jsonschema (draft 2020-12) is the reference for what is valid and for how errors read;
fastjsonschema only answers "valid or not" quickly, and a test shows that both agree on
every case. The schemas therefore stay within what both understand (no prefixItems,
dependentRequired or unevaluatedProperties).

A pattern's `$` means the end of the value in both: fastjsonschema compiles every unescaped `$`
as `\\Z`, and the reference validator here does the same (Python's `$` would also match before a
final newline, so `phone: |` with the number on the next line would pass). A required text holds
a visible character: `"not": {"type": "string", "pattern": "^\\s*$"}` (worded as S006, empty).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fastjsonschema
from jsonschema import Draft202012Validator, ValidationError, validators

from aixin.core.findings import Problem
from aixin.core.masking import mask_digits, visible
from aixin.domain import everyday
from aixin.domain.programme import Unit

SCHEMA_NAMES = ("programme", "girl", "mother", "pairing", "log", "commendation", "training")


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_date(value: object) -> bool:
    """The one `format: date` check both validators use: is a YYYY-MM-DD string a real day?

    Other shapes (2019-7-5) pass here and are left to the schema's `pattern`, so that one
    badly written date gives one finding, not two.
    """
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


_DOLLAR = re.compile(r"(?<!\\)\$")  # an unescaped $, as fastjsonschema finds it


@lru_cache(maxsize=256)
def anchored(pattern: str) -> re.Pattern:
    """`pattern` with every unescaped `$` meaning the end of the value (`\\Z`), as fastjsonschema
    compiles it: one meaning of `$` for both validators."""
    return re.compile(_DOLLAR.sub(r"\\Z", pattern))


def _pattern(validator, pattern: str, instance: object, schema: dict):
    if validator.is_type(instance, "string") and not anchored(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# The reference validator, its `pattern` keyword anchored like fastjsonschema's.
_Reference = validators.extend(Draft202012Validator, {"pattern": _pattern})


def _format_checker():
    checker = Draft202012Validator.FORMAT_CHECKER.__class__(formats=())
    checker.checks("date")(is_date)
    return checker


_TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "object": "“字段: 值”的一组内容",
    "array": "列表",
    "null": "空",
}


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "一组字段"
    if value is None:
        return "空值"
    return type(value).__name__


def _shown(value: object, limit: int = 40) -> str:
    if value is None:
        return "（空）"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > limit:
        text = text[:limit] + "…"
    return visible(mask_digits(text)).replace("\n", "\\n")  # a line break in a value shows as \n


class SchemaUnreadable(Exception):
    """A schema file that cannot be read or is not JSON: its name and why, in Chinese."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


def _read_schema(schema_dir: Path, name: str) -> dict:
    file = f"{name}.schema.json"
    try:
        schema = json.loads((schema_dir / file).read_text("utf-8"))
    except FileNotFoundError:
        raise SchemaUnreadable(file, "文件不存在") from None
    except OSError as error:
        raise SchemaUnreadable(file, error.strerror or str(error)) from None
    except ValueError as error:
        raise SchemaUnreadable(file, f"不是有效的 JSON（{error}）") from None
    if not isinstance(schema, dict):
        raise SchemaUnreadable(file, "不是 JSON 对象")
    return schema


def _compile(name: str, schema: dict):
    return _compiled(name, json.dumps(schema, sort_keys=True, ensure_ascii=False))


@lru_cache(maxsize=64)
def _compiled(name: str, text: str):
    """fastjsonschema's validator of one schema text: compiling it is most of opening a repository,
    and a long-lived process (`mkdocs serve`, site.preview) opens it again on every rebuild."""
    try:
        return fastjsonschema.compile(json.loads(text), formats={"date": is_date})
    except fastjsonschema.JsonSchemaDefinitionException as error:
        raise SchemaUnreadable(f"{name}.schema.json", f"不是有效的结构定义（{error}）") from None


@dataclass
class SchemaSet:
    """The repository's schemas, compiled once per process."""

    schemas: dict[str, dict]
    _fast: dict
    _reference: dict

    @classmethod
    def load(cls, schema_dir: Path, names: tuple[str, ...] = SCHEMA_NAMES) -> SchemaSet:
        """Compile the named schemas of `schema_dir`; SchemaUnreadable says which file fails."""
        schemas = {name: _read_schema(schema_dir, name) for name in names}
        # fastjsonschema rewrites $ref values in place, so it gets its own copy (from the text).
        fast = {name: _compile(name, s) for name, s in schemas.items()}
        checker = _format_checker()
        reference = {name: _Reference(s, format_checker=checker) for name, s in schemas.items()}
        return cls(schemas, fast, reference)

    def is_valid_fast(self, kind: str, data: object) -> bool:
        try:
            self._fast[kind](data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    def is_valid_reference(self, kind: str, data: object) -> bool:
        return self._reference[kind].is_valid(data)

    def problems(self, kind: str, data: object, units: Iterable[Unit] = ()) -> list[tuple[str, Problem]]:
        """(rule code, problem) for every schema error; empty when the record is valid. With the
        programme's `units`, a unit written by its name gets its code as the hint."""
        if self.is_valid_fast(kind, data):
            return []
        root = self.schemas[kind]
        found = []
        units = tuple(units)
        for error in sorted(self._reference[kind].iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
            for item in _explain(error, root, units):
                if item not in found:  # jsonschema may report one if/then failure twice
                    found.append(item)
        if not found:  # never let an invalid record through to the rules, whatever the cause
            found.append(("S006", Problem("记录不符合数据字典的要求", "请对照同类记录的模板检查每个字段。", ())))
        return found


def _resolve(node: dict, root: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        target = root
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        node = merged
    return node


def subschema(root: dict, path: tuple) -> dict:
    """The schema that describes the value at `path` (following $ref, properties and items)."""
    node = _resolve(root, root)
    for part in path:
        if isinstance(part, int):
            node = _resolve(node.get("items", {}), root)
        else:
            node = _resolve(node.get("properties", {}).get(part, {}), root)
    return node


def _title(root: dict, path: tuple) -> str:
    """The field's Chinese name as a coordinator reads it: 父亲的联系电话, 目前需求的第2项."""
    if not path:
        return "记录"
    *parent, last = path
    if isinstance(last, int):
        return f"{_title(root, tuple(parent))}的第{last + 1}项"
    own = subschema(root, path).get("title") or str(last)
    if parent and len(own) <= 4:  # a short, generic name (姓名, 日期) needs whose it is
        return f"{_title(root, tuple(parent))}的{own}"
    return own


def _hint(root: dict, path: tuple) -> str:
    node = subschema(root, path)
    return node.get("x-hint") or node.get("description", "")


def _is_date_field(root: dict, path: tuple) -> bool:
    node = subschema(root, path)
    return node.get("format") == "date" or "(0[1-9]|1[0-2])$" in node.get("pattern", "")


def _required_hint(root: dict, path: tuple, name: str) -> str:
    """For a missing field, what the field is for says more than how to spell its value."""
    own = subschema(root, path).get("properties", {}).get(name, {})
    described = subschema(root, path + (name,)).get("description", "")
    return own.get("x-hint") or described or "请补上这一项。"


# Commas people type between list items: a Chinese comma inside [ ] makes the items one.
_LIST_COMMAS = re.compile(r"\s*[，、,；;]\s*")
_WIDE_COMMAS = re.compile("[，、；]")


def _accepts(node: dict, value: str) -> bool:
    """Would the field described by `node` take `value` (its enum, pattern and date format)?"""
    if "enum" in node and value not in node["enum"]:
        return False
    if "pattern" in node and not anchored(node["pattern"]).search(value):
        return False
    return node.get("format") != "date" or is_date(value)


def _everyday(node: dict, value: object, units: tuple[Unit, ...]) -> str | None:
    """The canonical form of an everyday way of writing `value` that the field accepts
    (奶奶 → 祖母, 2019年7月12日 → 2019-07-12, 138 0000 0001 → 13800000001, 船山区 → chuanshan)."""
    if not isinstance(value, str):
        return None
    for read in (everyday.relationship, everyday.date, everyday.year_month, everyday.phone):
        candidate = read(value)
        if candidate is not None and _accepts(node, candidate):
            return candidate
    code = everyday.unit(value, units)
    return code if code is not None and _accepts(node, code) else None


def _write_as(node: dict, value: object, units: tuple[Unit, ...]) -> str:
    """ "写作 …" for a value written the everyday way, or ""; a phone's middle digits stay hidden."""
    canonical = _everyday(node, value, units)
    if canonical is None:
        return ""
    shown = mask_digits(canonical)
    if shown != canonical:
        return f"去掉空格、短横线等符号，写作 {shown}（这里隐去了中间的数字）。"
    if everyday.unit(str(value), units) == canonical:
        return f"这里写单位代码，不写单位名称：写作 {canonical}。"
    return f"写作 {canonical}。"


def _list_commas(path: tuple, value: object) -> str:
    """For one list item that holds several (a Chinese comma inside [ ]): how to write them."""
    if not (path and isinstance(path[-1], int) and isinstance(value, str) and _WIDE_COMMAS.search(value)):
        return ""
    return (
        f"方括号里的几项要用英文逗号“,”隔开，中文逗号“，”会让几项连成一项：写作 {_as_list(value)}，"
        "或者每项单独写一行、以“- ”开头。"
    )


def _as_list(text: str) -> str:
    """[a, b] for "a，b" as a hint shows it: hints are printed as they are, so digits are masked here."""
    return _shown("[" + ", ".join(part for part in _LIST_COMMAS.split(text) if part) + "]", limit=80)


def _explain(error, root: dict, units: tuple[Unit, ...] = ()) -> list[tuple[str, Problem]]:
    path = tuple(error.absolute_path)
    title = _title(root, path)
    value = error.instance
    kind = error.validator
    if kind == "required":
        missing = [p for p in error.validator_value if isinstance(value, dict) and p not in value]
        return [
            (
                "S001",
                Problem(
                    f"缺少必填项“{_title(root, path + (name,))}”（{name}）",
                    _required_hint(root, path, name),
                    path + (name,),  # not in the file: located at the mapping it is missing from
                    plain=f"缺少必填项“{_title(root, path + (name,))}”",
                ),
            )
            for name in missing
        ]
    if kind == "additionalProperties":
        allowed = subschema(root, path).get("properties", {})
        extra = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        choices = "、".join(f"{k}（{v.get('title', '')}）" for k, v in allowed.items())
        found = []
        for key in extra:
            close = difflib.get_close_matches(str(key), list(allowed), n=1, cutoff=0.6)
            guess = (
                f"是不是想写“{close[0]}”（{allowed[close[0]].get('title', '')}）？"
                if close
                else "请检查拼写，或删去这一行。"
            )
            found.append(
                ("S002", Problem(f"不认识的字段“{key}”", f"{guess}这里可以写的字段有：{choices}", path + (key,)))
            )
        return found
    if kind == "type":
        expected = error.validator_value
        if (
            expected == "string"
            and isinstance(value, int)
            and not isinstance(value, bool)
            and _is_date_field(root, path)
        ):
            return [("S003", Problem(f"“{title}”应写成带短横线的日期，现在是数字 {value}", _hint(root, path), path))]
        if expected == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return [
                (
                    "S003",
                    Problem(
                        f"“{title}”应该加引号写成文字，现在是不加引号的数字 {_shown(value)}",
                        '像身份证号码、电话号码这样的数字串，请写在英文引号里，例如 "13812345678"，'
                        "否则可能被当成数值。",
                        path,
                    ),
                )
            ]
        if value is None:
            return [
                ("S003", Problem(f"“{title}”没有填写内容", _hint(root, path) or "请填写内容，或删去这一行。", path))
            ]
        if expected == "array" and isinstance(value, str):
            written = f"写作 {_as_list(value)}，或者每项单独写一行、以“- ”开头。"
            return [
                (
                    "S003",
                    Problem(f"“{title}”应为列表，现在是文字“{_shown(value)}”", written + _hint(root, path), path),
                )
            ]
        if expected == "boolean":
            return [
                (
                    "S003",
                    Problem(
                        f"“{title}”只能写 true（是）或 false（否），现在是“{_shown(value)}”", _hint(root, path), path
                    ),
                )
            ]
        wanted = _TYPE_NAMES.get(expected, str(expected))
        if expected == "object" and isinstance(value, str) and "：" in value:
            colon = "这一项里的字段名后面用了中文冒号“：”：请换成英文冒号“:”再加一个空格，如 name: 示例。"
            return [
                ("S003", Problem(f"“{title}”应为{wanted}，现在是{_type_name(value)}“{_shown(value)}”", colon, path))
            ]
        return [
            (
                "S003",
                Problem(f"“{title}”应为{wanted}，现在是{_type_name(value)}“{_shown(value)}”", _hint(root, path), path),
            )
        ]
    if kind in ("enum", "const"):
        choices = error.validator_value if kind == "enum" else [error.validator_value]
        listed = "、".join(str(c) for c in choices)
        advice = _list_commas(path, value) or _write_as(subschema(root, path), value, units)
        return [("S004", Problem(f"“{title}”的值“{_shown(value)}”不在可选范围内", f"{advice}可以填写：{listed}", path))]
    if kind == "pattern":
        hint = _list_commas(path, value) + _write_as(subschema(root, path), value, units) + _hint(root, path)
        if (
            isinstance(value, str)
            and value != value.rstrip()
            and anchored(error.validator_value).search(value.rstrip())
        ):
            hint = "值的末尾多了换行或空格：请把值直接写在冒号后面的同一行（不要用“|”或“>”另起一行）。" + hint
        return [("S005", Problem(f"“{title}”的格式不对：“{_shown(value)}”", hint, path))]
    if kind == "format":
        hint = _write_as(subschema(root, path), value, units) + _hint(root, path)
        return [("S005", Problem(f"“{title}”不是有效的日期：“{_shown(value)}”", hint, path))]
    if kind == "minLength" or (kind == "not" and isinstance(value, str) and not value.strip()):
        # "" fails both minLength and the visible-character rule: one identical problem
        return [("S006", Problem(f"“{title}”不能为空", _hint(root, path) or "请填写内容，或删去这一行。", path))]
    if kind == "maxLength":
        return [
            (
                "S006",
                Problem(f"“{title}”太长：{len(value)} 个字，最多 {error.validator_value} 个字", "请精简内容。", path),
            )
        ]
    if kind == "minItems":
        return [("S006", Problem(f"“{title}”至少要有 {error.validator_value} 项", _hint(root, path), path))]
    if kind == "uniqueItems":
        return [("S006", Problem(f"“{title}”中有重复的项", "请删去重复的项。", path))]
    if kind in ("minimum", "maximum"):
        return [("S006", Problem(f"“{title}”的值 {_shown(value)} 超出范围", _hint(root, path), path))]
    return [("S006", Problem(f"“{title}”不符合要求（{kind}）", _hint(root, path), path))]
