"""The media rules (R015–R018) on audio and video built here (tests/media_files.py): size caps per
kind, the real format read from the bytes, location metadata refused, unlinked files, the cache."""

from __future__ import annotations

import random

import pytest
from mutagen.id3 import TDRC, TIT2, TXXX

import media_files as make
from aixin.check.engine import run_check
from aixin.domain.records import Record
from aixin.photos import media
from aixin.rules import record_rules
from aixin.rules.photos import MEDIA as MEDIA_KIND
from conftest import CASES, TODAY

MEDIA_CODES = {"R011", "R015", "R016", "R017", "R018"}
LOG = "records/chuanshan/logs/chuanshan-p-5t1w6r/chuanshan-l-a1s2d3.yaml"
MEDIA = "records/chuanshan/media"


@pytest.fixture
def root(make_root):
    return make_root(CASES / "valid" / "records")


def add_linked(root, name: str, data: bytes) -> str:
    (root / MEDIA).mkdir(exist_ok=True)
    (root / MEDIA / name).write_bytes(data)
    log = root / LOG
    text = log.read_text("utf-8")
    if "attachments:" in text:
        text = text.replace("attachments: [", f"attachments: [media/{name}, ")
    else:
        text += f"attachments: [media/{name}]\n"
    log.write_text(text, "utf-8")
    return f"{MEDIA}/{name}"


def media_findings(root, **options):
    result = run_check(root, today=TODAY, jobs=1, **{"use_cache": False, **options})
    return sorted((f for f in result.findings if f.rule in MEDIA_CODES), key=lambda f: (f.rule, f.file))


@pytest.mark.parametrize(
    "name, data",
    [
        ("zhongqiu.mp4", make.mp4()),
        ("zhongqiu.mov", make.mov()),
        ("zhongqiu-renamed.mp4", make.mov()),  # one container: a phone's .mov renamed .mp4 plays the same
        ("dianhua.m4a", make.m4a()),
        ("dianhua.wav", make.wav()),
        ("dianhua.mp3", make.mp3()),
        ("titled.mp4", make.mp4(make.plain_title())),  # a title is not a location
        ("titled.mp3", make.mp3(tags=[TIT2(text="示例中秋")])),
        ("dated.mp3", make.mp3(tags=[TDRC(text="2019-09-15"), TIT2(text="-1-2 示例")])),  # a date is no coordinate
    ],
)
def test_real_linked_media_pass(root, name, data):
    add_linked(root, name, data)
    assert media_findings(root) == []


def test_random_bytes_named_mp4_are_r016(root):
    rel = add_linked(root, "zhongqiu.mp4", random.Random(9).randbytes(3 * 1024 * 1024))
    (finding,) = media_findings(root)
    assert (finding.rule, finding.file, finding.line) == ("R016", rel, 1)
    assert "不是录音或视频文件" in finding.message


@pytest.mark.parametrize(
    "name, data, real, fix",
    [
        ("dianhua.mp3", make.mp4(), "MP4 视频", ".mp4"),
        ("dianhua.m4a", make.mp4(), "MP4 视频", ".mp4"),  # a picture in an .m4a
        ("dianhua.wav", make.mp3(), "MP3 录音", ".mp3"),
        ("zhongqiu.mp4", make.wav(), "WAV 录音", ".wav"),
    ],
)
def test_a_file_that_is_not_what_its_extension_says_is_r016(root, name, data, real, fix):
    add_linked(root, name, data)
    (finding,) = media_findings(root)
    assert finding.rule == "R016" and real in finding.message and fix in finding.hint


def test_a_truncated_video_and_a_wechat_voice_are_r016(root):
    add_linked(root, "a.mp4", make.mp4()[:-20])
    add_linked(root, "b.mp3", b"#!AMR\n" + bytes(200))
    messages = [f.message for f in media_findings(root)]
    assert len(messages) == 2 and any("不完整" in m for m in messages) and any("AMR" in m for m in messages)


@pytest.mark.parametrize(
    "name, data, label",
    [
        ("android.mp4", make.mp4(make.xyz_udta()), "©xyz"),
        ("iphone.mov", make.mov(make.quicktime_location()), "com.apple.quicktime.location.ISO6709"),
        ("voice.m4a", make.m4a(make.xyz_udta()), "©xyz"),
        ("tagged.mp3", make.mp3(tags=[TXXX(desc="location", text="示例村")]), "ID3 TXXX"),
        ("coordinate.mp3", make.mp3(tags=[TIT2(text="+30.5000+105.5833/")]), "ID3 TIT2"),
    ],
)
def test_location_metadata_is_r017_and_never_quoted(root, name, data, label):
    rel = add_linked(root, name, data)
    (finding,) = media_findings(root)
    assert (finding.rule, finding.file, finding.line) == ("R017", rel, 1)
    assert label in finding.message and "位置" in finding.message
    assert "30.5" not in finding.message + finding.hint and "示例村" not in finding.message


def test_the_size_caps_are_per_kind_and_a_big_file_is_not_read_whole(root):
    audio = make.wav(seconds=700)  # 11.2 MB of silence: a valid WAV, past the audio cap
    assert media.CAPS[media.AUDIO] < len(audio) < media.CAPS[media.VIDEO]
    rel = add_linked(root, "changtan.wav", audio)
    add_linked(root, "same-size.mp4", make.mp4(make.box(b"free", bytes(len(audio)))))  # under the video cap
    (finding,) = media_findings(root)
    assert (finding.rule, finding.file) == ("R015", rel)
    assert "超过上限 10 MB" in finding.message and "共享网盘" in finding.hint and ".m4a" in finding.hint


def test_a_video_over_25_mb_is_r015(tmp_path):
    path = tmp_path / "big.mov"
    with open(path, "wb") as out:
        out.truncate(media.CAPS[media.VIDEO] + 1)
    raw, size = media.read(str(path))
    assert len(raw) == media.MAX_MEDIA_BYTES + 1 and size == media.CAPS[media.VIDEO] + 1
    facts = media.inspect(raw, size, "records/chuanshan/media/big.mov")
    assert facts["format"] is None and facts["unreadable"] is None  # the size alone is reported
    assert [r.code for r in record_rules(MEDIA_KIND)] == ["R015", "R016", "R017"]
    item = Record(MEDIA_KIND, "chuanshan", "", "records/chuanshan/media/big.mov", facts)
    (problem,) = record_rules(MEDIA_KIND)[0].check(item, None)
    assert "25.0 MB" in problem.message and "超过上限 25 MB" in problem.message


def test_an_unlinked_media_file_is_r018(root):
    (root / MEDIA).mkdir()
    (root / MEDIA / "left-over.m4a").write_bytes(make.m4a())
    (root / MEDIA / "2019").mkdir()
    (root / MEDIA / "2019" / "nested.mp3").write_bytes(make.mp3())
    findings = media_findings(root)
    assert [(f.rule, f.file) for f in findings] == [("R018", f"{MEDIA}/2019/nested.mp3"), ("R018", f"{MEDIA}/left-over.m4a")]
    assert "子文件夹" in findings[0].message and "attachments" in findings[1].hint


def test_media_checks_are_cached_by_content(root, monkeypatch):
    rel = add_linked(root, "android.mp4", make.mp4(make.xyz_udta()))
    assert [f.rule for f in media_findings(root, use_cache=True)] == ["R017"]
    calls = []
    real = media.inspect
    monkeypatch.setattr(media, "inspect", lambda *args: calls.append(args) or real(*args))
    assert [f.rule for f in media_findings(root, use_cache=True)] == ["R017"]
    assert calls == []  # the same bytes: not inspected again
    (root / rel).write_bytes(make.mp4())
    assert media_findings(root, use_cache=True) == [] and len(calls) == 1


def test_damaged_files_never_crash_the_inspection():
    """Every byte flip, cut and box-size lie gives facts, never an exception (the worker runs it bare)."""
    chance = random.Random(17)
    samples = [make.mp4(make.xyz_udta()), make.mov(make.quicktime_location()), make.m4a(), make.wav(), make.mp3(tags=[TIT2(text="x")])]
    for n in range(600):
        data = bytearray(chance.choice(samples))
        for _ in range(chance.randint(1, 6)):
            data[chance.randrange(len(data))] = chance.randrange(256)
        if n % 3 == 0:
            data = data[: chance.randrange(1, len(data))]
        name = chance.choice(["a.mp4", "a.mov", "a.m4a", "a.wav", "a.mp3"])
        facts = media.inspect(bytes(data), len(data), name)
        assert facts["format"] or facts["unreadable"], facts
