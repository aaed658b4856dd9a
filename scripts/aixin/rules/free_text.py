"""Personal numbers typed into free text (G010, M011, P010, L005): phones and ID numbers belong in
their own fields.

A phone or ID number written into notes, a summary or an address is shown in full wherever the
text is shown, and no other rule looks at it. These rules find mobile, landline and ID-number
shapes (digits grouped by spaces or dashes too; an ID number only when its check digit is right,
so that ordinary numbers pass) in every free-text value of a record, one code per record kind
(each in its kind's letter). The examples below show numbers masked, as the rules page must.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from aixin.core.findings import FieldPath, Problem, Severity
from aixin.core.masking import ID_NUMBER, LANDLINE, MOBILE, could_hold_number, find_numbers
from aixin.domain.records import Record

from .registry import Context, record_rule

# The fields made for these numbers; every other string value is free text, except values that
# are identifiers (record ids, file paths, logins), which never hold a space or a Chinese word.
_OWN_FIELDS = frozenset({"phone", "id_number"})
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9._/-]*\Z")
_KIND_WORDS = {MOBILE: "手机号码", LANDLINE: "座机号码", ID_NUMBER: "身份证号码"}
_LABELS = {
    "notes": "备注",
    "note": "说明",
    "summary": "内容摘要",
    "hobbies": "兴趣爱好",
    "address": "地址",
    "message": "关爱寄语",
    "skills": "专业技能或特长",
    "opinion": "审核意见",
    "reason": "原因",
    "end_reason": "结束原因",
    "end_reason_other": "其他结束原因",
}
_HINT = (
    "电话请写在对应的电话字段（phone），身份证号码写在 id_number；不需要保存的号码请删去。"
    "自由填写的文字会原样出现在记录文件里，号码不要写在这里。"
)


def _free_text(value: Any) -> list[tuple[FieldPath, str]]:
    """(path, text) of every free-text string in a record that could hold a number, depth first.

    Iterative, and strings without ten digits in a row are dropped at once (`could_hold_number`):
    the check runs this on every record of the city."""
    if not _any_candidate(value):  # nearly every record: no path is ever built
        return []
    found: list[tuple[FieldPath, str]] = []
    stack: list[tuple[FieldPath, Any]] = [((), value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if could_hold_number(item) and not _IDENTIFIER.match(item):
                found.append((path, item))
        elif isinstance(item, dict):
            stack.extend(((*path, key), inner) for key, inner in reversed(item.items()) if key not in _OWN_FIELDS)
        elif isinstance(item, list):
            stack.extend(((*path, n), inner) for n, inner in reversed(list(enumerate(item))))
    return found


def _any_candidate(value: Any) -> bool:
    """Whether any free-text string of the record could hold a number: the fast pass, with no
    paths and one regex search over all the strings joined (NUL breaks a run of digits)."""
    strings: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            strings.append(item)
        elif isinstance(item, dict):
            stack.extend(inner for key, inner in item.items() if key not in _OWN_FIELDS)
        elif isinstance(item, list):
            stack.extend(item)
    return could_hold_number("\0".join(strings))


def _label(path: FieldPath) -> str:
    names = [str(p) for p in path if isinstance(p, str)]
    last = names[-1] if names else "文字"
    own = _LABELS.get(last)
    dotted = ".".join(str(p) for p in path)
    return f"“{own}”（{dotted}）" if own else f"“{dotted}”"


def numbers_in_text(record: Record) -> Iterator[Problem]:
    """One problem per personal number found in the record's free text."""
    for path, text in _free_text(record.data):
        for number in find_numbers(text):
            yield Problem(
                f"{_label(path)}里写了{_KIND_WORDS[number.kind]} {number.masked}",
                _HINT,
                path,
                plain=f"文字里写了{_KIND_WORDS[number.kind]} {number.masked}",
            )


@record_rule("G010", Severity.WARNING, "girl")
def girl_numbers_in_text(record: Record, ctx: Context) -> Iterator[Problem]:
    """女童记录的文字里写了电话或身份证号码

    备注、地址、兴趣爱好等自由填写的文字里不写电话号码和身份证号码（带空格或短横线的写法也算；
    身份证号码按校验位判断）：电话写在对应的 phone 字段，女童不记录身份证号码。

    通过：notes: 监护人换了新手机，已更新 guardian.phone
    不通过：notes: 父亲新手机 139 ×××× 5679，座机 0825-×××5678（写出完整号码）
    """
    yield from numbers_in_text(record)


@record_rule("M011", Severity.WARNING, "mother")
def mother_numbers_in_text(record: Record, ctx: Context) -> Iterator[Problem]:
    """爱心妈妈记录的文字里写了电话或身份证号码

    备注、住址、特长、审核意见等自由填写的文字里不写电话号码和身份证号码：
    电话写在 phone，身份证号码写在 id_number。

    通过：notes: 联系电话已核实
    不通过：notes: 备用电话 139××××5678，本人身份证 5109××××××××××0021（写出完整号码）
    """
    yield from numbers_in_text(record)


@record_rule("P010", Severity.WARNING, "pairing")
def pairing_numbers_in_text(record: Record, ctx: Context) -> Iterator[Problem]:
    """结对记录的文字里写了电话或身份证号码

    关爱寄语、结束原因、备注等自由填写的文字里不写电话号码和身份证号码。

    通过：message: 有什么心里话，随时可以告诉妈妈
    不通过：message: 有事打妈妈电话 139-××××-5678（写出完整号码）
    """
    yield from numbers_in_text(record)


@record_rule("L005", Severity.WARNING, "log")
def log_numbers_in_text(record: Record, ctx: Context) -> Iterator[Problem]:
    """联系记录的文字里写了电话或身份证号码

    内容摘要等自由填写的文字里不写电话号码和身份证号码：新号码请更新到女童或爱心妈妈记录的电话字段。

    通过：summary: 电话联系了监护人，新号码已更新到女童记录
    不通过：summary: 电话联系了监护人，她的新号码是 139××××5678（写出完整号码）
    """
    yield from numbers_in_text(record)
