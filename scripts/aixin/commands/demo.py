"""`aixin demo`: a whole fictional programme for demonstrations and benchmarks (`aixin.demo`)."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import click

from aixin.core import dates
from aixin.domain.terms import CITY_KINDS, KINDS
from aixin.report.reporters import kind_counts

from .common import HELP, day_option, fail


def _until(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    day = day_option(ctx, param, value)
    if day is None:
        return None
    if day > dates.beijing_today():  # a log in the future would be an error of the check
        raise click.BadParameter(f"{day} 晚于今天：联系记录不能记到将来")
    return day


@click.command(add_help_option=False)
@HELP
@click.option(
    "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="输出文件夹（须不存在或为空）。"
)
@click.option(
    "--scale",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="规模倍数：1 即全市 1000 名爱心妈妈。",
)
@click.option("--seed", type=int, default=2019, show_default=True, help="随机种子：同一种子总是生成同样的数据。")
@click.option(
    "--until",
    default=None,
    metavar="年-月-日",
    callback=_until,
    help="联系记录一直记到这一天（不晚于今天），可跨多个活动年度；默认只有第一个活动年度（启动实施起一年）。",
)
def demo(out: Path, scale: float, seed: int, until: dt.date | None) -> None:
    """生成虚构的演示数据（全部为编造，不含任何真实个人信息）。"""
    generate = importlib.import_module("aixin.demo").generate
    try:
        stats = generate(out, scale, seed, until=until)
    except ValueError as exc:  # the demo's own refusals (a folder that is not empty, …)
        fail(str(exc))
    counts = {kind: getattr(stats, kind + "s", 0) for kind in KINDS}
    counts = {kind: n for kind, n in counts.items() if n or kind not in CITY_KINDS}
    click.echo(f"已生成虚构数据：{kind_counts(counts)}，位于 {out}")
