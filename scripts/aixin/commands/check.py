"""`aixin check`: options → `check.engine.run_check` (and the pull-request check) → a reporter.

The exit code is the result's: 0 no errors, 1 errors, 2 a usage error or a repository that cannot
be checked (a broken programme: its findings are reported first, in the chosen format).
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import sys
from pathlib import Path

import click

from aixin.core.errors import UsageError
from aixin.report.progress import ProgressBar
from aixin.report.reporters import REPORTERS, step_summary_if_asked

from .common import AS_OF, HELP, ROOT, fail


@click.command(add_help_option=False)
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
    help="同时检查 pull request 的修改权限（A001–A011），须同时给出 --base 和 --author。",
)
@click.option(
    "--base", default=None, metavar="分支", help="pull request 的目标分支，如 origin/main（与 --pr 一起用）。"
)
@click.option("--author", default=None, metavar="账号", help="发起 pull request 的账号（与 --pr 一起用）。")
@AS_OF
def check(
    paths: tuple[Path, ...],
    fmt: str | None,
    jobs: int | None,
    no_cache: bool,
    root: Path | None,
    pull_request: bool,
    base: str | None,
    author: str | None,
    as_of: dt.date | None,
) -> None:
    """检查记录：格式、必填项、身份证号、结对关系和名额。

    给出路径（文件或文件夹）时只显示这些文件的问题；跨记录的规则仍然读取整个仓库。
    加 --pr 时还检查 pull request 的修改：谁可以改哪些文件、市妇联意见、不能删除的记录。

    --as-of 按指定的一天检查和计算待跟进的数字（如 2026-11-30），默认今天（北京时间）。

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
    progress = ProgressBar() if fmt == "text" and sys.stderr.isatty() else None
    pr = importlib.import_module("aixin.pullrequest") if pull_request else None
    try:
        changed = pr.changed_files(root, base) if pr else None  # a conflict is reported on them
        result = engine.run_check(
            root, targets, jobs=jobs, use_cache=not no_cache, progress=progress, changed=changed, today=as_of
        )
        if pr:
            result = pr.with_pull_request(result, root, base, author)
    except UsageError as error:
        if not error.findings:
            raise
        _unusable(error, fmt)
    finally:
        if progress is not None:
            progress.close()
    REPORTERS[fmt](result, sys.stdout)
    step_summary_if_asked(result)
    raise click.exceptions.Exit(result.exit_code)


def _unusable(error: UsageError, fmt: str) -> None:
    """The repository cannot be checked (a broken programme): its findings reported like any
    others, in the chosen format (so GitHub shows them on the line), then exit 2."""
    result = importlib.import_module("aixin.check.result").CheckResult(list(error.findings), files=1)
    REPORTERS[fmt](result, sys.stdout)
    step_summary_if_asked(result)
    fail("records/programme.yaml 有错误，其他记录都无法检查；请先改正上面列出的问题，然后重新运行。")


def _targets(paths: tuple[Path, ...]) -> list[Path] | None:
    """Absolute, resolved paths (or None for everything); a missing path is a usage error,
    since silently showing nothing for a mistyped path would look like a pass."""
    for path in paths:
        if not path.exists():
            fail(f"找不到路径：{path}")
    return [path.resolve() for path in paths] or None
