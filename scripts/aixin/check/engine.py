"""The check pipeline: per-file checks (cached, two processes) → cross-record rules.

Per-file work (load, schema, record rules) needs nothing but the file and the programme, so it
runs in worker processes and its results are cached by file content (see cache.py); when no
file changed at all, the whole previous result is reused. Cross-record rules need every record and run once in
this process on the fields they may read; their findings get line numbers by re-reading only
the files they name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import os
from pathlib import Path
from typing import Callable

from aixin.core import dates
from . import worker as filework, changes as scan
from aixin.domain import layout
from aixin.load import loader
from .cache import Cache, salt
from .worker import finding_tuple, internal_problem, line_of
from aixin.core.findings import Finding, Severity
from aixin.domain.programme import PROGRAMME_FILE, Programme, find_root, from_data  # noqa: F401 (find_root: for commands)
from aixin.domain.records import Record, RecordIndex, view_data
from .result import CheckResult, QuotaRow
from aixin.rules import Context, cross_rules, quota
from aixin.load.schemas import SchemaSet

PARALLEL_FROM = 3000  # below this many files a second process costs more than it saves
CACHE_FOLDER = ".aixin-cache"


class UsageError(Exception):
    """A problem with how aixin was called (exit 2), worded in Chinese for the user."""


def _as_finding(item) -> Finding:
    file, line, column, rule, severity, message, hint, record = item
    return Finding(file, line, column, rule, Severity(severity), message, hint, record)


@contextlib.contextmanager
def _workers(jobs: int, files: int):
    """A `map(function, chunks)` over worker processes (started on first use), or in this
    process for small repositories."""
    if jobs < 2 or files < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        yield lambda function, chunks: map(function, chunks)
        return
    with contextlib.ExitStack() as stack:
        pools = []

        def run(function, chunks):
            if not chunks:
                return iter(())
            if not pools:
                pools.append(stack.enter_context(multiprocessing.get_context("fork").Pool(jobs)))
            return pools[0].imap(function, chunks)

        yield run


def _load_programme(root: Path, schemas: SchemaSet) -> tuple[Programme | None, list[tuple], bytes]:
    raw = (root / PROGRAMME_FILE).read_bytes()
    loaded = loader.load_bytes(raw, PROGRAMME_FILE)
    found = [(f.file, f.line, f.column, f.rule, f.severity.value, f.message, f.hint, f.record) for f in loaded.findings]
    if loaded.data is None:
        return None, found, raw
    for code, problem in schemas.problems("programme", loaded.data):
        position = line_of(loaded.lines, problem.path)
        found.append(finding_tuple(PROGRAMME_FILE, position, code, Severity.ERROR, problem, "programme"))
    return (None if found else from_data(loaded.data)), found, raw


def _target_prefixes(root: Path, targets: list[Path] | None) -> list[str] | None:
    if not targets:
        return None
    prefixes = []
    for target in targets:
        full = target.resolve()
        try:
            rel = full.relative_to(root.resolve()).as_posix()
        except ValueError:
            raise UsageError(f"路径“{target}”不在记录仓库 {root} 中") from None
        if not full.exists():
            raise UsageError(f"路径“{target}”不存在")
        prefixes.append("" if rel == "." else rel)
    return prefixes


def _selected(file: str, prefixes: list[str] | None) -> bool:
    if prefixes is None:
        return True
    return any(not p or file == p or file.startswith(p.rstrip("/") + "/") for p in prefixes)


def run_check(
    root: Path,
    targets: list[Path] | None = None,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
) -> CheckResult:
    """Check the whole repository under `root`; show findings of `targets` only, when given."""
    root = Path(root)
    if not (root / PROGRAMME_FILE).is_file():
        raise UsageError(f"在 {root} 中找不到 {PROGRAMME_FILE}；请在记录仓库中运行，或用 --root 指定仓库目录")
    try:
        schemas = SchemaSet.load(root / "schemas")
    except (OSError, ValueError) as error:
        raise UsageError(f"无法读取 schemas/ 中的结构定义：{error}") from None
    prefixes = _target_prefixes(root, targets)
    today = today or dates.beijing_today()
    programme, programme_findings, programme_raw = _load_programme(root, schemas)
    if programme is None:
        return CheckResult(findings=sorted(map(_as_finding, programme_findings)), files=1, as_of=today)
    ctx = Context(programme, today)
    rels = layout.discover(root / "records")
    cache = Cache(root / CACHE_FOLDER if use_cache else None, salt(root / "schemas", programme_raw, today.isoformat()))
    filework.STATE.update(root=str(root), schemas=schemas, ctx=ctx, unit_ids=programme.unit_ids)
    gc_was_on = gc.isenabled()
    gc.disable()  # hundreds of thousands of small containers and no cycles: collection only costs time
    try:
        with _workers(jobs or min(2, os.cpu_count() or 1), len(rels)) as run:
            files = scan.scan(str(root), rels, cache, run, progress)
            print_ = files.print
            payload = cache.result(print_)
            if payload is None:
                payload = _cross_check(root, rels, files.all_entries(cache, run), ctx)
                cache.save_result(print_, payload)
            files.save(cache, run)
    finally:
        filework.STATE.clear()
        if gc_was_on:
            gc.enable()
    found, quota_rows, counts, checked = payload
    findings = [_as_finding(item) for item in [*programme_findings, *found]]
    return CheckResult(
        findings=sorted(f for f in findings if _selected(f.file, prefixes)),
        quota=[QuotaRow(*row) for row in quota_rows],
        counts=counts,
        files=checked + 1,
        as_of=today,
    )


def _cross_check(root: Path, rels: list[str], entries: list, ctx: Context) -> tuple:
    """Every file's own findings, then the cross-record rules over all records."""
    index = RecordIndex()
    index.programme = Record("programme", "", "programme", PROGRAMME_FILE, {})
    found = []
    checked = 0
    unit_ids = ctx.programme.unit_ids
    for rel, (kind, unit, record_id, view, file_findings) in zip(rels, entries):
        found.extend(file_findings)
        if kind is not None:
            data = view_data(kind, view) if view is not None else {}
            index.add(Record(kind, unit, record_id, rel, data, view is not None))
        elif layout.asset_folder(rel, unit_ids):  # photos and media, for the link rules
            index.assets.add(rel)
        checked += kind is not None or bool(file_findings)  # photos and such are not counted
    found.extend(_cross_findings(root, index, ctx))
    quota_rows = [(r.unit_id, r.unit_name, r.quota, r.approved, r.pending) for r in quota.quota_table(index, ctx.programme)]
    counts = {kind: len(records) for kind, records in index.by_kind.items()}
    return found, quota_rows, counts, checked


def _cross_findings(root: Path, index: RecordIndex, ctx: Context) -> list[tuple]:
    lines_of: dict[str, dict] = {}
    found = []
    for rule in cross_rules():
        try:
            problems = list(rule.check(index, ctx))
        except Exception as error:  # a rule bug must not hide the other findings
            problems = [internal_problem(rule.code, error)]
        for problem in problems:
            record = problem.record or index.programme
            if record.file not in lines_of:  # a photo has no lines: its findings point at line 1
                is_yaml = record.file.endswith(".yaml")
                lines_of[record.file] = loader.load_file(root / record.file, record.file).lines if is_yaml else {}
            position = line_of(lines_of[record.file], problem.path)
            found.append(finding_tuple(record.file, position, rule.code, rule.severity, problem, record.id))
    return found
