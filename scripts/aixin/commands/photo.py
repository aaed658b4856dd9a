"""`aixin photo add`: wiring only; the work is `photos.link.add_photo`."""

from __future__ import annotations

from pathlib import Path

import click

from aixin.core.errors import UsageError

from .common import HELP, ROOT


@click.group(add_help_option=False)
@HELP
def photo() -> None:
    """照片：加到记录中（只保留画面，去掉位置等信息，缩小尺寸）。"""


@photo.command(add_help_option=False)
@HELP
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), metavar="照片文件")
@click.option(
    "--to",
    "record_id",
    required=True,
    metavar="记录编号",
    help="加到哪条记录：女童（…-g-…）、爱心妈妈（…-m-…）或联系记录（…-l-…）的编号。",
)
@click.option("--replace", is_flag=True, help="女童或爱心妈妈已有照片时换成这一张（原来的照片文件保留，请自行删除）。")
@ROOT
def add(file: Path, record_id: str, replace: bool, root: Path | None) -> None:
    """把一张照片（JPEG 或 PNG）加到记录中。

    照片按画面重新保存为 JPEG：去掉 EXIF（GPS 位置、拍摄时间、手机型号）和注释，按拍摄方向摆正，
    长边缩小到 1600 像素以内，存为 records/<单位>/photos/<记录编号>-<序号>.jpg（不会覆盖已有文件），
    并写进记录：女童、爱心妈妈写在 photo，联系记录加到 photos。原来的照片文件不会改动。

    退出码：0 已添加，2 用法错误（找不到记录、不是图片、已有照片等），此时不做任何修改。
    """
    from aixin.load.repository import open_repository
    from aixin.photos.link import add_photo

    repo = open_repository(root)
    try:
        added = add_photo(repo, file, record_id, replace=replace)
    except OSError as error:
        raise UsageError(f"无法写入文件（{error.strerror or error}）：没有做任何修改。") from None
    width, height = added.size
    click.echo(f"已添加照片 {added.photo}（{width}×{height} 像素，只保留画面，已去掉 EXIF、GPS 位置和注释）。")
    click.echo(f"已写入记录 {added.record}：{added.field} 中加上了 {added.link}。")
    if added.replaced:
        click.echo(
            f"原来的照片 {added.replaced} 仍在 photos/ 中：如果没有其他记录用它，"
            "确认不再需要后请删除（否则 aixin check 会报告 R010）。"
        )
    if added.comments_dropped:
        click.echo("注意：记录开头以外的注释（# …）没有保留。")
    click.echo("请把照片和记录一起提交。")
