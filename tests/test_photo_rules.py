"""The photo rules (R007–R011) on photos made here, the inspection behind them, and its cache.

The data-folder cases in tests/cases/rules/invalid/r007…r011 cover one finding each; here the
photos are built with Pillow so that each hazard is explicit: GPS in EXIF, a truncated JPEG, an
oversized file, an orphan, a broken link, and the repository's own example photos.

In the cases r007, r008 and r010, `records/chuanshan/photos` is a symbolic link to the case's
`photo-files/` folder: test_rules.py reads every file under a case's records/ as UTF-8 (to look
for personal numbers), which a JPEG or PNG is not, and pathlib's rglob does not descend into a
linked folder, while shutil.copytree copies its files into the checked tree.
"""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from aixin.check.engine import run_check
from aixin.photos import inspection as photofiles
from aixin.photos.images import encode
from conftest import CASES, REPO, TODAY

PHOTO_CODES = {"R007", "R008", "R009", "R010", "R011"}
GIRL = "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml"
PHOTOS = "records/chuanshan/photos"


def picture(width: int = 80, height: int = 60) -> Image.Image:
    image = Image.new("RGB", (width, height), (90, 140, 200))
    for x in range(0, width, 7):
        image.putpixel((x, height // 2), (250, 250, 250))
    return image


def jpeg(image: Image.Image | None = None, **options) -> bytes:
    buffer = io.BytesIO()
    (image or picture()).save(buffer, "JPEG", quality=85, **options)
    return buffer.getvalue()


def png(image: Image.Image | None = None, **options) -> bytes:
    buffer = io.BytesIO()
    (image or picture()).save(buffer, "PNG", **options)
    return buffer.getvalue()


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"
    exif[0x8825] = {1: "N", 2: (30.0, 31.0, 0.0), 3: "E", 4: (105.0, 35.0, 0.0)}
    return exif


@pytest.fixture
def root(make_root):
    return make_root(CASES / "valid" / "records")


def link_girl_photo(root, name: str) -> None:
    path = root / GIRL
    text = path.read_text("utf-8")
    assert "\nphoto:" not in text
    path.write_text(text.replace("poor_household: false\n", f"poor_household: false\nphoto: photos/{name}\n"), "utf-8")


def add_linked_photo(root, name: str, data: bytes) -> str:
    (root / PHOTOS).mkdir(exist_ok=True)
    (root / PHOTOS / name).write_bytes(data)
    link_girl_photo(root, name)
    return f"{PHOTOS}/{name}"


def photo_findings(root, **options):
    options = {"use_cache": False, **options}
    result = run_check(root, today=TODAY, jobs=1, **options)
    return [f for f in result.findings if f.rule in PHOTO_CODES]


def rules_by_file(findings) -> list[tuple[str, str]]:
    return sorted((f.rule, f.file) for f in findings)


# ------------------------------------------------------------------ the rules on a repository


def test_the_valid_tree_and_a_clean_linked_photo_pass(root):
    add_linked_photo(root, "chuanshan-g-3m8x4p-1.jpg", encode(picture()))
    assert photo_findings(root) == []


def test_the_repository_example_photos_pass():
    findings = run_check(REPO, use_cache=False, jobs=1).findings
    assert [f for f in findings if f.rule in PHOTO_CODES] == []
    assert sorted(p.name for p in (REPO / "records").glob("*/photos/*"))  # there are photos to check


def test_gps_in_exif_is_a_finding(root):
    rel = add_linked_photo(root, "chuanshan-g-3m8x4p-1.jpg", jpeg(exif=gps_exif(), comment=b"13912340001"))
    (finding,) = photo_findings(root)
    assert (finding.rule, finding.file, finding.line) == ("R007", rel, 1)
    assert "GPS 位置" in finding.message and "注释" in finding.message and "EXIF" in finding.message
    assert "13912340001" not in finding.message + finding.hint  # the kind of metadata, never its content
    assert "aixin photo add" in finding.hint


def test_a_png_text_chunk_is_a_finding(root):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "拍摄地点：示例村")
    add_linked_photo(root, "chuanshan-g-3m8x4p-1.png", png(pnginfo=info))
    (finding,) = photo_findings(root)
    assert finding.rule == "R007" and "PNG 文字信息" in finding.message


def test_a_truncated_jpeg_is_a_finding(root):
    data = jpeg(picture(400, 300))
    rel = add_linked_photo(root, "chuanshan-g-3m8x4p-1.jpg", data[: len(data) // 2])
    (finding,) = photo_findings(root)
    assert (finding.rule, finding.file) == ("R009", rel)
    assert "不完整" in finding.message


def test_a_heic_renamed_to_jpg_is_named(root):
    add_linked_photo(root, "chuanshan-g-3m8x4p-1.jpg", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(64))
    (finding,) = photo_findings(root)
    assert finding.rule == "R009" and "HEIC" in finding.message


def test_an_oversized_file_is_a_finding(root):
    noise = Image.frombytes("RGB", (1000, 800), random.Random(1).randbytes(1000 * 800 * 3))
    data = png(noise, compress_level=1)
    assert len(data) > photofiles.MAX_PHOTO_BYTES
    rel = add_linked_photo(root, "chuanshan-g-3m8x4p-1.png", data)
    (finding,) = photo_findings(root)
    assert (finding.rule, finding.file) == ("R008", rel)
    assert "超过上限 2 MB" in finding.message


def test_a_photo_over_the_side_cap_is_a_finding(root):
    add_linked_photo(root, "chuanshan-g-3m8x4p-1.png", png(Image.new("L", (8, 4001), 128)))
    (finding,) = photo_findings(root)
    assert finding.rule == "R008" and "8×4001" in finding.message


def test_an_orphan_photo_is_a_finding(root):
    (root / PHOTOS / "left-over.jpg").write_bytes(encode(picture()))
    (root / PHOTOS / "2019").mkdir()
    (root / PHOTOS / "2019" / "nested.jpg").write_bytes(encode(picture()))
    findings = photo_findings(root)
    assert rules_by_file(findings) == [("R010", f"{PHOTOS}/2019/nested.jpg"), ("R010", f"{PHOTOS}/left-over.jpg")]
    assert "子文件夹" in findings[0].message


def test_no_orphan_is_reported_while_a_record_of_the_unit_cannot_be_read(root):
    (root / PHOTOS / "left-over.jpg").write_bytes(encode(picture()))
    path = root / "records/chuanshan/logs/chuanshan-p-5t1w6r/chuanshan-l-a1s2d3.yaml"
    path.write_text(path.read_text("utf-8").replace("kind: 节日陪伴", "kind: 聚餐"), "utf-8")
    result = run_check(root, today=TODAY, jobs=1, use_cache=False)
    assert "S004" in {f.rule for f in result.findings}
    assert [f for f in result.findings if f.rule in PHOTO_CODES] == []


def test_a_link_to_a_missing_file_is_a_finding(root):
    link_girl_photo(root, "chuanshan-g-3m8x4p-1.jpg")
    (finding,) = photo_findings(root)
    assert (finding.rule, finding.file, finding.line) == ("R011", GIRL, 9)
    assert "photos/chuanshan-g-3m8x4p-1.jpg" in finding.message


def test_a_link_with_the_wrong_case_names_the_real_file(root):
    (root / PHOTOS / "chuanshan-g-3m8x4p-1.jpg").write_bytes(encode(picture()))
    link_girl_photo(root, "Chuanshan-G-3m8x4p-1.JPG")
    findings = photo_findings(root)
    assert rules_by_file(findings) == [("R010", f"{PHOTOS}/chuanshan-g-3m8x4p-1.jpg"), ("R011", GIRL)]
    (broken,) = [f for f in findings if f.rule == "R011"]
    assert "“chuanshan-g-3m8x4p-1.jpg”" in broken.hint and "大小写" in broken.hint


def test_a_photo_of_another_unit_does_not_count(root):
    (root / "records/anju/photos").mkdir(parents=True)
    (root / "records/anju/photos/chuanshan-g-3m8x4p-1.jpg").write_bytes(encode(picture()))
    link_girl_photo(root, "chuanshan-g-3m8x4p-1.jpg")
    assert rules_by_file(photo_findings(root)) == [("R010", "records/anju/photos/chuanshan-g-3m8x4p-1.jpg"), ("R011", GIRL)]


def test_media_links_need_their_file_only(root):
    log = root / "records/chuanshan/logs/chuanshan-p-5t1w6r/chuanshan-l-a1s2d3.yaml"
    log.write_text(log.read_text("utf-8") + "attachments: [media/zhongqiu-2019.mp4]\n", "utf-8")
    (finding,) = photo_findings(root)
    assert (finding.rule, finding.file, finding.line) == ("R011", log.relative_to(root).as_posix(), 10)
    assert "音视频" in finding.message
    (root / "records/chuanshan/media").mkdir()
    (root / "records/chuanshan/media/zhongqiu-2019.mp4").write_bytes(b"its content is R016's (test_media_rules)")
    (root / "records/chuanshan/media/unlinked.mp3").write_bytes(b"an unlinked media file is R018, not R010")
    assert photo_findings(root) == []


# ------------------------------------------------------------------ the cache


def test_photo_checks_are_cached_by_content(root, monkeypatch):
    rel = add_linked_photo(root, "chuanshan-g-3m8x4p-1.jpg", encode(picture()))
    calls = []
    real = photofiles.inspect
    monkeypatch.setattr(photofiles, "inspect", lambda raw, size: calls.append(size) or real(raw, size))
    assert photo_findings(root, use_cache=True) == []
    assert len(calls) == 2  # the new photo and the valid tree's own
    assert photo_findings(root, use_cache=True) == []
    assert len(calls) == 2  # nothing changed: not inspected again
    (root / rel).write_bytes(jpeg(exif=gps_exif()))
    assert rules_by_file(photo_findings(root, use_cache=True)) == [("R007", rel)]
    assert len(calls) == 3  # only the changed photo
    (root / rel).write_bytes(encode(picture()))
    assert photo_findings(root, use_cache=True) == []


# ------------------------------------------------------------------ the inspection itself


def test_our_own_jpeg_and_png_are_clean():
    for data in (encode(picture()), png()):
        facts = photofiles.inspect(data, len(data))
        assert facts["metadata"] == () and facts["unreadable"] is None and facts["width"] == 80


def test_a_colour_profile_is_allowed():
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for data in (jpeg(icc_profile=icc), png(icc_profile=icc)):
        assert photofiles.inspect(data, len(data))["metadata"] == ()


def test_data_after_the_end_of_the_image_is_metadata():
    for data in (encode(picture()) + b"PK\3\4 hidden archive", png() + b"appended"):
        assert photofiles.inspect(data, len(data))["metadata"] == (photofiles.TRAILING,)


def test_exif_without_gps_is_named_as_exif_only():
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"
    data = jpeg(exif=exif)
    assert photofiles.inspect(data, len(data))["metadata"] == (photofiles.EXIF,)


def test_a_png_without_its_end_is_incomplete():
    data = png()[:-12]  # no IEND chunk
    assert "不完整" in photofiles.inspect(data, len(data))["unreadable"]


def test_a_damaged_png_chunk_is_unreadable():
    data = bytearray(png())
    idat = data.index(b"IDAT")
    data[idat + 10] ^= 0xFF  # the CRC no longer matches
    assert photofiles.inspect(bytes(data), len(data))["unreadable"]


def test_an_oversized_file_is_not_read_whole():
    facts = photofiles.inspect(b"\xff\xd8\xff" + bytes(10), photofiles.MAX_PHOTO_BYTES + 1)
    assert facts["size"] > photofiles.MAX_PHOTO_BYTES and facts["unreadable"] is None


def test_read_caps_what_it_reads(tmp_path):
    path = tmp_path / "big.jpg"
    path.write_bytes(bytes(photofiles.MAX_PHOTO_BYTES + 100))
    raw, size = photofiles.read(str(path))
    assert len(raw) == photofiles.MAX_PHOTO_BYTES + 1 and size == photofiles.MAX_PHOTO_BYTES + 100
    assert photofiles.read(str(tmp_path / "missing.jpg")) == (None, 0)


def test_the_exif_gps_check_survives_garbage():
    assert photofiles._exif_has_gps(b"") is False
    assert photofiles._exif_has_gps(b"II*\0\xff\xff\xff\xff") is False
    assert photofiles._exif_has_gps(b"MM\0*\0\0\0\x08\xff\xff" + bytes(30)) is False
