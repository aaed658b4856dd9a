"""`aixin new` without the terminal: what the new record needs before the questions (the unit,
the pairing, the records it must name, the rules that check each answer), and writing it once
answered and confirmed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from aixin.core.errors import UsageError
from aixin.domain.layout import NoFreeId, unused_id
from aixin.domain.terms import CITY_KINDS, KIND_LABELS
from aixin.load.lock import write_lock
from aixin.load.repository import Repository
from aixin.load.writer import record_text, schema_path_from

from . import ids, questions, summary
from .checks import Checker
from .existing import ExistingRecords
from .interview import Interview
from .questions import Question

NO_FREE_ID = "没能生成一个未被使用的记录编号，没有写入任何文件；请重新运行。"


@dataclass
class NewRecord:
    """One record about to be entered: its questions, the interview that asks them, its id."""

    repo: Repository
    kind: str
    unit: str
    schema: dict
    questions: tuple[Question, ...]
    existing: ExistingRecords
    interview: Interview
    record_id: str = ""  # the id it is checked under, and written under unless taken meanwhile


def prepare(repo: Repository, kind: str, unit: str, pairing: str | None, today: dt.date) -> NewRecord:
    """The interview for a new `kind` record of `unit`; UsageError when it cannot be entered yet."""
    programme = repo.programme
    if kind not in CITY_KINDS:  # the city's records are filed under records/city/, no unit's
        repo.unit(unit)
    existing = ExistingRecords(repo)
    preset = {}
    if pairing:
        if pairing not in existing.records("pairing", unit):
            raise UsageError(
                f"{programme.unit_name(unit)}没有编号为“{pairing}”的结对（records/{unit}/pairings/{pairing}.yaml）"
            )
        preset[("pairing",)] = pairing
    schema = repo.schema(kind)
    asked = questions.build(kind, schema)
    try:
        record_id = unused_id(unit, kind, existing.ids_in_use())
    except NoFreeId:
        raise UsageError(NO_FREE_ID) from None
    checker = Checker(repo, existing, kind, unit, record_id, today)
    interview = Interview(
        kind, unit, asked, repo=existing, programme=programme, today=today, preset=preset, checker=checker
    )
    missing = interview.missing_reference()
    if missing:
        raise UsageError(missing)
    return NewRecord(repo, kind, unit, schema, asked, existing, interview, record_id)


def write(new: NewRecord, record: dict) -> tuple[str, Path]:
    """Write the answered record under its id (a fresh one if taken meanwhile), never over a file."""
    root, kind = new.repo.root, new.kind

    def render(path: Path) -> str:
        header = [f"{new.schema.get('title', KIND_LABELS[kind])}。文件名就是记录编号。"]
        return record_text(record, schema_path_from(path, root, kind), header, summary.comments(new.questions))

    try:
        with write_lock(root, "aixin new"):  # only while writing: the questions may take minutes
            taken = new.existing.ids_in_use()  # read under the lock: an import may just have added some
            return ids.create_record(root, new.unit, kind, render, taken, record.get("pairing"), new.record_id)
    except NoFreeId:
        raise UsageError(NO_FREE_ID) from None
