"""`aixin build`: the private site of one audience (`site.build`)."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from .common import AS_OF, HELP, ROOT, fail


@click.command(add_help_option=False)
@HELP
@ROOT
@click.option(
    "--audience",
    type=click.Choice(["city", "unit", "public"]),
    default=None,
    help="给谁看：city 市妇联（全部记录，默认）；unit 某个单位的联络员（须同时给出 --unit）；"
    "public 公开的汇总数字（不含任何个人信息）。",
)
@click.option(
    "--unit",
    "unit_id",
    default=None,
    metavar="单位代码",
    help="只含这个单位记录的网站，如 chuanshan（即 --audience unit）。",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="网站输出文件夹（默认 build/<city|public|单位代码>/site）。",
)
@click.option(
    "--strict/--no-strict",
    default=None,
    help="MkDocs 有任何警告（如失效的链接）时不生成网站（默认如此）；明确写出 --strict 时，"
    "记录检查有错误也不生成网站。",
)
@click.option(
    "--timings",
    is_flag=True,
    help="另外列出每一步的用时（读取记录、照片、生成页面、MkDocs），查明慢在哪一步。",
)
@AS_OF
def build(
    root: Path | None,
    audience: str | None,
    unit_id: str | None,
    out: Path | None,
    strict: bool | None,
    timings: bool,
    as_of,
) -> None:
    """把 records/ 中的记录生成一个静态网站（中文，可离线打开，不向外网发出任何请求）。"""
    if audience == "unit" and not unit_id:
        fail("--audience unit 需要同时用 --unit 指定单位代码，如 --unit chuanshan")
    if unit_id and audience not in (None, "unit"):
        fail(f"--unit 只能用于单位网站，不能与 --audience {audience} 一起使用")
    site = importlib.import_module("aixin.site.build")
    audience_module = importlib.import_module("aixin.site.audience")
    repository = importlib.import_module("aixin.load.repository")
    chosen = audience_module.Audience("unit", unit_id) if unit_id else audience_module.Audience(audience or "city")
    report = site.build(
        repository.locate(root), chosen, out, strict=strict is not False, refuse_errors=bool(strict), today=as_of
    )
    index = report.site / "index.html"
    click.echo(f"已生成网站：{report.pages:,} 个页面，用时 {report.seconds:.1f} 秒，位于 {report.site}")
    click.echo(f"网站上的数字：{report.stamp}。")
    if timings:
        click.echo("各步用时：" + "，".join(f"{step} {seconds:.2f} 秒" for step, seconds in report.timings.items()))
    if report.errors:
        click.echo(
            f"注意：网站中的记录有 {report.errors:,} 个错误没有通过检查（网站首页按单位列出）；"
            "请运行 aixin check 查看并改正。加 --strict 时有错误就不生成网站。"
        )
    click.echo(f"用浏览器打开 {index}（不需要网络，也不需要服务器）。")
