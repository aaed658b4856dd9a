"""Importing a filled-in workbook or CSV file as new records: all or nothing.

Rows are read (convert.py), then girls and mothers before the pairings that may name them, then
contact logs. A row that matches an existing record, or an earlier row, is a duplicate: reported
and skipped, never an update. Every other row is checked the way `aixin check` would: the schema,
the record rules, then the cross-record rules against the repository. Only when no row has an
error is anything written (with `partial`, the clean rows are written and the others listed);
files are created new, never replacing one.

All or nothing holds on disk too: the files are staged outside records/ and moved in only when
every one is written (staging.py), and an import that a crash interrupted is finished or undone by
the next one, which says so. The records are read, checked and written under the repository's
write lock, so two imports at once cannot both add the same girl: the second is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from aixin.core import dates
from aixin.core.errors import UsageError
from aixin.core.findings import Severity
from aixin.core.masking import mask_digits, visible
from aixin.domain import eligibility, layout
from aixin.domain.programme import PROGRAMME_FILE
from aixin.domain.records import ELIGIBILITY, Record, RecordIndex
from aixin.domain.terms import ACTIVE, KIND_LETTERS, PROPOSED, is_active, is_county_approved, is_pending
from aixin.load.lock import write_lock
from aixin.load.repository import open_repository
from aixin.load.writer import record_text, schema_path_from
from aixin.rules import Context, cross_rules, record_rules
from aixin.rules.runner import run_rule, severity

from .convert import Row, Sheet, read_sheet
from .existing import ExistingRecords, describe_key, duplicate_key, keyed, read_existing
from .issues import DUPLICATE, ERROR, WARNING, Issue
from .layout import KINDS, build_forms
from .outcome import ImportResult
from .photos import Source, attach, photo_source, source_issues
from .read import read_tables
from .references import NotFound, People
from .staging import Staging, recover

Progress = Callable[[str, int, int], None]  # (what is being done, done, total)

# The schema's hints for these speak of YAML quotes; in a cell, the shape is what matters.
_CELL_HINTS = {
    "phone": "手机号写11位数字（如 13812345678），座机写 区号-号码（如 0825-2223344），都用半角数字。",
    "id_number": "身份证号码是18位数字，最后一位可以是 X。",
}
_SEVERITIES = {Severity.ERROR: ERROR, Severity.WARNING: WARNING, Severity.INFO: WARNING}


def import_file(
    root: Path,
    path: Path,
    unit: str,
    *,
    partial: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    photos: Path | None = None,
) -> ImportResult:
    """Import `path`; `photos` is the folder or zip holding the files a log sheet's 照片文件 column
    names (sheets/photos.py), staged and written with the records, all or nothing."""
    opened = open_repository(root)
    opened.unit(unit)
    forms = build_forms(opened.schemas.schemas, opened.programme.units)
    unit_codes = {u.name: u.id for u in opened.programme.units} | {u.id: u.id for u in opened.programme.units}
    result = ImportResult(partial=partial)
    sheets = []
    for order, table in enumerate(read_tables(path, progress)):
        sheet, found = read_sheet(table, order, forms, unit_codes)
        result.issues += found
        if sheet is not None:
            sheets.append(sheet)
    with photo_source(photos) as source, write_lock(opened.root, "aixin import"):
        result.notes = recover(opened.root)
        if not sheets:
            result.issues.append(
                Issue(path.name, None, None, ERROR, "文件中没有可以导入的表", "请使用 aixin template 生成的模板填写。")
            )
            return result
        run = _Import(read_existing(opened), unit, path.name, today or dates.beijing_today(), progress, source)
        rows = run.check(sheets)
        result.issues += run.issues + [i for s in sheets for i in s.issues] + [i for r in rows for i in r.issues]
        clean = [r for r in rows if r.ok]
        result.ready = len(clean)
        result.skipped = [r.where for r in rows if not r.ok and not r.duplicate]
        if result.count(ERROR) == 0 or partial:
            result.written = run.write(clean)
            result.notes += run.proposed_notes()
            result.photos = run.photos_written
    return result


class _Import:
    def __init__(
        self,
        repo: ExistingRecords,
        unit: str,
        file_name: str,
        today: dt.date,
        progress: Progress | None = None,
        source: Source | None = None,
    ):
        self.repo, self.unit, self.file_name = repo, unit, file_name
        self.progress = progress or (lambda _what, _done, _total: None)
        self.ctx = Context(repo.programme, today)
        self.people = People(repo, unit)
        self.keys = {kind: keyed(repo.records[kind]) for kind in ("girl", "mother", "pairing")}
        self.log_keys: dict[str, dict] = {}  # per pairing, read when a log row names it
        self.seen: dict[tuple, Row] = {}
        self.taken: set[str] = set(repo.ids)  # ids of the repository and of the new rows
        self.issues: list[Issue] = []
        self.new_mothers: dict[str, dict] = {}  # the mothers of this file, by their new id
        self.proposed: list[Row] = []  # pairings filed as proposed because their mother awaits the city
        self.source = source  # the photos of the 照片文件 column (sheets/photos.py)
        self.new_photos: dict[str, list[tuple[str, bytes]]] = {}  # log id → its re-encoded photos
        self.photos_written: list[str] = []

    def check(self, sheets: list[Sheet]) -> list[Row]:
        ordered = [row for kind in KINDS for sheet in sheets if sheet.form.kind == kind for row in sheet.rows]
        for done, row in enumerate(ordered, start=1):
            if not row.sheet.blocked:
                self._check_row(row)
            if done % 500 == 0 or done == len(ordered):
                self.progress("检查各行", done, len(ordered))
        self._attach_photos(ordered)
        self._cross_check([row for row in ordered if row.ok])
        self._check_named_rows(ordered)
        return sorted(ordered, key=lambda r: (r.sheet.order, r.number))

    # one row ---------------------------------------------------------------------------------
    def _check_row(self, row: Row) -> None:
        if row.kind == "pairing":
            self._resolve(row)
            self._propose(row)
        if self._duplicate(row):
            return
        if row.own_id:
            row.add(
                ERROR,
                f"记录编号“{row.own_id}”在仓库中不存在",
                "新填写的行不要填记录编号，导入时会自动编号。",
                "记录编号",
            )
        if row.own_unit and row.own_unit != self.unit:
            name = self.repo.programme.unit_name
            row.add(
                ERROR,
                f"这一行属于{name(row.own_unit)}，现在导入的是{name(self.unit)}的记录",
                "请用 --unit 指定这一行所属的单位，分开导入。",
                "单位",
            )
        row.id = self._new_id(row.kind)
        self._schema_and_rules(row)
        if row.kind in ("girl", "mother"):
            self.people.add_row(row)
        if row.kind == "mother" and row.ok:
            self.new_mothers[row.id] = row.record

    def _resolve(self, row: Row) -> None:
        for key in ("mother", "girl"):
            headers = {c.ref: c.header for c in row.sheet.form.columns if c.path == (key,)}
            if any(i.header in headers.values() for i in row.issues):  # a cell of hers is already wrong
                row.record.pop(key, None)
                continue
            try:
                row.record[key] = self.people.resolve(key, row.refs.get(key, {}))
            except NotFound as missing:
                row.record.pop(key, None)
                row.add(ERROR, missing.message, missing.hint, headers[missing.part])

    def _propose(self, row: Row) -> None:
        """A pairing filed as in progress whose mother her unit approved and the city has not decided
        on yet is filed as proposed: the city's approval of her makes it active. (Without her unit's
        approval it stays as written, and P003 asks for that first.)"""
        mother_id = row.record.get("mother")
        existing = self.people.by_id["mother"].get(mother_id)
        mother = existing.data if existing is not None else self.new_mothers.get(mother_id)
        if mother is not None and is_active(row.record) and is_county_approved(mother) and is_pending(mother):
            row.record["status"] = PROPOSED
            self.proposed.append(row)

    def proposed_notes(self) -> list[str]:
        """One line per pairing the import filed as proposed, said in the import's report."""
        notes = []
        for row in self.proposed:
            if row.ok:
                mother = self.people.by_id["mother"].get(row.record["mother"])
                name = (mother.data if mother is not None else self.new_mothers[row.record["mother"]]).get("name")
                notes.append(
                    visible(mask_digits(f"{row.where}：爱心妈妈“{name}”还没有市妇联意见，"))
                    + f"这条结对按“{PROPOSED}”导入（不算进行中的结对）；市妇联审核同意她时，会在同一次修改中把它改为“{ACTIVE}”。"
                )
        return notes

    def _duplicate(self, row: Row) -> bool:
        kind = row.kind
        if row.own_id and row.own_id in self.repo.ids and f"-{KIND_LETTERS[kind]}-" in row.own_id:
            row.issues = []
            row.duplicate = True
            row.add(DUPLICATE, f"记录 {row.own_id} 已经在仓库中，没有导入", header="记录编号")
            return True
        key = duplicate_key(kind, row.record)
        if key is None:
            return False
        existing = self._existing(kind, key)
        first = self.seen.setdefault((kind, key), row)
        if existing is None and first is row:
            return False
        row.issues = []
        row.duplicate = True
        where = f"已有记录 {existing.file} " if existing is not None else first.where
        row.add(DUPLICATE, f"与{where}重复（{describe_key(kind, key)}），没有导入")
        return True

    def _existing(self, kind: str, key: tuple) -> Record | None:
        if kind == "log" and key[0] not in self.log_keys:
            self.log_keys[key[0]] = keyed(self.repo.logs_of(key[0]))
        return (self.log_keys[key[0]] if kind == "log" else self.keys[kind]).get(key)

    def _new_id(self, kind: str) -> str:
        return layout.unused_id(self.unit, kind, self.taken)

    def _rel(self, row: Row) -> str:
        return layout.record_path(row.kind, self.unit, row.id, row.record.get("pairing"))

    def _schema_and_rules(self, row: Row) -> None:
        form = row.sheet.form
        wrong = {form.column(i.header).path for i in row.issues if i.severity == ERROR and form.column(i.header or "")}
        problems = self.repo.schemas.problems(row.kind, row.record)
        for code, problem in problems:
            path, message = problem.path, problem.plain or problem.message
            header = row.sheet.header_for(path)
            column = form.column(header) if header else None
            if column is not None and column.path in wrong:  # one message per field: its own says it better
                continue
            hint = _CELL_HINTS.get(column.kind, problem.hint) if column and code == "S005" else problem.hint
            row.add(ERROR, message, hint, header, code)
        if problems or not row.ok:
            return
        record = Record(row.kind, self.unit, row.id, self._rel(row), row.record)
        for rule in record_rules(row.kind):
            for problem in run_rule(rule, record, self.ctx):
                level = _SEVERITIES[severity(rule, problem)]
                row.add(level, problem.message, problem.hint, row.sheet.header_for(problem.path), rule.code)

    def _attach_photos(self, rows: list[Row]) -> None:
        """Re-encode and link the photos each log row names, before the cross rules look at links."""
        named = [row for row in rows if row.kind == "log" and row.photo_files and not row.sheet.blocked]
        for done, row in enumerate(named, start=1):
            made = attach(row, self.source, self.unit, self.repo.root)
            if made:
                self.new_photos[row.id] = made
            self.progress("处理照片", done, len(named))
        if self.source is not None:
            self.issues += source_issues(self.source)

    # all rows together -----------------------------------------------------------------------
    def _cross_check(self, rows: list[Row]) -> None:
        """The cross-record rules over the repository plus the new rows. Findings of a new row go to
        the row; findings that the new rows would cause on existing records go to the file."""
        index = RecordIndex()
        index.programme = Record("programme", "", "programme", PROGRAMME_FILE, {})
        index.assets = set(self.repo.assets)  # photos and media, as the link rules expect them
        index.assets |= {rel for made in self.new_photos.values() for rel, _ in made}
        for kind in ("girl", "mother", "pairing"):
            for record in self.repo.records[kind]:
                index.add(self._indexed(record))
        before = {
            (code, problem.record.file, problem.message)
            for code, _, problem in self._cross_problems(index)
            if problem.record is not None
        }
        mine = {}
        for row in rows:
            record = self._indexed(Record(row.kind, self.unit, row.id, self._rel(row), row.record))
            index.add(record)
            mine[id(record)] = row
        for code, level, problem in self._cross_problems(index):
            row = mine.get(id(problem.record))
            if row is not None:
                row.add(level, problem.message, problem.hint, row.sheet.header_for(problem.path), code)
            elif (
                problem.record not in (None, index.programme)
                and (code, problem.record.file, problem.message) not in before
            ):
                self.issues.append(
                    Issue(
                        self.file_name,
                        None,
                        None,
                        level,
                        f"导入后，已有记录 {problem.record.file} 会出现问题：{problem.message}",
                        problem.hint,
                        code,
                    )
                )

    def _cross_problems(self, index: RecordIndex):
        for rule in cross_rules():
            for problem in run_rule(rule, index, self.ctx):
                if problem.record is None:  # a crashed rule: reported, not hidden (it may concern a new row)
                    issue = Issue(self.file_name, None, None, ERROR, problem.message, problem.hint, rule.code)
                    if issue not in self.issues:  # the rules run twice: before and after the new rows
                        self.issues.append(issue)
                    continue
                yield rule.code, _SEVERITIES[severity(rule, problem)], problem

    def _indexed(self, record: Record) -> Record:
        if not record.valid:
            return Record(record.kind, record.unit, record.id, record.file, {}, False)
        if record.kind != "girl":
            return record
        facts = eligibility.assess(record.data, self.repo.programme).as_facts()
        return Record(record.kind, record.unit, record.id, record.file, {**record.data, ELIGIBILITY: facts})

    def _check_named_rows(self, rows: list[Row]) -> None:
        """A pairing that names a new girl or mother whose row turned out wrong is wrong too."""
        new = {row.id: row for row in rows if row.id and row.kind in ("girl", "mother")}
        for row in rows:
            if row.kind != "pairing" or not row.ok:
                continue
            for key in ("mother", "girl"):
                named = new.get(row.record.get(key))
                if named is not None and not named.ok:
                    header = next(c.header for c in row.sheet.form.columns if c.path == (key,))
                    row.add(ERROR, f"所指的人在{named.where}，那一行有错误，没有导入", "请先改正那一行。", header)

    # writing ---------------------------------------------------------------------------------
    def write(self, rows: list[Row]) -> list[tuple[str, str, str]]:
        root, written = self.repo.root, []
        staging = Staging(root)
        try:
            for done, row in enumerate(rows, start=1):
                rel = self._rel(row)
                source = (
                    f"{self.file_name} {row.where}"
                    if row.sheet.name != self.file_name
                    else f"{self.file_name} 第{row.number}行"
                )
                header = [f"由 aixin import 从 {source} 导入。"]
                staging.add(rel, record_text(row.record, schema_path_from(root / rel, root, row.kind), header))
                for photo, data in self.new_photos.get(row.id or "", ()):
                    staging.add_file(photo, data)
                    self.photos_written.append(photo)
                written.append((row.kind, rel, source))
                if done % 500 == 0 or done == len(rows):
                    self.progress("写入记录", done, len(rows))
        except OSError as error:  # all or nothing, even when the disk fails half-way
            staging.discard()
            raise UsageError(f"写入记录时出错，没有写入任何记录（临时文件已删除）：{error}") from None
        except BaseException:  # Ctrl-C: nothing is in records/ yet, and nothing is left behind
            staging.discard()
            raise
        try:
            staging.commit()
        except OSError as error:
            raise UsageError(
                f"把记录移入 records/ 时出错：{error}。下次运行 aixin import 时会先完成这次导入，并说明结果。"
            ) from None
        return written
