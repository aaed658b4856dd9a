"""`aixin report contacts`: the check's care figures (domain.care) as text, JSON or a workbook."""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import io
import sys
from pathlib import Path

import click

from .common import AS_OF, HELP, NO_CACHE, REPORT_FORMAT, REPORT_UNIT, ROOT, fail


@click.group(add_help_option=False)
@HELP
def report() -> None:
    """报表：从记录中算出的数字。"""


@report.command(add_help_option=False)
@HELP
@REPORT_UNIT
@AS_OF
@REPORT_FORMAT
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="文件",
    help="写入这个新文件（不会覆盖已有文件）；xlsx 格式必须给出。",
)
@NO_CACHE
@ROOT
def contacts(
    unit: str | None, as_of: dt.date | None, fmt: str, out: Path | None, no_cache: bool, root: Path | None
) -> None:
    """待跟进：每对进行中的结对完成了哪些帮扶任务、还欠哪些。

    先是各单位和全市的合计与完成率；然后是每对结对，逾期最久的在前，列出最近联系日期和缺了哪些月份
    （学年、学期）；最后是等待市妇联审核的爱心妈妈。逾期不是记录错误，aixin check 不会因此报错。

    --as-of 按过去某一天计算（如 2026-11-30），默认今天（北京时间）。

    --format xlsx 生成可以打印、逐对跟进的表格，须用 --out 给出文件名（如 待跟进.xlsx）。
    """
    if fmt == "xlsx" and out is None:
        fail("--format xlsx 须用 --out 给出要生成的文件名，如 --out 待跟进.xlsx")
    if out is not None and fmt == "xlsx" and out.suffix.lower() != ".xlsx":
        fail(f"表格文件名应以 .xlsx 结尾，现在是“{out.name}”")
    repository = importlib.import_module("aixin.load.repository")
    repo_root = repository.locate(root)
    if out is not None:
        importlib.import_module("aixin.sheets.workbook").refuse_existing([out])
    day = as_of or importlib.import_module("aixin.core.dates").beijing_today()
    figures = importlib.import_module("aixin.check.figures")
    produce = functools.partial(_produce, repo_root, unit, day, fmt, not no_cache)
    data, active, overdue, errors = figures.cached_output(repo_root, day, (unit, fmt), produce, not no_cache)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
    else:
        importlib.import_module("aixin.sheets.workbook").create_file(out, data)
        click.echo(f"已生成 {out}：进行中的结对 {active:,} 对，逾期 {overdue:,} 对。")
    if errors:
        click.echo("注意：记录中有错误，有错误的记录没有计入；请运行 aixin check 查看并改正。", err=True)


def _produce(root: Path, unit: str | None, day: dt.date, fmt: str, use_cache: bool) -> tuple:
    """(the report's bytes, active pairings, overdue pairings, whether the records have errors)."""
    repo = importlib.import_module("aixin.load.repository").open_repository(root)
    if unit is not None:
        repo.unit(unit)  # an unknown unit is a usage error naming the known ones
    result = importlib.import_module("aixin.check.engine").run_check(repo, use_cache=use_cache, today=day)
    rendered = importlib.import_module("aixin.report.contacts")
    figures = rendered.contacts_of(result, repo.programme, unit)
    if fmt == "xlsx":
        data = importlib.import_module("aixin.sheets.contacts").contacts_workbook(figures)
    else:
        buffer = io.StringIO()
        (rendered.text if fmt == "text" else rendered.json)(figures, buffer)
        data = buffer.getvalue().encode("utf-8")
    return data, figures.care.city.active, figures.care.city.overdue, bool(result.exit_code)
