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
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from aixin.core import dates
from aixin.core.errors import UsageError
from aixin.core.findings import Finding, Severity
from aixin.domain import annual, care, layout
from aixin.domain.programme import PROGRAMME_FILE
from aixin.domain.quota import QuotaRow, quota_table
from aixin.domain.records import Record, RecordIndex, view_data
from aixin.domain.terms import CITY_KINDS
from aixin.load import loader
from aixin.load.repository import Repository, open_repository
from aixin.load.worktree import records_status, uncommitted_records
from aixin.rules import Context, cross_rules
from aixin.rules import changes as changes_rules
from aixin.rules.runner import locate, run_rule

from . import changes, worker
from .cache import Cache, salt
from .result import CheckResult, within

PARALLEL_FROM = 3000  # below this many files a second process costs more than it saves
CACHE_FOLDER = changes_rules.CACHE_FOLDER  # also A010's: a pull request must not commit it


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


def _shown(finding: Finding, prefixes: list[str] | None) -> bool:
    """A finding in the checked files, or one elsewhere that a checked file caused (it names
    that file among its related ones: the new pairing that makes the old one's mode wrong)."""
    return prefixes is None or any(within(file, prefixes) for file in (finding.file, *finding.related))


def _own_units(prefixes: list[str] | None, unit_ids: Iterable[str]) -> frozenset[str]:
    """The units whose own folder (records/<unit>) is among the checked paths."""
    folders = {layout.unit_folder(unit): unit for unit in unit_ids}
    return frozenset(folders[p.rstrip("/")] for p in prefixes or () if p.rstrip("/") in folders)


def _whole(prefixes: list[str] | None) -> bool:
    return prefixes is None or any(p.rstrip("/") in ("", "records") for p in prefixes)


def run_check(
    root: Path | Repository,
    targets: list[Path] | None = None,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
    changed: Iterable[str] | None = None,
    with_index: bool = False,
    with_care: bool = True,
    with_annual: bool = False,
    state: bytes | None = None,
) -> CheckResult:
    """Check the whole repository (a root folder or an opened Repository); show findings of
    `targets` only, when given, and those that `targets` cause in other files. `changed`: the
    files a pull request adds or changes (repo-relative); they and the record files named in
    `targets` are the new side of every conflict (`RecordIndex.oldest_first`); without it, the
    records the Git work tree adds or changes since its last commit (`load.worktree`).
    `with_index`: the result also holds the RecordIndex the cross rules read (`CheckResult.index`,
    rebuilt from the cached entries when the cross findings come from the cache), for reports that
    compute figures of their own. `with_care=False`: no `care` figures; `with_annual`: the
    yearly review's rows (`CheckResult.annual`, domain.annual.to_row, made by every cross step
    and cached apart). `state`: what records/ holds (load.worktree.records_status, from which
    `changed` came too): when a previous whole check saw records/ so, its cached result is
    reused without a scan, as `figures.cached_output` reuses a report. UsageError when the
    repository cannot be opened."""
    given_state = state is not None
    repo = root if isinstance(root, Repository) else open_repository(Path(root))
    root, schemas, programme = repo.root, repo.schemas, repo.programme
    prefixes = _target_prefixes(root, targets)
    # The files the user names are the ones she is working on: the new side, as a pull request's.
    named = (p for p in prefixes or () if p.endswith(".yaml") and (root / p).is_file())
    if changed is None and prefixes is None:  # the new side, and what records/ holds, from one git status
        state, changed = records_status(root)
    elif changed is None:  # not a pull request: the work tree's uncommitted records are the new side
        changed = uncommitted_records(root)
    state = state if prefixes is None else None
    changed = frozenset((*changed, *named))
    today = today or dates.beijing_today()
    ctx = Context(programme, today, units=_own_units(prefixes, programme.unit_ids))
    cache = Cache(
        root / CACHE_FOLDER if use_cache else None, salt(root / "schemas", repo.programme_raw, today.isoformat())
    )
    seen = cache.seen(state) if state is not None and given_state and not with_index else None
    if seen is not None:  # records/ as a previous check saw it: its result, without a scan
        payload, annual_row = cache.result(seen[0]), cache.annual_result(seen[0]) if with_annual else None
        if payload is not None and (annual_row is not None or not with_annual):
            tree_found = [Finding.from_row(row) for row in seen[1]]
            return _result(payload, tree_found, prefixes, changed, today, with_care, None, annual_row)
    tree = layout.walk(root / "records")
    rels = tree.files
    worker.STATE.update(
        root=str(root), schemas=schemas, ctx=ctx, unit_ids=programme.unit_ids, roster_schemas=repo.roster_schemas
    )
    gc_was_on = gc.isenabled()
    gc.disable()  # hundreds of thousands of small containers and no cycles: collection only costs time
    try:
        with _workers(jobs or min(2, os.cpu_count() or 1), len(rels)) as run:
            files = changes.scan(str(root), rels, cache, run, progress)
            print_ = files.print
            if changed or ctx.units:  # the cross findings depend on them: a result of its own
                print_ += repr((sorted(changed), sorted(ctx.units))).encode()
            payload = cache.result(print_)
            # The yearly review's rows are a file of their own: only report annual loads them.
            annual_row = cache.annual_result(print_) if with_annual and payload is not None else None
            indexed = None
            if payload is None or with_index or (with_annual and annual_row is None):
                indexed = _index(rels, files.all_entries(cache, run), programme.unit_ids, changed)
            rows = _YearRows(cache, files.rels, files.keys)
            if payload is None:
                payload, annual_row = _cross_check(root, indexed, ctx, rows)
                cache.save_result(print_, payload)
                cache.save_annual_result(print_, annual_row)
            elif with_annual and annual_row is None:  # lost or damaged: made again, as the check makes it
                annual_row = rows.made(indexed[0], ctx, None)
                cache.save_annual_result(print_, annual_row)
            files.save(cache, run)
            tree_found = _tree_findings(tree)  # not cached: they cost nothing and have no content
            if state is not None:
                cache.save_seen(state, (print_, [f.to_row() for f in tree_found]))
    finally:
        worker.STATE.clear()
        if gc_was_on:
            gc.enable()
    made = annual_row if with_annual else None
    result = _result(payload, tree_found, prefixes, changed, today, with_care, indexed if with_index else None, made)
    result.keys = dict(zip(files.rels, files.keys))
    return result


def _result(payload, tree_found, prefixes, changed, today, with_care, indexed, annual_row) -> CheckResult:
    found, quota_rows, counts, checked, care_row, people = payload
    care_report, waiting = care.report_from_row(care_row) if with_care else (None, ())
    findings = [Finding.from_row(row) for row in found]
    findings.extend(tree_found)
    return CheckResult(
        findings=sorted(f for f in findings if _shown(f, prefixes)),
        quota=[QuotaRow.from_row(row) for row in quota_rows],
        counts=counts,
        files=checked + 1,
        as_of=today,
        focus=tuple(prefixes) if prefixes is not None else (tuple(sorted(changed)) or None),
        whole=_whole(prefixes),
        care=care_report,
        waiting=waiting,
        people={record_id: (unit, name) for record_id, unit, name in people},
        index=indexed[0] if indexed else None,
        annual=annual_row,
    )


def _tree_findings(tree: layout.Tree) -> list[Finding]:
    """Symlinks, special files and unreadable folders under records/ (never followed or read)."""
    return [Finding.of(problem, rel, (1, 1), code, Severity.ERROR, "") for rel, code, problem in tree.others]


def _index(rels: list[str], entries: list, unit_ids: Iterable[str], changed: frozenset[str]) -> tuple:
    """(the index of every record, fields in `records.CROSS_FIELDS`, and asset; the files' own
    findings; how many files were checked), from the per-file entries."""
    index = RecordIndex(changed=changed)
    index.programme = Record("programme", "", "programme", PROGRAMME_FILE, {})
    found = []
    checked = 0
    unit_ids = tuple(unit_ids)
    for rel, (kind, unit, record_id, view, file_findings) in zip(rels, entries):
        found.extend(file_findings)
        if kind is not None:
            data = view_data(kind, view) if view is not None else {}
            index.add(Record(kind, unit, record_id, rel, data, view is not None))
        elif layout.asset_folder(rel, unit_ids):  # photos and media, for the link rules
            index.assets.add(rel)
        checked += kind is not None or bool(file_findings)  # photos and such are not counted
    return index, found, checked


def _cross_check(root: Path, indexed: tuple, ctx: Context, rows: _YearRows) -> tuple[tuple, tuple]:
    """Every file's own findings, then the cross-record rules over all records; and the yearly
    review's rows (cached apart: only report annual reads them)."""
    index, own, checked = indexed
    found = list(own)
    found.extend(_cross_findings(root, index, ctx))
    quota_rows = [row.to_row() for row in quota_table(index, ctx.programme)]
    # The city's kinds only when there are any: a repository without them reports as it always did.
    counts = {kind: len(records) for kind, records in index.by_kind.items() if records or kind not in CITY_KINDS}
    # The care figures as of the same day (not findings: overdue care never fails a check), cached
    # with the rest: the programme's obligations and the day are in the cache's salt.
    report, queue = care.assess(index, ctx.programme, ctx.today), care.approval_queue(index, ctx.today)
    care_row, people = care.report_to_row(report, queue), _people(index, report, queue)
    # And what the yearly review of each year on record reads (domain.annual.to_row), likewise.
    owing = {p.pairing_id: p.overdue for p in report.pairings}  # what each pairing owes today, said once
    return (found, quota_rows, counts, checked, care_row, people), rows.made(index, ctx, owing)


class _YearRows:
    """The yearly review's rows per pairing (domain.annual.to_row), kept in the cache by a hash of
    the content keys of the pairing's file and its logs' files: after a record changed, only the
    pairings whose files changed are counted again (the day and the programme are in the salt)."""

    def __init__(self, cache: Cache, rels: list[str], keys: list):
        self.cache, self.rels, self.keys = cache, rels, keys

    def made(self, index: RecordIndex, ctx: Context, owing: dict[str, bool] | None) -> tuple:
        if self.cache.folder is None:
            return annual.to_row(index, ctx.programme, ctx.today, owing)
        key_of = dict(zip(self.rels, self.keys))
        logs = index.logs_of_pairing
        hashes = []
        for pairing in index.valid("pairing"):
            digest = hashlib.blake2b(key_of[pairing.file], digest_size=16)
            for log in logs.get(pairing.id, ()):
                digest.update(key_of[log.file])
            hashes.append(digest.digest())
        known = self.cache.pairing_years()
        row = annual.to_row(index, ctx.programme, ctx.today, owing, [known.get(h) for h in hashes])
        if len(known) != len(hashes) or any(h not in known for h in hashes):
            self.cache.save_pairing_years(dict(zip(hashes, row[2])))
        return row


def _people(index: RecordIndex, report: care.CareReport, queue: tuple[care.Waiting, ...]) -> tuple:
    """(id, unit, name) of the mothers and girls the care figures name, for the contacts report."""
    wanted = [(p.mother_id, "mother") for p in report.pairings] + [(p.girl_id, "girl") for p in report.pairings]
    wanted += [(w.mother_id, "mother") for w in queue]
    people = {}
    for record_id, kind in wanted:
        record = index.get(record_id, kind)
        if record is not None and record.valid and isinstance(record.data.get("name"), str):
            people[record_id] = (record_id, record.unit, record.data["name"])
    return tuple(people.values())


def _cross_findings(root: Path, index: RecordIndex, ctx: Context) -> list[tuple]:
    lines_of: dict[str, dict] = {}
    found = []
    for rule in cross_rules():
        for problem in run_rule(rule, index, ctx):
            record = problem.record or index.programme
            if record.file not in lines_of:  # a photo has no lines: its findings point at line 1
                is_yaml = record.file.endswith(".yaml")
                lines_of[record.file] = loader.load_file(root / record.file, record.file).lines if is_yaml else {}
            found.append(locate(rule, problem, record.file, lines_of[record.file], record.id).to_row())
    return found
