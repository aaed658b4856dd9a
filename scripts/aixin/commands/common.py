"""What every command shares: the Chinese help option, usage errors, and the last line of defence
that turns a bug into a short Chinese message instead of a traceback."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from aixin.core.masking import mask_digits
from aixin.domain.programme import PROGRAMME_FILE, find_root

EXIT_USAGE = 2

# Click's own help option is worded in English; ours says the same in Chinese.
HELP = click.help_option("-h", "--help", help="显示帮助并退出。")


def fail(message: str) -> NoReturn:
    """A usage error: `错误：…` on stderr, exit 2."""
    click.echo(f"错误：{message}", err=True)
    raise click.exceptions.Exit(EXIT_USAGE)


@contextmanager
def internal_errors() -> Iterator[None]:
    """A bug becomes a short Chinese line for the volunteer, not a traceback (unless AIXIN_DEBUG=1)."""
    try:
        yield
    except (click.exceptions.Exit, click.ClickException, click.Abort):
        raise
    except Exception as exc:  # noqa: BLE001 — the last line of defence, by design
        if os.environ.get("AIXIN_DEBUG") == "1":
            traceback.print_exc(file=sys.stderr)
        click.echo("内部错误：aixin 程序自身出了问题，请把这段信息发给市妇联技术人员。", err=True)
        # Masked: an exception message may quote a value read from a record.
        click.echo(f"{type(exc).__name__}: {mask_digits(str(exc))}", err=True)
        raise click.exceptions.Exit(EXIT_USAGE) from None


def repository_root(root: Path | None) -> Path:
    """`--root` when given (it must hold records/programme.yaml), else the repository around the
    current folder; a usage error when there is none."""
    if root is None:
        found = find_root(Path.cwd())
        if found is None:
            fail(f"在当前文件夹及其上级中找不到 {PROGRAMME_FILE}；请在记录仓库里运行，或用 --root 指定仓库文件夹。")
        return found
    if not (root / PROGRAMME_FILE).is_file():
        fail(f"在 {root} 中找不到 {PROGRAMME_FILE}；请用 --root 指定记录仓库的文件夹。")
    return root.resolve()
