"""The `aixin` command: parses options, calls the layers, and turns the outcome into an exit code.

Thin on purpose: checking lives in `engine`, printing in `report`, fictional data in `demo`.
Those modules are imported inside the commands so that `aixin --version` and `--help` stay quick.
Exit codes are decided here only: 0 clean, 1 errors found, 2 usage or internal error.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import click

from aixin.report.reporters import REPORTERS, kind_counts, write_step_summary

from . import __version__
from .commands.common import HELP, ROOT, fail, guarded
from .core.errors import EXIT_USAGE, UsageError


class _ProgressBar:
    """The engine's `progress(done, total)` callback, drawn as a tqdm bar on stderr."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, desc="检查记录", unit="个文件", file=sys.stderr, leave=False, dynamic_ncols=True
            )
        if self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class _Commands(click.Group):
    """Every command, wherever it lives, runs inside the same guard (commands.common.guarded)."""

    def invoke(self, ctx: click.Context):
        with guarded():
            return super().invoke(ctx)


@click.group(name="aixin", cls=_Commands, add_help_option=False, context_settings={"max_content_width": 100})
@HELP
@click.version_option(
    __version__, "--version", prog_name="aixin", message="%(prog)s %(version)s", help="显示版本并退出。"
)
def main() -> None:
    """爱心妈妈结对帮扶留守女童：记录检查、演示数据和网站生成工具。"""


@main.command(add_help_option=False)
@HELP
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(REPORTERS)),
    default=None,
    help="输出格式（默认 text；在 GitHub Actions 中默认 github）。",
)
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="并行进程数（默认由程序决定）。")
@click.option("--no-cache", is_flag=True, help="不用缓存，重新检查每个文件。")
@ROOT
@click.option(
    "--pr",
    "pull_request",
    is_flag=True,
    help="同时检查 pull request 的修改权限（A001–A008），须同时给出 --base 和 --author。",
)
@click.option(
    "--base", default=None, metavar="分支", help="pull request 的目标分支，如 origin/main（与 --pr 一起用）。"
)
@click.option("--author", default=None, metavar="账号", help="发起 pull request 的账号（与 --pr 一起用）。")
def check(
    paths: tuple[Path, ...],
    fmt: str | None,
    jobs: int | None,
    no_cache: bool,
    root: Path | None,
    pull_request: bool,
    base: str | None,
    author: str | None,
) -> None:
    """检查记录：格式、必填项、身份证号、结对关系和名额。

    给出路径（文件或文件夹）时只显示这些文件的问题；跨记录的规则仍然读取整个仓库。
    加 --pr 时还检查 pull request 的修改：谁可以改哪些文件、市妇联意见、不能删除的记录。

    退出码：0 没有错误，1 有错误，2 用法错误或程序内部错误。
    """
    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if (base or author) and not pull_request:
        fail("--base 和 --author 只能与 --pr 一起使用")
    if pull_request and not (base and author):
        fail("--pr 需要同时给出 --base（目标分支，如 origin/main）和 --author（发起 pull request 的账号）")
    if pull_request and paths:
        fail("--pr 检查整个 pull request，不能同时指定路径")
    engine = importlib.import_module("aixin.check.engine")
    repository = importlib.import_module("aixin.load.repository")
    root = repository.locate(root)
    targets = _targets(paths)
    show_progress = fmt == "text" and sys.stderr.isatty()
    progress = _ProgressBar() if show_progress else None
    try:
        result = engine.run_check(root, targets, jobs=jobs, use_cache=not no_cache, progress=progress)
        if pull_request:
            pr = importlib.import_module("aixin.pullrequest")
            result = pr.with_pull_request(result, root, base, author)
    except UsageError as error:
        if not error.findings:
            raise
        _unusable(error, fmt)
    finally:
        if progress is not None:
            progress.close()
    REPORTERS[fmt](result, sys.stdout)
    _step_summary(result)
    raise click.exceptions.Exit(result.exit_code)


def _unusable(error: UsageError, fmt: str) -> None:
    """The repository cannot be checked (a broken programme): its findings reported like any
    others, in the chosen format (so GitHub shows them on the line), then exit 2."""
    result = importlib.import_module("aixin.check.result").CheckResult(list(error.findings), files=1)
    REPORTERS[fmt](result, sys.stdout)
    _step_summary(result)
    click.echo(
        "错误：records/programme.yaml 有错误，其他记录都无法检查；请先改正上面列出的问题，然后重新运行。", err=True
    )
    raise click.exceptions.Exit(EXIT_USAGE)


def _targets(paths: tuple[Path, ...]) -> list[Path] | None:
    """Absolute, resolved paths (or None for everything); a missing path is a usage error,
    since silently showing nothing for a mistyped path would look like a pass."""
    for path in paths:
        if not path.exists():
            fail(f"找不到路径：{path}")
    return [path.resolve() for path in paths] or None


def _step_summary(result) -> None:
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        write_step_summary(result, path)
    except OSError as exc:  # a summary is a courtesy; it must not change the outcome
        click.echo(f"警告：无法写入步骤摘要 {path}：{exc.strerror or exc}", err=True)


@main.command(add_help_option=False)
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
def demo(out: Path, scale: float, seed: int) -> None:
    """生成虚构的演示数据（全部为编造，不含任何真实个人信息）。"""
    generate = importlib.import_module("aixin.demo").generate
    try:
        stats = generate(out, scale, seed)
    except ValueError as exc:  # the demo's own refusals (a folder that is not empty, …)
        fail(str(exc))
    counts = {kind: getattr(stats, kind + "s") for kind in ("mother", "girl", "pairing", "log")}
    click.echo(f"已生成虚构数据：{kind_counts(counts)}，位于 {out}")


@main.command(add_help_option=False)
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
    "--strict/--no-strict", default=True, show_default=True, help="MkDocs 有任何警告（如失效的链接）时不生成网站。"
)
def build(root: Path | None, audience: str | None, unit_id: str | None, out: Path | None, strict: bool) -> None:
    """把 records/ 中的记录生成一个静态网站（中文，可离线打开，不向外网发出任何请求）。"""
    if audience == "unit" and not unit_id:
        fail("--audience unit 需要同时用 --unit 指定单位代码，如 --unit chuanshan")
    if unit_id and audience not in (None, "unit"):
        fail(f"--unit 只能用于单位网站，不能与 --audience {audience} 一起使用")
    site = importlib.import_module("aixin.site.build")
    audience_module = importlib.import_module("aixin.site.audience")
    repository = importlib.import_module("aixin.load.repository")
    chosen = audience_module.Audience("unit", unit_id) if unit_id else audience_module.Audience(audience or "city")
    report = site.build(repository.locate(root), chosen, out, strict=strict)
    index = report.site / "index.html"
    click.echo(f"已生成网站：{report.pages:,} 个页面，用时 {report.seconds:.1f} 秒，位于 {report.site}")
    click.echo(f"用浏览器打开 {index}（不需要网络，也不需要服务器）。")


# Commands kept in their own modules (one concern each), registered here explicitly.
# <registered commands>
from aixin.commands.sheets import export, import_, template  # noqa: E402

main.add_command(template)
main.add_command(import_)
main.add_command(export)
from aixin.commands.photo import photo  # noqa: E402

main.add_command(photo)
from aixin.commands.new import new  # noqa: E402

main.add_command(new)


if __name__ == "__main__":  # pragma: no cover
    main()
