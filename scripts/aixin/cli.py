"""The `aixin` group: the version, the Chinese help, the one guard every command runs in, and the
list of commands (each in its own module under `commands/`).

Exit codes: 0 clean, 1 errors found, 2 usage or internal error (the guard), 130 interrupted.
Commands import their layers when they run, so that `aixin --version` and `--help` stay quick.
"""

from __future__ import annotations

import sys

import click

from . import __version__
from .commands.common import HELP, guarded


class _Commands(click.Group):
    """Every command, wherever it lives, runs inside the same guard (commands.common.guarded)."""

    def invoke(self, ctx: click.Context):
        with guarded():
            return super().invoke(ctx)

    def main(self, *args, **kwargs):
        """Click's own usage errors (a wrong option, a bad value) said the Chinese way, like ours:
        `错误：…` and where to look, exit 2 (Click would print `Usage: … Error: …` in English)."""
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx is not None else "aixin"
            click.echo(f"错误：{_usage_message(error)}", err=True)
            click.echo(f"用 {command} -h 查看这个命令的用法。", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("已取消。", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(name="aixin", cls=_Commands, add_help_option=False, context_settings={"max_content_width": 100})
@HELP
@click.version_option(
    __version__, "--version", prog_name="aixin", message="%(prog)s %(version)s", help="显示版本并退出。"
)
def main() -> None:
    """爱心妈妈结对帮扶留守女童：记录检查、演示数据和网站生成工具。"""


# Every command, kept in its own module (one concern each), registered here explicitly.
from aixin.commands.annual import annual  # noqa: E402
from aixin.commands.archive import archive  # noqa: E402
from aixin.commands.build import build  # noqa: E402
from aixin.commands.card import card  # noqa: E402
from aixin.commands.certificate import certificate  # noqa: E402
from aixin.commands.check import check  # noqa: E402
from aixin.commands.demo import demo  # noqa: E402
from aixin.commands.new import new  # noqa: E402
from aixin.commands.photo import photo  # noqa: E402
from aixin.commands.remind import remind  # noqa: E402
from aixin.commands.report import report  # noqa: E402
from aixin.commands.sheets import export, import_, template  # noqa: E402
from aixin.commands.sign import sign  # noqa: E402

for command in (
    check,
    build,
    card,
    demo,
    template,
    import_,
    export,
    photo,
    new,
    report,
    remind,
    sign,
    certificate,
    archive,
):
    main.add_command(command)
report.add_command(annual)  # aixin report annual


def _usage_message(error: click.UsageError) -> str:
    """The Chinese for Click's usage errors; our own option callbacks already speak Chinese."""
    if isinstance(error, click.NoSuchOption):
        return f"没有这个选项：{error.option_name}"
    if isinstance(error, click.MissingParameter) and error.param is not None:
        return f"缺少 {error.param.get_error_hint(error.ctx) if error.ctx else error.param.name}"
    if isinstance(error, click.BadParameter) and error.param is not None:
        where = error.param.get_error_hint(error.ctx) if error.ctx else error.param.name
        if isinstance(error.param.type, click.Choice):
            return f"{where} 只能写：{'、'.join(map(str, error.param.type.choices))}"
        if isinstance(error.param.type, click.types.IntParamType):
            low = getattr(error.param.type, "min", None)
            return f"{where} 要写一个整数" + (f"，不小于 {low}" if low is not None else "")
        return f"{where} 的值不对：{error.message}"
    if error.message.startswith("No such command"):
        name = error.message.split("'")[1] if error.message.count("'") >= 2 else error.message
        return f"没有这个命令：{name}"
    return error.format_message()


if __name__ == "__main__":  # pragma: no cover
    main()
