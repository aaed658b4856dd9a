"""`aixin archive`: a unit's programme year as a folder and a zip (index, one PDF per pairing, media).

The repository is a copy of the bundled example records with, in 船山区 in 2019-2020, what an
archive must notice: a pairing with no contact log in the year, a log linking a photo that is not
there, a photo that cannot be decoded and a video that is not there, and a log with a video that
is (its bytes must reach the archive unchanged) and a phone number in its summary. The PDFs are
read back with pypdf; dates are fixed (the as-of day of the example records).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from pathlib import Path

import pypdf
import pytest

from aixin.core.errors import UsageError
from aixin.domain.annual import Year
from aixin.domain.programme import from_data
from aixin.site import archive as archive_module
from aixin.site.archive import parse_span, write_archive
from aixin.site.archive.contents import in_progress_during
from aixin.site.pdf import PdfMaker
from conftest import REPO, build_root
from media_files import mp4
from test_site_privacy import aixin

TODAY = dt.date(2026, 12, 1)
YEAR = "2019-2020"
FOLDER = "2019-2020-船山区"
WITH_PHOTOS = "chuanshan-p-5t1w6r"  # 示例妈妈甲 and 示例女童甲: one log in the year with two photos
MANY_LOGS = "chuanshan-p-bqfnat"  # 示例妈妈四 and 示例女童二: many logs, one with a video
NO_LOG = "chuanshan-p-n0l0gs"  # in progress since 2020-05-01, never contacted
VIDEO = "media/chuanshan-l-v1de0a.mp4"
MOTHER_PHONE, MASKED_MOTHER = "13900000001", "139****0001"
SUMMARY_PHONE, MASKED_SUMMARY = "13912345678", "139****5678"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def make_repository(dest: Path) -> Path:
    root = build_root(REPO / "records", dest)
    unit = root / "records" / "chuanshan"
    write(unit / "pairings" / f"{NO_LOG}.yaml", "\n".join([
        "filed_on: 2020-05-01", "mother: chuanshan-m-7k2q9d", "girl: chuanshan-g-7ndasn", "mode: 一对一",
        "started_on: 2020-05-01", "message: 有什么心事都可以告诉妈妈。", "status: 进行中", ""]))
    logs = unit / "logs" / MANY_LOGS
    write(logs / "chuanshan-l-v1de0a.yaml", "\n".join([
        f"pairing: {MANY_LOGS}", "date: 2020-01-20", "kind: 见面", "with: [女童]",
        f"summary: 一起录了一段新年祝福视频，留下临时监护人的新号码 {SUMMARY_PHONE}。", f"attachments: [{VIDEO}]", ""]))
    (unit / "media").mkdir()
    (unit / VIDEO).write_bytes(mp4())
    write(logs / "chuanshan-l-br0ken.yaml", "\n".join([
        f"pairing: {MANY_LOGS}", "date: 2020-02-01", "kind: 见面", "with: [女童]", "summary: 见面，拍了照片。",
        "photos: [photos/chuanshan-l-br0ken.jpg, photos/chuanshan-l-junk01.jpg]",
        "attachments: [media/chuanshan-l-br0ken.mp4]", ""]))
    (unit / "photos" / "chuanshan-l-junk01.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not a picture" * 20)
    return root


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return make_repository(tmp_path_factory.mktemp("archive-repo"))


@pytest.fixture(scope="module")
def masked(root, tmp_path_factory) -> Path:
    """The masked archive of 船山区, written once in this process."""
    out = tmp_path_factory.mktemp("archive-out") / "归档"
    written = write_archive(root, YEAR, out, unit="chuanshan", today=TODAY, workers=1)
    assert [(w.folder.name, w.zip.name, w.pairings) for w in written] == [(FOLDER, f"{FOLDER}.zip", 3)]
    return out


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


def image_count(path: Path) -> int:
    """Distinct pictures in the PDF (WeasyPrint may list a document's pictures on every page)."""
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return len({image.data for page in reader.pages for image in page.images})


def test_folder_and_zip_hold_the_index_a_pdf_per_pairing_and_the_media(masked):
    folder = masked / FOLDER
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == ["index.html", VIDEO, *(f"pairings/{p}.pdf" for p in sorted((WITH_PHOTOS, MANY_LOGS, NO_LOG)))]
    with zipfile.ZipFile(masked / f"{FOLDER}.zip") as zipped:
        assert sorted(zipped.namelist()) == sorted(f"{FOLDER}/{f}" for f in files)
        assert zipped.read(f"{FOLDER}/{VIDEO}") == (folder / VIDEO).read_bytes()
        assert zipped.read(f"{FOLDER}/index.html") == (folder / "index.html").read_bytes()
    assert sorted(p.name for p in masked.iterdir()) == [FOLDER, f"{FOLDER}.zip"]  # no temporary folder left


def test_media_bytes_are_those_stored(root, masked):
    assert (masked / FOLDER / VIDEO).read_bytes() == (root / "records" / "chuanshan" / VIDEO).read_bytes() == mp4()


def test_index_lists_the_pairings_and_links_their_files(masked):
    index = (masked / FOLDER / "index.html").read_text("utf-8")
    assert "船山区" in index and "2019-2020 活动年度" in index and "2019-08-01 至 2020-07-31" in index
    for pairing in (WITH_PHOTOS, MANY_LOGS, NO_LOG):
        assert f'href="pairings/{pairing}.pdf"' in index
    assert "示例妈妈甲" in index and "示例女童甲" in index and "示例妈妈四" in index and "示例女童二" in index
    assert f'href="{VIDEO}"' in index
    assert "<script" not in index and "http" not in index  # opens offline, asks nothing of the network
    assert MOTHER_PHONE not in index and "510903" not in index


def test_index_lists_what_is_missing(masked):
    index = html.unescape((masked / FOLDER / "index.html").read_text("utf-8"))
    missing = index.split("缺失的材料", 1)[1].split("<h2>", 1)[0]
    assert "（4 项）" in missing
    assert f"结对 {NO_LOG}" in missing and "本活动年度没有联系记录" in missing
    assert "照片 photos/chuanshan-l-br0ken.jpg：找不到照片文件" in missing
    assert "照片 photos/chuanshan-l-junk01.jpg：" in missing  # cannot be decoded, with the reason
    assert "音视频 media/chuanshan-l-br0ken.mp4：找不到音视频文件" in missing
    assert WITH_PHOTOS not in missing  # nothing of hers is missing


def test_pdf_has_the_card_then_the_years_log_with_phones_masked(masked):
    text = pdf_text(masked / FOLDER / "pairings" / f"{MANY_LOGS}.pdf")
    assert "结对帮扶卡" in text and "示例妈妈四" in text and "示例女童二" in text and "工作单位及职务" in text
    assert "2019-2020活动年度联系记录" in text
    assert "中秋节带着月饼去看她，陪她吃团圆饭。" in text  # 2019-09-13, in the year
    assert "一起录了一段新年祝福视频" in text and VIDEO in text
    assert MASKED_SUMMARY in text and SUMMARY_PHONE not in text
    assert "13800000016" not in text and "138****0016" in text  # her phone on the card
    later = pdf_text(masked / FOLDER / "pairings" / f"{WITH_PHOTOS}.pdf")
    assert "到家中见面，一起读书、放风筝" in later and "（1次）" in later  # her only log of 2019-2020
    assert "2021" not in later.split("活动年度联系记录", 1)[1]  # nothing of later years


def test_pdf_of_a_pairing_without_logs_says_so(masked):
    text = pdf_text(masked / FOLDER / "pairings" / f"{NO_LOG}.pdf")
    assert "结对帮扶卡" in text and "本活动年度没有联系记录" in text


def test_photos_are_embedded(masked):
    assert image_count(masked / FOLDER / "pairings" / f"{WITH_PHOTOS}.pdf") == 4  # her, the girl, the log's two
    # The log's photo that is there; the missing one and the undecodable one are listed, not drawn.
    assert image_count(masked / FOLDER / "pairings" / f"{MANY_LOGS}.pdf") == 1


def test_full_prints_the_numbers_as_written(root, tmp_path):
    result = aixin("archive", "--year", YEAR, "--unit", "chuanshan", "--full", "--out", str(tmp_path / "a"),
                   "--as-of", TODAY.isoformat(), "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"已归档：{tmp_path / 'a' / FOLDER}" in result.stdout and "完整的电话号码" in result.stdout
    text = pdf_text(tmp_path / "a" / FOLDER / "pairings" / f"{MANY_LOGS}.pdf")
    assert SUMMARY_PHONE in text and "13800000016" in text
    assert MOTHER_PHONE in pdf_text(tmp_path / "a" / FOLDER / "pairings" / f"{WITH_PHOTOS}.pdf")


def test_every_unit_without_unit(root, tmp_path):
    written = write_archive(root, YEAR, tmp_path, today=TODAY, workers=1)
    assert [w.folder.name for w in written][:2] == ["2019-2020-市直", FOLDER]
    assert len(written) == 9 and all(w.zip.is_file() for w in written)


def test_an_existing_archive_is_never_overwritten(root, tmp_path):
    (tmp_path / f"{FOLDER}.zip").write_bytes(b"last year's copy")
    result = aixin("archive", "--year", YEAR, "--unit", "chuanshan", "--out", str(tmp_path),
                   "--as-of", TODAY.isoformat(), "--root", str(root))
    assert result.returncode == 2 and "档案已存在，不会覆盖" in result.stderr, result.stderr
    assert (tmp_path / f"{FOLDER}.zip").read_bytes() == b"last year's copy"
    assert [p.name for p in tmp_path.iterdir()] == [f"{FOLDER}.zip"]
    (tmp_path / f"{FOLDER}.zip").unlink()
    (tmp_path / FOLDER).mkdir()
    with pytest.raises(UsageError, match="档案已存在"):
        write_archive(root, YEAR, tmp_path, unit="chuanshan", today=TODAY, workers=1)
    assert [p.name for p in tmp_path.iterdir()] == [FOLDER] and not any((tmp_path / FOLDER).iterdir())


@pytest.mark.parametrize("inside", ["records/archive", "build", "docs/归档", "."])
def test_never_written_inside_the_repository(root, inside):
    result = aixin("archive", "--year", YEAR, "--unit", "chuanshan", "--out", str(root / inside),
                   "--as-of", TODAY.isoformat(), "--root", str(root))
    assert result.returncode == 2 and "不能把档案写到仓库文件夹" in result.stderr, result.stderr
    assert not list(root.glob("**/2019-2020-*"))


@pytest.mark.parametrize(("year", "message"), [
    ("2019", "活动年度应写作 起始年-结束年（如 2019-2020）"),
    ("2019-2021", "两个年份应相差一年"),
    ("2017-2018", "2017-2018 活动年度在活动启动（2019-08-01）之前"),
    ("2027-2028", "2027-2028 活动年度从 2027-08-01 开始，还没有到"),
])
def test_a_wrong_year_is_refused(root, tmp_path, year, message):
    with pytest.raises(UsageError, match=message):
        write_archive(root, year, tmp_path / "a", unit="chuanshan", today=TODAY, workers=1)
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())


def test_an_unknown_unit_is_refused(root, tmp_path):
    result = aixin("archive", "--year", YEAR, "--unit", "nosuch", "--out", str(tmp_path / "a"), "--root", str(root))
    assert result.returncode == 2 and "单位代码“nosuch”不存在" in result.stderr


@pytest.mark.parametrize("workers", [1, 2])
def test_no_half_archive_when_a_pdf_fails(root, tmp_path, monkeypatch, workers):
    """One pairing's PDF fails mid-way (in this process, or in a worker process): nothing is left."""
    made = PdfMaker.pdf

    def failing(self, html):
        if "陪她吃团圆饭" in html:  # a log of MANY_LOGS, the second of three PDFs
            raise RuntimeError("the renderer broke")
        return made(self, html)

    monkeypatch.setattr(PdfMaker, "pdf", failing)
    monkeypatch.setattr(archive_module, "PARALLEL_FROM", 1)
    out = tmp_path / "a"
    with pytest.raises(RuntimeError, match="the renderer broke"):
        write_archive(root, YEAR, out, unit="chuanshan", today=TODAY, workers=workers)
    assert list(out.iterdir()) == []  # neither the folder, nor the zip, nor the temporary folder


def test_two_processes_make_the_same_archive(root, masked, tmp_path, monkeypatch):
    monkeypatch.setattr(archive_module, "PARALLEL_FROM", 1)
    write_archive(root, YEAR, tmp_path, unit="chuanshan", today=TODAY, workers=2)
    for pairing in (WITH_PHOTOS, MANY_LOGS, NO_LOG):
        name = f"pairings/{pairing}.pdf"
        assert pdf_text(tmp_path / FOLDER / name) == pdf_text(masked / FOLDER / name)


def test_which_pairings_were_in_progress_during_the_year():
    span = Year("2019-2020", dt.date(2019, 8, 1), dt.date(2020, 7, 31))
    pairing = {"started_on": "2019-08-01", "status": "进行中"}
    assert in_progress_during(pairing, span)
    assert in_progress_during({**pairing, "started_on": "2020-07-31"}, span)  # its last day
    assert not in_progress_during({**pairing, "started_on": "2020-08-01"}, span)
    ended = {**pairing, "started_on": "2018-09-01", "status": "已结束"}
    assert in_progress_during({**ended, "ended_on": "2019-08-02"}, span)  # in progress on the year's first day
    assert not in_progress_during({**ended, "ended_on": "2019-08-01"}, span)  # ended on it: last in progress the day before
    assert not in_progress_during({**pairing, "status": "待审批"}, span)  # awaiting the city: never in progress


def test_the_year_is_the_programmes():
    programme = from_data(__import__("yaml").safe_load((REPO / "records" / "programme.yaml").read_text("utf-8")))
    span = parse_span(" 2020－2021 ", programme, TODAY)  # as typed, with a full-width dash
    assert (span.label, span.start, span.end) == ("2020-2021", dt.date(2020, 8, 1), dt.date(2021, 7, 31))


def test_making_pdfs_leaves_the_photo_checks_strict(root):
    """Importing WeasyPrint lets Pillow accept truncated images process-wide; a damaged photo must
    still be undecodable for the checks that run in the same process afterwards."""
    from test_photo_rules import test_a_damaged_png_chunk_is_unreadable

    PdfMaker(root)
    test_a_damaged_png_chunk_is_unreadable()
