"""The check pipeline: discover → per-file work (cached, two processes) → cross-record rules.

Per-file work (load, schema, record rules) needs nothing but the file and the programme, so it
runs in worker processes and its results are cached by file content. Cross-record rules need
every record and run once in this process. Findings of cross rules get their line numbers by
re-reading only the files they name.
"""

from __future__ import annotations

import datetime as dt
import marshal
import multiprocessing
import os
from pathlib import Path
from typing import Callable

from . import dates, layout, loader
from .cache import Cache, file_key, salt
from .findings import Finding, Problem, Severity
from .programme import PROGRAMME_FILE, Programme, from_data
from .records import Record, RecordIndex
from .result import CheckResult
from .rules import Context, cross_rules, quota, record_rules
from .schemas import SchemaSet

CHUNK = 400
PARALLEL_FROM = 3000  # below this many files a second process costs more than it saves
CACHE_FOLDER = ".aixin-cache"


class UsageError(Exception):
    """A problem with how aixin was called (exit 2), worded in Chinese for the user."""


# Set in the parent before worker processes fork, read by the workers.
_STATE: dict = {}


def line_of(lines: dict, path: tuple) -> tuple[int, int]:
    """The position of `path`, or of its nearest parent that has one (a missing field)."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), (1, 1))


def _finding_tuple(rel, position, code, severity, problem: Problem, record_id) -> tuple:
    severity = problem.severity or severity
    return (rel, position[0], position[1], code, severity.value, problem.message, problem.hint, record_id)


def _as_finding(item: tuple) -> Finding:
    file, line, column, rule, severity, message, hint, record = item
    return Finding(file, line, column, rule, Severity(severity), message, hint, record)


def check_record_file(rel: str, raw: bytes, place: layout.Place) -> tuple:
    """Load, schema-check and rule-check one record file; returns a cacheable plain tuple."""
    schemas: SchemaSet = _STATE["schemas"]
    ctx: Context = _STATE["ctx"]
    loaded = loader.load_bytes(raw, rel)
    found = [
        (f.file, f.line, f.column, f.rule, f.severity.value, f.message, f.hint, f.record) for f in loaded.findings
    ]
    if loaded.data is None:
        return (place.kind, place.unit, place.id, {}, False, found)
    data = loaded.data
    problems = schemas.problems(place.kind, data)
    for code, problem in problems:
        found.append(_finding_tuple(rel, line_of(loaded.lines, problem.path), code, Severity.ERROR, problem, place.id))
    valid = not problems
    if valid:
        record = Record(place.kind, place.unit, place.id, rel, data)
        for rule in record_rules(place.kind):
            try:
                problems_of_rule = list(rule.check(record, ctx))
            except Exception as error:  # a rule bug must not hide the other findings
                problems_of_rule = [_internal_problem(rule.code, error)]
            for problem in problems_of_rule:
                position = line_of(loaded.lines, problem.path)
                found.append(_finding_tuple(rel, position, rule.code, rule.severity, problem, place.id))
    return (place.kind, place.unit, place.id, data, valid, found)


def _internal_problem(code: str, error: Exception) -> Problem:
    return Problem(
        f"检查规则 {code} 出现内部错误：{type(error).__name__}",
        "这不是记录的问题；请把这条信息发给市妇联技术人员。",
        severity=Severity.ERROR,
    )


def _read(path: Path) -> bytes | None:
    """At most one byte past the size cap, so a huge file is never read whole."""
    try:
        with open(path, "rb") as handle:
            return handle.read(loader.MAX_FILE_BYTES + 1)
    except OSError:
        return None


def _check_chunk(rels: list[str]) -> bytes:
    """Worker: check a list of files, answering cache hits with the key alone."""
    root: Path = _STATE["root"]
    known: dict = _STATE["cached"]
    unit_ids = _STATE["unit_ids"]
    out = []
    for rel in rels:
        place = layout.classify(rel, unit_ids)
        if place is None:
            continue
        if place.problem:
            code, problem = place.problem
            out.append((rel, None, (None, None, None, {}, False, [_finding_tuple(rel, (1, 1), code, Severity.ERROR, problem, "")])))
            continue
        raw = _read(root / rel)
        if raw is None:
            problem = Problem("无法读取这个文件", "请检查文件是否存在、是否有读取权限。")
            out.append((rel, None, (place.kind, place.unit, place.id, {}, False, [_finding_tuple(rel, (1, 1), "Y000", Severity.ERROR, problem, place.id)])))
            continue
        key = file_key(rel, raw) if len(raw) <= loader.MAX_FILE_BYTES else None
        if key is not None and key in known:
            out.append((rel, key, None))
        else:
            out.append((rel, key, check_record_file(rel, raw, place)))
    return marshal.dumps(out)


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _run_files(rels: list[str], jobs: int, progress) -> list[tuple]:
    chunks = _chunks(rels, CHUNK)
    results = []
    done = 0
    if jobs > 1 and len(rels) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for blob, chunk in zip(pool.imap(_check_chunk, chunks), chunks):
                results.extend(marshal.loads(blob))
                done += len(chunk)
                if progress:
                    progress(done, len(rels))
    else:
        for chunk in chunks:
            results.extend(marshal.loads(_check_chunk(chunk)))
            done += len(chunk)
            if progress:
                progress(done, len(rels))
    return results


def _load_programme(root: Path, schemas: SchemaSet) -> tuple[Programme | None, list[Finding], bytes]:
    path = root / PROGRAMME_FILE
    raw = path.read_bytes()
    loaded = loader.load_bytes(raw, PROGRAMME_FILE)
    if loaded.data is None:
        return None, loaded.findings, raw
    found = [
        _as_finding(_finding_tuple(PROGRAMME_FILE, line_of(loaded.lines, p.path), code, Severity.ERROR, p, "programme"))
        for code, p in schemas.problems("programme", loaded.data)
    ]
    return (None if found else from_data(loaded.data)), found, raw


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds records/programme.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PROGRAMME_FILE).is_file():
            return folder
    return None


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
    programme, findings, programme_raw = _load_programme(root, schemas)
    if programme is None:
        return CheckResult(findings=sorted(findings), files=1, as_of=today)
    ctx = Context(programme, today)
    rels = layout.discover(root / "records")
    cache = Cache(root / CACHE_FOLDER if use_cache else None, salt(root / "schemas", programme_raw, today.isoformat()))
    _STATE.update(root=root, schemas=schemas, ctx=ctx, unit_ids=programme.unit_ids, cached=cache.entries)
    try:
        results = _run_files(rels, jobs or min(2, os.cpu_count() or 1), progress)
    finally:
        _STATE.clear()
    kept: dict[bytes, tuple] = {}
    index = RecordIndex()
    index.programme = Record("programme", "", "programme", PROGRAMME_FILE, {})
    for rel, key, entry in results:
        if entry is None:
            entry = cache.entries[key]
        if key is not None:
            kept[key] = entry
        kind, unit, record_id, data, valid, found = entry
        findings.extend(_as_finding(item) for item in found)
        if kind is not None:
            index.add(Record(kind, unit, record_id, rel, data, valid))
    cache.save(kept)
    findings.extend(_cross_findings(root, index, ctx))
    shown = sorted(f for f in findings if _selected(f.file, prefixes))
    counts = {kind: len(records) for kind, records in index.by_kind.items()}
    return CheckResult(
        findings=shown,
        quota=quota.quota_table(index, programme),
        counts=counts,
        files=len(results) + 1,
        as_of=today,
    )


def _cross_findings(root: Path, index: RecordIndex, ctx: Context) -> list[Finding]:
    lines_of: dict[str, dict] = {}
    found = []
    for rule in cross_rules():
        try:
            problems = list(rule.check(index, ctx))
        except Exception as error:  # a rule bug must not hide the other findings
            problems = [_internal_problem(rule.code, error)]
        for problem in problems:
            record = problem.record or index.programme
            if record.file not in lines_of:
                lines_of[record.file] = loader.load_file(root / record.file, record.file).lines
            position = line_of(lines_of[record.file], problem.path)
            found.append(_as_finding(_finding_tuple(record.file, position, rule.code, rule.severity, problem, record.id)))
    return found
