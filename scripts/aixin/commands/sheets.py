"""`aixin template`, `aixin import` and `aixin export`: the forms as Excel workbooks.

Only wiring: columns come from the schemas (sheets.layout), the work is done in aixin.sheets and
imported on use, so that `aixin --help` stays quick. Exit codes: 0 done, 1 the file has errors
(nothing written, unless --partial), 2 usage error (a missing or unreadable file, an unknown
unit, an output file that already exists).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import HELP, ROOT


@click.command(add_help_option=False)
@HELP
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="模板保存到哪个文件夹。")
@ROOT
def template(out: Path, root: Path | None) -> None:
    """生成填写用的 Excel 模板：附件1 留守女童、附件2 爱心妈妈、附件3 结对帮扶卡、联系记录，每种一个文件。

    第1行是列名（红色为必填），第2行说明每一列怎么填；有固定选项的列可从下拉列表选择；
    身份证号码、电话等列已设为文本格式。已有同名文件时不会覆盖。
    """
    from aixin.load.repository import open_repository
    from aixin.sheets.layout import build_forms
    from aixin.sheets.template import write_templates

    repo = open_repository(root)
    for path in write_templates(out, build_forms(repo.schemas.schemas, repo.programme.units)):
        click.echo(f"已生成模板 {path}")


@click.command(name="import", add_help_option=False)
@HELP
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), metavar="文件.xlsx|文件.csv")
@click.option("--unit", required=True, metavar="单位代码", help="这些记录属于哪个单位，如 chuanshan。")
@click.option(
    "--partial", is_flag=True, help="只导入没有问题的行，并列出没有导入的行（默认：有任何错误就什么都不写）。"
)
@click.option(
    "--photos",
    type=click.Path(path_type=Path),
    metavar="文件夹|文件.zip",
    help="联系记录「照片文件」列所写照片所在的文件夹或 .zip 压缩包（工作群里收到的照片）。",
)
@ROOT
def import_(file: Path, unit: str, partial: bool, photos: Path | None, root: Path | None) -> None:
    """把填好的 Excel（.xlsx）或 CSV 表格导入为新记录。

    按工作表名称（或列名）识别附件1、附件2、附件3 和联系记录；不认识的工作表跳过并提示。
    每个问题都指出工作表、行和列。默认只有整个文件都没有错误时才写入；已有的记录从不修改，
    与已有记录（或本文件前面的行）重复的行只提示、不导入。

    结对帮扶卡中的爱心妈妈可以写记录编号，或写姓名和身份证号码；女童可以写记录编号，
    或写姓名和出生年月（可以是同一个文件中新填的人）。联系记录写结对编号；
    「照片文件」列写的照片（加 --photos）重新保存后写进联系记录，与记录一起写入或都不写入。

    退出码：0 已导入（或没有新记录），1 有错误，2 用法错误（如找不到文件）。
    """
    from aixin.load.repository import locate
    from aixin.report.progress import ProgressBar
    from aixin.sheets.importer import import_file

    progress = ProgressBar(unit="行") if sys.stderr.isatty() else None
    try:
        result = import_file(
            locate(root), file, unit, partial=partial, progress=progress and progress.stage, photos=photos
        )
    finally:
        if progress is not None:
            progress.close()
    for line in result.lines():
        click.echo(line)
    raise click.exceptions.Exit(result.exit_code)


@click.command(add_help_option=False)
@HELP
@click.option("--unit", default=None, metavar="单位代码", help="只导出这个单位的记录（默认：全市）。")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="导出的文件（.xlsx，不能已存在）。"
)
@click.option("--full", is_flag=True, help="身份证号码和电话号码完整导出（默认只显示部分数字）。")
@ROOT
def export(unit: str | None, out: Path, full: bool, root: Path | None) -> None:
    """导出报送市妇联的汇总表（Excel）：爱心妈妈（含两级审核意见）、留守女童、结对，每种一个工作表。

    列与模板相同，另加“记录编号”和“单位”，因此导出的表可以再导入（所有行都会是重复）。
    身份证号码和电话号码默认只显示部分数字；--full 导出完整号码，请妥善保管这样的文件。
    """
    from aixin.domain.terms import KIND_LABELS
    from aixin.load.repository import locate
    from aixin.sheets.export import write_export

    summary = write_export(locate(root), out, unit, full)
    counts = "、".join(f"{KIND_LABELS[kind]} {n} 条" for kind, n in summary.counts.items())
    click.echo(f"已导出 {summary.path}：{counts}。")
    if full:
        click.echo("注意：文件中有完整的身份证号码和电话号码，请妥善保管，不要通过公开渠道传送。")
    else:
        click.echo("身份证号码和电话号码只显示部分数字；需要完整号码时加 --full。")
    for rel in summary.unreadable:
        click.echo(f"警告：{rel} 无法读取，没有导出（请运行 aixin check 查看原因）。", err=True)
