"""`aixin card`: one pairing's 结对帮扶卡 as an A4 PDF (`site.card`), for city staff to print."""

from __future__ import annotations

from pathlib import Path

import click

from .common import HELP, ROOT


@click.command(add_help_option=False)
@HELP
@click.argument("pairing", metavar="结对编号")
@click.option("--full", is_flag=True, help="电话号码完整打印（爱心妈妈照着卡片联系；默认与网站一样只显示部分数字）。")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="PDF 文件名（默认：当前文件夹中的 结对帮扶卡-<结对编号>.pdf；不能在仓库文件夹里面）。",
)
@ROOT
def card(pairing: str, full: bool, out: Path | None, root: Path | None) -> None:
    """把一对结对的“结对帮扶卡”（附件3）生成为一页 A4 的 PDF，在自己的电脑上打印。

    卡片与网站上打印的相同。加 --full 时电话号码完整显示：这样的文件请妥善保管，
    打印后删除，不要放进仓库、网站或群聊。
    """
    from aixin.load.repository import locate
    from aixin.site.card import write_card

    written = write_card(locate(root), pairing, full=full, out=out)
    click.echo(f"已生成结对帮扶卡：{written.path}")
    if written.full:
        click.echo("注意：卡上有完整的电话号码，请妥善保管，打印后删除这个文件，不要通过公开渠道传送。")
    else:
        click.echo("电话号码只显示部分数字（与网站相同）；需要完整号码时加 --full。")
