"""`aixin sign`: the mothers' signs (标识牌) as a print-ready PDF (`prints.sign`)."""

from __future__ import annotations

from pathlib import Path

import click

from .common import HELP, ROOT, fail


@click.command(add_help_option=False)
@HELP
@click.option("--mother", default=None, metavar="编号", help="一位爱心妈妈的记录编号，如 chuanshan-m-3m8x4p。")
@click.option(
    "--unit",
    default=None,
    metavar="单位代码",
    help="这个单位所有经市妇联同意的爱心妈妈（已退出的不做），每张 A4 纸 8 块。",
)
@click.option("--year", default=None, metavar="年度", help="标识牌上的活动年度，如 2019-2020（默认：今天所在的年度）。")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    metavar="文件.pdf",
    help="PDF 文件名，如 ~/桌面/标识牌.pdf（不能已经存在，不能在仓库文件夹里面）。",
)
@ROOT
def sign(mother: str | None, unit: str | None, year: str | None, out: Path, root: Path | None) -> None:
    """制作爱心妈妈标识牌（9×6 厘米）的 PDF，在自己的电脑上打印后沿裁切线裁开。

    标识牌上有活动名称、爱心妈妈的姓名、所在单位、编号和活动年度，不印身份证号码和电话。
    用 --mother 做一位，或用 --unit 做一个单位的全部（二者选一）。
    """
    if (mother is None) == (unit is None):
        fail("请用 --mother 写一位爱心妈妈的编号，或用 --unit 写一个单位代码（二者选一）。")
    from aixin.load.repository import locate
    from aixin.prints.sign import write_signs

    written = write_signs(locate(root), out=out, mother=mother, unit=unit, year=year)
    click.echo(f"已生成 {written.year} 年度标识牌 {written.signs} 块（{written.sheets} 张 A4 纸）：{written.path}")
    for mother_id, reason in written.left_out:
        click.echo(f"  未制作 {mother_id}：{reason}")
    for file in written.broken:
        click.echo(f"  未制作 {file}：记录有错误，请先用 aixin check 检查并改正")
    click.echo("打印时请选“实际大小”（不要缩放），再沿纸边的裁切线裁开。")
