"""What every command shares: the Chinese help option, the `--root` option, usage errors, and
the one guard (applied by the `aixin` group to every command) that turns a `UsageError` into
`错误：…` with its located findings, and a bug into a short Chinese message instead of a traceback."""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from aixin.core import dates
from aixin.core.errors import EXIT_USAGE, UsageError
from aixin.core.findings import Finding
from aixin.core.masking import mask_digits
from aixin.report.reporters import finding_line

# Click's own help option is worded in English; ours says the same in Chinese.
HELP = click.help_option("-h", "--help", help="显示帮助并退出。")
ROOT = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="仓库根文件夹（默认：当前文件夹或上级中含 records/programme.yaml 的那一个）。",
)


def day_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """A click callback: a 年-月-日 option as a date (None when not given), or a worded error."""
    if value is None:
        return None
    day = dates.parse_date(value.strip())
    if day is None:
        raise click.BadParameter(f"日期应写作 年-月-日（如 2026-11-30），现在是“{value}”")
    return day


# The day every figure is computed as of (default: today in Beijing), so that a past figure can be
# rebuilt exactly from a commit; the command passes it on as `today`.
AS_OF = click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="年-月-日",
    callback=day_option,
    help="按哪一天计算（默认今天，北京时间），如 2026-11-30：可以重现过去某一天的结果。",
)


# The options the reports share (`report contacts`, `report annual`): one unit or the city, the
# output's format, and reading every file again.
REPORT_FORMATS = ("text", "json", "xlsx")
REPORT_UNIT = click.option("--unit", default=None, metavar="单位代码", help="只看一个单位（如 chuanshan）；默认全市。")
REPORT_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", help="输出格式（默认 text）。"
)
NO_CACHE = click.option("--no-cache", is_flag=True, help="不用检查的缓存，重新读取每个文件。")


def fail(message: str, findings: tuple[Finding, ...] = ()) -> NoReturn:
    """A usage error: `错误：…` on stderr, then each finding on its own line, exit 2."""
    click.echo(f"错误：{message}", err=True)
    for finding in findings:
        click.echo(f"  {finding_line(finding)}", err=True)
    raise click.exceptions.Exit(EXIT_USAGE)


@contextmanager
def guarded() -> Iterator[None]:
    """The last line of defence around every command: a UsageError exits 2 with its message; a
    bug becomes a short Chinese line for the volunteer, not a traceback (unless AIXIN_DEBUG=1)."""
    try:
        yield
    except (click.exceptions.Exit, click.ClickException, click.Abort):
        raise
    except UsageError as error:
        fail(str(error), error.findings)
    except Exception as exc:  # noqa: BLE001 — the last line of defence, by design
        if os.environ.get("AIXIN_DEBUG") == "1":
            traceback.print_exc(file=sys.stderr)
        click.echo("内部错误：aixin 程序自身出了问题，请把这段信息发给市妇联技术人员。", err=True)
        # Masked: an exception message may quote a value read from a record.
        click.echo(f"{type(exc).__name__}: {mask_digits(str(exc))}", err=True)
        raise click.exceptions.Exit(EXIT_USAGE) from None
