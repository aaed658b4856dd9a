"""`aixin certificate`: the certificates (奖状) of the city's commendations as a PDF (`prints.certificate`)."""

from __future__ import annotations

from pathlib import Path

import click

from .common import HELP, ROOT, fail


@click.command(add_help_option=False)
@HELP
@click.option("--commendation", default=None, metavar="编号", help="一条表彰记录的编号，如 city-c-3m8x4p。")
@click.option("--year", default=None, metavar="年度", help="这个活动年度（如 2019-2020）的全部表彰记录，每条一页。")
@click.option("--unit", default=None, metavar="单位代码", help="与 --year 一起用：只做这个单位的爱心妈妈的奖状。")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    metavar="文件.pdf",
    help="PDF 文件名，如 ~/桌面/奖状.pdf（不能已经存在，不能在仓库文件夹里面）。",
)
@ROOT
def certificate(commendation: str | None, year: str | None, unit: str | None, out: Path, root: Path | None) -> None:
    """按市妇联的表彰记录制作奖状（A4 横向，每位一页）的 PDF，打印后盖章。

    奖状上有爱心妈妈的姓名、年度、表彰名称、表彰单位和日期。表彰记录在
    records/city/commendations/，只有市妇联能添加和修改。
    用 --commendation 做一张，或用 --year（可加 --unit）做一个年度的全部。
    """
    if (commendation is None) == (year is None):
        fail("请用 --commendation 写一条表彰记录的编号，或用 --year 写活动年度（二者选一）。")
    if unit is not None and year is None:
        fail("--unit 只能与 --year 一起用。")
    from aixin.load.repository import locate
    from aixin.prints.certificate import write_certificates

    written = write_certificates(locate(root), out=out, commendation=commendation, year=year, unit=unit)
    click.echo(f"已生成奖状 {written.count} 张（A4 横向，每张一页）：{written.path}")
    for record_id, reason in written.left_out:
        click.echo(f"  未制作 {record_id}：{reason}")
    for file in written.broken:
        click.echo(f"  未制作 {file}：记录有错误，请先用 aixin check 检查并改正")
    click.echo("打印时请选“实际大小”、横向；打印后由表彰单位盖章。")
