"""The catalogue of every finding code: one entry per code, whoever emits it.

Three sources feed it: the codes of the loader, the schema and the layout (`file_codes.CODES`),
the record check's rules (`RULES`) and the pull-request rules (`CHANGE_RULES`). Rules document
themselves in their docstrings (title, explanation, `通过：`/`不通过：` examples), parsed here
once; the site's rules page only renders the entries. (Importing this module imports the `rules`
package first, whose `__init__` registers every rule.)
"""

from __future__ import annotations

from dataclasses import dataclass

from aixin.core.findings import SEVERITY_LABELS, Severity

from .file_codes import CODES
from .registry import CHANGE_RULES, RULES, RecordRule, Rule

__all__ = ["CODES", "GROUPS", "Entry", "Group", "catalogue", "group_of", "parse_doc"]


@dataclass(frozen=True)
class Group:
    """The codes of one letter: what they look at, in the order a record meets them."""

    letter: str
    name: str
    intro: str


GROUPS = (
    Group("Y", "文件格式", "记录文件能否被读取：编码、YAML 写法。这一类错误会让整个文件无法继续检查。"),
    Group("S", "字段结构", "字段是否齐全、名称是否正确、值的类型和格式是否符合数据字典。"),
    Group(
        "R",
        "文件位置",
        "文件是否放在正确的单位和类别文件夹中，文件名是否是有效的记录编号；"
        "照片是否只有画面（不带 GPS 位置等信息）、大小是否合适、能否读取；"
        "记录中引用的照片和音视频文件是否存在，photos 文件夹中的每张照片是否有记录引用；"
        "录音和视频是否真是所写的格式、大小是否合适、是否带位置信息、是否有记录引用。",
    ),
    Group("G", "女童", "留守女童记录（附件1）的内容是否合理、是否符合建档条件。"),
    Group("M", "爱心妈妈", "爱心妈妈申报记录（附件2）的身份证号码、年龄和两级审核。"),
    Group("P", "结对", "结对帮扶卡（附件3）与双方记录是否一致、是否符合结对条件。"),
    Group("L", "联系记录", "帮扶联系记录是否属于已有的结对、日期是否在结对期间。"),
    Group(
        "C",
        "表彰",
        "市妇联登记的表彰记录：受表彰的爱心妈妈是否存在并已通过两级审核、是否重复表彰、活动年度和表彰日期是否对得上。",
    ),
    Group("T", "培训", "市妇联登记的培训记录：写到的爱心妈妈是否都有记录、培训日期是否合理。"),
    Group("D", "全市重复", "全市范围内同一个人或同一个编号是否重复登记。"),
    Group("Q", "名额", "各单位和全市招募人数与名额的对照。"),
    Group(
        "A",
        "修改权限",
        "只在 pull request（拉取请求）上检查（aixin check --pr），看的是这次修改本身：发起人是否在目标分支的"
        "联络员名单 records/coordinators.yaml 中，是否只改了本单位文件夹中的文件，是否改了只有市妇联才能改的"
        "文件或市妇联意见，是否删除了仍被引用的记录。",
    ),
)
OTHER_GROUP = Group("", "其他", "")

_KIND_TARGETS = {
    "girl": "留守女童记录",
    "mother": "爱心妈妈记录",
    "pairing": "结对记录",
    "log": "联系记录",
    "commendation": "表彰记录",
    "training": "培训记录",
    "photo": "photos/ 文件夹中的每张照片",
    "media": "media/ 文件夹中的每个录音和视频",
}
_CODE_TARGETS = {"Y": "每个记录文件", "S": "每条记录", "R": "records/ 下的每个文件"}
_CROSS_TARGET = "全市所有记录（跨记录检查）"
_CHANGE_TARGET = "pull request 中的修改（aixin check --pr）"


@dataclass(frozen=True)
class Entry:
    """One code: its severity (and when it changes), what it looks at, what it means, examples."""

    code: str
    severity: Severity
    severity_label: str  # 错误 / 警告 / 提示, or e.g. 提示／警告 when it depends on the date
    severity_note: str  # when the severity changes; empty when it never does
    applies_to: str
    title: str
    paragraphs: tuple[str, ...]
    passes: tuple[str, ...]
    fails: tuple[str, ...]

    @property
    def group(self) -> Group:
        return group_of(self.code)


def parse_doc(doc: str) -> tuple[str, list[str], list[str], list[str]]:
    """(title, explanation paragraphs, 通过 examples, 不通过 examples) from a rule's docstring."""
    lines = doc.splitlines()
    title = lines[0].strip() if lines else ""
    paragraphs: list[str] = []
    passes: list[str] = []
    fails: list[str] = []
    current: list[str] | None = None  # the list the previous line went to
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            paragraphs.append("".join(buffer))
            buffer.clear()

    for line in lines[1:]:
        s = line.strip()
        if not s:
            flush()
            current = None
        elif s.startswith("不通过："):
            flush()
            fails.append(s[len("不通过：") :].strip())
            current = fails
        elif s.startswith("通过："):
            flush()
            passes.append(s[len("通过：") :].strip())
            current = passes
        elif current is not None:
            current[-1] += s
        else:
            buffer.append(s)
    flush()
    return title, paragraphs, passes, fails


def group_of(code: str) -> Group:
    return next((g for g in GROUPS if code.startswith(g.letter)), OTHER_GROUP)


def _rule_entry(rule: Rule) -> Entry:
    title, paragraphs, passes, fails = parse_doc(rule.doc)
    if isinstance(rule, RecordRule):
        target = _KIND_TARGETS.get(rule.kind, "")
    elif rule.code in CHANGE_RULES:
        target = _CHANGE_TARGET
    else:
        target = _CROSS_TARGET
    label, note = rule.varies or (SEVERITY_LABELS[rule.severity], "")
    return Entry(
        rule.code,
        rule.severity,
        label,
        note,
        target,
        title or rule.code,
        tuple(paragraphs),
        tuple(passes),
        tuple(fails),
    )


def catalogue() -> dict[str, Entry]:
    """Every code, grouped by letter in the order of GROUPS, each group in code order."""
    entries = [
        Entry(
            code,
            info.severity,
            SEVERITY_LABELS[info.severity],
            "",
            _CODE_TARGETS.get(code[0], "每个记录文件"),
            info.title,
            (info.explanation,),
            (),
            (),
        )
        for code, info in CODES.items()
    ]
    entries += [_rule_entry(rule) for rule in (RULES | CHANGE_RULES).values()]
    order = {group.letter: n for n, group in enumerate(GROUPS)}
    entries.sort(key=lambda e: (order.get(e.group.letter, len(GROUPS)), e.code))
    return {entry.code: entry for entry in entries}
