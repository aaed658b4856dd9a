"""Where records live: which file under records/ is which record, and what is out of place.

The file stem is the record id, `<unit>-<kind letter>-<suffix>`; the folder says the unit and
kind. What the city decides itself (commendations, trainings) lives in `records/city/`, a folder
that is no unit's, with ids `city-c-…` and `city-t-…`. Layout problems are findings with codes R001–R006; entries that are not regular files
(symlinks, special files, unreadable folders) are R012–R014, found by `walk`.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from aixin.core.findings import Problem
from aixin.domain.terms import CITY_KINDS, KIND_FOLDERS, KIND_LETTERS

RECORD_ID = re.compile(r"^([a-z][a-z0-9]{1,15})-([gmplct])-([0-9a-z]{4,16})$")
# The city's own folder, records/city/: commendations and trainings (no unit may be called so).
CITY_FOLDER = "city"
# The suffixes tools draw: random, never sequential (two pull requests adding records at once do
# not pick the same name; 32⁶ ≈ 10⁹ per unit and kind), without i, l, o, u (easily misread).
# The check's own cache, at the top of the repository (check/cache.py); never committed (A010).
CACHE_FOLDER = ".aixin-cache"
ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
SUFFIX_LENGTH = 6
ATTEMPTS = 1000
FOLDER_KINDS = {folder: kind for kind, folder in KIND_FOLDERS.items()}
LETTER_KINDS = {letter: kind for kind, letter in KIND_LETTERS.items()}
ASSET_FOLDERS = ("photos", "media")
# Files the city keeps beside the records; they are not records and not checked here.
CITY_FILES = ("programme.yaml", "coordinators.yaml", "README.md")


class Place(NamedTuple):
    """What a path under records/ is: a record (kind, unit, id) or a layout problem."""

    kind: str | None = None
    unit: str | None = None
    id: str | None = None
    problem: tuple[str, Problem] | None = None


class NoFreeId(Exception):
    """No unused id in ATTEMPTS draws: in practice, a broken random generator."""


def record_path(kind: str, unit: str, record_id: str, pairing: str | None = None) -> str:
    """Where a record lives, repo-relative: records/<unit>/<kind folder>/<id>.yaml, a contact
    log in its pairing's folder (records/<unit>/logs/<pairing>/<id>.yaml), a city record in
    records/city/<kind folder>/<id>.yaml whatever `unit` says."""
    if kind in CITY_KINDS:
        return f"records/{CITY_FOLDER}/{KIND_FOLDERS[kind]}/{record_id}.yaml"
    if kind == "log":
        return f"{log_folder(unit, pairing or '')}/{record_id}.yaml"
    return f"records/{unit}/{KIND_FOLDERS[kind]}/{record_id}.yaml"


def unit_folder(unit: str) -> str:
    """A unit's own folder, repo-relative: records/<unit>."""
    return f"records/{unit}"


def log_folder(unit: str, pairing: str) -> str:
    """The folder of one pairing's contact logs, repo-relative (it lives in the pairing's unit)."""
    return f"records/{unit}/{KIND_FOLDERS['log']}/{pairing}"


def random_suffix(choice: Callable[[str], str] = secrets.choice) -> str:
    """A random id suffix; `choice` draws one character (a seeded random.choice makes the demo
    reproducible)."""
    return "".join(choice(ID_ALPHABET) for _ in range(SUFFIX_LENGTH))


def unused_id(unit: str, kind: str, taken: set[str], draw: Callable[[], str] | None = None) -> str:
    """A fresh id `<unit>-<letter>-<suffix>` that is not in `taken`, which it is added to.
    `draw` makes a suffix (default `random_suffix`)."""
    for _ in range(ATTEMPTS):
        record_id = f"{unit}-{KIND_LETTERS[kind]}-{(draw or random_suffix)()}"
        if record_id not in taken:
            taken.add(record_id)
            return record_id
    raise NoFreeId()


class Tree(NamedTuple):
    """What is under records/: the regular files (sorted, repo-relative posix paths) and the
    entries that are not (symlinks, FIFOs, sockets, devices, unreadable folders) as
    (rel, code, problem), each reported and never followed, opened or read."""

    files: list[str]
    others: list[tuple[str, str, Problem]]


def discover(records_dir: Path) -> list[str]:
    """Every regular file under records/ as a sorted repo-relative posix path, hidden ones
    included (classify reports them); symlinks and special files are left out (see `walk`)."""
    return walk(records_dir).files


def walk(records_dir: Path) -> Tree:
    """Every entry under records/: regular files, and the others with their finding. A symlink
    is never followed (a folder's link is not descended into), a special file never opened."""
    found: list[str] = []
    others: list[tuple[str, str, Problem]] = []
    top = str(records_dir)
    if os.path.islink(top):
        others.append(("records", "R012", _symlink_problem("records")))
        return Tree(found, others)
    pending = [(top, "records")]
    while pending:  # plain strings and scandir: this walks ~200,000 files per run
        folder, rel_folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except FileNotFoundError:
            continue  # no records/ folder at all: the programme check says so
        except OSError as exc:
            others.append((rel_folder, "R014", _unreadable_problem(rel_folder, exc)))
            continue
        for entry in entries:
            rel = f"{rel_folder}/{entry.name}"
            try:  # d_type from the listing: no stat for a regular file or a folder
                if entry.is_file(follow_symlinks=False):
                    found.append(rel)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, rel))
                elif entry.is_symlink():
                    others.append((rel, "R012", _symlink_problem(rel)))
                else:
                    others.append((rel, "R013", _special_problem(rel)))
            except OSError as exc:
                others.append((rel, "R014", _unreadable_problem(rel, exc)))
    found.sort()
    others.sort(key=lambda other: other[0])
    return Tree(found, others)


def _symlink_problem(rel: str) -> Problem:
    return Problem(
        f"“{rel}”是符号链接（快捷方式），records/ 中不能有符号链接",
        "系统不会打开符号链接指向的文件或文件夹。请删除这个链接，把真正的文件放在它应在的位置"
        "（每份记录只存一份，放在所属单位的文件夹里）。",
    )


def _special_problem(rel: str) -> Problem:
    return Problem(
        f"“{rel}”不是普通文件（是命名管道、套接字或设备文件），系统不会打开它",
        "records/ 中只能有普通的记录文件、照片和文件夹。请删除这个文件。",
    )


def _unreadable_problem(rel: str, exc: OSError) -> Problem:
    return Problem(
        f"文件夹“{rel}”无法读取（{exc.strerror or exc}），其中的文件都没有检查",
        "请确认这个文件夹存在并且有读取权限（如 chmod u+rx），然后重新运行检查。",
    )


# The shape of nearly every path, checked in one match; anything else takes the long way.
_WELL_PLACED = re.compile(
    r"records/([a-z][a-z0-9]{1,15})/(?:(girls|mothers|pairings)|logs/[0-9a-z-]+)/(\1-([gmpl])-[0-9a-z]{4,16})\.yaml\Z"
)
_FOLDER_LETTERS = {"girls": "g", "mothers": "m", "pairings": "p", None: "l"}


def classify(rel: str, unit_ids: tuple[str, ...]) -> Place | None:
    """The Place of a file under records/, or None for files that are not checked as records."""
    fast = _WELL_PLACED.match(rel)
    if fast and fast[1] in unit_ids and _FOLDER_LETTERS[fast[2]] == fast[4]:
        return Place(LETTER_KINDS[fast[4]], fast[1], fast[3])
    parts = rel.split("/")[1:]  # drop "records"
    name = parts[-1]
    if any(part.startswith(".") for part in parts):
        return _problem(
            "R001",
            f"“{rel}”是隐藏文件或在隐藏文件夹中（名称以“.”开头），不会被当作记录或照片",
            "records/ 中不能有隐藏的文件和文件夹。电脑自动生成的文件（如 .DS_Store、.gitkeep、缩略图文件夹）请删除；"
            "记录或照片请改成不以“.”开头的正确名称。",
        )
    if len(parts) == 1:
        if name in CITY_FILES:
            return None
        return _problem(
            "R001", f"records/ 下不应直接放文件“{name}”", "记录要放在所属单位的文件夹里，如 records/chuanshan/girls/。"
        )
    unit = parts[0]
    if unit == CITY_FOLDER and unit not in unit_ids:
        return _classify_city(rel, parts)
    if unit not in unit_ids:
        return _problem(
            "R004",
            f"文件夹“{unit}”不是已登记的单位",
            "单位文件夹名必须是 records/programme.yaml 中的单位代码之一：" + "、".join(unit_ids),
        )
    if len(parts) >= 3 and parts[1] in ASSET_FOLDERS:
        return None
    if name == "README.md":
        return None
    stem, dot, ext = name.rpartition(".")
    if ext == "yml":
        return _problem("R006", f"文件扩展名应为 .yaml，不是 .yml：“{name}”", "请把文件改名为 " + stem + ".yaml。")
    folder_kind = FOLDER_KINDS.get(parts[1]) if len(parts) >= 3 else None
    if folder_kind in CITY_KINDS:
        return _problem("R001", f"文件“{rel}”不在记录应在的位置", _CITY_HINT)
    expected_depth = 4 if folder_kind == "log" else 3
    if folder_kind is None or len(parts) != expected_depth or not dot or ext != "yaml":
        return _problem(
            "R001",
            f"文件“{rel}”不在记录应在的位置",
            "记录放在 records/<单位>/girls|mothers|pairings/<编号>.yaml，"
            "联系记录放在 records/<单位>/logs/<结对编号>/<编号>.yaml，照片放在 records/<单位>/photos/。",
        )
    match = RECORD_ID.match(stem)
    if not match:
        return _problem(
            "R003",
            f"文件名“{stem}”不是有效的记录编号",
            "编号的形式是 单位代码-类别字母-随机码，如 chuanshan-g-3m8x4p：随机码用 4 至 16 位小写字母或数字，随意编写、不要按顺序。",
        )
    prefix, letter, _ = match.groups()
    if prefix != unit:
        return _problem(
            "R002",
            f"记录编号“{stem}”的单位前缀“{prefix}”与所在文件夹“{unit}”不一致",
            f"记录属于哪个单位，就放在哪个单位的文件夹：请把文件移到 records/{prefix}/ 下的同名文件夹（编号不变）；如果编号写错了，请改正文件名。",
        )
    if LETTER_KINDS[letter] != folder_kind:
        return _problem(
            "R005",
            f"记录编号“{stem}”的类别字母“{letter}”与文件夹“{parts[1]}”不一致",
            f"{parts[1]} 文件夹中的编号应为 {unit}-{KIND_LETTERS[folder_kind]}-……",
        )
    return Place(kind=folder_kind, unit=unit, id=stem)


_CITY_HINT = (
    "表彰记录和培训记录由市妇联登记，放在市妇联自己的文件夹里："
    "records/city/commendations/city-c-<随机码>.yaml、records/city/trainings/city-t-<随机码>.yaml，"
    "不放在各单位的文件夹中。"
)


def _classify_city(rel: str, parts: list[str]) -> Place | None:
    """A file in records/city/: a commendation or training where it belongs, else a layout problem."""
    name = parts[-1]
    if name == "README.md":
        return None
    stem, dot, ext = name.rpartition(".")
    if ext == "yml":
        return _problem("R006", f"文件扩展名应为 .yaml，不是 .yml：“{name}”", "请把文件改名为 " + stem + ".yaml。")
    folder_kind = FOLDER_KINDS.get(parts[1]) if len(parts) == 3 else None
    if folder_kind not in CITY_KINDS or not dot or ext != "yaml":
        return _problem(
            "R001",
            f"文件“{rel}”不在记录应在的位置",
            "records/city/ 中只放市妇联登记的表彰记录（records/city/commendations/city-c-<随机码>.yaml）"
            "和培训记录（records/city/trainings/city-t-<随机码>.yaml）；各单位的记录放在 records/<单位>/ 中。",
        )
    match = RECORD_ID.match(stem)
    if not match:
        return _problem(
            "R003",
            f"文件名“{stem}”不是有效的记录编号",
            f"这个文件夹中的编号的形式是 city-{KIND_LETTERS[folder_kind]}-随机码，如 "
            f"city-{KIND_LETTERS[folder_kind]}-3m8x4p：随机码用 4 至 16 位小写字母或数字，随意编写、不要按顺序。",
        )
    prefix, letter, _ = match.groups()
    if prefix != CITY_FOLDER:
        return _problem(
            "R002",
            f"记录编号“{stem}”的前缀“{prefix}”与所在文件夹“city”不一致",
            f"表彰和培训记录由市妇联登记，编号以 city 开头：请把文件改名为 city-{letter}-……（随机码不变）。",
        )
    if LETTER_KINDS[letter] != folder_kind:
        return _problem(
            "R005",
            f"记录编号“{stem}”的类别字母“{letter}”与文件夹“{parts[1]}”不一致",
            f"{parts[1]} 文件夹中的编号应为 city-{KIND_LETTERS[folder_kind]}-……",
        )
    return Place(kind=folder_kind, unit=CITY_FOLDER, id=stem)


def asset_folder(rel: str, unit_ids: tuple[str, ...]) -> str | None:
    """The asset folder ("photos" or "media") of a file kept beside a unit's records, else None.

    `classify` leaves these files out (they are not records); the photo and link rules use this.
    """
    parts = rel.split("/", 3)
    if len(parts) == 4 and parts[2] in ASSET_FOLDERS and parts[1] in unit_ids:
        return parts[2]
    return None


def _problem(code: str, message: str, hint: str) -> Place:
    return Place(problem=(code, Problem(message, hint)))
