"""Hostile and broken trees under records/ (issue 8): symlinks, hidden files, FIFOs, unreadable
folders, oversized files, a broken roster, and the site built from records that fail the check.

Symlinks and FIFOs cannot be committed as case data, so their codes (R012, R013, R014) are tested
here; so are the pull-request codes A009 (a symlink) and A010 (a committed cache).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from aixin.check.engine import run_check
from aixin.cli import main
from aixin.core.errors import UsageError
from aixin.domain import layout
from aixin.load.repository import open_repository
from aixin.photos.link import add_photo
from aixin.sheets.existing import read_existing
from conftest import CASES, TODAY
from test_photo_rules import gps_exif, jpeg
from test_pr import (
    CHUANSHAN,
    CITY,
    ENV,
    check,
    codes,
    commit,
    repo,  # noqa: F401 (the fixture, registered by importing it)
)

GIRLS = "records/chuanshan/girls"
ANJU_GIRL = "records/anju/girls/anju-g-5n7c1r.yaml"
LINKED_PHOTO = "records/chuanshan/photos/zhongqiu-2019.jpg"  # linked by a contact log


@pytest.fixture
def root(make_root):
    return make_root(CASES / "valid" / "records")


@pytest.fixture
def key_dir(tmp_path, monkeypatch):
    """The cache key outside the test repositories."""
    folder = tmp_path / "key"
    monkeypatch.setenv("AIXIN_CACHE_KEY_DIR", str(folder))
    return folder


def findings(root: Path, **options):
    return run_check(root, today=TODAY, use_cache=False, jobs=1, **options).findings


def rules_of(found, rel: str) -> list[str]:
    return sorted(f.rule for f in found if f.file == rel)


@pytest.fixture
def no_hang():
    """Fail instead of blocking forever (a FIFO opened for reading waits for a writer)."""
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the check blocked"))
    signal.alarm(60)
    yield
    signal.alarm(0)


# ---------------------------------------------------------------------------- symlinks (R012)


def test_a_symlink_to_another_units_record_is_r012_and_never_followed(root):
    link = f"{GIRLS}/chuanshan-g-lnkanju.yaml"
    (root / link).symlink_to("../../anju/girls/anju-g-5n7c1r.yaml")
    before = run_check(root, today=TODAY, use_cache=False, jobs=1)
    assert rules_of(before.findings, link) == ["R012"]
    assert before.counts["girl"] == len(list((root / "records").glob("*/girls/*.yaml"))) - 1
    assert link not in layout.discover(root / "records")
    assert "chuanshan-g-lnkanju" not in read_existing(open_repository(root)).ids  # the import's view


def test_a_symlinked_folder_is_not_walked(root):
    (root / "records/chuanshan/photos/etc").symlink_to("/etc")
    found = findings(root)
    assert rules_of(found, "records/chuanshan/photos/etc") == ["R012"]
    assert not [f for f in found if f.file.startswith("records/chuanshan/photos/etc/")]
    assert "passwd" not in "".join(f.message + f.hint for f in found)


def test_a_symlink_loop_and_a_link_to_the_root_are_findings_not_crashes(root):
    (root / f"{GIRLS}/loop").symlink_to("loop")
    (root / "records/chuanshan/everything").symlink_to("/")
    found = findings(root)
    assert rules_of(found, f"{GIRLS}/loop") == ["R012"]
    assert rules_of(found, "records/chuanshan/everything") == ["R012"]
    assert not [f for f in found if f.rule.startswith("Y") or "内部错误" in f.message]


def test_a_symlink_to_an_outside_file_is_never_read(root, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("password: hunter2\napi_token: abc\n", "utf-8")
    link = f"{GIRLS}/chuanshan-g-secret1.yaml"
    (root / link).symlink_to(outside)
    found = findings(root)
    assert rules_of(found, link) == ["R012"]
    assert not any("password" in f.message + f.hint or "api_token" in f.message for f in found)


def test_a_photo_symlinked_outside_is_r012_and_not_put_into_the_site(root, tmp_path):
    from aixin.site.audience import Audience
    from aixin.site.build import generate

    outside = tmp_path / "outside.jpg"
    outside.write_bytes((root / LINKED_PHOTO).read_bytes())
    (root / LINKED_PHOTO).unlink()
    (root / LINKED_PHOTO).symlink_to(outside)
    found = findings(root)
    assert "R012" in rules_of(found, LINKED_PHOTO)
    docs = tmp_path / "docs"
    generated = generate(root, Audience("city"), docs, today=TODAY, cache=tmp_path / "photo-cache")
    assert generated.photo_problems >= 1
    copied = [p for p in docs.rglob("*") if p.is_file() and p.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp")]
    assert not [p for p in copied if "assets" not in p.parts], copied


def test_records_itself_a_symlink_is_reported(tmp_path, root):
    elsewhere = tmp_path / "elsewhere"
    (root / "records").rename(elsewhere)
    (root / "records").symlink_to(elsewhere)
    tree = layout.walk(root / "records")
    assert tree.files == [] and [code for _, code, _ in tree.others] == ["R012"]


# ------------------------------------------------------------- FIFOs and special files (R013)


def test_a_fifo_is_r013_and_never_opened(root, no_hang):
    fifo = f"{GIRLS}/chuanshan-g-fifo01.yaml"
    os.mkfifo(root / fifo)
    found = findings(root)
    assert rules_of(found, fifo) == ["R013"]


def test_the_loader_never_waits_on_a_fifo(tmp_path, no_hang):
    from aixin.load.loader import load_file

    os.mkfifo(tmp_path / "x.yaml")
    got = load_file(tmp_path / "x.yaml", "records/x.yaml")
    assert [f.rule for f in got.findings] == ["Y012"] and "不是普通文件" in got.findings[0].message


def test_photo_add_names_a_fifo(root, tmp_path, no_hang):
    os.mkfifo(tmp_path / "photo.jpg")
    with pytest.raises(UsageError, match="命名管道"):
        add_photo(root, tmp_path / "photo.jpg", "chuanshan-g-3m8x4p")


# ------------------------------------------------------------------ unreadable folders (R014)


def test_an_unreadable_folder_is_r014(root, monkeypatch):
    real = os.scandir
    blocked = str(root / "records" / "anju")

    def scandir(path):
        if str(path) == blocked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(layout.os, "scandir", scandir)
    found = findings(root)
    assert rules_of(found, "records/anju") == ["R014"]


# ------------------------------------------------------------------------------ hidden files


def test_hidden_files_are_reported(root):
    photos = root / "records/chuanshan/photos"
    gps = jpeg(exif=gps_exif())
    (photos / ".IMG_0001.jpg").write_bytes(gps)
    (photos / ".thumbs").mkdir()
    (photos / ".thumbs/a.jpg").write_bytes(gps)
    girl = (root / f"{GIRLS}/chuanshan-g-3m8x4p.yaml").read_bytes()
    (root / f"{GIRLS}/.chuanshan-g-x.yaml").write_bytes(girl)
    (root / f"{GIRLS}/..yaml").write_bytes(girl)
    (root / f"{GIRLS}/.DS_Store").write_bytes(b"\0\0\0\1Bud1")
    found = findings(root)
    for rel in ("photos/.IMG_0001.jpg", "photos/.thumbs/a.jpg", "girls/.chuanshan-g-x.yaml", "girls/..yaml",
                "girls/.DS_Store"):
        assert "R001" in rules_of(found, f"records/chuanshan/{rel}"), rel


def test_a_picture_in_media_is_inspected_like_a_photo(root):
    (root / "records/chuanshan/media").mkdir()
    (root / "records/chuanshan/media/clip.mp4").write_bytes(jpeg(exif=gps_exif()))
    (root / "records/chuanshan/media/real.mp4").write_bytes(b"\0\0\0\x18ftypmp42" + bytes(64))
    found = findings(root)
    assert "R007" in rules_of(found, "records/chuanshan/media/clip.mp4")
    assert "R007" not in rules_of(found, "records/chuanshan/media/real.mp4")


# ------------------------------------------------------------------ size and the roster (11)


def test_an_oversized_record_is_reported_at_its_real_size(root):
    rel = f"{GIRLS}/chuanshan-g-big001.yaml"
    (root / rel).write_bytes(b"name: x\n" + b"#" * (6 * 1024 * 1024))
    (finding,) = [f for f in findings(root) if f.file == rel]
    assert finding.rule == "Y001" and "6145 KB" in finding.message


def test_a_broken_roster_is_reported_by_the_plain_check(root):
    roster = root / "records" / "coordinators.yaml"
    roster.write_text("city: [shili-shifulian-1\nunits: {}\n", "utf-8")
    assert [f.rule for f in findings(root) if f.file == "records/coordinators.yaml"] == ["Y005"]
    roster.write_text("city: 5\nunits: {}\n", "utf-8")
    located = [f for f in findings(root) if f.file == "records/coordinators.yaml"]
    assert located and all(f.rule.startswith("S") and f.line == 1 for f in located)


def test_the_roster_findings_survive_the_cache(root, key_dir):
    roster = root / "records" / "coordinators.yaml"
    roster.write_text("city: 5\nunits: {}\n", "utf-8")
    for _ in range(2):
        found = run_check(root, today=TODAY, jobs=1).findings
        assert [f.rule for f in found if f.file == "records/coordinators.yaml"]


def test_no_roster_at_all_is_fine(root):
    assert not (root / "records" / "coordinators.yaml").exists()
    assert not [f for f in findings(root) if f.file == "records/coordinators.yaml"]


# ---------------------------------------------------------------------- the site build (11c)


def broken(root: Path) -> Path:
    path = root / f"{GIRLS}/chuanshan-g-3m8x4p.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("poor_household: false\n", "poor_household: 也许\n"), "utf-8")
    return root


def test_build_strict_refuses_records_with_errors(root, tmp_path, key_dir):
    result = CliRunner().invoke(main, ["build", "--root", str(broken(root)), "--strict", "--out",
                                       str(tmp_path / "site")], env=ENV)
    assert result.exit_code == 2, result.output
    assert "个错误" in result.output and "aixin check" in result.output
    assert not (tmp_path / "site" / "index.html").exists()


@pytest.mark.slow
def test_build_says_how_many_errors_it_publishes(root, tmp_path, key_dir):
    result = CliRunner().invoke(main, ["build", "--root", str(broken(root)), "--out", str(tmp_path / "site")],
                                env=ENV)
    assert result.exit_code == 0, result.output
    assert "个错误" in result.output and "aixin check" in result.output


# ------------------------------------------------------------------ pull requests (A009, A010)


def test_a_pull_request_adding_a_symlink_is_a009(repo):  # noqa: F811
    (repo / f"{GIRLS}/chuanshan-g-lnk4an7u.yaml").symlink_to("chuanshan-g-3m8x4p.yaml")
    commit(repo)
    _, found = check(repo, CHUANSHAN)
    assert codes(found) == ["A009"]
    assert found[0]["file"] == f"{GIRLS}/chuanshan-g-lnk4an7u.yaml"


def test_a_pull_request_committing_the_cache_is_a010(repo):  # noqa: F811
    (repo / ".aixin-cache").mkdir()
    (repo / ".aixin-cache" / "result.marshal").write_bytes(b"\0" * 40)
    commit(repo)
    _, found = check(repo, CITY)
    assert codes(found) == ["A010"]
    assert found[0]["file"] == ".aixin-cache/result.marshal"
