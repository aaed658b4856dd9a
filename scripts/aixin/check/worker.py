"""Per-file work, run in worker processes: scan (classify, read, hash) and check (load, schema, rules).

Both steps take a list of paths and answer with one `marshal`led blob (plain tuples), the cheapest
thing to send between processes. Workers are forked once, before the cache is loaded, and read
their settings from `STATE`, which the parent fills in before forking.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

from aixin.core.findings import Finding, Severity
from aixin.domain import eligibility, layout
from aixin.domain.records import ELIGIBILITY, Record, cross_view
from aixin.load import loader, roster
from aixin.load.roster import COORDINATORS_FILE
from aixin.photos import inspection, media
from aixin.rules import record_rules
from aixin.rules.photos import MEDIA, PHOTO
from aixin.rules.runner import record_findings

STATE: dict = {}


# walk() leaves symlinks and FIFOs out; loader.READ_FLAGS keep a file swapped in since then from
# being followed or hanging the check.


def read_regular(path: str) -> tuple[bytes, int] | None:
    """(bytes, size): at most one byte past the size cap, so a huge file is never read whole;
    its real size is asked of the file only then. None when it cannot be opened or read."""
    try:
        fd = os.open(path, loader.READ_FLAGS)
    except OSError:
        return None
    try:
        raw = os.read(fd, loader.MAX_FILE_BYTES + 1)
        return raw, (os.fstat(fd).st_size if len(raw) > loader.MAX_FILE_BYTES else len(raw))
    except OSError:
        return None
    finally:
        os.close(fd)


def file_key(rel: str, raw: bytes) -> bytes:
    return hashlib.blake2b(rel.encode() + b"\0" + raw, digest_size=16).digest()


def check_chunk(items: list[tuple]) -> bytes:
    """[(rel, key, entry)] for [(rel, known key)]: each file classified, read, hashed and, unless
    its content key equals the known one (entry None then), checked on its own. The key is b""
    for files whose entry depends on their path alone, None for files that cannot be cached.

    An entry is (kind, unit, id, cross view or None, findings); kind is None for a file that is
    not a record (a photo or media file with its own findings, or a misplaced file with its finding).
    """
    root, unit_ids = STATE["root"], STATE["unit_ids"]
    out = []
    for rel, known_key in items:
        place = layout.classify(rel, unit_ids)
        if place is None:
            folder = layout.asset_folder(rel, unit_ids)
            if rel == COORDINATORS_FILE:
                out.append(_roster_entry(root, rel, known_key))
            elif folder == "photos" or (folder == "media" and _is_image(f"{root}/{rel}")):
                out.append(_photo_entry(root, rel, known_key))  # a picture in media/ is a photo
            elif folder == "media":
                out.append(_media_entry(root, rel, known_key))
            else:  # other files that are not records: remembered, not checked
                out.append((rel, b"", (None, None, None, None, ())))
            continue
        if place.problem:
            code, problem = place.problem
            entry = (None, None, None, None, (Finding.of(problem, rel, (1, 1), code, Severity.ERROR, "").to_row(),))
            out.append((rel, b"", entry))  # the finding depends on the path alone, not the content
            continue
        kind, unit, record_id, _ = place
        read = read_regular(f"{root}/{rel}")
        if read is None:  # the loader words why (Y012)
            unreadable = tuple(f.to_row() for f in loader.load_file(Path(root, rel), rel).findings)
            out.append((rel, None, (kind, unit, record_id, None, unreadable)))
            continue
        raw, size = read
        key = file_key(rel, raw) if len(raw) <= loader.MAX_FILE_BYTES else None
        if key is not None and key == known_key:
            out.append((rel, key, None))
        else:
            out.append((rel, key, (kind, unit, record_id, *check_record(rel, raw, kind, unit, record_id, size))))
    return marshal.dumps(out)


def _roster_entry(root: str, rel: str, known_key) -> tuple:
    """(rel, key, entry) of records/coordinators.yaml: checked with the rest (loader and schema),
    cached by its content like a record. Its schema is compiled only when its content is new."""
    read = read_regular(f"{root}/{rel}")
    if read is None:
        return (
            rel,
            None,
            (None, None, None, None, tuple(f.to_row() for f in loader.load_file(Path(root, rel), rel).findings)),
        )
    raw, size = read
    key = file_key(rel, raw) if len(raw) <= loader.MAX_FILE_BYTES else None
    if key is not None and key == known_key:
        return (rel, key, None)
    if key is None:
        return (
            rel,
            key,
            (None, None, None, None, tuple(f.to_row() for f in loader.load_bytes(raw, rel, size=size).findings)),
        )
    found = roster.located(roster.parse(raw, STATE["roster_schemas"]()))
    return (rel, key, (None, None, None, None, tuple(f.to_row() for f in found)))


def _is_image(path: str) -> bool:
    """Whether a file in media/ starts like a JPEG or PNG (whatever its name says)."""
    try:
        fd = os.open(path, loader.READ_FLAGS)
    except OSError:
        return False
    try:
        head = os.read(fd, len(inspection.PNG_SIGNATURE))
    except OSError:
        return False
    finally:
        os.close(fd)
    return head.startswith((inspection.JPEG_SIGNATURE, inspection.PNG_SIGNATURE))


def _photo_entry(root: str, rel: str, known_key) -> tuple:
    """(rel, key, entry) of a photo file, checked by the photo rules unless its content is known."""
    raw, size = inspection.read(f"{root}/{rel}")
    if raw is None:
        return (rel, None, (None, None, None, None, check_photo(rel, inspection.unopened())))
    key = file_key(rel, raw) if len(raw) <= inspection.MAX_PHOTO_BYTES else None
    if key is not None and key == known_key:
        return (rel, key, None)
    return (rel, key, (None, None, None, None, check_photo(rel, inspection.inspect(raw, size))))


def check_photo(rel: str, facts: dict) -> tuple:
    """The photo rules (record rules of the pseudo-kind PHOTO) over one photo file's facts."""
    photo = Record(PHOTO, rel.split("/")[1], "", rel, facts)
    return tuple(f.to_row() for f in record_findings(record_rules(PHOTO), photo, STATE["ctx"], {}))


def _media_entry(root: str, rel: str, known_key) -> tuple:
    """(rel, key, entry) of an audio or video file, checked by the media rules unless its content is known."""
    raw, size = media.read(f"{root}/{rel}")
    if raw is None:
        return (rel, None, (None, None, None, None, check_media(rel, media.unopened(rel))))
    key = file_key(rel, raw) if len(raw) <= media.MAX_MEDIA_BYTES else None
    if key is not None and key == known_key:
        return (rel, key, None)
    return (rel, key, (None, None, None, None, check_media(rel, media.inspect(raw, size, rel))))


def check_media(rel: str, facts: dict) -> tuple:
    """The media rules (record rules of the pseudo-kind MEDIA) over one audio or video file's facts."""
    item = Record(MEDIA, rel.split("/")[1], "", rel, facts)
    return tuple(f.to_row() for f in record_findings(record_rules(MEDIA), item, STATE["ctx"], {}))


def check_record(rel: str, raw: bytes, kind: str, unit: str, record_id: str, size: int | None = None) -> tuple:
    """Load, schema-check and rule-check one record: (cross view or None if invalid, findings).
    `size` is the file's real size when `raw` holds only its first bytes past the cap."""
    schemas, ctx = STATE["schemas"], STATE["ctx"]
    loaded = loader.load_bytes(raw, rel, size=size)
    found = [f.to_row() for f in loaded.findings]
    if loaded.data is None:
        return (None, tuple(found))
    data = loaded.data
    problems = schemas.problems(kind, data, ctx.programme.units)
    for code, problem in problems:
        found.append(
            Finding.of(
                problem, rel, loader.position(loaded.lines, problem.path), code, Severity.ERROR, record_id
            ).to_row()
        )
    if problems:
        return (None, tuple(found))
    record = Record(kind, unit, record_id, rel, data)
    found.extend(f.to_row() for f in record_findings(record_rules(kind), record, ctx, loaded.lines))
    if kind == "girl":
        data = {**data, ELIGIBILITY: eligibility.assess(data, ctx.programme).as_facts()}
    return (cross_view(kind, data), tuple(found))
