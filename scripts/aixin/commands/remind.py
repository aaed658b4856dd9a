"""`aixin remind`: the monthly reminder per unit (`report.reminders`), printed or written to a
folder, and with --post sent as each unit's issue and to its work group (`notify.post`).

Exit code: 0; 1 when --post could not open or update an issue (every unit is tried first);
a work-group message that fails is reported on stderr and does not change the exit code.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from .common import AS_OF, HELP, ROOT


@click.command(add_help_option=False)
@HELP
@click.option("--unit", default=None, metavar="单位代码", help="只生成这个单位的提醒（city：市妇联的提醒）。")
@AS_OF
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", help="输出格式（默认 markdown）。"
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="写入这个文件夹，每个单位一个文件（<单位代码>.md 或 .json），不在屏幕上显示。",
)
@click.option(
    "--post",
    is_flag=True,
    help="发出提醒：每个单位开或更新一个议题并 @ 联络员，没有要跟进的就关闭；设置了工作群机器人的单位另发一条消息（在 CI 中使用）。",
)
@ROOT
def remind(unit: str | None, as_of: dt.date | None, fmt: str, out: Path | None, post: bool, root: Path | None) -> None:
    """每月提醒：各单位需要跟进的结对、接下来一个月的节日，全市另有等待审批的爱心妈妈。

    提醒里没有女童的姓名，也没有电话号码和身份证号码；爱心妈妈只显示姓（如 王**）。
    """
    from aixin.load.repository import locate
    from aixin.report import reminder as texts
    from aixin.report.reminders import SITE_URL_ENV, for_repository

    found = for_repository(locate(root), as_of, unit, os.environ.get(SITE_URL_ENV))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for one in found:
            text = texts.markdown(one) if fmt == "markdown" else texts.to_json([one])
            (out / f"{one.unit}.{'md' if fmt == 'markdown' else 'json'}").write_text(text, encoding="utf-8")
        click.echo(f"已写入 {len(found)} 份提醒：{out}")
    elif fmt == "json":
        click.echo(texts.to_json(found), nl=False)
    else:
        click.echo("\n".join(texts.markdown(one) for one in found), nl=False)
    if post:
        _post(found)


def _post(found: list) -> None:
    from aixin.notify.post import post_all

    outcome = post_all(found, dict(os.environ))
    for line in outcome.done:
        click.echo(line)
    for line in (*outcome.issue_failures, *outcome.webhook_failures):
        click.echo(f"未发出：{line}", err=True)
    if outcome.issue_failures:
        raise click.exceptions.Exit(1)
