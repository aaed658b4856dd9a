"""What a photo file under records/<unit>/photos/ holds, for the photo rules (R007–R009).

`inspect(raw, size)` looks at a file's bytes and returns plain facts (a dict: format, size,
dimensions, the metadata it carries, why it cannot be decoded); the rules in `rules/photos.py`
turn the facts into findings. The metadata is found by walking the JPEG segments and PNG chunks
directly, against a list of what a plain picture needs (JFIF, ICC colour profile, Adobe colour
transform; PNG's image and colour chunks): everything else — EXIF (and its GPS block), XMP,
IPTC, JPEG comments, PNG text chunks, data after the end of the image — is reported. Only the
kind of metadata is named, never its content (a comment may quote a phone number).

The caps are technical, not the programme's, so they live here rather than in programme.yaml:
a photo made by `aixin photo add` is a JPEG of at most 1600 px on its long side (a few hundred
KB), so anything past 2 MB or 4000 px on its long side is an original straight from a camera.
(R008's docstring, the rules page, quotes these two numbers.)

Pillow is imported only when a photo is inspected (most runs inspect none: results are cached).
"""

from __future__ import annotations

import io
import os
import stat
import warnings

from aixin.load.loader import READ_FLAGS

MAX_PHOTO_BYTES = 2 * 1024 * 1024  # "2 MB"
MAX_PHOTO_SIDE = 4000  # pixels, the long side
MAX_PIXELS = 40_000_000  # beyond this a file is not decoded at all (as for the site's web copies)

JPEG_SIGNATURE = b"\xff\xd8\xff"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

EXIF = "EXIF 拍摄信息（相机、时间等）"
GPS = "GPS 位置"
TRAILING = "图片结束后附加的数据"

# JPEG segments a plain picture may carry: (marker, how its body starts).
_JPEG_ALLOWED = {(0xE0, b"JFIF\0"), (0xE0, b"JFXX\0"), (0xE2, b"ICC_PROFILE\0"), (0xEE, b"Adobe")}
_JPEG_KNOWN = {
    (0xE1, b"Exif\0\0"): EXIF,
    (0xE1, b"http://ns.adobe.com/xap/1.0/"): "XMP 信息",
    (0xE1, b"http://ns.adobe.com/xmp/extension/"): "XMP 信息",
    (0xE2, b"MPF\0"): "多图数据（MPF，常含另一张照片及其拍摄信息）",
    (0xED, b"Photoshop 3.0\0"): "IPTC／Photoshop 信息",
}
_PNG_ALLOWED = {
    b"IHDR",
    b"PLTE",
    b"IDAT",
    b"IEND",
    b"tRNS",
    b"cHRM",
    b"gAMA",
    b"iCCP",
    b"sBIT",
    b"sRGB",
    b"cICP",
    b"bKGD",
    b"pHYs",
    b"hIST",
}
_PNG_KNOWN = {
    b"tEXt": "PNG 文字信息",
    b"zTXt": "PNG 文字信息",
    b"iTXt": "PNG 文字信息",
    b"eXIf": EXIF,
    b"tIME": "修改时间",
}
# Formats people send instead of JPEG/PNG, named in the message.
_OTHER_FORMATS = (
    (0, b"GIF8", "GIF"),
    (0, b"BM", "BMP"),
    (0, b"II*\0", "TIFF"),
    (0, b"MM\0*", "TIFF"),
    (0, b"%PDF", "PDF"),
    (8, b"WEBP", "WebP"),
    (4, b"ftypheic", "HEIC（苹果手机的默认格式）"),
    (4, b"ftypheix", "HEIC"),
    (4, b"ftypmif1", "HEIF"),
    (4, b"ftypmsf1", "HEIF"),
)


def read(path: str, cap: int = MAX_PHOTO_BYTES) -> tuple[bytes | None, int]:
    """(bytes, size) of a photo or media file, reading at most one byte past `cap` (enough to
    tell that it is too big); (None, 0) if unreadable."""
    try:  # never through a symlink, never waiting on a FIFO
        fd = os.open(path, READ_FLAGS)
    except OSError:
        return None, 0
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, 0
        return os.read(fd, cap + 1), info.st_size
    except OSError:
        return None, 0
    finally:
        os.close(fd)


def unopened() -> dict:
    """The facts of a photo file that cannot be opened at all."""
    return {**_facts(0), "unreadable": "系统打不开这个文件（已不存在或没有读取权限）"}


def _facts(size: int) -> dict:
    return {"size": size, "format": None, "width": None, "height": None, "metadata": (), "unreadable": None}


def inspect(raw: bytes, size: int) -> dict:
    """The facts the photo rules read: size, format, width, height, metadata, unreadable."""
    facts = _facts(size)
    if size > MAX_PHOTO_BYTES or len(raw) > MAX_PHOTO_BYTES:
        return facts  # not read whole: the size alone is reported
    if raw.startswith(JPEG_SIGNATURE):
        facts["format"], (metadata, complete) = "JPEG", _jpeg_metadata(raw)
    elif raw.startswith(PNG_SIGNATURE):
        facts["format"], (metadata, complete) = "PNG", _png_metadata(raw)
    else:
        facts["unreadable"] = _not_an_image(raw)
        return facts
    facts["metadata"] = tuple(dict.fromkeys(metadata))  # each kind once, in file order
    dimensions, problem = _decode(raw)
    if dimensions:
        facts["width"], facts["height"] = dimensions
    if problem is None and not complete:
        problem = "文件不完整（缺少图片的结尾），可能没有上传完"
    facts["unreadable"] = problem
    return facts


def named_format(raw: bytes, signatures: tuple[tuple[int, bytes, str], ...]) -> str | None:
    """The name of the first format whose signature (offset, bytes) the file's start carries."""
    return next((name for offset, sig, name in signatures if raw[offset : offset + len(sig)] == sig), None)


def _not_an_image(raw: bytes) -> str:
    if not raw:
        return "文件是空的"
    name = named_format(raw, _OTHER_FORMATS)
    if name is not None:
        return f"这是 {name} 文件，不是 JPEG 或 PNG 图片"
    return "不是 JPEG 或 PNG 图片（可能是其他文件改了扩展名）"


# --- JPEG ---------------------------------------------------------------------------------------


def _jpeg_metadata(raw: bytes) -> tuple[list[str], bool]:
    """(metadata found, whether the end-of-image marker was reached) by walking the segments."""
    found: list[str] = []
    pos, end = 2, len(raw)
    while pos + 2 <= end:
        if raw[pos] != 0xFF:
            return found, True  # damaged structure: the decoder says what is wrong
        marker = raw[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # end of image
            if raw[pos + 2 :].strip(b"\0\r\n\t "):
                found.append(TRAILING)
            return found, True
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a body
            pos += 2
            continue
        if pos + 4 > end:
            return found, False
        length = int.from_bytes(raw[pos + 2 : pos + 4], "big")
        body = raw[pos + 4 : pos + 2 + length]
        label = _jpeg_segment(marker, body)
        if label:
            found.append(label)
            if label == EXIF and _exif_has_gps(body[6:]):
                found.insert(len(found) - 1, GPS)
        pos += 2 + length
        if marker == 0xDA:  # entropy-coded data up to the next real marker
            pos = _skip_scan(raw, pos)
            if pos < 0:
                return found, False
    return found, False


def _jpeg_segment(marker: int, body: bytes) -> str | None:
    """The metadata a segment carries, or None for what a picture needs."""
    if marker == 0xFE:
        return "注释"
    if not 0xE0 <= marker <= 0xEF:
        return None  # tables, frame and scan headers: the picture itself
    for allowed_marker, start in _JPEG_ALLOWED:
        if marker == allowed_marker and body.startswith(start):
            return None
    for (known_marker, start), label in _JPEG_KNOWN.items():
        if marker == known_marker and body.startswith(start):
            return label
    return f"其他附加数据（APP{marker - 0xE0} 段）"


def _skip_scan(raw: bytes, pos: int) -> int:
    """The position of the first marker after entropy-coded data, or -1 if the file ends first."""
    while True:
        pos = raw.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(raw):
            return -1
        following = raw[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart marker
            pos += 2
        elif following == 0xFF:  # fill byte before a marker
            pos += 1
        else:
            return pos


def _exif_has_gps(tiff: bytes) -> bool:
    """Whether the first IFD of an EXIF block points to a GPS IFD (tag 0x8825)."""
    order = {b"II": "little", b"MM": "big"}.get(tiff[:2])
    if order is None:
        return False
    ifd = int.from_bytes(tiff[4:8], order)
    count = min(int.from_bytes(tiff[ifd : ifd + 2], order), max(0, (len(tiff) - ifd - 2) // 12))
    return any(int.from_bytes(tiff[ifd + 2 + 12 * i : ifd + 4 + 12 * i], order) == 0x8825 for i in range(count))


# --- PNG ----------------------------------------------------------------------------------------


def _png_metadata(raw: bytes) -> tuple[list[str], bool]:
    """(metadata found, whether the IEND chunk was reached) by walking the chunks."""
    found: list[str] = []
    pos, end = len(PNG_SIGNATURE), len(raw)
    while pos + 8 <= end:
        length = int.from_bytes(raw[pos : pos + 4], "big")
        kind = raw[pos + 4 : pos + 8]
        data = raw[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IEND":
            if raw[pos:].strip(b"\0\r\n\t "):
                found.append(TRAILING)
            return found, pos <= end
        if kind in _PNG_ALLOWED:
            continue
        label = _PNG_KNOWN.get(kind, f"其他附加数据（{kind.decode('latin-1')} 块）")
        if label == EXIF and _exif_has_gps(data):
            found.append(GPS)
        found.append(label)
    return found, False


# --- decoding -----------------------------------------------------------------------------------


def _decode(raw: bytes) -> tuple[tuple[int, int] | None, str | None]:
    """((width, height) or None, why the pixels cannot be decoded or None).

    A picture past the side cap is not decoded: R008 already asks for it to be added again.
    """
    from PIL import Image

    dimensions = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=("JPEG", "PNG")) as image:
                dimensions = image.size
                width, height = dimensions
                if max(width, height) > MAX_PHOTO_SIDE or width * height > MAX_PIXELS:
                    return dimensions, None
                if image.format == "JPEG":
                    image.draft("RGB", (1, 1))  # every byte is still decoded; only at 1/8 scale
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return dimensions, "像素过多，可能是损坏或恶意的文件"
    except Image.UnidentifiedImageError:
        return dimensions, "文件开头像 JPEG 或 PNG，但无法识别为图片，可能已损坏"
    except MemoryError:
        return dimensions, "图片太大，内存不足，无法读取"
    except Exception as error:  # noqa: BLE001 — truncated or corrupt data: OSError, SyntaxError, ValueError …
        detail = str(error)[:80]
        return dimensions, f"文件不完整或已损坏（{type(error).__name__}: {detail}）"
    return dimensions, None
