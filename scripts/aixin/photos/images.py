"""Web copies of photos for the private site: pixels only, re-encoded, never the original file.

`web_copies(source, dest_dir, stem)` decodes a record's photo (JPEG or PNG only) and writes two new
JPEG files into `dest_dir`: `<stem>-thumb.jpg` (long side at most THUMB_SIZE) and `<stem>.jpg`
(long side at most DISPLAY_SIZE; smaller photos are not enlarged). Only pixels survive: the EXIF
orientation is applied and then EXIF (GPS, camera, time), ICC profiles (converted to sRGB first),
XMP, comments and every other chunk or segment are left behind.

A photo that cannot be used — missing, not a JPEG/PNG, truncated, undecodable, or with more than
MAX_PIXELS pixels (a decompression bomb) — gives a `PhotoResult` with a Chinese `problem` and
nothing written; it never raises. Failing to write into `dest_dir` is not a photo problem and does
raise (OSError).

Writes are atomic (a temporary file in `dest_dir`, then `os.replace`) and deterministic: the same
input and the same Pillow/libjpeg give the same bytes. A file already holding those bytes is left
untouched, so a rebuild does not change its modification time.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

THUMB_SIZE = 320
DISPLAY_SIZE = 1600
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85
FORMATS = ("JPEG", "PNG")  # what the schemas allow (.jpg/.jpeg/.png); never EPS, PSD and the like
STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
BACKGROUND = (255, 255, 255)  # transparent areas become white

_SRGB = None  # the sRGB profile, built once on first use


@dataclass(frozen=True)
class PhotoResult:
    thumb: str | None  # file name written in dest_dir (JPEG), "<stem>-thumb.jpg"
    display: str | None  # "<stem>.jpg"
    problem: str | None  # why the photo cannot be used (then thumb and display are None)

    @property
    def ok(self) -> bool:
        return self.problem is None


class Unusable(Exception):
    """A photo that cannot be used; its message is the Chinese problem."""


def web_copies(source: Path, dest_dir: Path, stem: str) -> PhotoResult:
    """Write `<stem>-thumb.jpg` and `<stem>.jpg` into `dest_dir`, re-encoded from `source`'s pixels."""
    if not STEM.fullmatch(stem):
        raise ValueError(f"invalid stem for a web copy: {stem!r}")
    source, dest_dir = Path(source), Path(dest_dir)
    try:
        image = decode(source)
        display = fit(image, DISPLAY_SIZE)
        thumb = fit(display, THUMB_SIZE)
        display_bytes, thumb_bytes = encode(display), encode(thumb)
    except Unusable as exc:
        return PhotoResult(None, None, str(exc))
    thumb_name, display_name = f"{stem}-thumb.jpg", f"{stem}.jpg"
    dest_dir.mkdir(parents=True, exist_ok=True)
    _write_atomic(dest_dir / display_name, display_bytes)
    _write_atomic(dest_dir / thumb_name, thumb_bytes)
    return PhotoResult(thumb_name, display_name, None)


# --- decoding -----------------------------------------------------------------------------------

def _too_many(width: int, height: int) -> Unusable:
    limit = f"上限 {MAX_PIXELS // 10_000:,} 万"
    size = f"{width}×{height}，约 {width * height / 10_000:,.0f} 万像素，{limit}" if width * height else f"超过{limit}"
    return Unusable(f"照片像素过多（{size}），可能是损坏或恶意的文件")


def decode(source: Path) -> Image.Image:
    """The photo's pixels as an RGB image, orientation applied; raises Unusable."""
    if not source.is_file():
        raise Unusable(f"无法读取照片：找不到文件 {source.name}")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that; either way it is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source, formats=FORMATS) as im:
                width, height = im.size
                if width * height > MAX_PIXELS:
                    raise _too_many(width, height)
                if im.format == "JPEG":
                    im.draft("RGB", (DISPLAY_SIZE, DISPLAY_SIZE))  # decode at a reduced scale when large
                im.load()
                icc = im.info.get("icc_profile")
                try:
                    im = ImageOps.exif_transpose(im)
                except Exception:  # a damaged EXIF block: keep the pixels as stored
                    im = im.copy()
                return _to_rgb(im, icc)
    except Unusable:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many(*_header_size(source)) from None
    except Image.UnidentifiedImageError:
        raise Unusable("无法读取照片：不是 JPEG 或 PNG 图片（可能是其他格式改了扩展名，或文件已损坏）") from None
    except MemoryError:
        raise Unusable("无法读取照片：图片太大，内存不足") from None
    except Exception as exc:  # truncated or corrupt data: OSError, SyntaxError, ValueError, EOFError …
        raise Unusable(f"无法读取照片：文件不完整或已损坏（{type(exc).__name__}: {exc}）") from None


def _header_size(source: Path) -> tuple[int, int]:
    """Width and height from the file header, for the message; Image.open refuses past twice its limit.

    The format plugins read the header without Pillow's size check (that lives in Image.open);
    nothing is decoded, and no global setting is touched.
    """
    from PIL import JpegImagePlugin, PngImagePlugin

    try:
        with open(source, "rb") as fp:
            head = fp.read(8)
            fp.seek(0)
            if head.startswith(b"\x89PNG\r\n\x1a\n"):
                return PngImagePlugin.PngImageFile(fp).size
            if head.startswith(b"\xff\xd8\xff"):
                return JpegImagePlugin.JpegImageFile(fp).size
    except Exception:
        pass
    return (0, 0)


def _to_rgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB pixels in sRGB; transparency flattened onto white; 16-bit greys scaled to 8 bits."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        im = im.convert("I")
    if im.mode == "I":
        im = im.point(lambda v: v * (1 / 256)).convert("L")
    elif im.mode == "F":
        im = im.convert("L")
    if icc and im.mode in ("RGB", "CMYK", "L"):
        im = _to_srgb(im, icc)
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (im.mode in ("P", "L", "RGB") and "transparency" in im.info):
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, BACKGROUND)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return im.convert("RGB")


def _to_srgb(im: Image.Image, icc: bytes) -> Image.Image:
    """Convert through the embedded ICC profile to sRGB; a profile that does not work is ignored."""
    global _SRGB
    try:
        if _SRGB is None:
            _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        converted = ImageCms.profileToProfile(im, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode="RGB")
        return converted if converted is not None else im
    except Exception:
        return im


# --- resizing and encoding ----------------------------------------------------------------------

def fit(im: Image.Image, size: int) -> Image.Image:
    """A copy whose long side is at most `size` (aspect ratio kept, never enlarged)."""
    out = im.copy()
    out.thumbnail((size, size), Image.Resampling.LANCZOS)
    return out


def encode(im: Image.Image) -> bytes:
    """A new baseline JPEG of the pixels alone: a fresh image, so no info (comment, ICC …) rides along."""
    clean = Image.frombytes("RGB", im.size, im.convert("RGB").tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False, subsampling="4:2:0")
    return buffer.getvalue()


def _write_atomic(target: Path, data: bytes) -> None:
    try:
        if target.is_file() and target.read_bytes() == data:
            return
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
