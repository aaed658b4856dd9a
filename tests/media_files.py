"""Tiny audio and video files built byte by byte for the media tests (R015–R018).

Each builder returns a file mutagen opens as what it claims to be: an MP4/MOV/M4A with a movie
header and tracks (ISO base media boxes), a WAV (the standard library's wave module), an MP3 of a
few silent MPEG frames. Location metadata is added where phones write it.
"""

from __future__ import annotations

import io
import struct
import wave


def box(name: bytes, *children: bytes) -> bytes:
    body = b"".join(children)
    return struct.pack(">I4s", 8 + len(body), name) + body


def full_box(name: bytes, payload: bytes = b"") -> bytes:
    return box(name, b"\0\0\0\0" + payload)  # version 0, no flags


def _handler(kind: bytes) -> bytes:
    return full_box(b"hdlr", b"\0\0\0\0" + kind + bytes(12) + b"\0")


def _movie_header() -> bytes:
    return full_box(b"mvhd", struct.pack(">IIII", 0, 0, 1000, 2000) + b"\0\x01\0\0\x01\0" + bytes(70) + struct.pack(">I", 2))


def _track(kind: bytes) -> bytes:
    media_header = full_box(b"mdhd", struct.pack(">IIII", 0, 0, 1000, 2000) + b"\x55\xc4\0\0")
    sample_table = box(b"stbl", full_box(b"stsd", struct.pack(">I", 0)))
    return box(b"trak", box(b"mdia", media_header, _handler(kind), box(b"minf", sample_table)))


def iso_media(brand: bytes = b"isom", tracks=(b"vide", b"soun"), *extra: bytes) -> bytes:
    """An MP4 (brand isom), MOV (b"qt  ") or M4A (b"M4A ", sound only); `extra` boxes go in moov."""
    ftyp = box(b"ftyp", brand + b"\0\0\0\0" + brand)
    moov = box(b"moov", _movie_header(), *(_track(kind) for kind in tracks), *extra)
    return ftyp + moov + box(b"mdat", bytes(64))


def mp4(*extra: bytes) -> bytes:
    return iso_media(b"isom", (b"vide", b"soun"), *extra)


def mov(*extra: bytes) -> bytes:
    return iso_media(b"qt  ", (b"vide", b"soun"), *extra)


def m4a(*extra: bytes) -> bytes:
    return iso_media(b"M4A ", (b"soun",), *extra)


def xyz_udta(where: bytes = b"+30.5000+105.5833/") -> bytes:
    """What an Android phone writes: moov/udta/©xyz with an ISO 6709 coordinate."""
    return box(b"udta", box(b"\xa9xyz", struct.pack(">HH", len(where), 0x15C7) + where))


def quicktime_location(where: bytes = b"+30.5000+105.5833+000.000/") -> bytes:
    """What an iPhone writes: moov/meta (QuickTime style, no version) with keys and ilst."""
    key = b"com.apple.quicktime.location.ISO6709"
    keys = full_box(b"keys", struct.pack(">I", 1) + struct.pack(">I4s", 8 + len(key), b"mdta") + key)
    data = box(b"data", struct.pack(">II", 1, 0) + where)
    items = box(b"ilst", struct.pack(">I4s", 8 + len(data), b"\0\0\0\x01") + data)
    return box(b"meta", _handler(b"mdta"), keys, items)


def plain_title(title: bytes = "示例中秋".encode()) -> bytes:
    """An iTunes-style title (moov/udta/meta/ilst/©nam): ordinary metadata, not a location."""
    data = box(b"data", struct.pack(">II", 1, 0) + title)
    return box(b"udta", box(b"meta", b"\0\0\0\0", _handler(b"mdir"), box(b"ilst", box(b"\xa9nam", data))))


def wav(seconds: float = 0.1) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * int(8000 * seconds))
    return buffer.getvalue()


def mp3(frames: int = 12, tags=None) -> bytes:
    """Silent MPEG-1 layer III frames (128 kbit/s, 44.1 kHz), after ID3 tags if given (mutagen frames)."""
    head = b""
    if tags:
        from mutagen.id3 import ID3

        id3 = ID3()
        for frame in tags:
            id3.add(frame)
        buffer = io.BytesIO()
        id3.save(buffer)
        head = buffer.getvalue()
    return head + (b"\xff\xfb\x90\x64" + bytes(413)) * frames
