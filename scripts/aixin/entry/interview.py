"""The dialogue: ask each question with click, read and check the answer, ask again when it is wrong.

Every answer is checked at once, by the schema and then by the real rules (`checks.Checker`):
what the answer breaks, in this record or in another one (a girl already paired, a mother too
old by her ID number), is refused at that question with the finding's message and hint, and
she answers again. Typing `<` (or 上一步) goes back to the previous question, also from the
confirmation. Everything is asked through `click.prompt`, so that tests can script the answers.
Ctrl-C and the end of input surface as `click.Abort`; the caller decides what that means.
Nothing here writes a file.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

import click

from aixin.core.masking import mask_digits, visible
from aixin.domain.programme import Programme
from aixin.domain.terms import KIND_LABELS, is_active

from . import answers, summary
from .answers import AnswerError, Option
from .checks import Checker, Found, new_since
from .existing import ExistingRecords
from .questions import DERIVED, REQUIRED, SKIP, Question, asking_order, in_schema_order, walk_all

SKIP_NOTE = "（可选，直接回车跳过）"
BACK_WORDS = {"<", "＜", "《", "上一步", "上一项", "返回"}
BACK_HELP = "输入 < 回到上一项"
_KIND_NOTES = {
    "date": "年-月-日，如 2019-07-05",
    "year_month": "年-月，如 2010-03",
    "boolean": "是/否",
}
_FILE_WORDS = ("引号", "true", "false")  # sentences of a description that speak of the YAML file


class Back(Exception):
    """She typed `<`: go back to the previous question."""


@dataclass(frozen=True)
class _Step:
    question: Question
    gate: bool = False  # an optional section: asked first whether to fill it in (是/否)


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
        checker: Checker | None = None,
    ):
        self.kind = kind
        self.unit = unit
        self.questions = questions
        self.repo = repo
        self.programme = programme
        self.today = today
        self.preset = preset or {}
        self.checker = checker
        self.labels: dict[tuple, str] = {}  # how a picked record is shown: 示例妈妈甲（chuanshan-m-7k2q9d）
        self.full_numbers = False  # the confirmation shows full numbers (her own terminal)
        self.consequences: list[Found] = []  # what writing the record causes in other records
        self._notes: list[str] = []  # what the rules say about an accepted answer
        self._steps: list[_Step] = []

    # the whole dialogue ---------------------------------------------------------------------
    def run(self) -> dict | None:
        """The record's data in the schema's order once confirmed; None when she says no.

        `<` goes back one question (the answers after it are asked again); a rule that finds an
        earlier answer wrong asks that one question again in place, keeping the others.
        """
        self._steps = steps = _steps(asking_order(self.kind, self.questions))
        record: dict = {}
        for path, value in self.preset.items():
            _set(record, path, value)
        history: list[tuple[int, dict, dict]] = []  # (step, record and labels before it) per answer
        i = 0
        while True:
            try:
                if i == len(steps):
                    done = in_schema_order(self.questions, _without_empty(record))
                    return done if self._review(done) else None
                step = steps[i]
                if not self._applies(step, record):
                    i += 1
                    continue
                if step.question.kind == "object" and not step.gate:
                    click.echo(f"\n【{step.question.label}】")
                    _help(_for_prompt(step.question.description))
                    _set(record, step.question.path, {})
                    i += 1
                    continue
                before = (i, copy.deepcopy(record), dict(self.labels))
                self._ask(step, record)
                history.append(before)
                i += 1
            except Back as back:
                if back.args and self._fix(back.args[0], record, history):
                    continue  # asked again in place: go on where she was
                if history:
                    i, record, self.labels = history.pop()
                else:
                    click.echo("  已经是第一项。")

    def _fix(self, path: tuple, record: dict, history: list) -> bool:
        """Ask again the question of `path` (an earlier answer a rule found wrong), keeping every
        other answer; False when no question asks it (a derived field) or she goes back instead."""
        asked = [s for s in self._steps if not s.gate and s.question.path == path[: len(s.question.path)]]
        if not asked or asked[-1].question.path in self.preset:
            return False
        step = asked[-1]
        where = step.question.path
        old, derived = _get(record, where), {p: _get(record, p) for p in DERIVED.get(self.kind, ())}
        _drop(record, where)
        for derived_path in derived:
            _drop(record, derived_path)
        click.echo(f"\n  请重新填写“{step.question.label}”：")
        try:
            self._ask(step, record)
        except Back:
            _set(record, where, old)
            for derived_path, value in derived.items():
                if value is not None:
                    _set(record, derived_path, value)
            return True
        self._derive(record)
        for _, earlier, _ in history:  # going back later must not bring the wrong answer back
            if _get(earlier, where) is not None:
                _set(earlier, where, _get(record, where))
        return True

    def _applies(self, step: _Step, record: dict) -> bool:
        question = step.question
        if question.path in self.preset or question.path in DERIVED.get(self.kind, set()):
            return False
        parent = question.path[:-1]
        if parent and not isinstance(_get(record, parent), dict):
            return False  # a section she chose not to fill in
        return question.status(record) != SKIP

    # one question ---------------------------------------------------------------------------
    def _ask(self, step: _Step, record: dict) -> None:
        question = step.question
        if step.gate:
            _help(_for_prompt(question.description))
            if self._prompt_value(question, f"是否填写“{question.label}”？（是/否）", "否", self._gate):
                click.echo(f"\n【{question.label}】")
                _set(record, question.path, {})
            return
        required = question.status(record) == REQUIRED
        options, how, check, default = self._choices(question)
        _help(_for_prompt(question.description))
        _help(how)
        for number, option in enumerate(options, 1):
            click.echo(f"    {number}. {option.label}")
        note = _KIND_NOTES.get(question.kind)
        label = question.label + (f"（{note}）" if note else "") + ("" if required else SKIP_NOTE)

        def read(text: str):
            if not text and question.kind == "references":
                return []  # none (yet): the list is written empty
            if not text:
                if required:
                    raise AnswerError("这一项必填")
                return None
            value = answers.parse(question, text, today=self.today, options=options, verify=check)
            self._check_rules(question, record, value)
            return value

        value = self._prompt_value(question, label, default or "", read)
        if value is None:
            return
        _set(record, question.path, value)
        self._derive(record, announce=True)

    def _prompt_value(self, question: Question, label: str, default: str, read):
        """Prompt until `read` accepts the answer; `<` raises Back."""
        while True:
            raw = click.prompt(label, default=default, show_default=bool(default), prompt_suffix="：")
            text = answers.clean(raw)
            if text in BACK_WORDS:
                raise Back
            try:
                value = read(text)
            except AnswerError as error:
                reason, again = error.reason, f"请重新输入（{BACK_HELP}）。"
                click.echo(f"  {reason}\n  {again}" if "\n" in reason else f"  {reason.rstrip('。')}。{again}")
                continue
            if value is not None and question.kind not in ("object",):
                self._say_stored(question, text, value)
            for note in self._notes:  # warnings, and errors this answer causes in other records
                click.echo(note)
            self._notes = []
            return value

    def _gate(self, text: str) -> bool:
        return answers.yes_or_no(text or "否")

    def _say_stored(self, question: Question, text: str, value) -> None:
        picked = {o.value: o.picked or o.label for o in self._choices(question)[0] if o.label != o.value}
        if question.kind == "reference" and value in picked:
            self.labels[question.path] = picked[value]
        if question.kind == "references" and isinstance(value, list):
            self.labels[question.path] = "、".join(picked.get(item, item) for item in value) or "（无）"
        written = value if isinstance(value, str) else summary.shown(question.key, value, full=True)
        written = self.labels.get(question.path, written)
        if written != text:  # normalised (2019.7.5, 奶奶, a lower-case x) or picked by number or name
            click.echo(f"  已记为 {written}")

    def _check_rules(self, question: Question, record: dict, value) -> None:
        """Refuse the answer when the rules find that it breaks something (AnswerError)."""
        if self.checker is None:
            return
        after = copy.deepcopy(record)
        _set(after, question.path, value)
        self._derive(after)
        new = new_since(self.checker.found(after), self.checker.found(record))
        new = [f for f in new if not f.mine or (f.path and _get(after, f.path) is not None)]
        refused = [f for f in new if f.blocks and (f.mine or f.path == question.path)]
        if refused and all(f.mine and f.path != question.path for f in refused):
            # The error is at a field answered before (a date this answer contradicts): ask it again.
            click.echo("\n  ".join(["  这样填写不能通过检查：", *(_where(f) for f in refused)]))
            click.echo(f"  请修改“{self._label(refused[0].path)}”。")
            raise Back(refused[0].path)
        if refused:
            raise AnswerError("\n  ".join(["这样填写不能通过检查：", *(_where(f) for f in refused)]))
        self._notes = [f"  请注意：{_where(item)}" for item in new]

    def _label(self, path: tuple) -> str:
        asked = [q for q in walk_all(self.questions) if path[: len(q.path)] == q.path]
        return asked[-1].label if asked else "上一项"

    def _derive(self, record: dict, announce: bool = False) -> None:
        """Fill in what is not asked: a pairing's 一对一/一对多 from the mother's pairings."""
        if self.kind != "pairing" or "mother" not in record or "status" not in record or "mode" in record:
            return
        others = len(self.repo.active_pairings("mother", record["mother"]))
        total = others + is_active(record)
        record["mode"] = "一对一" if total <= 1 else "一对多"
        if announce:
            click.echo(f"  结对方式已记为 {record['mode']}（这位爱心妈妈进行中的结对：{total} 个）")

    # the confirmation -----------------------------------------------------------------------
    def _review(self, record: dict) -> bool:
        """The full record shown back, the final check, and her yes or no (`<`: Back)."""
        shown = "" if self.full_numbers else "（电话和身份证号码只显示部分）"
        click.echo(f"\n请核对{shown}：")
        click.echo("\n".join(summary.lines(self.questions, record, self.labels, full=self.full_numbers)))
        found = self.checker.found(record, complete=True) if self.checker else []
        mine = [f for f in found if f.mine]
        self.consequences = [f for f in found if not f.mine]
        if mine:
            click.echo("\n这条记录的检查结果：")
            click.echo("\n".join(f"  {_finding(f)}" for f in mine))
        if self.consequences:
            click.echo("\n写入后，其他记录会出现下面的问题，请一并改正：")
            click.echo("\n".join(f"  {_where(f)}" for f in self.consequences))
        blocking = [f for f in mine if f.blocks]
        if blocking:
            click.echo("这条记录还有错误，不能写入。")
            if self._prompt_value(_NO_QUESTION, f"修改出错的一项？（是/否；{BACK_HELP}）", "是", self._gate):
                raise Back(blocking[0].path or None)
            return False
        return self._prompt_value(_NO_QUESTION, f"确认写入？（是/否；{BACK_HELP}修改）", "是", self._gate)

    # options --------------------------------------------------------------------------------
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

    def _choices(self, question: Question):
        """(options to list, how to answer, an extra check of the value, a default answer)."""
        if question.kind in ("choice", "relationship"):
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
        if question.kind == "references":
            reference = self.repo.reference(self.kind, question.key, question.reference, self.unit)
            how = "可以选几位：输入序号、姓名或记录编号，用逗号隔开，如 1,3；一位也没有就直接回车。"

            def each(values) -> None:
                for value in values:
                    self._check_reference(reference, value)

            return reference.options, how, each, None
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


_NO_QUESTION = Question(("confirm",), "确认", "确认", "", {}, True, "object")


def record_word(kind: str) -> str:
    """留守女童记录, 结对记录, 联系记录 (not 联系记录记录)."""
    label = KIND_LABELS[kind]
    return label if label.endswith("记录") else label + "记录"


def _steps(questions) -> list[_Step]:
    """Every question in asking order, depth first; an optional section whose fields are
    required once it is filled in is asked first with 是/否 (a gate)."""
    steps = []
    for question in questions:
        if question.kind == "object":
            gate = not question.required and not question.conditions and any(c.required for c in question.children)
            steps.append(_Step(question, gate))
            steps.extend(_steps(question.children))
        else:
            steps.append(_Step(question))
    return steps


def _finding(found: Found) -> str:
    word = "错误" if found.blocks else "提醒"
    text = visible(mask_digits(found.message))
    return f"{word}［{found.code}］{text}" + (f" — {visible(found.hint)}" if found.hint else "")


def _where(found: Found) -> str:
    """The finding, after the file of the other record it lands on (none for the new record)."""
    return _finding(found) if found.mine else f"{found.file}：{_finding(found)}"


def _for_prompt(text: str) -> str:
    """A description without its sentences about the YAML file (必须加引号)."""
    sentences = [s for s in text.split("。") if s and not any(word in s for word in _FILE_WORDS)]
    return "。".join(sentences) + ("。" if sentences and text.endswith("。") else "")


def _get(record: dict, path: tuple):
    node = record
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _set(record: dict, path: tuple, value) -> None:
    node = record
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _drop(record: dict, path: tuple) -> None:
    parent = _get(record, path[:-1]) if len(path) > 1 else record
    if isinstance(parent, dict):
        parent.pop(path[-1], None)


def _without_empty(record: dict) -> dict:
    """The record without sections left empty (every field of an optional section skipped)."""
    return {k: _without_empty(v) if isinstance(v, dict) else v for k, v in record.items() if v != {}}


def _no_check(value) -> None:
    return None


def _help(text: str) -> None:
    if text:
        click.echo(click.style(f"  {text}", dim=True))
