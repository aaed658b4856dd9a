"""Reporters: print a `CheckResult` as text, JSON or GitHub workflow commands.

A reporter only formats what the engine found; it never computes findings and never decides
the exit code (that is `CheckResult.exit_code`, read by the CLI). Every message goes through
`mask_digits` once more before it is printed: the rules already mask personal values, but a
reporter is the last place where a full ID number or phone could still leak into a CI log.
Hints are the rules' own advice (examples like "13812345678" must stay readable), never data.
Control and invisible characters in a message or hint are printed as `\\u202e` (`visible`): a
value can never clear the terminal, colour it or reverse the text of a line.
"""

from __future__ import annotations

import json as _json
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import click

from aixin.check.result import CheckResult
from aixin.core.findings import SEVERITY_LABELS, Finding, Severity
from aixin.core.masking import mask_digits, visible
from aixin.domain.quota import CITY_TOTAL, QuotaRow
from aixin.domain.terms import COUNT_WORDS

QUOTA_HEADERS = ("单位", "名额", "已审核通过", "待审核", "缺额")
_STYLES = {
    Severity.ERROR: {"fg": "red", "bold": True},
    Severity.WARNING: {"fg": "yellow"},
    Severity.INFO: {"fg": "cyan"},
}
_GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
STEP_SUMMARY_FINDINGS = 100  # the step summary lists at most this many findings


# ---------------------------------------------------------------- shared pieces


def sorted_findings(result: CheckResult) -> list[Finding]:
    """Deterministic order: file, line, column, rule, then message for ties."""
    return sorted(result.findings, key=lambda f: (f.file, f.line, f.column, f.rule, f.message))


def _message(finding: Finding) -> str:
    text = visible(mask_digits(finding.message))
    return f"{text} — {visible(finding.hint)}" if finding.hint else text


def cause_note(cause: str) -> str:
    """What a finding in another file says about the checked (or changed) file that caused it."""
    return f"由 {visible(cause)} 引起"


def finding_line(finding: Finding, severity_word: str | None = None) -> str:
    """`file:line:col: error [G001] message — hint` (the severity word may come coloured)."""
    word = severity_word or finding.severity.value
    line = f"{visible(finding.file)}:{finding.line}:{finding.column}: {word} [{finding.rule}] {_message(finding)}"
    return line.replace("\r", "\\u000d")  # a bare CR would let the rest overwrite the line


def summary_line(result: CheckResult) -> str:
    """`检查了 18,532 个文件：0 个错误，3 个警告，9 个提示。`, or `…：检查通过。` when nothing blocks or warns."""
    errors, warnings, infos = (result.count(s) for s in Severity)
    head = f"检查了 {result.files:,} 个文件："
    if errors or warnings:
        return f"{head}{errors:,} 个错误，{warnings:,} 个警告，{infos:,} 个提示。"
    return f"{head}检查通过（{infos:,} 个提示）。" if infos else f"{head}检查通过。"


def kind_counts(counts: dict[str, int]) -> str:
    """`爱心妈妈 1,000 名，女童 1,300 名，结对 1,200 对，联系记录 14,400 条` (kinds present only)."""
    return "，".join(f"{label} {counts[k]:,} {unit}" for k, label, unit in COUNT_WORDS if k in counts)


def _unit_label(row: QuotaRow) -> str:
    return row.unit_name or (CITY_TOTAL if not row.unit_id else row.unit_id)


def _quota_cells(row: QuotaRow) -> list[str]:
    numbers = (row.quota, row.approved, row.pending, row.shortfall)
    return [_unit_label(row), *(f"{n:,}" for n in numbers)]


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters (all CJK ideographs) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def quota_table(rows: list[QuotaRow]) -> list[str]:
    """The quota table as aligned lines: unit names left, numbers right, CJK counted as two."""
    table = [list(QUOTA_HEADERS)] + [_quota_cells(r) for r in rows]
    widths = [max(display_width(line[i]) for line in table) for i in range(len(QUOTA_HEADERS))]
    lines = []
    for cells in table:
        padded = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - display_width(cell))
            padded.append(cell + pad if i == 0 else pad + cell)
        lines.append("  ".join(padded).rstrip())
    return lines


# ---------------------------------------------------------------- text


def text(result: CheckResult, stream: TextIO) -> None:
    """`file:line:col: error [G001] message — hint` lines, the quota table, then a summary line."""
    colour = _isatty(stream)

    def style(value: str, **kw) -> str:
        return click.style(value, **kw) if colour else value

    lines = []
    for f in sorted_findings(result):
        lines.append(finding_line(f, style(f.severity.value, **_STYLES[f.severity])))
        cause = result.cause(f)
        if cause:
            lines.append(f"    ↳ 这一条{cause_note(cause)}，记在上面这个文件里")
    if result.quota and result.whole:  # not for one file or folder: it is the city's business
        if lines:
            lines.append("")
        if result.as_of:
            lines.append(f"招募进度（截至 {result.as_of.isoformat()}）：")
        lines.extend(quota_table(result.quota))
    if lines:
        lines.append("")
    warned = result.count(Severity.WARNING)
    summary_colour = "red" if result.exit_code else ("yellow" if warned else "green")
    lines.append(style(summary_line(result), fg=summary_colour, bold=True))
    stream.write("\n".join(lines) + "\n")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# ---------------------------------------------------------------- JSON


def as_dict(result: CheckResult) -> dict:
    """The JSON document; keys and lists in a fixed order so two runs diff cleanly."""
    findings = [
        {**f.to_dict(), "message": mask_digits(f.message), "related": list(f.related), "caused_by": result.cause(f)}
        for f in sorted_findings(result)
    ]
    quota = [
        {
            "unit_id": r.unit_id,
            "unit_name": r.unit_name,
            "quota": r.quota,
            "approved": r.approved,
            "pending": r.pending,
            "shortfall": r.shortfall,
        }
        for r in result.quota
    ]
    return {
        "findings": findings,
        "quota": quota,
        "counts": {kind: result.counts[kind] for kind in sorted(result.counts)},
        "files": result.files,
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "summary": {s.value: result.count(s) for s in Severity},
    }


def json(result: CheckResult, stream: TextIO) -> None:
    """One JSON document, UTF-8 Chinese kept readable (ensure_ascii=False)."""
    stream.write(_json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n")


# ---------------------------------------------------------------- GitHub Actions


def escape_data(value: str) -> str:
    """A workflow command's message: GitHub's escaping (actions/toolkit `escapeData`)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """A workflow command's property value: as `escape_data`, plus `:` and `,` (`escapeProperty`)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: CheckResult, stream: TextIO) -> None:
    """One `::error file=…,line=…,col=…,title=…::message` per finding, then the summary line.

    GitHub shows only the first 10 errors and 10 warnings of a step as annotations, so errors
    come first and the programme-wide quota findings last; the step summary
    (`write_step_summary`) lists everything.
    """
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    ordered = sorted(sorted_findings(result), key=lambda f: (rank[f.severity], f.rule.startswith("Q")))
    for f in ordered:
        props = []
        if f.file:
            props.append(("file", f.file))
        if f.line > 0:
            props.append(("line", str(f.line)))
            if f.column > 0:
                props.append(("col", str(f.column)))
        props.append(("title", f"[{f.rule}] {SEVERITY_LABELS[f.severity]}"))
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
        stream.write(f"::{_GITHUB_COMMANDS[f.severity]} {joined}::{escape_data(_noted(result, f))}\n")
    stream.write(summary_line(result) + "\n")


def _noted(result: CheckResult, finding: Finding) -> str:
    """The message and hint, and in a finding caused by a checked or changed file, which one."""
    cause = result.cause(finding)
    return f"{_message(finding)}（{cause_note(cause)}）" if cause else _message(finding)


def _md_cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def step_summary(result: CheckResult) -> str:
    """The Markdown written to `$GITHUB_STEP_SUMMARY`: counts, the quota table, the findings."""
    out = ["## 记录检查结果", "", summary_line(result), ""]
    if result.counts:
        out += ["记录数：" + kind_counts(result.counts) + "。", ""]
    if result.quota:
        title = "### 招募进度" + (f"（截至 {result.as_of.isoformat()}）" if result.as_of else "")
        out += [title, "", "| " + " | ".join(QUOTA_HEADERS) + " |", "|---|---:|---:|---:|---:|"]
        for row in result.quota:
            cells = [_md_cell(c) for c in _quota_cells(row)]
            if not row.unit_id:
                cells = [f"**{c}**" for c in cells]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    out += care_summary(result)
    order = list(Severity)  # errors first, so the cap never hides one behind many infos
    findings = sorted(sorted_findings(result), key=lambda f: order.index(f.severity))
    if findings:
        out += ["### 问题", "", "| 级别 | 规则 | 位置 | 说明 |", "|---|---|---|---|"]
        for f in findings[:STEP_SUMMARY_FINDINGS]:
            where = _md_cell(f"`{f.file}:{f.line}:{f.column}`")
            out.append(f"| {SEVERITY_LABELS[f.severity]} | {f.rule} | {where} | {_md_cell(_noted(result, f))} |")
        if len(findings) > STEP_SUMMARY_FINDINGS:
            out += [
                "",
                f"另有 {len(findings) - STEP_SUMMARY_FINDINGS:,} 条未列出，请在本地运行 `aixin check` 查看全部。",
            ]
        out.append("")
    return "\n".join(out) + "\n"


CARE_HEADERS = ("单位", "进行中的结对", "本月已联系", "逾期未完成")


def care_summary(result: CheckResult) -> list[str]:
    """The overdue counts per unit, as of the check's day: figures, never findings (overdue care
    does not fail a check), so they go in the summary only, not in annotations."""
    care = result.care
    if care is None or not care.city.active:
        return []
    names = {row.unit_id: row.unit_name for row in result.quota if row.unit_id}
    out = [f"### 待跟进（截至 {care.as_of.isoformat()}）", "", "| " + " | ".join(CARE_HEADERS) + " |"]
    out.append("|---|---:|---:|---:|")
    for unit in (*care.units, care.city):
        cells = [names.get(unit.unit, unit.unit), f"{unit.active:,}", f"{unit.contacted_this_month:,}"]
        cells.append(f"{unit.overdue:,}")
        if unit is care.city:
            cells = ["**全市**", *(f"**{c}**" for c in cells[1:])]
        out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    out += ["", "逾期未完成帮扶任务不是记录错误，不影响检查结果；逐对的名单用 `aixin report contacts` 查看。"]
    if result.waiting:
        longest = result.waiting[0].days
        out += ["", f"等待市妇联审核的爱心妈妈 {len(result.waiting):,} 名，最长已等 {longest:,} 天。"]
    return [*out, ""]


def write_step_summary(result: CheckResult, path: str | os.PathLike) -> None:
    """Append the Markdown summary to the job summary file (GitHub and Forgejo/Gitea alike)."""
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(step_summary(result))


def step_summary_if_asked(result: CheckResult) -> None:
    """Write the step summary when CI asks for one ($GITHUB_STEP_SUMMARY); a file that cannot be
    written is a warning on stderr: a summary is a courtesy, it must not change the outcome."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        write_step_summary(result, path)
    except OSError as exc:
        click.echo(f"警告：无法写入步骤摘要 {path}：{exc.strerror or exc}", err=True)


REPORTERS: dict[str, Callable[[CheckResult, TextIO], None]] = {
    "text": text,
    "json": json,
    "github": github,
}
