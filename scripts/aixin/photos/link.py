"""Adding a photo to a record (`aixin photo add`): re-encoded from its pixels, stored, linked.

The picture is decoded and re-encoded by `photos.images` (the site's web copies use it too): only the pixels
survive (no EXIF, GPS, XMP or comments; orientation applied; sRGB), at most 1600 px on the long
side. It is stored as records/<unit>/photos/<record id>-<n>.jpg — never over an existing file —
and linked in the record: girl/mother `photo` (an existing one only with --replace, which keeps
the old file), log `photos` (appended).

The record is rewritten from its data (load.loader → load.writer.record_text), keeping its leading
comment lines, into a temporary file that replaces it only after the photo is in place; if
anything fails, the new photo is removed again and the record is left as it was.

`add_photo` does the work and raises `UsageError` (a Chinese message, exit 2) for anything the
user can fix; nothing has been changed then. Pillow is imported on use.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from aixin.core.errors import UsageError
from aixin.domain import layout
from aixin.domain.terms import CITY_KINDS, KIND_FOLDERS
from aixin.load import loader
from aixin.load.lock import write_lock
from aixin.load.repository import Repository, open_repository
from aixin.load.writer import record_text, schema_path_from

from . import inspection

LINK_FIELDS = {"girl": "photo", "mother": "photo", "log": "photos"}
SCHEMA_PREFIX = "# yaml-language-server: $schema="
# Smaller sizes are tried only if a photo at 1600 px would still exceed the check's byte cap.
FALLBACK_SIDES = (1200, 800)


@dataclass(frozen=True)
class Added:
    photo: str  # the new photo, repo-relative
    record: str  # the record file, repo-relative
    field: str  # "photo" or "photos"
    link: str  # as written in the record: photos/<name>
    size: tuple[int, int]  # width, height in pixels
    replaced: str | None  # the link it replaced (girl/mother with --replace); that file is kept
    comments_dropped: bool  # comments below the leading block could not be kept


_SPECIAL = (
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
)


def _regular_source(source: Path) -> None:
    """Refuse a source that is a FIFO, socket, device or folder before anything opens it (a FIFO
    would block the read forever); a missing file is left to the decoder, which words it."""
    try:
        mode = os.stat(source).st_mode
    except OSError:
        return
    if stat.S_ISDIR(mode):
        raise UsageError(f"“{source}”是文件夹，不是照片文件：请给出一张照片（JPEG 或 PNG）的路径")
    for test, what in _SPECIAL:
        if test(mode):
            raise UsageError(f"“{source}”不是普通文件，而是{what}：请给出一张照片（JPEG 或 PNG）文件")


def add_photo(repo: Repository | Path, source: Path, record_id: str, *, replace: bool = False) -> Added:
    """Store `source` re-encoded under the record's unit and link it in record `record_id`, holding
    the repository's write lock (no import or other `aixin` writer runs meanwhile)."""
    repo = repo if isinstance(repo, Repository) else open_repository(Path(repo))
    with write_lock(repo.root, "aixin photo add"):
        return _add(repo, source, record_id, replace)


def _add(repo: Repository, source: Path, record_id: str, replace: bool) -> Added:
    root = repo.root
    kind, unit, record_path = find_record(root, record_id)
    rel = record_path.relative_to(root).as_posix()
    original = record_path.read_bytes()
    loaded = loader.load_bytes(original, rel)
    if loaded.data is None:
        reason = loaded.findings[0].message if loaded.findings else "无法读取"
        raise UsageError(f"记录 {rel} 有错误（{reason}），请先改正（aixin check 会指出位置），再添加照片")
    field = LINK_FIELDS[kind]
    current = loaded.data.get(field)
    if kind == "log" and current is not None and not isinstance(current, list):
        raise UsageError(f"记录 {rel} 中的 photos 应是列表（如 photos: [photos/a.jpg]），请先改正")
    if kind != "log" and current is not None and not replace:
        raise UsageError(f"记录 {rel} 已有照片 {current}；要换成新照片请加 --replace（原来的照片文件会保留）")

    _regular_source(Path(source))
    picture, size = reencode(Path(source))
    photos = root / "records" / unit / "photos"
    first = 1 + max(numbers_in_use(photos, record_id, current), default=0)
    schema, header = leading_comments(original.decode("utf-8-sig"))
    schema = schema or schema_path_from(record_path, root, kind)

    stored = store_photo(photos, record_id, picture, first)
    try:
        link = f"photos/{stored.name}"
        value = [*(current or []), link] if kind == "log" else link
        data = _with_field(loaded.data, field, value, list(repo.schema(kind).get("properties", {})))
        text = record_text(data, schema, header)
        if loader.load_bytes(text.encode("utf-8"), rel).data != data:  # yamlwrite's promise, verified
            raise UsageError(f"改写后的记录 {rel} 与原内容不一致，没有做任何修改；请把这条信息发给市妇联技术人员")
        replace_record(record_path, original, text)
    except BaseException:
        stored.unlink(missing_ok=True)
        raise
    return Added(
        stored.relative_to(root).as_posix(),
        rel,
        field,
        link,
        size,
        current if kind != "log" else None,
        _has_other_comments(original.decode("utf-8-sig")),
    )


def find_record(root: Path, record_id: str) -> tuple[str, str, Path]:
    """(kind, unit, path) of the record with this id; UsageError if there is none."""
    match = layout.RECORD_ID.match(record_id)
    if not match:
        raise UsageError(f"“{record_id}”不是记录编号；编号就是记录的文件名（不含 .yaml），如 chuanshan-g-3m8x4p")
    unit, letter, _ = match.groups()
    kind = layout.LETTER_KINDS[letter]
    if kind in CITY_KINDS:
        raise UsageError("表彰记录和培训记录没有照片：培训或颁奖的照片请加到爱心妈妈的联系记录（编号中间是 l）上")
    if kind not in LINK_FIELDS:
        raise UsageError(
            "结对记录没有照片：活动照片请加到联系记录（编号中间是 l）上，女童或爱心妈妈的照片加到她们的记录上"
        )
    if kind == "log":  # filed under its pairing, which the id does not say
        found = sorted((root / "records" / unit / KIND_FOLDERS["log"]).glob(f"*/{record_id}.yaml"))
    else:
        found = [path for path in [root / layout.record_path(kind, unit, record_id)] if path.is_file()]
    if not found:
        raise UsageError(f"找不到编号为“{record_id}”的记录（在 records/{unit}/ 中没有这个文件）；请核对编号")
    if len(found) > 1:
        places = "、".join(path.relative_to(root).as_posix() for path in found)
        raise UsageError(f"编号“{record_id}”有不止一个文件：{places}；请先用 aixin check 查明并改正")
    return kind, unit, found[0]


def reencode(source: Path) -> tuple[bytes, tuple[int, int]]:
    """A new JPEG of the picture's pixels only (the site's decoder and encoder), and its size."""
    from . import images as pictures  # Pillow

    try:
        return pixels_only(source)
    except pictures.Unusable as problem:
        raise UsageError(f"{source}：{problem}") from None


def pixels_only(source: Path) -> tuple[bytes, tuple[int, int]]:
    """`reencode` for callers that word the problem themselves (the import): raises images.Unusable."""
    from . import images as pictures  # Pillow

    image = pictures.decode(source)
    for side in (pictures.DISPLAY_SIZE, *FALLBACK_SIDES):
        fitted = pictures.fit(image, side)
        data = pictures.encode(fitted)
        if len(data) <= inspection.MAX_PHOTO_BYTES:
            return data, fitted.size
    raise pictures.Unusable(f"重新编码后仍超过 {inspection.MAX_PHOTO_BYTES // 1024 // 1024} MB，请换一张照片")


def store_photo(folder: Path, record_id: str, data: bytes, first: int) -> Path:
    """Write `data` as <record id>-<n>.jpg in `folder`, n from `first` up to the first free name.

    Created whole under a hidden temporary name, then hard-linked to its name: an existing
    file is never replaced, and an interrupted write leaves no visible file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".new-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        number = first
        while True:
            target = folder / f"{record_id}-{number}.jpg"
            try:
                os.link(tmp, target)
                return target
            except FileExistsError:
                number += 1
    finally:
        os.unlink(tmp)


def replace_record(path: Path, original: bytes, text: str) -> None:
    """Replace the record with `text` atomically, unless it changed since it was read."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        if path.read_bytes() != original:
            raise UsageError(f"记录 {path.name} 在添加照片时被改动了，没有做任何修改；请重新运行")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def leading_comments(text: str) -> tuple[str | None, list[str]]:
    """(the $schema path, the other comment lines) of the comment block that opens a record."""
    schema, header = None, []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        if schema is None and line.startswith(SCHEMA_PREFIX):
            schema = line[len(SCHEMA_PREFIX) :].strip()
        else:
            header.append(line[1:].strip())
    return schema, header


_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""")


def _has_other_comments(text: str) -> bool:
    """Whether a comment follows the opening block (full-line or at a line's end): not kept."""
    lines = text.splitlines()
    body = next((i for i, line in enumerate(lines) if line.strip() and not line.strip().startswith("#")), len(lines))
    return any(re.search(r"(?:^|\s)#", _QUOTED.sub('""', line)) for line in lines[body:])


def numbers_in_use(photos: Path, record_id: str, current) -> list[int]:
    """The n of every photos/<record id>-<n>.* file or link, so that a new photo never reuses one."""
    pattern = re.compile(rf"{re.escape(record_id)}-([0-9]+)\.[A-Za-z]+", re.IGNORECASE)
    names = [path.name for path in photos.iterdir()] if photos.is_dir() else []
    links = current if isinstance(current, list) else [current]
    names += [link.rsplit("/", 1)[-1] for link in links if isinstance(link, str)]
    return [int(match[1]) for match in map(pattern.fullmatch, names) if match]


def _with_field(data: dict, key: str, value, order: list[str]) -> dict:
    """`data` with `key` set: in place if present, else before the first later field of `order`."""
    if key in data or key not in order:
        return {**data, key: value}
    later = set(order[order.index(key) + 1 :])
    result, placed = {}, False
    for existing, existing_value in data.items():
        if not placed and existing in later:
            result[key], placed = value, True
        result[existing] = existing_value
    if not placed:
        result[key] = value
    return result
