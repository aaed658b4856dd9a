"""Photos from the work group: the 照片文件 column of a contact-log sheet, taken from a folder or a zip.

Mothers send photos and a line of text through the 工作群; the coordinator saves the photos into
a folder (or receives a zip) and lists each log's files in its row. `aixin import --photos`
reads each named file, re-encodes it from its pixels as `aixin photo add` does
(`photos.link.pixels_only`: no GPS, no EXIF, at most 1600 px), names it `<log id>-<n>.jpg` and
links it in the log's `photos`. Nothing is written here: the importer stages the photos with the
records, so that either all of them land or none (staging.py).

What is refused, and where it is said: a name that climbs out of the folder (`../`, an absolute
path), a missing file, a symbolic link or special file, a file past MAX_SOURCE_BYTES, a file that
is not a JPEG or PNG picture — each at its row's 照片文件 cell. A zip's entries are judged before
anything is unpacked: unsafe names (`../`, absolute, drive letters), symbolic links, encrypted
entries and an entry past MAX_SOURCE_BYTES are never read; more than MAX_ENTRIES entries or more
than MAX_UNPACKED in all (a zip bomb) refuse the zip as a whole. An entry is read only up to the
size its header declares (zipfile stops there, and a lie fails the CRC check).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from aixin.core.errors import UsageError
from aixin.photos import link

from .convert import Row
from .issues import ERROR, WARNING, Issue

HEADER = "照片文件"
MAX_SOURCE_BYTES = 30 * 1024 * 1024  # one original photo: a phone's is 3–12 MB
MAX_UNPACKED = 1024 * 1024 * 1024  # a zip's entries, uncompressed, in all
MAX_ENTRIES = 5000
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png")


@dataclass
class Source:
    """The folder or zip given with --photos: what it holds, by the name a row would write."""

    path: Path
    archive: zipfile.ZipFile | None = None
    entries: dict[str, zipfile.ZipInfo] = field(default_factory=dict)  # safe zip entries by name
    unsafe: dict[str, str] = field(default_factory=dict)  # zip entry name → why it is never read
    dangerous: set[str] = field(default_factory=set)  # unsafe names that stop the import: ../, links
    used: set[str] = field(default_factory=set)
    scratch: tempfile.TemporaryDirectory | None = None

    @property
    def label(self) -> str:
        return self.path.name

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()
        if self.scratch is not None:
            self.scratch.cleanup()


@contextlib.contextmanager
def photo_source(path: Path | None) -> Iterator[Source | None]:
    """The opened --photos folder or zip (None without one), closed and its scratch removed after."""
    source = open_source(path) if path is not None else None
    try:
        yield source
    finally:
        if source is not None:
            source.close()


def open_source(path: Path) -> Source:
    """The folder or zip file; UsageError if it is neither, or a zip that is unsafe as a whole."""
    if path.is_dir():
        return Source(path)
    if not path.is_file():
        raise UsageError(f"找不到照片文件夹或压缩包：{path}")
    if not zipfile.is_zipfile(path):
        raise UsageError(f"{path.name} 不是文件夹，也不是 .zip 压缩包：--photos 后面写保存照片的文件夹或 .zip 文件")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise UsageError(f"压缩包 {path.name} 无法打开（{error}）：请重新压缩，或把照片解压到一个文件夹") from None
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if len(infos) > MAX_ENTRIES or total > MAX_UNPACKED:
        archive.close()
        raise UsageError(
            f"压缩包 {path.name} 有 {len(infos)} 个文件、解压后共 {total / 1024 / 1024:.0f} MB，超过上限"
            f"（{MAX_ENTRIES} 个、{MAX_UNPACKED // 1024 // 1024} MB）：可能是损坏或恶意的压缩包。"
            "请只把需要导入的照片放进压缩包，或分成几次导入"
        )
    source = Source(path, archive)
    for info in infos:
        if info.is_dir():
            continue
        name = _entry_name(info)
        why = _unsafe_entry(info, name)
        if why:
            source.unsafe[name] = why
            if why in (CLIMBS_OUT, LINK):
                source.dangerous.add(name)
        else:
            source.entries[name] = info
    return source


def _entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its maker wrote it: zips made on a Chinese Windows store GBK names
    without saying so (zipfile reads them as CP437); names flagged UTF-8 are read as they are."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except UnicodeError:
        return info.filename


def _climbs_out(name: str) -> bool:
    """Whether a name leaves its folder: empty, absolute, a drive letter, or any `..` part."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return not parts or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts


CLIMBS_OUT = "路径指向压缩包以外（如 ../ 或以 / 开头），可能是恶意的压缩包"
LINK = "是符号链接（快捷方式），不是照片文件"


def _unsafe_entry(info: zipfile.ZipInfo, name: str) -> str | None:
    if _climbs_out(name):
        return CLIMBS_OUT
    if stat.S_ISLNK(info.external_attr >> 16):
        return LINK
    if info.flag_bits & 0x1:
        return "加了密码"
    if info.file_size > MAX_SOURCE_BYTES:
        return (
            f"解压后有 {info.file_size / 1024 / 1024:.0f} MB，超过一张照片的上限 {MAX_SOURCE_BYTES // 1024 // 1024} MB"
        )
    return None


def source_issues(source: Source) -> list[Issue]:
    """What the coordinator should know about the source as a whole: unsafe entries (errors, the
    import stops), and pictures no row names (a warning: perhaps a name was mistyped)."""
    found = [
        Issue(
            source.label,
            None,
            None,
            ERROR,
            f"压缩包中的“{name}”{why}，没有读取",
            "请检查压缩包的来源，只放入照片重新压缩。",
        )
        for name, why in sorted(source.unsafe.items())
        if name in source.dangerous  # a big or encrypted entry matters only if a row names it
    ]
    unused = sorted(name for name in _pictures(source) if name not in source.used)
    if unused:
        shown = "、".join(unused[:5]) + ("……" if len(unused) > 5 else "")
        found.append(
            Issue(
                source.label,
                None,
                None,
                WARNING,
                f"有 {len(unused)} 张照片没有被任何一行的「{HEADER}」写到：{shown}",
                "如果它们属于某条联系记录，请在那一行的「照片文件」中写上文件名（包括扩展名）。",
            )
        )
    return found


def _pictures(source: Source) -> list[str]:
    if source.archive is not None:
        names = list(source.entries)
    else:
        try:
            names = [entry.name for entry in os.scandir(source.path) if entry.is_file(follow_symlinks=False)]
        except OSError:
            return []
    return [name for name in names if name.lower().endswith(PICTURE_SUFFIXES)]


def attach(row: Row, source: Source | None, unit: str, root: Path) -> list[tuple[str, bytes]]:
    """The re-encoded photos of a log row as (repository path, bytes), linked in `row.record`
    (appended to `photos`). Each problem goes to the row's 照片文件 cell; then nothing is linked."""
    if not row.photo_files or row.duplicate:
        return []
    if source is None:
        row.add(
            ERROR,
            f"这一行写了照片文件（{'、'.join(row.photo_files)}），但导入时没有给出照片所在的文件夹",
            "请加 --photos 照片文件夹（或 --photos 照片.zip）重新导入。",
            HEADER,
        )
        return []
    names = list(dict.fromkeys(row.photo_files))
    pictures = []
    for name in names:
        try:
            pictures.append(_reencoded(source, name))
        except _Refused as refused:
            row.add(ERROR, refused.message, refused.hint, HEADER)
    if len(pictures) < len(names) or row.id is None:
        return []
    current = list(row.record.get("photos") or [])
    number = max(link.numbers_in_use(root / "records" / unit / "photos", row.id, current), default=0)
    made = []
    for data in pictures:
        number += 1
        current.append(f"photos/{row.id}-{number}.jpg")
        made.append((f"records/{unit}/{current[-1]}", data))
    row.record["photos"] = current
    return made


class _Refused(Exception):
    """A named photo that cannot be taken: the message and hint for its row's 照片文件 cell."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def _reencoded(source: Source, name: str) -> bytes:
    from aixin.photos.images import Unusable

    path = _local(source, name)
    try:
        data, _ = link.pixels_only(path)
    except Unusable as problem:
        raise _Refused(
            f"“{name}”：{problem}",
            "照片要是 JPEG 或 PNG（苹果手机的 HEIC 照片请先导出为 JPEG）；请换成原来的照片文件。",
        ) from None
    if source.archive is None:
        source.used.add(name)
    return data


def _local(source: Source, name: str) -> Path:
    """A regular file on disk holding the named photo (a zip entry is unpacked into scratch)."""
    if _climbs_out(name):
        raise _Refused(
            f"照片文件名“{name}”指向照片文件夹以外",
            f"只写照片文件夹（{source.label}）中的文件名，如 a.jpg；不要写 ../ 或完整路径。",
        )
    if source.archive is not None:
        return _unpacked(source, name)
    parts = PurePosixPath(name.replace("\\", "/")).parts
    path = source.path.joinpath(*parts)
    at = source.path
    for part in parts:  # never through a symbolic link, never a FIFO or device
        at = at / part
        try:
            mode = os.lstat(at).st_mode
        except OSError:
            raise _Refused(*_missing(source, name, _folder_names(source))) from None
        if stat.S_ISLNK(mode):
            raise _Refused(f"“{name}”是符号链接（快捷方式），不是照片文件", "请把真正的照片文件复制到文件夹中。")
    if not stat.S_ISREG(mode):
        raise _Refused(f"“{name}”不是普通文件", "请写照片文件的名称。")
    size = os.lstat(path).st_size
    if size > MAX_SOURCE_BYTES:
        raise _Refused(*_too_big(name, size))
    return path


def _unpacked(source: Source, name: str) -> Path:
    wanted = name.replace("\\", "/")
    unsafe = _entry_key(source.unsafe, wanted)
    if unsafe is not None:
        raise _Refused(f"压缩包中的“{unsafe}”{source.unsafe[unsafe]}，没有读取", "请只把照片放进压缩包，重新压缩。")
    key = _entry_key(source.entries, wanted)
    if key is None:
        raise _Refused(*_missing(source, name, list(source.entries)))
    source.used.add(key)
    info = source.entries[key]
    if source.scratch is None:
        source.scratch = tempfile.TemporaryDirectory(prefix="aixin-photos-")
    target = Path(source.scratch.name) / f"{len(os.listdir(source.scratch.name))}{PurePosixPath(wanted).suffix}"
    try:
        with source.archive.open(info) as packed, open(target, "xb") as out:  # type: ignore[union-attr]
            while chunk := packed.read(1024 * 1024):
                out.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise _Refused(f"压缩包中的“{name}”无法解压（{error}）", "请重新压缩，或把照片解压到一个文件夹。") from None
    return target


def _entry_key(entries: dict, wanted: str) -> str | None:
    """The entry a row's name means: itself, or the one file of that name in a folder of the zip
    (a zip made by "compress folder" puts everything under one folder)."""
    if wanted in entries:
        return wanted
    inside = [key for key in entries if key.endswith("/" + wanted)]
    return inside[0] if len(inside) == 1 else None


def _folder_names(source: Source) -> list[str]:
    try:
        return [entry.name for entry in os.scandir(source.path)]
    except OSError:
        return []


def _missing(source: Source, name: str, names: list[str]) -> tuple[str, str]:
    lower = {candidate.rsplit("/", 1)[-1].lower(): candidate for candidate in names}
    near = lower.get(name.rsplit("/", 1)[-1].lower())
    if near:
        return f"在 {source.label} 中找不到“{name}”", f"实际的文件名是“{near}”：请改成与文件名完全一致（包括大小写）。"
    return (
        f"在 {source.label} 中找不到“{name}”",
        "请核对文件名（包括扩展名 .jpg）；多个文件之间用顿号“、”隔开。",
    )


def _too_big(name: str, size: int) -> tuple[str, str]:
    return (
        f"“{name}”有 {size / 1024 / 1024:.0f} MB，超过一张照片的上限 {MAX_SOURCE_BYTES // 1024 // 1024} MB",
        "这多半不是照片（或是很大的原图）：请换成手机里的原照片，或先缩小后再导入。",
    )
