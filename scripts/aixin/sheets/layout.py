"""The columns of each form, derived from the schemas: Chinese headers, what a cell holds, the
drop-down choices, whether it is required, and the note shown under the header.

A nested field becomes one column whose header joins the titles (父亲 + 联系电话 → 父亲联系电话,
监护人同意 + 同意人 → 监护人同意·同意人). A pairing names its mother and girl either by record id or
by who they are (name + ID number, name + birth month), so each gets three columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from aixin.domain.programme import Unit
from aixin.load.schemas import subschema

KINDS = ("girl", "mother", "pairing", "log")
SHEETS = {"girl": "附件1 留守女童", "mother": "附件2 爱心妈妈", "pairing": "附件3 结对帮扶卡", "log": "联系记录"}
SHORT_NAMES = {
    "girl": ("留守女童", "附件1"),
    "mother": ("爱心妈妈", "附件2"),
    "pairing": ("结对帮扶卡", "结对", "附件3"),
    "log": ("联系记录",),
}
EXPORT_KINDS = ("mother", "girl", "pairing")  # what a unit reports to the city, in that order
YES, NO = "是", "否"
IGNORED_HEADERS = frozenset({"序号"})  # a numbering column many coordinators add; never data
NOTE_MARK = "【"  # every note starts with it, which is how a notes row is recognised on import

# Cell kinds. Text-like kinds get the Excel text format "@", so that Excel keeps them as typed.
TEXT_KINDS = frozenset(
    {
        "text",
        "choice",
        "choices",
        "list",
        "id_number",
        "phone",
        "unit",
        "record_id",
        "own_id",
        "own_unit",
        "photo_files",
    }
)

# References from a pairing to the people it pairs: (suffix of the header, part, cell kind).
_REFERENCES = {
    "mother": (("编号", "id", "record_id"), ("姓名", "name", "text"), ("身份证号码", "id_number", "id_number")),
    "girl": (("编号", "id", "record_id"), ("姓名", "name", "text"), ("出生年月", "birth", "month")),
}
_REFERENCE_NOTES = {
    ("mother", "id"): "【与姓名、身份证号码二选一】爱心妈妈记录的编号，如 chuanshan-m-7k2q9d。",
    (
        "mother",
        "name",
    ): "【不填编号时必填】爱心妈妈的姓名，与身份证号码一起找到她的记录（可以是同一文件中新填的申报表）。",
    ("mother", "id_number"): "【不填编号时必填】爱心妈妈的身份证号码。本列是文本格式：不要改成数字，否则后几位会丢失。",
    ("girl", "id"): "【与姓名、出生年月二选一】留守女童记录的编号，如 chuanshan-g-3m8x4p。",
    ("girl", "name"): "【不填编号时必填】女童的姓名，与出生年月一起找到她的记录（可以是同一文件中新填的采集表）。",
    ("girl", "birth"): "【不填编号时必填】女童的出生年月，写作 2010-03。",
}


@dataclass(frozen=True)
class Column:
    """One column: its header, the record field it fills, and how its cells are read."""

    header: str
    path: tuple[str, ...]
    kind: str  # text date month yesno choice choices list id_number phone unit record_id own_id own_unit photo_files
    choices: tuple[str, ...] = ()
    required: bool = False
    note: str = ""
    ref: str = ""  # for a pairing's reference columns: id, name, id_number or birth

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS


# Columns an export adds before the form's own (and an import accepts): which record a row is.
OWN_ID = Column("记录编号", (), "own_id", note="【导出时填写】记录的编号。新填写的行不要填，导入时自动编号。")
OWN_UNIT = Column("单位", (), "own_unit", note="【导出时填写】记录所属的单位。导入时须与导入的单位相同。")


# A contact log's photos as saved from the work group: file names in the folder or zip given to
# `aixin import --photos`, re-encoded and linked in `photos` on import (sheets/photos.py).
PHOTO_FILES = Column(
    "照片文件",
    (),
    "photo_files",
    note="【选填】工作群里收到、存到一个文件夹（或压缩包）中的照片文件名，如 a.jpg、b.jpg；"
    "导入时加 --photos 文件夹，照片会像 aixin photo add 一样重新保存并写进这条记录。",
)


@dataclass(frozen=True)
class Form:
    """A form as a sheet: its kind, sheet title, the template's columns and the export's extras."""

    kind: str
    sheet: str
    columns: tuple[Column, ...]
    extras: tuple[Column, ...] = (OWN_ID, OWN_UNIT)

    @property
    def file_name(self) -> str:
        return self.sheet.replace(" ", "-") + ".xlsx"

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.extras + self.columns

    def column(self, header: str) -> Column | None:
        return next((c for c in self.all_columns if c.header == header), None)

    def required_columns(self) -> list[Column]:
        return [c for c in self.columns if c.required]


def normalise_header(text: object) -> str:
    """A header as typed: spaces, line breaks and a trailing * dropped, brackets and dots unified."""
    value = re.sub(r"\s+", "", str(text or "")).rstrip("*＊")
    return value.translate(str.maketrans({"(": "（", ")": "）", "•": "·", "・": "·", "‧": "·", "∙": "·"}))


def build_forms(schemas: dict[str, dict], units: Iterable[Unit]) -> dict[str, Form]:
    """Every record form, its columns in the schema's order."""
    unit_names = tuple(u.name for u in units)
    forms = {}
    for kind in KINDS:
        root = schemas[kind]
        conditions = _conditions(root)
        columns = []
        for path in _leaf_paths(root, ()):
            if (kind, path) in (("pairing", ("mother",)), ("pairing", ("girl",))):
                columns += _reference_columns(root, path[0])
                continue
            columns.append(_column(kind, root, path, conditions, unit_names))
            if (kind, path) == ("log", ("photos",)):
                columns.append(PHOTO_FILES)
        forms[kind] = Form(kind, SHEETS[kind], tuple(columns))
    return forms


def _leaf_paths(root: dict, path: tuple) -> list[tuple]:
    """Paths of the scalar and list fields, nested objects opened up, in the schema's order."""
    node = subschema(root, path)
    if node.get("type") == "object" and "properties" in node:
        return [leaf for key in node["properties"] for leaf in _leaf_paths(root, path + (key,))]
    return [path]


def _header(root: dict, path: tuple) -> str:
    title = subschema(root, path[:1]).get("title", path[0])
    for depth in range(2, len(path) + 1):
        own = subschema(root, path[:depth]).get("title", path[depth - 1])
        if title in own:
            title = own
        elif len(title) <= 2:  # 父亲 + 姓名 → 父亲姓名
            title += own
        else:  # 监护人同意 + 同意人 → 监护人同意·同意人
            title = f"{title}·{own}"
    return title


def _is_required(root: dict, path: tuple) -> bool:
    return all(path[i] in subschema(root, path[:i]).get("required", ()) for i in range(len(path)))


def _conditions(root: dict) -> dict[tuple, str]:
    """Fields the schema's if/then requires: path → the condition in words (for the notes)."""
    found = {}
    for rule in root.get("allOf", ()):
        tests = rule.get("if", {}).get("properties", {})
        if len(tests) != 1:  # a condition on several fields: the note just says 选填
            continue
        ((field, test),) = tests.items()
        label = _header(root, (field,))
        if "const" in test.get("contains", {}):
            when = f"“{label}”包含“{test['contains']['const']}”时"
        elif "enum" in test or "const" in test:
            when = f"“{label}”为“{'”或“'.join(map(str, test.get('enum') or [test.get('const')]))}”时"
        else:
            continue
        then = rule.get("then", {})
        for name in then.get("required", ()):
            found[(name,)] = when
        for parent, inner in then.get("properties", {}).items():
            for name in inner.get("required", ()):
                found[(parent, name)] = when
    return found


def _cell_kind(kind: str, node: dict, path: tuple) -> tuple[str, tuple[str, ...]]:
    if node.get("type") == "boolean":
        return "yesno", (YES, NO)
    if node.get("type") == "array":
        items = node.get("items", {})
        return ("choices", tuple(items["enum"])) if "enum" in items else ("list", ())
    if "enum" in node:
        return "choice", tuple(node["enum"])
    if node.get("format") == "date":
        return "date", ()
    if "(0[1-9]|1[0-2])$" in node.get("pattern", ""):
        return "month", ()
    if path[-1] in ("id_number", "phone"):
        return path[-1], ()
    if (kind, path) == ("mother", ("residence", "unit")):
        return "unit", ()
    if (kind, path) == ("log", ("pairing",)):
        return "record_id", ()
    return "text", ()


_KIND_NOTES = {
    "yesno": "填“是”或“否”（可从下拉列表选择）。",
    "choices": "可多选，从这些中选：{choices}；多项之间用顿号“、”隔开。",
    "list": "{description}多个之间用顿号“、”隔开；文件须另行放入该文件夹。",
    "id_number": "18位身份证号码，最后一位可以是 X。本列是文本格式：不要改成数字，否则后几位会丢失。",
    "phone": "{description}本列是文本格式。",
    "unit": "常住地所在的县（区）或园区（从下拉列表选择）。",
    "choice": "{description}从下拉列表选择。",
}
# Where the schema's wording is about YAML files rather than cells.
_OWN_WORDS = {("log", ("pairing",)): ("结对编号", "结对帮扶卡记录的编号，如 chuanshan-p-5t1w6r。")}


def _column(kind: str, root: dict, path: tuple, conditions: dict, unit_names: tuple) -> Column:
    node = subschema(root, path)
    cell_kind, choices = _cell_kind(kind, node, path)
    if cell_kind == "unit":
        choices = unit_names
    required = _is_required(root, path)
    label = "必填" if required else f"{conditions[path]}必填" if path in conditions else "选填"
    description = node.get("description", "")
    if path[-1] == "photo":
        description += "写作 photos/文件名.jpg，照片文件须放入该文件夹；也可以不填，导入后用 aixin photo add 添加。"
    header, description = _OWN_WORDS.get((kind, path), (_header(root, path), description))
    text = _KIND_NOTES.get(cell_kind, "{description}").format(description=description, choices="、".join(choices))
    if cell_kind == "date" and "如 " not in text:
        text += "日期写作 2019-07-05。"
    return Column(header, path, cell_kind, choices, required, f"{NOTE_MARK}{label}】{text}")


def _reference_columns(root: dict, key: str) -> list[Column]:
    title = subschema(root, (key,)).get("title", key)
    return [
        Column(f"{title}{suffix}", (key,), cell_kind, (), False, _REFERENCE_NOTES[(key, part)], part)
        for suffix, part, cell_kind in _REFERENCES[key]
    ]


def form_of_sheet(name: str, forms: dict[str, Form]) -> Form | None:
    """The form a sheet's name names (附件1 留守女童, 留守女童, 附件1, …), if any."""
    plain = normalise_header(name)
    for kind, form in forms.items():
        if plain == normalise_header(form.sheet) or plain in SHORT_NAMES[kind]:
            return form
    return None


def form_of_headers(headers: Iterable[str], forms: dict[str, Form]) -> Form | None:
    """The form whose own columns a header row matches best (at least two, and no tie)."""
    given = set(headers)
    scored = sorted(((sum(c.header in given for c in f.columns), f.kind) for f in forms.values()), reverse=True)
    (best, kind), (second, _) = scored[0], scored[1]
    return forms[kind] if best >= 2 and best > second else None
