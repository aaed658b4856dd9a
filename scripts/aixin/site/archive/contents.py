"""What a unit's archive of one programme year holds, and what is missing from it (pure: no I/O).

The archive keeps every pairing of the unit that was in progress at some time in the year (the
days the yearly review counts; a pairing still 待审批 never was), with the year's
contact logs, their photos (the site's web copies, embedded in the pairing's PDF) and their audio
and video files (copied as stored). What a federation would look for and not find is listed on
the index page: a pairing with no contact in the year, a photo or a media link whose file is not
there (or is not a plain file of the repository), a photo that cannot be decoded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aixin.core import dates
from aixin.domain import annual
from aixin.domain.annual import Year
from aixin.domain.programme import Unit

from ..audience import Restricted
from ..collect import Item
from ..pages import Photo, card_parts

PAIRINGS_FOLDER = "pairings"
MEDIA_FOLDER = "media"  # as in records/<unit>/: an attachment `media/x.mp4` keeps its path


@dataclass(frozen=True)
class Missing:
    """One thing the archive lacks, in words for the index page."""

    pairing_id: str
    what: str
    file: str = ""  # the record the link is written in, repository-relative


@dataclass
class LogEntry:
    item: Item
    photos: list[Photo] = field(default_factory=list)  # URLs of the web copies the PDF embeds
    media: list[str] = field(default_factory=list)  # paths inside the archive folder
    missing: list[str] = field(default_factory=list)  # what this log links and the archive lacks


@dataclass
class PairingEntry:
    item: Item
    card: dict  # pages.card_parts: the card as the city site shows it
    logs: list[LogEntry]
    pdf: str  # path inside the archive folder

    @property
    def photos(self) -> int:
        return sum(len(log.photos) for log in self.logs)

    @property
    def media(self) -> list[str]:
        return [path for log in self.logs for path in log.media]


@dataclass
class UnitArchive:
    unit: Unit
    span: Year
    folder: str  # the archive's folder (and zip) name
    pairings: list[PairingEntry]
    missing: list[Missing]
    media: dict[str, str]  # path inside the archive folder → the file in the repository (repository-relative)


def folder_name(span: Year, unit: Unit) -> str:
    """`2019-2020-船山区`: the year first, so that a federation's archives sort by year."""
    name = "".join(c for c in unit.name if c not in '\\/:*?"<>|').strip() or unit.id
    return f"{span.label}-{name}"


def in_progress_during(pairing: dict, span: Year) -> bool:
    """In progress on some day of the year, as the yearly review counts it (domain.annual): from
    its start day to the day before its end; never one still 待审批."""
    return annual.in_year(pairing, span)


def pairings_of(site: Restricted, unit: Unit, span: Year) -> list[Item]:
    """The unit's pairings (kept by its mothers) in progress at some time in the year, by id."""
    found = site.data.pairings.values()
    return sorted((p for p in found if p.unit == unit.id and in_progress_during(p.data, span)), key=lambda p: p.id)


def logs_of(site: Restricted, pairing: Item, span: Year) -> list[Item]:
    """The pairing's contact logs dated in the year, oldest first (as collect sorted them)."""
    found = []
    for log in site.data.logs.get(pairing.id, []):
        day = dates.parse_date(log.data.get("date"))
        if day is not None and span.start <= day <= span.end:
            found.append(log)
    return found


def links(item: Item, key: str) -> list[str]:
    """The paths a record links under `key` (`photos`, `attachments`), as written."""
    value = item.data.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def references(site: Restricted, unit: Unit, span: Year) -> tuple[list, list]:
    """(photo refs, media refs) as (unit, path as written) of everything the archive shows."""
    photos, media = [], []
    for pairing in pairings_of(site, unit, span):
        parts = card_parts(site, pairing, lambda *_: None)
        for party in (parts["mother"], parts["girl"]):
            if party["item"] is not None and isinstance(party["item"].data.get("photo"), str):
                photos.append((party["item"].unit, party["item"].data["photo"]))
        for log in logs_of(site, pairing, span):
            photos += [(log.unit, value) for value in links(log, "photos")]
            media += [(log.unit, value) for value in links(log, "attachments")]
    return photos, media


def unit_archive(
    site: Restricted, unit: Unit, span: Year, photos: dict, media: set, problems: dict[str, str]
) -> UnitArchive:
    """The archive of `unit` for the year.

    `photos` maps (unit, path as written) to its Photo (the PDF's file URLs, or its problem),
    `media` holds the media refs that can be copied, `problems` maps a repository-relative file
    to why it cannot be used (missing, not a plain file, cannot be decoded)."""
    entries, missing, copies = [], [], {}

    def problem(unit_id: str, value: str) -> str:
        rel = f"records/{unit_id}/{value}"
        found = photos.get((unit_id, value))
        return problems.get(rel) or (found.problem if found and found.problem else "") or "找不到文件"

    for pairing in pairings_of(site, unit, span):

        def photo_of(record, value, pairing=pairing):
            shown = photos.get((record.unit, value)) if isinstance(value, str) else None
            if isinstance(value, str) and not (shown and shown.thumb):
                label = "爱心妈妈" if record.kind == "mother" else "女童"
                missing.append(Missing(pairing.id, f"{label}照片 {value}：{problem(record.unit, value)}", record.file))
            return shown

        card = card_parts(site, pairing, photo_of)
        logs = []
        for log in logs_of(site, pairing, span):
            entry = LogEntry(log)
            for value in links(log, "photos"):
                shown = photos.get((log.unit, value))
                if shown and shown.thumb:
                    entry.photos.append(shown)
                else:
                    entry.missing.append(f"照片 {value}：{problem(log.unit, value)}")
            for value in links(log, "attachments"):
                if (log.unit, value) in media:
                    entry.media.append(value)
                    copies[value] = f"records/{log.unit}/{value}"
                else:
                    entry.missing.append(f"音视频 {value}：{problem(log.unit, value)}")
            day = log.data.get("date")
            missing.extend(Missing(pairing.id, f"{day} 的联系记录中，{what}", log.file) for what in entry.missing)
            logs.append(entry)
        if not logs:
            missing.append(Missing(pairing.id, "本活动年度没有联系记录", pairing.file))
        entries.append(PairingEntry(pairing, card, logs, f"{PAIRINGS_FOLDER}/{pairing.id}.pdf"))
    return UnitArchive(unit, span, folder_name(span, unit), entries, missing, copies)
