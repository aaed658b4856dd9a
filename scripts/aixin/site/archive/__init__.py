"""`aixin archive`: a programme year's files of a unit, as a folder and a zip a federation keeps.

Per unit: `index.html` (the pairings, what is missing, links), one PDF per pairing in progress
during the year (its 结对帮扶卡, then the year's contact log with its photos) and the year's audio
and video files as stored, under `media/`. The data path is the site's: `collect` → `restrict`
for the city → the card's parts (`pages.card_parts`), the site's templates and print CSS; masked
as on the site unless `full`. PDFs are rendered by WeasyPrint, one document per pairing with the
CSS parsed once per process, on two processes when there are many (site.pdf).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from aixin.core import dates
from aixin.core.errors import UsageError
from aixin.domain import annual
from aixin.domain.annual import Year
from aixin.domain.programme import Programme
from aixin.load.repository import open_repository

from .. import render, stage
from ..audience import CITY_AUDIENCE, restrict
from ..build import _in_repository, version
from ..collect import collect
from ..pages import Photo
from ..pdf import PdfMaker, photo_cache
from . import output
from .contents import UnitArchive, folder_name, references, unit_archive

PARALLEL_FROM = 12  # PDFs: below this many a second process costs more than it saves


@dataclass(frozen=True)
class Written:
    folder: Path
    zip: Path
    pairings: int
    missing: int


def parse_span(text: str, programme: Programme, today: dt.date) -> Year:
    """`2019-2020` as the programme year it names (domain.annual), begun by `today`; UsageError otherwise."""
    try:
        year = annual.parse_year(text, programme)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if year.start > today:
        raise UsageError(f"{year.label} 活动年度从 {year.start} 开始，还没有到")
    return year


def write_archive(
    root: Path,
    year: str,
    out: Path,
    *,
    unit: str | None = None,
    full: bool = False,
    today: dt.date | None = None,
    workers: int | None = None,
) -> list[Written]:
    """Write the archive of every unit (or of `unit`) for `year` into the folder `out`."""
    repo = open_repository(root)
    units = [repo.unit(unit)] if unit else list(repo.programme.units)
    target = output.check_out(out, repo.root)
    today = today or dates.beijing_today()
    span = parse_span(year, repo.programme, today)  # before the records are read: a typo fails at once
    data = collect(repo, today)
    data.version = version(repo.root)
    site = restrict(data, CITY_AUDIENCE)
    names = [folder_name(span, u) for u in units]
    output.refuse_existing(target, names)
    photos, media, problems = _files(repo.root, site, units, span)
    archives = [unit_archive(site, u, span, photos, media, problems) for u in units]
    with output.staging(target) as temp:
        jobs = []
        for archive in archives:
            folder = temp / archive.folder
            (folder / "pairings").mkdir(parents=True)
            for inside, source in sorted(archive.media.items()):
                (folder / inside).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(repo.root / source, folder / inside)  # the bytes as stored
            jobs += [(_pairing_html(archive, entry, full), str(folder / entry.pdf)) for entry in archive.pairings]
            (folder / "index.html").write_text(_index_html(site, archive, full), "utf-8")
        _make_pdfs(repo.root, jobs, workers)
        for archive in archives:
            output.zip_folder(temp / archive.folder, temp / f"{archive.folder}.zip")
        placed = output.move_into_place(temp, target, names)
    return [
        Written(folder, zipped, len(archive.pairings), len(archive.missing))
        for (folder, zipped), archive in zip(placed, archives)
    ]


def _files(root: Path, site, units, span: Year) -> tuple[dict, set, dict[str, str]]:
    """The photos' web copies (as file URLs for the PDF), the media that can be copied, and why
    the others cannot, by repository-relative file."""
    photo_refs, media_refs = [], []
    for u in units:
        found = references(site, u, span)
        photo_refs += found[0]
        media_refs += found[1]
    problems: list = []
    photo_refs = _in_repository(root, sorted(set(photo_refs)), site.data.files, problems)
    media_refs = _in_repository(root, sorted(set(media_refs)), site.data.files, problems)
    photos: dict = {}
    if photo_refs:
        shown, copies, found = stage.web_photos(root, photo_refs, photo_cache(root))
        problems += found
        photos = {
            ref: Photo(thumb=copies[p.display].as_uri(), display=copies[p.display].as_uri()) if p.display else p
            for ref, p in shown.items()
        }
    media: set = set()
    if media_refs:
        urls, _copies, found = stage.media_files(root, media_refs)
        problems += found
        media = set(urls)
    return photos, media, dict(problems)


def _pairing_html(archive: UnitArchive, entry, full: bool) -> str:
    template = render.environment().get_template("archive_pairing.html.j2")
    return template.render(
        entry.card,
        full=full,
        pairing_id=entry.item.id,
        unit_name=archive.unit.name,
        year_label=archive.span.label,
        year_start=archive.span.start.isoformat(),
        year_end=archive.span.end.isoformat(),
        logs=entry.logs,
    )


def _index_html(site, archive: UnitArchive, full: bool) -> str:
    names = {
        e.item.id: " 与 ".join(n for n in (e.card["mother"]["name"], e.card["girl"]["name"]) if n) or e.item.id
        for e in archive.pairings
    }
    return (
        render.environment()
        .get_template("archive_index.html.j2")
        .render(
            programme=site.data.programme,
            unit=archive.unit,
            span=archive.span,
            today=site.data.today.isoformat(),
            version=site.data.version,
            full=full,
            pairings=archive.pairings,
            missing=archive.missing,
            names=names,
            logs=sum(len(e.logs) for e in archive.pairings),
            photos=sum(e.photos for e in archive.pairings),
            media=len(archive.media),
        )
    )


# ------------------------------------------------------------------ PDFs

_maker: PdfMaker | None = None


def _start_worker(root: str) -> None:
    global _maker
    _maker = PdfMaker(Path(root))


def _write_pdf(job: tuple[str, str]) -> None:
    assert _maker is not None
    html, path = job
    Path(path).write_bytes(_maker.pdf(html))


def _make_pdfs(root: Path, jobs: list[tuple[str, str]], workers: int | None) -> None:
    with _runner(root, len(jobs), workers or min(2, os.cpu_count() or 1)) as run:
        for _ in run(_write_pdf, jobs):
            pass


@contextlib.contextmanager
def _runner(root: Path, count: int, workers: int):
    """A map over worker processes (each with its own PdfMaker), or in this process."""
    global _maker
    if workers < 2 or count < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        _maker = PdfMaker(root)
        run: Callable[..., Iterable] = map
        try:
            yield run
        finally:
            _maker = None
        return
    PdfMaker(root)  # a missing WeasyPrint is said here, not as a worker's crash
    with multiprocessing.get_context("fork").Pool(workers, _start_worker, (str(root),)) as pool:
        yield lambda function, items: pool.imap_unordered(function, items, chunksize=4)
