"""`aixin photo add`: a photo is stored re-encoded (pixels only) and linked, or nothing changes."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from aixin import cli
from aixin.core.errors import UsageError
from aixin.load.loader import load_file
from aixin.photos import inspection as photofiles
from aixin.photos import link as photo_command
from conftest import CASES, TODAY

GIRL = "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml"
MOTHER = "records/chuanshan/mothers/chuanshan-m-h3j6n9.yaml"
LOG = "records/chuanshan/logs/chuanshan-p-5t1w6r/chuanshan-l-a1s2d3.yaml"
PHOTOS = "records/chuanshan/photos"
RED, BLUE = (230, 20, 20), (20, 20, 230)


@pytest.fixture
def root(make_root):
    return make_root(CASES / "valid" / "records")


def phone_photo(path: Path, width: int = 2400, height: int = 1800) -> Path:
    """A camera JPEG stored sideways (orientation 6) with GPS, a camera name and a comment.

    The stored top-left corner is red: shown upright (turned 90° clockwise) it is the top right.
    """
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "ExampleCam"
    exif[0x8825] = {1: "N", 2: (30.0, 31.0, 0.0), 3: "E", 4: (105.0, 35.0, 0.0)}
    image.save(path, "JPEG", quality=90, exif=exif, comment="拍摄地点：示例村 13912340001".encode())
    return path


def aixin(root: Path, *args: str):
    return CliRunner().invoke(cli.main, [*args, "--root", str(root)], env={"AIXIN_TODAY": TODAY.isoformat()})


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under records/, hidden ones included, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "records").rglob("*")) if p.is_file()}


def data_of(root: Path, rel: str) -> dict:
    return load_file(root / rel, rel).data


# ------------------------------------------------------------------ adding


def test_a_phone_photo_is_stripped_turned_upright_bounded_and_linked(root, tmp_path):
    source = phone_photo(tmp_path / "IMG_0001.jpg")
    original_source = source.read_bytes()
    before = data_of(root, GIRL)
    result = aixin(root, "photo", "add", str(source), "--to", "chuanshan-g-3m8x4p")
    assert result.exit_code == 0, result.output
    stored = root / PHOTOS / "chuanshan-g-3m8x4p-1.jpg"
    assert f"{PHOTOS}/chuanshan-g-3m8x4p-1.jpg" in result.output

    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0 and not image.getexif().get_ifd(0x8825)
        assert "comment" not in image.info and "exif" not in image.info
        assert [marker for marker, _ in image.applist] == ["APP0"]  # JFIF only
        assert image.size == (1200, 1600)  # 2400×1800 turned upright, then bounded to 1600
        assert max(image.size) <= 1600
        image = image.convert("RGB")
        top_right, top_left = image.getpixel((1200 - 20, 20)), image.getpixel((20, 20))
    assert top_right[0] > 200 > top_right[2] and top_left[2] > 200 > top_left[0]
    raw = stored.read_bytes()
    assert b"13912340001" not in raw and b"ExampleCam" not in raw
    assert photofiles.inspect(raw, len(raw))["metadata"] == ()
    assert source.read_bytes() == original_source  # the original is not touched

    after = data_of(root, GIRL)
    assert after == {**before, "photo": "photos/chuanshan-g-3m8x4p-1.jpg"}
    assert list(after).index("photo") == list(after).index("poor_household") + 1  # the schema's order
    lines = (root / GIRL).read_text("utf-8").splitlines()
    assert lines[:2] == ["# yaml-language-server: $schema=../../../schemas/girl.schema.json", "# 测试用例记录：人物和号码均为虚构。"]

    check = aixin(root, "check")
    assert check.exit_code == 0, check.output
    assert "R0" not in check.output


def test_adding_to_a_log_appends(root, tmp_path):
    source = phone_photo(tmp_path / "a.jpg", 800, 600)
    assert data_of(root, LOG)["photos"] == ["photos/zhongqiu-2019.jpg"]
    for _ in range(2):
        result = aixin(root, "photo", "add", str(source), "--to", "chuanshan-l-a1s2d3")
        assert result.exit_code == 0, result.output
    assert data_of(root, LOG)["photos"] == [
        "photos/zhongqiu-2019.jpg", "photos/chuanshan-l-a1s2d3-1.jpg", "photos/chuanshan-l-a1s2d3-2.jpg"]
    with Image.open(root / PHOTOS / "chuanshan-l-a1s2d3-2.jpg") as image:
        assert image.size == (600, 800)  # small photos are turned, not enlarged
    assert aixin(root, "check").exit_code == 0


def test_a_mother_gets_a_photo_field(root, tmp_path):
    result = aixin(root, "photo", "add", str(phone_photo(tmp_path / "m.jpg", 300, 200)), "--to", "chuanshan-m-h3j6n9")
    assert result.exit_code == 0, result.output
    assert data_of(root, MOTHER)["photo"] == "photos/chuanshan-m-h3j6n9-1.jpg"
    assert aixin(root, "check").exit_code == 0


def test_an_existing_file_is_never_overwritten(root, tmp_path):
    taken = root / PHOTOS / "chuanshan-m-h3j6n9-1.jpg"
    taken.write_bytes(b"someone else's file")
    result = aixin(root, "photo", "add", str(phone_photo(tmp_path / "m.jpg", 300, 200)), "--to", "chuanshan-m-h3j6n9")
    assert result.exit_code == 0, result.output
    assert taken.read_bytes() == b"someone else's file"
    assert data_of(root, MOTHER)["photo"] == "photos/chuanshan-m-h3j6n9-2.jpg"


def test_a_second_photo_needs_replace_which_keeps_the_old_file(root, tmp_path):
    source = phone_photo(tmp_path / "g.jpg", 400, 300)
    assert aixin(root, "photo", "add", str(source), "--to", "chuanshan-g-3m8x4p").exit_code == 0
    before = snapshot(root)
    refused = aixin(root, "photo", "add", str(source), "--to", "chuanshan-g-3m8x4p")
    assert refused.exit_code == 2
    assert "已有照片" in refused.output and "--replace" in refused.output
    assert snapshot(root) == before
    replaced = aixin(root, "photo", "add", str(source), "--to", "chuanshan-g-3m8x4p", "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert data_of(root, GIRL)["photo"] == "photos/chuanshan-g-3m8x4p-2.jpg"
    assert (root / PHOTOS / "chuanshan-g-3m8x4p-1.jpg").is_file()  # kept: the user decides
    assert "R010" in replaced.output  # and is told that check will ask about it


# ------------------------------------------------------------------ refusing


@pytest.mark.parametrize(("record_id", "words"), [
    ("chuanshan-g-zzzz99", "找不到编号"),
    ("anju-l-zzzz99", "找不到编号"),
    ("chuanshan-p-5t1w6r", "结对记录没有照片"),
    ("city-c-7q3k9m", "表彰记录和培训记录没有照片"),
    ("photo-1", "不是记录编号"),
])
def test_an_unknown_or_unsuitable_record_is_a_usage_error(root, tmp_path, record_id, words):
    source = phone_photo(tmp_path / "x.jpg", 300, 200)
    before = snapshot(root)
    result = aixin(root, "photo", "add", str(source), "--to", record_id)
    assert result.exit_code == 2
    assert words in result.output and "错误：" in result.output
    assert snapshot(root) == before


@pytest.mark.parametrize("content", [b"just some text\n", b"", b"\x89PNG\r\n\x1a\n" + bytes(40)])
def test_a_file_that_is_not_an_image_is_a_usage_error(root, tmp_path, content):
    source = tmp_path / "notes.jpg"
    source.write_bytes(content)
    before = snapshot(root)
    result = aixin(root, "photo", "add", str(source), "--to", "chuanshan-g-3m8x4p")
    assert result.exit_code == 2
    assert "照片" in result.output and "Traceback" not in result.output
    assert snapshot(root) == before


def test_a_missing_file_is_a_usage_error(root, tmp_path):
    result = aixin(root, "photo", "add", str(tmp_path / "nothing.jpg"), "--to", "chuanshan-g-3m8x4p")
    assert result.exit_code == 2 and "找不到文件" in result.output


def test_a_record_with_a_yaml_error_is_not_rewritten(root, tmp_path):
    path = root / GIRL
    path.write_text(path.read_text("utf-8") + "name: 第二个名字\n", "utf-8")  # a duplicate key
    before = snapshot(root)
    result = aixin(root, "photo", "add", str(phone_photo(tmp_path / "x.jpg", 300, 200)), "--to", "chuanshan-g-3m8x4p")
    assert result.exit_code == 2 and "请先改正" in result.output
    assert snapshot(root) == before


# ------------------------------------------------------------------ nothing half-done


def test_a_failure_writing_the_record_removes_the_new_photo(root, tmp_path, monkeypatch):
    source = phone_photo(tmp_path / "x.jpg", 300, 200)
    before = snapshot(root)

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = aixin(root, "photo", "add", str(source), "--to", "chuanshan-l-a1s2d3")
    assert result.exit_code == 2
    assert "没有做任何修改" in result.output
    assert snapshot(root) == before  # no photo, no temporary file, the record as it was


def test_a_record_changed_meanwhile_is_not_overwritten(root, tmp_path, monkeypatch):
    source = phone_photo(tmp_path / "x.jpg", 300, 200)
    real_store = photo_command.store_photo

    def store_then_edit(*args):
        stored = real_store(*args)
        (root / LOG).write_text((root / LOG).read_text("utf-8") + "festival: 国庆节\n", "utf-8")
        return stored

    monkeypatch.setattr(photo_command, "store_photo", store_then_edit)
    result = aixin(root, "photo", "add", str(source), "--to", "chuanshan-l-a1s2d3")
    assert result.exit_code == 2 and "被改动" in result.output
    assert not list((root / PHOTOS).glob("chuanshan-l-a1s2d3-*"))
    assert "festival: 国庆节" in (root / LOG).read_text("utf-8")


def test_add_photo_keeps_the_file_mode_and_reports_dropped_comments(root, tmp_path):
    path = root / GIRL
    path.write_text(path.read_text("utf-8").replace("school:", "# 学校\nschool:"), "utf-8")
    path.chmod(0o664)
    added = photo_command.add_photo(root, phone_photo(tmp_path / "x.jpg", 300, 200), "chuanshan-g-3m8x4p")
    assert added.comments_dropped and added.photo == f"{PHOTOS}/chuanshan-g-3m8x4p-1.jpg"
    assert path.stat().st_mode & 0o777 == 0o664
    assert (root / added.photo).stat().st_mode & 0o777 == 0o644


def test_leading_comments_are_read_apart_from_the_schema_line():
    text = "\ufeff# yaml-language-server: $schema=../s.json\n# 第一行\n\n#第二行\nname: 甲  # 行尾\n"
    assert photo_command.leading_comments(text.lstrip("\ufeff")) == ("../s.json", ["第一行", "第二行"])
    assert photo_command._has_other_comments(text)
    assert not photo_command._has_other_comments('# a\nname: "甲 #1"\nx: y\n')


def test_an_image_whose_copy_stays_large_is_shrunk_further(monkeypatch, tmp_path):
    monkeypatch.setattr(photofiles, "MAX_PHOTO_BYTES", 2000)
    noise = Image.effect_noise((900, 900), 100).convert("RGB")
    source = tmp_path / "noise.png"
    noise.save(source)
    with pytest.raises(UsageError):
        photo_command.reencode(source)
    monkeypatch.setattr(photofiles, "MAX_PHOTO_BYTES", 450_000)
    data, size = photo_command.reencode(source)
    assert len(data) <= 450_000 and max(size) == 800
    assert Image.open(io.BytesIO(data)).size == size
