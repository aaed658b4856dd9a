"""The `aixin` group: the version, the Chinese help, the one guard every command runs in, and the
list of commands (each in its own module under `commands/`).

Exit codes: 0 clean, 1 errors found, 2 usage or internal error (the guard), 130 interrupted.
Commands import their layers when they run, so that `aixin --version` and `--help` stay quick.
"""

from __future__ import annotations

import click

from . import __version__
from .commands.common import HELP, guarded


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


# Every command, kept in its own module (one concern each), registered here explicitly.
from aixin.commands.build import build  # noqa: E402
from aixin.commands.card import card  # noqa: E402
from aixin.commands.check import check  # noqa: E402
from aixin.commands.demo import demo  # noqa: E402
from aixin.commands.new import new  # noqa: E402
from aixin.commands.photo import photo  # noqa: E402
from aixin.commands.remind import remind  # noqa: E402
from aixin.commands.report import report  # noqa: E402
from aixin.commands.sheets import export, import_, template  # noqa: E402

for command in (check, build, card, demo, template, import_, export, photo, new, report, remind):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
