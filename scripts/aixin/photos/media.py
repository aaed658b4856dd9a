"""What an audio or video file under records/<unit>/media/ holds, for the media rules (R015–R017).

`inspect(raw, size, name)` returns plain facts (a dict: kind, size, cap, format, expected,
location, unreadable); the rules in `rules/photos.py` turn them into findings. The format is read
from the bytes, never from the name: MP4/MOV/M4A (ISO base media: an `ftyp` box), WAV (RIFF
WAVE) and MP3 (ID3 or an MPEG frame at the start) are recognised by their signature and then
opened with mutagen, which says whether the file really is one (3 MB of random bytes named .mp4
is not). Location metadata is looked for where phones and editors write it: `©xyz` and `loci`
boxes, QuickTime `keys` naming a location (`com.apple.quicktime.location.ISO6709`), XMP with GPS,
and ID3 frames (MP3, WAV) naming a location or holding an ISO 6709 coordinate. Only the kind of
metadata is named, never its content. mutagen reads the standard tags but not these boxes (it
skips `udta` children it does not know and QuickTime's `keys`), so the box walk below is ours.

The caps are technical, per kind, like the photos':
- audio (.mp3, .m4a, .wav) 10 MB: a voice recording at phone quality is about 1 MB a minute in
  MP3/M4A, so 10 MB is a long conversation; an uncompressed WAV past it should be saved as M4A.
- video (.mp4, .mov) 25 MB: the largest file GitHub's web page accepts in an upload, and the
  size of a short clip (a video sent through the work group is a few MB a minute). Longer videos
  are kept on the federation's shared drive and named in the log (docs/guide/ways.md).
The repository is cloned by every CI run and every coordinator: a few such files are fine,
hundreds of raw phone videos are not. (R015's docstring quotes these numbers.)
"""

from __future__ import annotations

import io
import re

from . import inspection

MB = 1024 * 1024
AUDIO, VIDEO = "audio", "video"
KINDS = {"mp3": AUDIO, "m4a": AUDIO, "wav": AUDIO, "mp4": VIDEO, "mov": VIDEO}
CAPS = {AUDIO: 10 * MB, VIDEO: 25 * MB}
MAX_MEDIA_BYTES = max(CAPS.values())  # what is ever read of a media file
KIND_WORDS = {AUDIO: "录音", VIDEO: "视频"}

# The real formats each extension accepts. MP4 and MOV are one container (a phone's .mov renamed
# .mp4 plays the same), and an .mp4 may hold sound only; an .m4a must hold no picture.
ACCEPTS = {"mp3": {"MP3"}, "wav": {"WAV"}, "m4a": {"M4A"}, "mp4": {"MP4", "MOV", "M4A"}, "mov": {"MOV", "MP4"}}
FORMAT_WORDS = {
    "MP3": "MP3 录音",
    "WAV": "WAV 录音",
    "M4A": "M4A 录音（只有声音的 MP4）",
    "MP4": "MP4 视频",
    "MOV": "MOV 视频（苹果手机的格式）",
}

GPS = "GPS 位置"
DAMAGED = "文件开头像录音或视频，但内容不完整或已损坏（可能没有上传完）"
# Formats people send instead, named in the message.
_OTHER_FORMATS = (
    (0, b"#!AMR", "AMR 语音（微信、手机录音机的格式）"),
    (0, b"#!SILK", "微信语音（SILK）"),
    (1, b"#!SILK", "微信语音（SILK）"),
    (0, b"OggS", "OGG 音频"),
    (0, b"fLaC", "FLAC 音频"),
    (0, b"\x1a\x45\xdf\xa3", "WebM／MKV 视频"),
    (8, b"AVI ", "AVI 视频"),
    (0, b"\x30\x26\xb2\x75", "WMA／WMV 文件"),
    (0, b"\xff\xd8\xff", "JPEG 图片"),
    (0, b"\x89PNG", "PNG 图片"),
    (0, b"%PDF", "PDF 文档"),
    (0, b"PK\x03\x04", "压缩包或 Office 文档"),
)


def kind_of(name: str) -> str | None:
    """ "audio" or "video" by a file name's extension, None for any other name."""
    return KINDS.get(name.rpartition(".")[2].lower())


def read(path: str) -> tuple[bytes | None, int]:
    """(bytes, size) of a media file, reading at most one byte past the largest cap."""
    return inspection.read(path, MAX_MEDIA_BYTES)


def facts(name: str, size: int) -> dict:
    """The facts of a media file before its bytes are looked at."""
    extension = name.rpartition(".")[2].lower()
    kind = KINDS.get(extension)
    return {
        "name": name.rpartition("/")[2],
        "extension": extension,
        "kind": kind,
        "size": size,
        "cap": CAPS.get(kind or "", 0),
        "format": None,
        "location": (),
        "unreadable": None,
    }


def unopened(name: str) -> dict:
    """The facts of a media file that cannot be opened at all."""
    return {**facts(name, 0), "unreadable": "系统打不开这个文件（已不存在或没有读取权限）"}


def inspect(raw: bytes, size: int, name: str) -> dict:
    """The facts the media rules read (see `facts`)."""
    found = facts(name, size)
    if found["kind"] is None:
        found["unreadable"] = "文件扩展名不是 .mp3、.m4a、.wav、.mp4 或 .mov"
        return found
    if size > found["cap"] or len(raw) > found["cap"]:
        return found  # not read whole: the size alone is reported
    if not raw:
        found["unreadable"] = "文件是空的"
        return found
    opened = _open(raw)
    if isinstance(opened, str):
        found["unreadable"] = opened
        return found
    found["format"], found["location"] = opened
    return found


def _open(raw: bytes) -> tuple[str, tuple[str, ...]] | str:
    """(format, location metadata found) of a file mutagen opens, or why it is not a media file."""
    try:
        if raw[4:8] == b"ftyp":
            return _iso_media(raw)
        if raw[:4] == b"RIFF" and raw[8:12] == b"WAVE":
            from mutagen.wave import WAVE

            return "WAV", _id3_location(WAVE(io.BytesIO(raw)).tags)
        if raw[:3] == b"ID3" or (len(raw) > 1 and raw[0] == 0xFF and raw[1] & 0xE0 == 0xE0):
            from mutagen.mp3 import MP3

            return "MP3", _id3_location(MP3(io.BytesIO(raw)).tags)
    except Exception:  # noqa: BLE001 — MutagenError, struct and index errors of a damaged file: the check goes on
        return DAMAGED
    label = inspection.named_format(raw, _OTHER_FORMATS)
    if label is not None:
        return f"这是{' ' if label[0].isascii() else ''}{label}，不是 MP3、M4A、WAV、MP4 或 MOV 文件"
    return "不是录音或视频文件（可能是其他文件改了扩展名，或文件已损坏）"


# --- MP4, MOV, M4A ------------------------------------------------------------------------------

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"udta", b"meta", b"ilst", b"edts", b"moof", b"traf"}
_XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
_LOCATION_WORDS = re.compile(rb"location|gps|geo|latitude|longitude|iso6709", re.IGNORECASE)
_MAX_DEPTH = 12


def _iso_media(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """(MP4, MOV or M4A, location metadata) of an ISO base media file that mutagen opens."""
    from mutagen.mp4 import MP4

    MP4(io.BytesIO(raw))  # raises when there is no movie header, or the boxes do not add up
    if not _complete(raw):
        raise ValueError("truncated")  # the last box goes past the end: an interrupted upload
    handlers: list[bytes] = []
    location: list[str] = []
    _walk(raw, 0, len(raw), 0, handlers, location)
    if raw[8:12] == b"qt  ":
        real = "MOV"
    elif b"vide" in handlers:
        real = "MP4"
    else:
        real = "M4A"
    return real, tuple(dict.fromkeys(location))


def _complete(raw: bytes) -> bool:
    """Whether the top-level boxes end exactly where the file ends."""
    ends = [stop for _, _, stop in _boxes(raw, 0, len(raw))]
    return bool(ends) and ends[-1] == len(raw)


def _boxes(raw: bytes, start: int, end: int):
    """(name, body start, box end) of each box between start and end."""
    pos = start
    while pos + 8 <= end:
        size, name, body = int.from_bytes(raw[pos : pos + 4], "big"), raw[pos + 4 : pos + 8], pos + 8
        if size == 1 and pos + 16 <= end:
            size, body = int.from_bytes(raw[pos + 8 : pos + 16], "big"), pos + 16
        elif size == 0:
            size = end - pos
        if size < body - pos or pos + size > end:
            return  # truncated or damaged: mutagen has already judged the file as a whole
        yield name, body, pos + size
        pos += size


def _walk(raw: bytes, start: int, end: int, depth: int, handlers: list[bytes], location: list[str]) -> None:
    """Collect the track handlers and the location metadata of the boxes between start and end."""
    if depth > _MAX_DEPTH:
        return
    for name, body, stop in _boxes(raw, start, end):
        data = raw[body:stop]
        if name == b"\xa9xyz":
            location.append(f"{GPS}（©xyz）")
        elif name == b"loci":
            location.append("拍摄地点（loci）")
        elif name == b"hdlr" and len(data) >= 12:
            handlers.append(data[8:12])
        elif name == b"keys":
            location.extend(
                f"位置信息（{key}）" for key in _quicktime_keys(data) if _LOCATION_WORDS.search(key.encode())
            )
        elif (name == b"uuid" and data[:16] == _XMP_UUID) or name == b"XMP_":
            if b"GPS" in data:
                location.append(f"{GPS}（XMP）")
        elif name == b"----" and _LOCATION_WORDS.search(data):
            location.append("位置信息（自定义标签）")
        elif name in _CONTAINERS:
            if name == b"meta" and data[4:8] != b"hdlr":
                body += 4  # an ISO full box: version and flags first (QuickTime's meta has none)
            _walk(raw, body, stop, depth + 1, handlers, location)


def _quicktime_keys(data: bytes) -> list[str]:
    """The key names of a QuickTime `keys` box (version/flags, count, then size + namespace + name)."""
    keys, pos = [], 8
    for _ in range(int.from_bytes(data[4:8], "big")):
        size = int.from_bytes(data[pos : pos + 4], "big")
        if size < 8 or pos + size > len(data):
            break
        keys.append(data[pos + 8 : pos + size].decode("utf-8", "replace"))
        pos += size
    return keys


# --- MP3, WAV: ID3 ------------------------------------------------------------------------------

# A coordinate as phones write it (+30.5000+105.5833/), at the start of a text; never a date (2019-09-15).
_ISO6709 = re.compile(r"\s*[+-]\d{1,2}\.\d+[+-]\d{1,3}\.\d+")


def _id3_location(tags) -> tuple[str, ...]:
    """The location metadata in ID3 tags: a frame whose description names a location, or a text
    holding an ISO 6709 coordinate (+30.5+105.5)."""
    found: list[str] = []
    for frame in tags.values() if tags is not None else ():
        described = " ".join(str(getattr(frame, attribute, "")) for attribute in ("desc", "owner", "url"))
        texts = [str(text) for text in getattr(frame, "text", ()) or ()]
        if _LOCATION_WORDS.search(described.encode()) or any(_ISO6709.match(text) for text in texts):
            found.append(f"位置信息（ID3 {frame.FrameID} 标签）")
    return tuple(dict.fromkeys(found))
