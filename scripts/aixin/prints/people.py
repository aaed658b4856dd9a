"""The mothers a print names, read straight from their record files (only those: a unit's mothers
folder, or one file), schema-checked like everywhere else. A record the schema rejects is never
printed: a sign with a wrong name is worse than none until `aixin check` is clean."""

from __future__ import annotations

from pathlib import Path

from aixin.core.errors import UsageError
from aixin.domain import layout
from aixin.domain.records import Record
from aixin.domain.terms import KIND_FOLDERS
from aixin.load import loader
from aixin.load.repository import Repository

MOTHER_HINT = "请写爱心妈妈记录的编号（即文件名，不带 .yaml），如 chuanshan-m-3m8x4p"


def record_id_of(text: str) -> str:
    """The id in what was typed: an id, a file name, or a path to the record."""
    name = text.strip().replace("\\", "/").rpartition("/")[2]
    return name[: -len(".yaml")] if name.endswith(".yaml") else name


def read_record(repo: Repository, kind: str, rel: str) -> Record | None:
    """The record at `rel` (None when it is not a regular file there); `valid` says the schema passed."""
    path = repo.root / rel
    place = layout.classify(rel, repo.programme.unit_ids)
    if place is None or place.kind != kind or path.is_symlink() or not path.is_file():
        return None
    data = loader.load_file(path, rel).data
    if not isinstance(data, dict):
        return Record(kind, place.unit, place.id, rel, {}, valid=False)
    return Record(kind, place.unit, place.id, rel, data, repo.schemas.is_valid_fast(kind, data))


def one_mother(repo: Repository, typed: str) -> Record:
    """The mother of an id typed on the command line; UsageError when unknown or not schema-valid."""
    mother_id = record_id_of(typed)
    match = layout.RECORD_ID.match(mother_id)
    if not match or match[2] != "m":
        raise UsageError(f"“{mother_id}”不是爱心妈妈记录的编号；{MOTHER_HINT}")
    unit = match[1]
    record = None
    if repo.programme.unit(unit) is not None:
        record = read_record(repo, "mother", layout.record_path("mother", unit, mother_id))
    if record is None:
        raise UsageError(f"找不到爱心妈妈记录“{mother_id}”；{MOTHER_HINT}")
    if not record.valid:
        raise UsageError(f"爱心妈妈记录 {record.file} 有错误：请先用 aixin check 检查并改正，再制作。")
    return record


def unit_mothers(repo: Repository, unit: str) -> tuple[list[Record], list[str]]:
    """(the unit's schema-valid mothers by id, the files of its mothers folder that are not)."""
    repo.unit(unit)  # UsageError for an unknown code
    folder = Path(layout.unit_folder(unit)) / KIND_FOLDERS["mother"]
    valid, broken = [], []
    for path in sorted((repo.root / folder).glob("*.yaml")):
        record = read_record(repo, "mother", (folder / path.name).as_posix())
        if record is None:
            continue
        (valid if record.valid else broken).append(record)
    return sorted(valid, key=lambda r: r.id), [r.file for r in broken]


COMMENDATION_HINT = "请写表彰记录的编号（即文件名，不带 .yaml），如 city-c-3m8x4p"


def _commendation_folder() -> Path:
    return Path(layout.unit_folder(layout.CITY_FOLDER)) / KIND_FOLDERS["commendation"]


def one_commendation(repo: Repository, typed: str) -> Record:
    """The commendation of an id typed on the command line; UsageError when unknown or not schema-valid."""
    record_id = record_id_of(typed)
    record = read_record(repo, "commendation", (_commendation_folder() / f"{record_id}.yaml").as_posix())
    if record is None:
        raise UsageError(f"找不到表彰记录“{record_id}”；{COMMENDATION_HINT}")
    if not record.valid:
        raise UsageError(f"表彰记录 {record.file} 有错误：请先用 aixin check 检查并改正，再制作。")
    return record


def all_commendations(repo: Repository) -> tuple[list[Record], list[str]]:
    """(every schema-valid commendation by id, the files of the folder that are not)."""
    folder = _commendation_folder()
    valid, broken = [], []
    for path in sorted((repo.root / folder).glob("*.yaml")):
        record = read_record(repo, "commendation", (folder / path.name).as_posix())
        if record is not None:
            (valid if record.valid else broken).append(record)
    return sorted(valid, key=lambda r: r.id), [r.file for r in broken]


def mother_of(repo: Repository, mother_id: object) -> Record | None:
    """The schema-valid mother a record names, or None (unknown, misnamed or broken)."""
    if not isinstance(mother_id, str):
        return None
    match = layout.RECORD_ID.match(mother_id)
    if not match or match[2] != "m" or repo.programme.unit(match[1]) is None:
        return None
    record = read_record(repo, "mother", layout.record_path("mother", match[1], mother_id))
    return record if record is not None and record.valid else None
