"""Running a rule, guarded: what every caller of rules shares (the record check, the cross-record
check, the pull-request check and the spreadsheet import).

A rule that crashes must not hide the other findings: its crash becomes one internal problem of
that rule, worded for the coordinator, and the other rules go on. A problem is placed at the line
of its field path, or of the nearest parent the file has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, overload

from aixin.core.findings import FieldPath, Finding, Problem, Severity
from aixin.domain.records import Record, RecordIndex
from aixin.load.loader import position

from .registry import ChangeRule, Context, CrossRule, RecordRule, Rule

if TYPE_CHECKING:
    from .changes import PullRequest

# A file's (line, column) by field path, as the loader records them (`Loaded.lines`).
Lines = dict[FieldPath, tuple[int, int]]


def internal_problem(code: str, error: Exception) -> Problem:
    """What a crashed rule reports instead of its findings (no record: the caller places it)."""
    return Problem(
        f"检查规则 {code} 出现内部错误：{type(error).__name__}",
        "这不是记录的问题；请把这条信息发给市妇联技术人员。",
        severity=Severity.ERROR,
    )


@overload
def run_rule(rule: RecordRule, record: Record, ctx: Context, /) -> list[Problem]: ...
@overload
def run_rule(rule: CrossRule, index: RecordIndex, ctx: Context, /) -> list[Problem]: ...
@overload
def run_rule(rule: ChangeRule, pr: PullRequest, /) -> list[Problem]: ...
def run_rule(rule: Rule, *subject: object) -> list[Problem]:
    """Every problem `rule` finds in `subject` (a record and context, the index and context, or a
    pull request); a crash becomes its one internal problem."""
    try:
        return list(rule.check(*subject))
    except Exception as error:  # noqa: BLE001 — a rule bug must not hide the other findings
        return [internal_problem(rule.code, error)]


def severity(rule: Rule, problem: Problem) -> Severity:
    """The problem's own severity (a date may change it, as for Q001), else the rule's."""
    return problem.severity or rule.severity


def locate(rule: Rule, problem: Problem, file: str, lines: Lines, record_id: str) -> Finding:
    """The finding of `problem` in `file`, at the line its field path has in `lines`."""
    return Finding.of(problem, file, position(lines, problem.path), rule.code, rule.severity, record_id)


def record_findings(rules: list[RecordRule], record: Record, ctx: Context, lines: Lines) -> list[Finding]:
    """Every record rule of `rules` over one record, located in its file."""
    return [
        locate(rule, problem, record.file, lines, record.id)
        for rule in rules
        for problem in run_rule(rule, record, ctx)
    ]
