"""The dialogue: ask each question with click, read and check the answer, ask again when it is wrong.

Everything is asked through `click.prompt` and `click.confirm`, so that tests can script the
answers. Ctrl-C and the end of input surface as `click.Abort` (click converts both); the caller
decides what that means. Nothing here writes a file.
"""

from __future__ import annotations

import datetime as dt

import click

from aixin.domain.programme import Programme
from aixin.domain.terms import KIND_LABELS

from . import answers
from .answers import AnswerError, Option
from .existing import ExistingRecords
from .questions import REQUIRED, SKIP, Question, walk_all
from .summary import shown

SKIP_NOTE = "（可选，直接回车跳过）"
_KIND_NOTES = {
    "date": "年-月-日，如 2019-07-05",
    "year_month": "年-月，如 2010-03",
    "boolean": "是/否",
}


class Interview:
    """Asks the questions of one new record of `kind`, to be filed under `unit`."""

    def __init__(
        self,
        kind: str,
        unit: str,
        questions: tuple[Question, ...],
        *,
        repo: ExistingRecords,
        programme: Programme,
        today: dt.date,
        preset: dict[tuple, object] | None = None,
    ):
        self.kind = kind
        self.unit = unit
        self.questions = questions
        self.repo = repo
        self.programme = programme
        self.today = today
        self.preset = preset or {}
        self.labels: dict[tuple, str] = {}  # how a picked record is shown: 示例妈妈甲（chuanshan-m-7k2q9d）

    def run(self) -> dict:
        """The record's data, field by field as the schema orders them."""
        record: dict = {}
        self._ask_all(self.questions, record, record)
        return record

    def missing_reference(self) -> str | None:
        """Why the record cannot be entered yet: a record it must name does not exist at all."""
        for question in walk_all(self.questions):
            if question.kind != "reference" or question.path in self.preset:
                continue
            reference = self.repo.reference(self.kind, question.key, question.reference, self.unit)
            if not (reference.options if reference.unit else reference.known):
                where = self.programme.unit_name(self.unit) if reference.unit else "全市"
                return (
                    f"{where}还没有{record_word(question.reference)}，无法新建{record_word(self.kind)}；"
                    f"请先用 aixin new {question.reference} --unit {self.unit} 新建。"
                )
        return None

    def _ask_all(self, questions, target: dict, record: dict) -> None:
        for question in questions:
            if question.path in self.preset:
                target[question.key] = self.preset[question.path]
                continue
            status = question.status(record)
            if status == SKIP:
                continue
            if question.kind == "object":
                self._ask_object(question, target, record, status == REQUIRED)
                continue
            value = self._ask_value(question, status == REQUIRED)
            if value is not None:
                target[question.key] = value

    def _ask_object(self, question: Question, target: dict, record: dict, required: bool) -> None:
        ask_first = not required and any(child.required for child in question.children)
        if ask_first:
            _help(question.description)
            if not click.confirm(f"是否填写“{question.label}”？", default=False):
                return
        click.echo(f"\n【{question.label}】")
        if not ask_first:
            _help(question.description)
        target[question.key] = {}
        self._ask_all(question.children, target[question.key], record)
        if not target[question.key]:
            del target[question.key]

    def _ask_value(self, question: Question, required: bool):
        options, how, check, default = self._choices(question)
        _help(question.description)
        _help(how)
        for number, option in enumerate(options, 1):
            click.echo(f"    {number}. {option.label}")
        note = _KIND_NOTES.get(question.kind)
        label = question.label + (f"（{note}）" if note else "") + ("" if required else SKIP_NOTE)
        while True:
            raw = click.prompt(label, default=default or "", show_default=bool(default), prompt_suffix="：")
            text = answers.clean(raw)
            if not text:
                if not required:
                    return None
                click.echo("  这一项必填，请填写。")
                continue
            try:
                value = answers.parse(question, text, today=self.today, options=options, verify=check)
            except AnswerError as error:
                click.echo(f"  {error.reason.rstrip('。')}。请重新输入。")
                continue
            picked = {o.value: o.label for o in options if o.label != o.value}
            if question.kind == "reference" and value in picked:
                self.labels[question.path] = picked[value]
            written = value if isinstance(value, str) else shown(question.key, value)
            written = self.labels.get(question.path, written)
            if written != text:  # normalised (2019/7/5, a lower-case x) or picked by number or name
                click.echo(f"  记为：{written}")
            return value

    def _choices(self, question: Question):
        """(options to list, how to answer, an extra check of the value, a default answer)."""
        if question.kind == "choice":
            return [Option(c, c) for c in question.choices], "输入序号或文字：", _no_check, None
        if question.kind == "choices":
            options = [Option(c, c) for c in question.choices]
            return options, "可以选几项：输入序号或文字，用逗号隔开，如 1,3", _no_check, None
        if question.kind == "unit":
            return self.repo.unit_options(self.programme), "输入序号或单位代码：", _no_check, self.unit
        if question.kind == "reference":
            reference = self.repo.reference(self.kind, question.key, question.reference, self.unit)
            label = KIND_LABELS[reference.kind]
            how = "输入序号、姓名或记录编号：" if reference.options else f"本单位还没有{label}记录；请输入记录编号。"
            return reference.options, how, lambda value: self._check_reference(reference, value), None
        return [], "", _no_check, None

    def _check_reference(self, reference, value: str) -> None:
        label = KIND_LABELS[reference.kind]
        unit = reference.known.get(value)
        if unit is None:
            raise AnswerError(f"找不到编号为“{value}”的{label}记录")
        if reference.unit and unit != reference.unit:
            name = self.programme.unit_name(unit)
            raise AnswerError(
                f"{label}“{value}”属于{name}；这条{record_word(self.kind)}要放在{name}的文件夹中，"
                f"请改用 --unit {unit} 新建，或选本单位的{label}"
            )


def record_word(kind: str) -> str:
    """留守女童记录, 结对记录, 联系记录 (not 联系记录记录)."""
    label = KIND_LABELS[kind]
    return label if label.endswith("记录") else label + "记录"


def _no_check(value) -> None:
    return None


def _help(text: str) -> None:
    if text:
        click.echo(click.style(f"  {text}", dim=True))
