"""`aixin report annual`: the yearly review (domain.annual) as text, JSON or a workbook."""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import io
import sys
from pathlib import Path

import click

from .common import AS_OF, HELP, NO_CACHE, REPORT_FORMAT, REPORT_UNIT, ROOT, fail


@click.command("annual", add_help_option=False)
@HELP
@click.option("--year", default=None, metavar="活动年度", help="如 2019-2020（默认：--as-of 或今天所在的活动年度）。")
@REPORT_UNIT
@AS_OF
@REPORT_FORMAT
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="文件",
    help="写入这个新文件（不会覆盖已有文件，不能在仓库文件夹里）；xlsx 格式必须给出。",
)
@NO_CACHE
@ROOT
def annual(
    year: str | None,
    unit: str | None,
    as_of: dt.date | None,
    fmt: str,
    out: Path | None,
    no_cache: bool,
    root: Path | None,
) -> None:
    """年度总结：一个活动年度（8 月 1 日到次年 7 月 31 日）的工作情况和评优候选人。

    先是全市和各单位的合计（与上一年度相比的增减）、联系方式和结束的结对；然后是“优秀爱心妈妈”
    候选人，每人列出是否达到每一条条件（条件在 records/programme.yaml 的 review 中设定），
    并列和接近的也列出；最后是每位爱心妈妈的数字。

    --format xlsx 生成可以打印的表格（年度总结、评优候选人、上报统计表），须用 --out 给出文件名。
    """
    if fmt == "xlsx" and out is None:
        fail("--format xlsx 须用 --out 给出要生成的文件名，如 --out 年度总结.xlsx")
    if out is not None and fmt == "xlsx" and out.suffix.lower() != ".xlsx":
        fail(f"表格文件名应以 .xlsx 结尾，现在是“{out.name}”")
    repository = importlib.import_module("aixin.load.repository")
    repo = repository.open_repository(repository.locate(root))
    if unit is not None:
        repo.unit(unit)  # an unknown unit is a usage error naming the known ones
    day = as_of or importlib.import_module("aixin.core.dates").beijing_today()
    domain = importlib.import_module("aixin.domain.annual")
    try:
        chosen = domain.parse_year(year, repo.programme) if year else domain.year_of(day, repo.programme)
    except ValueError as error:
        fail(str(error))
    if chosen.start > day:
        fail(f"{chosen.label} 活动年度从 {chosen.start.isoformat()} 开始，到 {day.isoformat()} 还没有开始")
    if out is not None:
        importlib.import_module("aixin.sheets.annual").refuse_inside(repo.root, out)
        importlib.import_module("aixin.sheets.workbook").refuse_existing([out])
    produce = functools.partial(_produce, repo, chosen, unit, day, fmt, not no_cache)
    figures = importlib.import_module("aixin.check.figures")
    data, mothers, listed, errors = figures.cached_output(
        repo.root, day, ("annual", chosen.label, unit, fmt), produce, not no_cache, told=True
    )
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
    else:
        importlib.import_module("aixin.sheets.workbook").create_file(out, data)
        click.echo(
            f"已生成 {out}：{chosen.label} 活动年度，爱心妈妈 {mothers:,} 名，评优候选人和接近的 {listed:,} 名。"
        )
    if errors:
        click.echo("注意：记录中有错误，有错误的记录没有计入；请运行 aixin check 查看并改正。", err=True)


def _produce(repo, year, unit: str | None, day: dt.date, fmt: str, use_cache: bool, changed, state) -> tuple:
    """(the report's bytes, mothers reviewed, candidates listed, whether the records have errors)."""
    result = importlib.import_module("aixin.check.engine").run_check(
        repo, use_cache=use_cache, today=day, with_care=False, with_annual=True, changed=changed, state=state
    )
    domain = importlib.import_module("aixin.domain.annual")
    index = domain.index_of_row(result.annual)  # the check's figures of each year: no log is read again
    review = domain.review_of_row(result.annual, index, repo.programme, year, day)
    rendered = importlib.import_module("aixin.report.annual")
    figures = rendered.annual_of(review, index, repo.programme, unit)
    if fmt == "xlsx":
        data = importlib.import_module("aixin.sheets.annual").annual_workbook(figures)
    else:
        buffer = io.StringIO()
        (rendered.text if fmt == "text" else rendered.json)(figures, buffer)
        data = buffer.getvalue().encode("utf-8")
    return data, len(figures.review.mothers), len(figures.review.candidates), bool(result.exit_code)
