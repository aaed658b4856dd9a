"""`aixin import 联系记录.xlsx --photos FOLDER|FILE.zip`: photos from the work group, named in the
contact-log sheet's 照片文件 column, re-encoded and linked as `aixin photo add` does; all or nothing;
every problem at its sheet, row and column; zips judged before anything is unpacked."""

from __future__ import annotations

import io
import stat
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner
from PIL import Image

from aixin.check.engine import run_check
from aixin.cli import main
from aixin.load.loader import load_file
from aixin.load.repository import open_repository
from aixin.photos import inspection
from aixin.sheets import photos as intake
from aixin.sheets.importer import import_file
from aixin.sheets.layout import build_forms
from aixin.sheets.template import write_templates
from conftest import REPO, build_root
from test_sheets import LOG, LOGS, TODAY, listing, texts, write_xlsx

HEADER = "照片文件"


@pytest.fixture
def root(tmp_path):
    return build_root(REPO / "records", tmp_path / "repo")


def gps_jpeg(width=900, height=600, colour=(200, 90, 60)) -> bytes:
    """A photo as a phone sends it: EXIF with a GPS block and the camera's name."""
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"
    exif[0x8825] = {1: "N", 2: (30.0, 31.0, 0.0), 3: "E", 4: (105.0, 35.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def folder_of(tmp_path, files: dict[str, bytes]):
    folder = tmp_path / "工作群照片"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def sheet(tmp_path, *rows: dict):
    return write_xlsx(tmp_path / "联系记录.xlsx", {LOGS: [dict(LOG, **row) for row in rows]})


def imported(root, book, photos, partial=False):
    return import_file(root, book, "chuanshan", partial=partial, today=TODAY, photos=photos)


def test_the_template_shows_the_photo_files_column(tmp_path, root):
    repo = open_repository(root)
    written = write_templates(tmp_path / "t", build_forms(repo.schemas.schemas, repo.programme.units))
    log = openpyxl.load_workbook(written[3])[LOGS]
    headers = [c.value for c in log[1]]
    assert headers[headers.index("照片") + 1] == HEADER
    assert "--photos" in log.cell(2, headers.index(HEADER) + 1).value


def test_photos_from_a_folder_are_reencoded_linked_and_pass_the_check(tmp_path, root):
    folder = folder_of(tmp_path, {"微信图片 1.jpg": gps_jpeg(), "b.JPG": gps_jpeg(colour=(10, 120, 40))})
    book = sheet(tmp_path, {HEADER: "微信图片 1.jpg、b.JPG", "内容摘要": "中秋节送月饼，一起拍了照。"})
    result = imported(root, book, folder)
    assert result.exit_code == 0, texts(result)
    ((kind, rel, _),) = result.written
    log = load_file(root / rel, rel).data
    log_id = rel.rsplit("/", 1)[1][:-5]
    assert log["photos"] == [f"photos/{log_id}-1.jpg", f"photos/{log_id}-2.jpg"]
    for link in log["photos"]:
        data = (root / "records/chuanshan" / link).read_bytes()
        facts = inspection.inspect(data, len(data))
        assert facts["metadata"] == () and facts["format"] == "JPEG"  # no GPS, no EXIF: pixels only
    assert result.photos == [f"records/chuanshan/{link}" for link in log["photos"]]
    assert any("另存入 2 张照片" in line for line in result.lines())
    assert (folder / "b.JPG").read_bytes() == gps_jpeg(colour=(10, 120, 40))  # the originals are left alone
    findings = run_check(root, today=TODAY, use_cache=False, jobs=1).findings
    assert [f for f in findings if f.rule.startswith("R")] == []


def test_photos_from_a_zip_made_by_compressing_the_folder(tmp_path, root):
    archive = tmp_path / "照片.zip"
    gbk = "工作群照片/微信图片.jpg".encode("gb18030")  # how a Chinese Windows names it, without the UTF-8 flag
    placeholder = b"x" * len(gbk)
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("工作群照片/a.jpg", gps_jpeg())
        out.writestr(placeholder.decode(), gps_jpeg(colour=(1, 2, 3)))
        out.writestr("工作群照片/video.mp4", bytes(intake.MAX_SOURCE_BYTES + 1))  # too big, but named by no row
    archive.write_bytes(archive.read_bytes().replace(placeholder, gbk))
    result = imported(root, sheet(tmp_path, {HEADER: "a.jpg、微信图片.jpg"}), archive)
    assert result.exit_code == 0, texts(result)
    assert len(result.photos) == 2 and all((root / photo).is_file() for photo in result.photos)
    assert not any("没有被任何一行" in line for line in texts(result))


def test_every_problem_is_named_at_its_row_and_nothing_is_written(tmp_path, root):
    folder = folder_of(
        tmp_path,
        {"good.jpg": gps_jpeg(), "notes.jpg": b"not a picture at all", "Case.jpg": gps_jpeg(), "huge.jpg": b""},
    )
    with open(folder / "huge.jpg", "wb") as big:
        big.truncate(intake.MAX_SOURCE_BYTES + 1)
    book = sheet(
        tmp_path,
        {HEADER: "good.jpg"},
        {"日期": "2019-09-02", HEADER: "missing.jpg"},
        {"日期": "2019-09-03", HEADER: "notes.jpg"},
        {"日期": "2019-09-04", HEADER: "case.jpg"},
        {"日期": "2019-09-05", HEADER: "huge.jpg"},
        {"日期": "2019-09-06", HEADER: "../secret.jpg"},
    )
    before = listing(root)
    result = imported(root, book, folder)
    lines = texts(result)
    expected = [
        (3, "找不到“missing.jpg”"),
        (4, "不是 JPEG 或 PNG"),
        (5, "实际的文件名是“Case.jpg”"),
        (6, "超过一张照片的上限 30 MB"),
        (7, "指向照片文件夹以外"),
    ]
    for row, words in expected:
        assert any(line.startswith(f"{LOGS} 第{row}行「{HEADER}」：错误") and words in line for line in lines), (row, words, lines)
    assert result.exit_code == 1 and result.written == [] and result.photos == []
    assert listing(root) == before  # all or nothing: not even the good row's photo or log


def test_partial_writes_the_clean_rows_with_their_photos_only(tmp_path, root):
    folder = folder_of(tmp_path, {"good.jpg": gps_jpeg()})
    book = sheet(tmp_path, {HEADER: "good.jpg"}, {"日期": "2019-09-02", HEADER: "missing.jpg"})
    before = set(listing(root))
    result = imported(root, book, folder, partial=True)
    assert len(result.written) == 1 and len(result.photos) == 1
    assert set(listing(root)) - before == {result.written[0][1], result.photos[0]}


def test_a_row_with_photo_files_needs_the_photos_option(tmp_path, root):
    result = import_file(root, sheet(tmp_path, {HEADER: "a.jpg"}), "chuanshan", today=TODAY)
    assert result.exit_code == 1
    assert any(f"第2行「{HEADER}」" in line and "--photos" in line for line in texts(result))


def test_an_unnamed_picture_in_the_folder_is_a_warning(tmp_path, root):
    folder = folder_of(tmp_path, {"a.jpg": gps_jpeg(), "forgotten.jpg": gps_jpeg()})
    result = imported(root, sheet(tmp_path, {HEADER: "a.jpg"}), folder)
    assert result.exit_code == 0
    assert any("没有被任何一行" in line and "forgotten.jpg" in line for line in texts(result))


def _zip(tmp_path, entries):
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for info, data in entries:
            out.writestr(info, data)
    return archive


def test_a_zip_entry_climbing_out_or_a_link_is_never_read(tmp_path, root):
    link = zipfile.ZipInfo("link.jpg")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = _zip(tmp_path, [("../../evil.jpg", gps_jpeg()), (link, b"/etc/passwd"), ("a.jpg", gps_jpeg())])
    before = listing(root)
    rows = [{HEADER: "a.jpg"}, {"日期": "2019-09-02", HEADER: "link.jpg"}, {"日期": "2019-09-03", HEADER: "evil.jpg"}]
    result = imported(root, sheet(tmp_path, *rows), archive)
    lines = texts(result)
    assert any(line.startswith(f"{LOGS} 第4行「{HEADER}」") and "“../../evil.jpg”路径指向压缩包以外" in line for line in lines)
    assert any(line.startswith("photos.zip：错误") and "../../evil.jpg" in line and "压缩包以外" in line for line in lines)
    assert any(line.startswith(f"{LOGS} 第3行「{HEADER}」") and "符号链接" in line for line in lines)
    assert result.exit_code == 1 and listing(root) == before
    assert not (tmp_path / "evil.jpg").exists() and not (root.parent / "evil.jpg").exists()


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path, root, monkeypatch):
    monkeypatch.setattr(intake, "MAX_UNPACKED", 5 * 1024 * 1024)
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for n in range(3):
            out.writestr(f"{n}.jpg", bytes(2 * 1024 * 1024))  # 6 MB of zeros, a few KB packed
    assert archive.stat().st_size < 100_000
    runner = CliRunner()
    book = sheet(tmp_path, {HEADER: "0.jpg"})
    outcome = runner.invoke(main, ["import", str(book), "--unit", "chuanshan", "--photos", str(archive), "--root", str(root)])
    assert outcome.exit_code == 2 and "超过上限" in outcome.output and "恶意" in outcome.output


def test_a_huge_zip_entry_is_not_unpacked(tmp_path, root):
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("照片/big.jpg", bytes(intake.MAX_SOURCE_BYTES + 1))
    result = imported(root, sheet(tmp_path, {HEADER: "big.jpg"}), archive)
    assert result.exit_code == 1
    assert any(f"「{HEADER}」" in line and "超过一张照片的上限" in line for line in texts(result))


def test_the_command_takes_the_photos_option(tmp_path, root):
    folder = folder_of(tmp_path, {"a.jpg": gps_jpeg()})
    outcome = CliRunner().invoke(
        main, ["import", str(sheet(tmp_path, {HEADER: "a.jpg"})), "--unit", "chuanshan", "--photos", str(folder), "--root", str(root)]
    )
    assert outcome.exit_code == 0, outcome.output
    assert "另存入 1 张照片" in outcome.output
