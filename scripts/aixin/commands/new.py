"""`aixin new`: enter a new record by answering questions, each checked by the rules as typed,
then write it.

Only wiring: the questions, the checks and writing are in `entry/`. Exit codes: 0 written, 1
written but other records now have errors to fix (listed before confirming), or not confirmed;
2 usage error, 130 interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from aixin.domain.terms import UNIT_KINDS

from .common import HELP, ROOT, fail

EXIT_ERRORS, EXIT_INTERRUPTED = 1, 130
CANCELLED = "已取消，没有写入任何文件。"


def _stop(code: int, message: str = CANCELLED) -> NoReturn:
    click.echo(f"\n{message}", err=True)
    raise click.exceptions.Exit(code)


@click.command(add_help_option=False)
@HELP
@click.argument("kind", type=click.Choice(UNIT_KINDS), metavar="girl|mother|pairing|log")
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

    每项填写后立即按检查规则检查，不能通过时说明原因并请重新填写；输入 < 回到上一项。
    写入前显示全部内容和检查结果请确认。随时按 Ctrl-C 取消（不写入任何文件）。
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
    plan.interview.full_numbers = summary.own_terminal(sys.stdout)
    click.echo("逐项填写，每项当场检查；标有“可选”的项可以直接回车跳过；输入 < 回到上一项；按 Ctrl-C 随时取消。\n")
    try:
        record = plan.interview.run()
    except (click.Abort, KeyboardInterrupt, EOFError):
        _stop(EXIT_INTERRUPTED)
    if record is None:
        _stop(EXIT_ERRORS)
    record_id, path = new_record.write(plan, record)
    rel = path.relative_to(repo.root).as_posix()
    click.echo(f"\n已写入 {rel}（记录编号 {record_id}）。")
    if any(found.blocks for found in plan.interview.consequences):
        click.echo("其他记录因此有了上面列出的错误：请按提示改正那些记录，再运行 aixin check 检查。")
        raise click.exceptions.Exit(EXIT_ERRORS)
    click.echo(f"完成：{rel}")
