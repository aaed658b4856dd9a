"""`aixin new`: enter a new record by answering questions, then write and check it.

Only wiring: the questions, answers and writing are in `entry/`, the check in the engine and its
text reporter. Exit codes: 0 written and clean, 1 written with errors to fix (the file is kept)
or not confirmed, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import dataclasses
import importlib
import sys
from pathlib import Path
from typing import NoReturn

import click

from aixin.domain.terms import KINDS

from .common import HELP, ROOT, fail

EXIT_ERRORS, EXIT_INTERRUPTED = 1, 130
CANCELLED = "已取消，没有写入任何文件。"


def _stop(code: int, message: str = CANCELLED) -> NoReturn:
    click.echo(f"\n{message}", err=True)
    raise click.exceptions.Exit(code)


@click.command(add_help_option=False)
@HELP
@click.argument("kind", type=click.Choice(KINDS), metavar="girl|mother|pairing|log")
@click.option("--unit", "unit", default=None, metavar="单位代码", help="新记录所属的单位，如 chuanshan（必填）。")
@click.option(
    "--pairing",
    "pairing",
    default=None,
    metavar="结对编号",
    help="联系记录所属的结对（只用于 log；不写则从本单位的结对中选）。",
)
@ROOT
def new(kind: str, unit: str | None, pairing: str | None, root: Path | None) -> None:
    """按提示逐项填写，新建一条记录：girl 留守女童、mother 爱心妈妈、pairing 结对、log 联系记录。

    每项填写后立即检查，填错会说明原因并请重新填写；写入前显示全部内容请确认。
    写入后检查这条记录：有错误时文件仍然保留，请按提示改正。随时按 Ctrl-C 取消（不写入任何文件）。
    """
    from aixin.core import dates
    from aixin.entry import new_record, summary
    from aixin.entry.interview import record_word
    from aixin.load.repository import open_repository

    if not unit:
        fail("请用 --unit 指定新记录所属的单位代码，如 --unit chuanshan")
    if pairing and kind != "log":
        fail("--pairing 只用于新建联系记录（aixin new log）")
    repo = open_repository(root)
    plan = new_record.prepare(repo, kind, unit, pairing, dates.beijing_today())
    click.echo(f"新建{record_word(kind)}（{repo.programme.unit_name(unit)}）：{plan.schema.get('title', '')}")
    click.echo("逐项填写；标有“可选”的项可以直接回车跳过；按 Ctrl-C 随时取消。\n")
    try:
        record = plan.interview.run()
        click.echo("\n请核对（电话和身份证号码只显示部分）：")
        click.echo("\n".join(summary.lines(plan.questions, record, plan.interview.labels)))
        confirmed = click.confirm("确认写入？", default=True)
    except (click.Abort, KeyboardInterrupt, EOFError):
        _stop(EXIT_INTERRUPTED)
    if not confirmed:
        _stop(EXIT_ERRORS)
    record_id, path = new_record.write(plan, record)
    rel = path.relative_to(repo.root).as_posix()
    click.echo(f"\n已写入 {rel}（记录编号 {record_id}）。正在检查……")
    _check(repo, path, rel)


def _check(repo, path: Path, rel: str) -> None:
    """Run every rule on the repository; show what concerns the new file; decide the exit code."""
    engine = importlib.import_module("aixin.check.engine")
    report = importlib.import_module("aixin.report.reporters")
    try:
        result = engine.run_check(repo, [path])
    except KeyboardInterrupt:
        _stop(EXIT_INTERRUPTED, f"检查被中断。记录已写入 {rel}；请运行 aixin check {rel} 检查。")
    report.text(dataclasses.replace(result, quota=[], files=1), sys.stdout)
    if result.exit_code:
        click.echo(
            f"记录已写入 {rel}，但还有错误（见上）。请用文本编辑器打开这个文件，按提示改正后运行 "
            f"aixin check {rel} 再检查。"
        )
        raise click.exceptions.Exit(EXIT_ERRORS)
    click.echo(f"完成：{rel}")
