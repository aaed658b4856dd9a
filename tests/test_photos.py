"""Web copies of photos: pixels only (no EXIF, GPS, comment, ICC, XMP), orientation applied, bounded
sizes, bombs and broken files refused without an exception, deterministic, never the original."""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms

from aixin.photos.images import DISPLAY_SIZE, MAX_PIXELS, THUMB_SIZE, PhotoResult, web_copies
from conftest import REPO

COMMENT = b"secret comment: taken at home of girl"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/>SECRET-XMP</x:xmpmeta>'


# --- building test images -----------------------------------------------------------------------

def striped(width: int, height: int) -> Image.Image:
    """Grey, with a red band along the top edge of the stored pixels (to see where it ends up)."""
    im = Image.new("RGB", (width, height), (128, 128, 128))
    im.paste((255, 0, 0), (0, 0, width, max(1, height // 5)))
    return im


def gps_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.Model] = "Model X"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (30.0, 31.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 35.0, 7.25)
    return exif


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


@pytest.fixture
def tagged_jpeg(tmp_path) -> Path:
    """A 400×200 JPEG stored landscape, orientation 6, with GPS EXIF, a comment, ICC and XMP."""
    path = tmp_path / "src" / "tagged.jpg"
    path.parent.mkdir()
    striped(400, 200).save(path, "JPEG", quality=90, exif=gps_exif(6), comment=COMMENT, icc_profile=srgb_icc(), xmp=XMP)
    with Image.open(path) as im:  # the source really carries what must not survive
        assert im.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert im.getexif()[ExifTags.Base.Orientation] == 6
        assert im.info["comment"] == COMMENT and im.info.get("icc_profile") and b"SECRET-XMP" in im.info["xmp"]
    return path


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png_bomb(path: Path, width: int, height: int) -> None:
    """A valid all-black 1-bit PNG of width×height: tiny on disk, huge once decoded. Streamed, low memory."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    packer, idat = zlib.compressobj(9), []
    block = row * 256
    for _ in range(height // 256):
        idat.append(packer.compress(block))
    idat.append(packer.compress(row * (height % 256)))
    idat.append(packer.flush())
    with open(path, "wb") as fp:
        fp.write(b"\x89PNG\r\n\x1a\n")
        fp.write(png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)))
        fp.write(png_chunk(b"IDAT", b"".join(idat)))
        fp.write(png_chunk(b"IEND", b""))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_clean_jpeg(path: Path, limit: int) -> Image.Image:
    data = path.read_bytes()
    for secret in (b"Exif", b"SecretCam", COMMENT, b"SECRET-XMP", b"ICC_PROFILE", b"http://ns.adobe.com/xap"):
        assert secret not in data, secret
    with Image.open(path) as im:
        im.load()
        assert im.format == "JPEG" and im.mode == "RGB"
        assert not im.getexif()
        assert not im.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        for key in ("exif", "comment", "icc_profile", "xmp", "photoshop", "adobe"):
            assert key not in im.info, key
        assert max(im.size) <= limit
        return im.copy()


def written(dest: Path) -> list[str]:
    return sorted(p.name for p in dest.iterdir()) if dest.exists() else []


# --- what survives: pixels only ----------------------------------------------------------------

def test_only_pixels_survive_and_orientation_is_applied(tagged_jpeg, tmp_path):
    dest = tmp_path / "out"
    result = web_copies(tagged_jpeg, dest, "tagged")
    assert result == PhotoResult(thumb="tagged-thumb.jpg", display="tagged.jpg", problem=None)
    assert written(dest) == ["tagged-thumb.jpg", "tagged.jpg"]
    display = assert_clean_jpeg(dest / "tagged.jpg", DISPLAY_SIZE)
    thumb = assert_clean_jpeg(dest / "tagged-thumb.jpg", THUMB_SIZE)
    # stored 400×200 with orientation 6 (rotate 90° clockwise to view): shown 200×400
    assert display.size == (200, 400)
    assert thumb.size == (160, 320)
    # the band along the stored top edge is now along the right edge
    right, left = display.getpixel((195, 200)), display.getpixel((5, 200))
    assert right[0] > 200 and right[1] < 60, right
    assert abs(left[0] - 128) < 20 and abs(left[1] - 128) < 20, left


def test_large_photos_are_reduced_keeping_the_aspect_ratio(tmp_path):
    source = tmp_path / "big.png"
    striped(3200, 2000).save(source)
    result = web_copies(source, tmp_path / "out", "big")
    assert result.problem is None
    assert assert_clean_jpeg(tmp_path / "out" / result.display, DISPLAY_SIZE).size == (1600, 1000)
    assert assert_clean_jpeg(tmp_path / "out" / result.thumb, THUMB_SIZE).size == (320, 200)


def test_large_jpeg_is_reduced(tmp_path):
    source = tmp_path / "big.jpg"
    striped(4000, 3000).save(source, quality=80)
    result = web_copies(source, tmp_path / "out", "big")
    assert result.problem is None
    assert assert_clean_jpeg(tmp_path / "out" / result.display, DISPLAY_SIZE).size == (1600, 1200)
    assert assert_clean_jpeg(tmp_path / "out" / result.thumb, THUMB_SIZE).size == (320, 240)


def test_small_photos_are_not_enlarged(tmp_path):
    source = tmp_path / "small.png"
    striped(120, 90).save(source)
    result = web_copies(source, tmp_path / "out", "small")
    assert assert_clean_jpeg(tmp_path / "out" / result.display, DISPLAY_SIZE).size == (120, 90)
    assert assert_clean_jpeg(tmp_path / "out" / result.thumb, THUMB_SIZE).size == (120, 90)


def test_png_text_chunks_and_transparency(tmp_path):
    from PIL import PngImagePlugin

    source = tmp_path / "alpha.png"
    im = Image.new("RGBA", (100, 60), (0, 0, 0, 0))  # fully transparent black
    im.paste((0, 0, 255, 255), (0, 0, 50, 60))
    meta = PngImagePlugin.PngInfo()
    meta.add_text("Comment", COMMENT.decode())
    meta.add_text("XML:com.adobe.xmp", XMP.decode())
    im.save(source, pnginfo=meta, exif=gps_exif(1), icc_profile=srgb_icc())
    result = web_copies(source, tmp_path / "out", "alpha")
    out = assert_clean_jpeg(tmp_path / "out" / result.display, DISPLAY_SIZE)
    assert min(out.getpixel((90, 30))) > 240  # transparent became white, not black
    blue = out.getpixel((10, 30))
    assert blue[2] > 200 and blue[0] < 40


@pytest.mark.parametrize("mode", ["L", "P", "CMYK", "I;16", "LA", "1"])
def test_other_modes_become_rgb(tmp_path, mode):
    source = tmp_path / ("m.jpg" if mode in ("L", "CMYK") else "m.png")
    Image.new("RGB", (64, 48), (200, 100, 50)).convert(mode).save(source)
    result = web_copies(source, tmp_path / "out", "m")
    assert result.problem is None, result.problem
    assert assert_clean_jpeg(tmp_path / "out" / result.display, DISPLAY_SIZE).size == (64, 48)


# --- refused photos -----------------------------------------------------------------------------

@pytest.mark.filterwarnings("error")  # Pillow's DecompressionBombWarning must not escape either
@pytest.mark.parametrize("size", [(7000, 7000), (10000, 10000), (20000, 20000)],
                         ids=["over-our-limit", "over-pillow-warning", "over-pillow-error"])
def test_decompression_bomb_is_refused(tmp_path, size):
    source = tmp_path / "bomb.png"
    write_png_bomb(source, *size)
    assert source.stat().st_size < 200_000
    assert size[0] * size[1] > MAX_PIXELS
    dest = tmp_path / "out"
    result = web_copies(source, dest, "bomb")
    assert result.thumb is None and result.display is None
    assert result.problem.startswith("照片像素过多（")
    assert f"{size[0]}×{size[1]}" in result.problem
    assert "可能是损坏或恶意的文件" in result.problem
    assert written(dest) == []


def test_just_under_the_limit_is_accepted_shape(tmp_path):
    # the bomb helper makes real PNGs: a small one decodes fine (so the refusals above are about size)
    source = tmp_path / "fine.png"
    write_png_bomb(source, 300, 200)
    result = web_copies(source, tmp_path / "out", "fine")
    assert result.problem is None
    assert assert_clean_jpeg(tmp_path / "out" / result.display, DISPLAY_SIZE).size == (300, 200)


def test_truncated_jpeg_is_a_problem(tmp_path):
    whole = tmp_path / "whole.jpg"
    Image.effect_noise((600, 400), 60).convert("RGB").save(whole, quality=90)
    data = whole.read_bytes()
    source = tmp_path / "cut.jpg"
    source.write_bytes(data[: len(data) // 2])
    dest = tmp_path / "out"
    result = web_copies(source, dest, "cut")
    assert (result.thumb, result.display) == (None, None)
    assert result.problem.startswith("无法读取照片：")
    assert written(dest) == []


@pytest.mark.parametrize("content", [
    "这不是照片，只是一段文字。\n".encode(),
    b"",
    b"\xff\xd8\xff\xe0garbage",  # a JPEG start and then nothing sensible
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 30,
], ids=["text", "empty", "jpeg-garbage", "png-garbage"])
def test_not_an_image_is_a_problem(tmp_path, content):
    source = tmp_path / "photo.jpg"
    source.write_bytes(content)
    dest = tmp_path / "out"
    result = web_copies(source, dest, "photo")
    assert (result.thumb, result.display) == (None, None)
    assert result.problem.startswith("无法读取照片：")
    assert written(dest) == []


def test_other_formats_are_not_decoded(tmp_path):
    source = tmp_path / "really-a-gif.jpg"
    Image.new("RGB", (20, 20), (1, 2, 3)).save(source, format="GIF")
    result = web_copies(source, tmp_path / "out", "gif")
    assert result.problem is not None and result.problem.startswith("无法读取照片：")
    assert written(tmp_path / "out") == []


def test_missing_file_and_folder_are_problems(tmp_path):
    for source in (tmp_path / "nope.jpg", tmp_path):
        result = web_copies(source, tmp_path / "out", "nope")
        assert result.problem is not None and result.problem.startswith("无法读取照片：")
    assert written(tmp_path / "out") == []


@pytest.mark.parametrize("stem", ["", "../x", "a/b", ".hidden", "x y"])
def test_bad_stems_are_a_programming_error(tmp_path, tagged_jpeg, stem):
    with pytest.raises(ValueError):
        web_copies(tagged_jpeg, tmp_path / "out", stem)


# --- determinism, atomicity, never the original ---------------------------------------------------

def test_same_input_same_bytes(tagged_jpeg, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    assert web_copies(tagged_jpeg, first, "p") == web_copies(tagged_jpeg, second, "p")
    for name in ("p.jpg", "p-thumb.jpg"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    before = {name: (first / name).stat().st_mtime_ns for name in ("p.jpg", "p-thumb.jpg")}
    assert web_copies(tagged_jpeg, first, "p").problem is None  # rebuilding leaves equal files alone
    assert {name: (first / name).stat().st_mtime_ns for name in before} == before
    assert written(first) == ["p-thumb.jpg", "p.jpg"]  # no temporary files left behind


def test_replaces_an_older_copy(tagged_jpeg, tmp_path):
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "p.jpg").write_bytes(b"old")
    web_copies(tagged_jpeg, dest, "p")
    assert (dest / "p.jpg").read_bytes() != b"old"
    assert written(dest) == ["p-thumb.jpg", "p.jpg"]


def test_the_original_is_never_copied(tmp_path):
    # a small, clean baseline JPEG that would need no resizing: still re-encoded, never copied
    source = tmp_path / "clean.jpg"
    striped(200, 150).save(source, quality=85, optimize=True)
    dest = tmp_path / "out"
    web_copies(source, dest, "clean")
    original = sha(source)
    assert all(sha(p) != original for p in dest.iterdir())


def test_tagged_original_is_never_copied(tagged_jpeg, tmp_path):
    dest = tmp_path / "out"
    web_copies(tagged_jpeg, dest, "tagged")
    original = tagged_jpeg.read_bytes()
    for path in dest.iterdir():
        assert path.read_bytes() != original
        assert sha(path) != sha(tagged_jpeg)


# --- the example photos in records/ ---------------------------------------------------------------

def example_photos() -> list[Path]:
    return sorted(p for p in (REPO / "records").glob("*/photos/*") if p.is_file())


def test_example_photos_are_small_clean_and_usable(tmp_path):
    photos = example_photos()
    assert photos, "records/<unit>/photos/ should hold a few fictional example photos"
    for path in photos:
        assert path.stat().st_size < 60_000, path.name
        with Image.open(path) as im:
            assert im.format in ("JPEG", "PNG")
            assert not im.getexif(), path.name
            for key in ("comment", "icc_profile", "xmp", "exif"):
                assert key not in im.info, (path.name, key)
            assert not any(isinstance(v, str) for k, v in im.info.items() if k not in ("dpi",)), path.name
        result = web_copies(path, tmp_path / path.parent.parent.name, path.stem)
        assert result.problem is None, (path.name, result.problem)
