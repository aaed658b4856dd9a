"""The staging docs folder: generated pages, the audience's hand-written pages, assets, web photos.

`aixin build` writes a fresh folder and swaps it in (a failed build never leaves half a site);
the folder it replaced is removed while MkDocs builds (`finish` waits for that: removing
thousands of files costs seconds of waiting on a busy disk, not work).
`mkdocs serve` rewrites only the files whose bytes changed, so that its watcher settles.
Photos are re-encoded by `photos.web_copies` once per distinct file content and kept in a cache;
originals are never copied into a site.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from aixin.core.errors import UsageError

from .pages import Photo

ASSETS_DIR = "assets/aixin"
PHOTO_PATH = re.compile(r"photos/[A-Za-z0-9][A-Za-z0-9._-]*\.(?:jpg|jpeg|png)\Z")
MEDIA_PATH = re.compile(r"media/[A-Za-z0-9][A-Za-z0-9._-]*\.(mp3|m4a|wav|mp4|mov)\Z")
HAND_WRITTEN = {"notice": "reference/notice.md", "guide": "guide"}
MARKER = ".aixin-generated"  # in every staging folder; MkDocs skips dot files


@dataclass
class Staged:
    """What goes into the docs folder: texts to write and files to copy, by path inside it."""

    texts: dict[str, str] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)

    def paths(self) -> set[str]:
        return set(self.texts) | set(self.copies)


# ------------------------------------------------------------------ hand-written pages and assets


def hand_written_pages(docs: Path | None, audience_kind: str) -> list[tuple[str, Path]]:
    """(path in the site, source) of the hand-written pages an audience gets: the notice for
    everyone, the coordinators' guide for staff only (its examples name example people)."""
    if docs is None or not docs.is_dir():
        return []
    found = []
    notice = docs / HAND_WRITTEN["notice"]
    if notice.is_file():
        found.append((HAND_WRITTEN["notice"], notice))
    guide = docs / HAND_WRITTEN["guide"]
    if audience_kind != "public" and guide.is_dir():
        for path in sorted(guide.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(docs).parts):
                found.append((path.relative_to(docs).as_posix(), path))
    return found


def page_title(path: Path) -> str:
    """A hand-written page's title for the nav: its front-matter title or first `# ` heading."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return path.stem
    match = re.search(r"^title:\s*(.+)$", text.split("\n---", 1)[0], re.M) if text.startswith("---") else None
    if match:
        return match.group(1).strip().strip("\"'")
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.M)
    return match.group(1) if match else path.stem


def asset_files() -> dict[str, Path]:
    """The site's own CSS and scripts, and the local copies of libraries (with their licences),
    `vendor/<library>/` ones included (the pinned ECharts)."""
    folder = Path(str(resources.files("aixin.site") / "assets"))
    return {f"{ASSETS_DIR}/{p.relative_to(folder).as_posix()}": p for p in sorted(folder.rglob("*")) if p.is_file()}


# Material's search segments a Chinese query into words it knows from the index, but tries only
# pieces shorter than the whole query: "谢琳" became "谢", which finds every 谢 first. The fix
# lets the whole query count as a piece; the patched worker goes into the docs folder, where it
# takes precedence over the theme's copy of the same name. If a new Material changes the code,
# the pattern is not found and the theme's worker is used unchanged.
_SEGMENT_LOOP = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"
_SEGMENT_FIXED = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"


def patched_search_worker() -> dict[str, str]:
    """{site path: text} of Material's search worker with whole-query segmentation, or {}."""
    try:
        workers = Path(str(resources.files("material") / "templates" / "assets" / "javascripts" / "workers"))
        found = sorted(workers.glob("search.*.min.js"))
    except (ModuleNotFoundError, OSError):
        return {}
    if len(found) != 1:
        return {}
    text = found[0].read_text("utf-8")
    if text.count(_SEGMENT_LOOP) != 1:
        return {}
    return {f"assets/javascripts/workers/{found[0].name}": text.replace(_SEGMENT_LOOP, _SEGMENT_FIXED)}


# ------------------------------------------------------------------ photos and media


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=10)
    for part in parts:
        h.update(part)
        h.update(b"\0")
    return h.hexdigest()


def _photo_code_salt() -> bytes:
    """Web copies are remade when the code that makes them changes."""
    try:
        return Path(str(resources.files("aixin.photos") / "images.py")).read_bytes()
    except OSError:
        return b""


def web_photos(root: Path, refs: list[tuple[str, str]], cache: Path) -> tuple[dict, dict[str, Path], list]:
    """Web copies of the photos `refs` ((unit, path as written in the record)).

    Returns the Photo of each ref, the files to copy into the site (site path → cached file) and
    the problems as (record-relative file, message) for the dashboard.
    """
    from aixin.photos import images as photo_module  # Pillow is imported only when there are photos

    cache.mkdir(parents=True, exist_ok=True)
    manifest_file = cache / "manifest.json"
    try:
        manifest = json.loads(manifest_file.read_text("utf-8"))
    except (OSError, ValueError):
        manifest = {}
    salt = _photo_code_salt()
    shown: dict[tuple[str, str], Photo] = {}
    copies: dict[str, Path] = {}
    problems: list[tuple[str, str]] = []
    changed = False
    for unit, value in sorted(set(refs)):
        rel = f"records/{unit}/{value}"
        source = root / "records" / unit / value
        if not PHOTO_PATH.match(value) or not source.is_file():
            message = "照片路径不合规" if not PHOTO_PATH.match(value) else "找不到照片文件"
            shown[(unit, value)] = Photo(problem=message)
            problems.append((rel, message))
            continue
        stem = _digest(salt, source.read_bytes())
        entry = manifest.get(stem)
        if entry is None or any(not (cache / entry[k]).is_file() for k in ("thumb", "display") if entry.get(k)):
            result = photo_module.web_copies(source, cache, stem)
            problem = getattr(result, "problem", None)
            entry = {"problem": problem} if problem else {"thumb": result.thumb, "display": result.display}
            manifest[stem] = entry
            changed = True
        if entry.get("problem"):
            shown[(unit, value)] = Photo(problem=entry["problem"])
            problems.append((rel, entry["problem"]))
            continue
        for key in ("thumb", "display"):
            copies[f"photos/{entry[key]}"] = cache / entry[key]
        shown[(unit, value)] = Photo(thumb=f"photos/{entry['thumb']}", display=f"photos/{entry['display']}")
    if changed:
        manifest_file.write_text(json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=0), "utf-8")
    return shown, copies, problems


def media_files(root: Path, refs: list[tuple[str, str]]) -> tuple[dict, dict[str, Path], list]:
    """Audio and video attachments: linked under a neutral name (the original's name may say who)."""
    urls: dict[tuple[str, str], str] = {}
    copies: dict[str, Path] = {}
    problems = []
    for unit, value in sorted(set(refs)):
        match = MEDIA_PATH.match(value)
        source = root / "records" / unit / value
        if not match or not source.is_file():
            problems.append((f"records/{unit}/{value}", "找不到音视频文件" if match else "音视频路径不合规"))
            continue
        site_path = f"media/{_digest(unit.encode(), value.encode())}.{match.group(1)}"
        urls[(unit, value)] = site_path
        copies[site_path] = source
    return urls, copies, problems


# ------------------------------------------------------------------ writing


def _place(source: Path, target: Path) -> None:
    """A hard link where possible (photos and media can be large), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _ours(docs: Path) -> None:
    made_by_us = (docs / MARKER).is_file() or (docs / ASSETS_DIR / "aixin.css").is_file()
    if docs.exists() and any(docs.iterdir()) and not made_by_us:
        raise UsageError(f"文件夹 {docs} 已存在，且不是 aixin 生成的；为免覆盖，请换一个输出文件夹")


_removals: list[threading.Thread] = []


def finish() -> None:
    """Wait until the folders `write_fresh` replaced are gone."""
    while _removals:
        _removals.pop().join()


def _remove_in_background(folder: Path) -> None:
    thread = threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True})
    thread.start()
    _removals.append(thread)


def write_fresh(staged: Staged, docs: Path) -> None:
    """Write everything into a new folder beside `docs`, then swap it in; the old folder is
    removed in the background (`finish`)."""
    finish()  # a folder of an earlier build in this process is gone before its name is reused
    _ours(docs)
    staged.texts[MARKER] = "由 aixin 生成的网站源文件，每次生成时整个替换。\n"
    docs.parent.mkdir(parents=True, exist_ok=True)
    temp = docs.with_name(docs.name + ".tmp")
    old = docs.with_name(docs.name + ".old")
    for leftover in (temp, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    temp.mkdir()
    made: set[Path] = set()
    for path in sorted(staged.paths()):
        target = temp / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if path in staged.texts:
            target.write_text(staged.texts[path], "utf-8")
        else:
            _place(staged.copies[path], target)
    if docs.exists():
        docs.rename(old)
    temp.rename(docs)
    if old.exists():
        _remove_in_background(old)


def write_changed(staged: Staged, docs: Path) -> int:
    """Bring `docs` in line with `staged`, touching only what differs; returns files written."""
    _ours(docs)
    staged.texts[MARKER] = "由 aixin 生成的网站源文件，每次生成时整个替换。\n"
    docs.mkdir(parents=True, exist_ok=True)
    written = 0
    wanted = staged.paths()
    for path in sorted(wanted):
        target = docs / path
        if path in staged.texts:
            data = staged.texts[path].encode("utf-8")
        else:
            data = staged.copies[path].read_bytes()
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    for existing in sorted(docs.rglob("*"), reverse=True):
        rel = existing.relative_to(docs).as_posix()
        if existing.is_file() and rel not in wanted:
            existing.unlink()
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    return written
