"""`aixin archive`: a programme year's files of each unit as a folder and a zip (`site.archive`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import AS_OF, HELP, ROOT


@click.command(add_help_option=False)
@HELP
@click.option("--year", required=True, metavar="活动年度", help="要归档的活动年度，如 2019-2020。")
@click.option("--unit", default=None, metavar="单位代码", help="只归档这个单位（默认：每个单位各一份）。")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="放档案的文件夹（不存在时新建；不能在仓库文件夹里面）。",
)
@click.option(
    "--full", is_flag=True, help="电话号码等完整显示（仅限市妇联工作人员保存；默认与网站一样只显示部分数字）。"
)
@AS_OF
@ROOT
def archive(year: str, unit: str | None, out: Path, full: bool, as_of: dt.date | None, root: Path | None) -> None:
    """把一个活动年度的材料整理归档：每个单位一个文件夹和一个同名 zip。

    文件夹里有 index.html（结对名单、缺失的材料，可离线打开、可打印），每对结对一份 PDF
    （结对帮扶卡和本年度的联系记录、照片），以及本年度的音视频文件（原样保存）。
    已有同名的档案时不会覆盖。
    """
    from aixin.load.repository import locate
    from aixin.site.archive import write_archive

    click.echo(f"正在整理 {year.strip()} 活动年度的档案（每对结对一份 PDF，一个单位可能需要一两分钟）……")
    for written in write_archive(locate(root), year, out, unit=unit, full=full, today=as_of):
        click.echo(
            f"已归档：{written.folder}（及 {written.zip.name}），结对 {written.pairings} 对，缺失的材料 {written.missing} 项"
        )
    if full:
        click.echo("注意：档案中有完整的电话号码，请妥善保管，不要放进仓库、网站或群聊。")
