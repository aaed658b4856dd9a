"""`aixin new`: enter a new record by answering questions, then write and check it.

Only wiring: the questions come from the schema (entry.questions), answers are read and checked
as they are typed (entry.answers, entry.interview), the id and the file from entry.ids, the
check from the engine and its text reporter. Exit codes: 0 written and clean, 1 written with
errors to fix (the file is kept) or not confirmed, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import dataclasses
import importlib
import sys
from pathlib import Path
from typing import NoReturn

import click

from .common import HELP, fail

from aixin.domain.terms import KIND_LABELS, KINDS

EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130
CANCELLED = "已取消，没有写入任何文件。"




def _stop(code: int, message: str = CANCELLED) -> NoReturn:
    click.echo(f"\n{message}", err=True)
    raise click.exceptions.Exit(code)


@click.command(add_help_option=False)
@HELP
@click.argument("kind", type=click.Choice(KINDS), metavar="girl|mother|pairing|log")
@click.option("--unit", "unit", default=None, metavar="单位代码",
              help="新记录所属的单位，如 chuanshan（必填）。")
@click.option("--pairing", "pairing", default=None, metavar="结对编号",
              help="联系记录所属的结对（只用于 log；不写则从本单位的结对中选）。")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="仓库根文件夹（默认：当前文件夹或上级中含 records/programme.yaml 的那一个）。")
def new(kind: str, unit: str | None, pairing: str | None, root: Path | None) -> None:
    """按提示逐项填写，新建一条记录：girl 留守女童、mother 爱心妈妈、pairing 结对、log 联系记录。

    每项填写后立即检查，填错会说明原因并请重新填写；写入前显示全部内容请确认。
    写入后检查这条记录：有错误时文件仍然保留，请按提示改正。随时按 Ctrl-C 取消（不写入任何文件）。
    """
    from aixin.core import dates
    from aixin.entry import ids, questions, summary
    from aixin.entry.interview import Interview, record_word
    from aixin.entry.repo import Repository, RepoError
    from aixin.load.writer import record_text, schema_path_from

    engine = importlib.import_module("aixin.check.engine")
    if not unit:
        fail("请用 --unit 指定新记录所属的单位代码，如 --unit chuanshan")
    if pairing and kind != "log":
        fail("--pairing 只用于新建联系记录（aixin new log）")
    root = (root or engine.find_root(Path.cwd()) or Path.cwd()).resolve()
    repo = Repository(root)
    try:
        programme = repo.programme()
        schema = repo.schema(kind)
    except RepoError as error:
        fail(str(error))
    if unit not in programme.unit_ids:
        known = "、".join(f"{u.id}（{u.name}）" for u in programme.units)
        fail(f"单位代码“{unit}”不存在；可以写：{known}")
    preset = {}
    if pairing:
        if pairing not in repo.records("pairing", unit):
            fail(f"{programme.unit_name(unit)}没有编号为“{pairing}”的结对（records/{unit}/pairings/{pairing}.yaml）")
        preset[("pairing",)] = pairing
    asked = questions.build(kind, schema)
    interview = Interview(kind, unit, asked, repo=repo, programme=programme,
                          today=dates.beijing_today(), preset=preset)
    missing = interview.missing_reference()
    if missing:
        fail(missing)
    click.echo(f"新建{record_word(kind)}（{programme.unit_name(unit)}）：{schema.get('title', '')}")
    click.echo("逐项填写；标有“可选”的项可以直接回车跳过；按 Ctrl-C 随时取消。\n")
    try:
        record = interview.run()
        click.echo("\n请核对（电话和身份证号码只显示部分）：")
        click.echo("\n".join(summary.lines(asked, record, interview.labels)))
        confirmed = click.confirm("确认写入？", default=True)
    except (click.Abort, KeyboardInterrupt, EOFError):
        _stop(EXIT_INTERRUPTED)
    if not confirmed:
        _stop(EXIT_ERRORS)

    def render(path: Path) -> str:
        header = [f"{schema.get('title', KIND_LABELS[kind])}。文件名就是记录编号。"]
        return record_text(record, schema_path_from(path, root, kind), header, summary.comments(asked))

    try:
        record_id, path = ids.create_record(root, unit, kind, render, repo.ids_in_use(), record.get("pairing"))
    except ids.NoFreeId:
        fail("没能生成一个未被使用的记录编号，没有写入任何文件；请重新运行。")
    rel = path.relative_to(root).as_posix()
    click.echo(f"\n已写入 {rel}（记录编号 {record_id}）。正在检查……")
    _check(engine, root, path, rel)


def _check(engine, root: Path, path: Path, rel: str) -> None:
    """Run every rule on the repository; show what concerns the new file; decide the exit code."""
    report = importlib.import_module("aixin.report.reporters")
    try:
        result = engine.run_check(root, [path])
    except KeyboardInterrupt:
        _stop(EXIT_INTERRUPTED, f"检查被中断。记录已写入 {rel}；请运行 aixin check {rel} 检查。")
    except engine.UsageError as error:
        fail(f"记录已写入 {rel}，但无法检查：{error}")
    report.text(dataclasses.replace(result, quota=[], files=1), sys.stdout)
    if result.exit_code:
        click.echo(f"记录已写入 {rel}，但还有错误（见上）。请用文本编辑器打开这个文件，按提示改正后运行 "
                   f"aixin check {rel} 再检查。")
        raise click.exceptions.Exit(EXIT_ERRORS)
    click.echo(f"完成：{rel}")
