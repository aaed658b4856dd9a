"""The check cache may save time but must never serve a stale result."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from aixin.check import engine
from aixin.check.engine import run_check
from conftest import CASES, TODAY

GIRL = "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml"


@pytest.fixture
def root(make_root):
    return make_root(CASES / "valid" / "records")


def rules_of(root, **options) -> list[tuple[str, str]]:
    result = run_check(root, today=TODAY, jobs=1, **options)
    return [(f.rule, f.file) for f in result.findings if f.rule != "Q001"]


def age_file_by(path, seconds: int) -> None:
    """Pretend a file was written long ago, so that the cache may trust its stat signature."""
    stamp = path.stat().st_mtime - seconds
    os.utime(path, (stamp, stamp))


def test_a_second_run_gives_the_same_result(root):
    first = run_check(root, today=TODAY, jobs=1)
    assert (root / ".aixin-cache" / "table.marshal").is_file()
    second = run_check(root, today=TODAY, jobs=1)
    assert second.findings == first.findings and second.quota == first.quota and second.counts == first.counts


def test_an_edit_right_after_a_run_is_seen_even_with_the_same_size(root):
    girl = root / GIRL
    assert rules_of(root) == []
    text = girl.read_text("utf-8")
    # Same length, same second: only the content tells the difference.
    girl.write_text(text.replace("birth: 2010-03", "birth: 2005-03"), "utf-8")
    assert ("G001", GIRL) in rules_of(root)


def test_an_edit_to_an_old_file_is_seen(root):
    for path in (root / "records").rglob("*.yaml"):
        age_file_by(path, 3600)
    assert rules_of(root) == []
    assert rules_of(root) == []  # now served from the cache
    girl = root / GIRL
    girl.write_text(girl.read_text("utf-8").replace("birth: 2010-03", "birth: 2005-03"), "utf-8")
    assert ("G001", GIRL) in rules_of(root)
    girl.write_text(girl.read_text("utf-8").replace("birth: 2005-03", "birth: 2010-03"), "utf-8")
    assert rules_of(root) == []


def test_a_schema_change_invalidates_the_cache(root):
    assert rules_of(root) == []
    schema = root / "schemas" / "girl.schema.json"
    schema.write_text(schema.read_text("utf-8").replace('"maxLength": 30', '"maxLength": 2'), "utf-8")
    assert any(rule == "S006" for rule, _ in rules_of(root))


def test_a_programme_change_invalidates_the_cache(root):
    assert rules_of(root) == []
    programme = root / "records" / "programme.yaml"
    programme.write_text(programme.read_text("utf-8").replace("girl_max_age: 12", "girl_max_age: 8"), "utf-8")
    assert ("G001", GIRL) in rules_of(root)


def test_a_new_day_invalidates_the_cache(root):
    girl = root / GIRL
    girl.write_text(girl.read_text("utf-8").replace("survey_date: 2019-07-05", "survey_date: 2019-07-20"), "utf-8")
    early = run_check(root, today=dt.date(2019, 7, 10), jobs=1)
    assert any(f.rule == "G009" for f in early.findings)  # a survey date in the future
    late = run_check(root, today=TODAY, jobs=1)
    assert not any(f.rule == "G009" for f in late.findings)


def test_a_deleted_record_breaks_its_references(root):
    assert rules_of(root) == []
    (root / GIRL).unlink()
    assert any(rule == "P002" for rule, _ in rules_of(root))


def test_a_damaged_cache_is_rebuilt(root):
    expected = rules_of(root)
    for cached in (root / ".aixin-cache").iterdir():
        cached.write_bytes(b"not marshal data")
    assert rules_of(root) == expected


def test_no_cache_leaves_nothing_behind(root):
    rules_of(root, use_cache=False)
    assert not (root / ".aixin-cache").exists()


def test_worker_processes_give_the_same_findings(root, monkeypatch):
    single = run_check(root, today=TODAY, jobs=1, use_cache=False)
    monkeypatch.setattr(engine, "PARALLEL_FROM", 1)
    parallel = run_check(root, today=TODAY, jobs=2, use_cache=False)
    assert parallel.findings == single.findings and parallel.counts == single.counts


def test_a_coarse_clock_cannot_hide_an_edit(root, monkeypatch):
    """On a file system with one-second timestamps, an edit in the same second as the last run
    leaves size and times unchanged: only the racy rule (re-read recently changed files) sees it."""
    from aixin.check import cache
    from aixin.check import changes as scan

    def coarse(stat):
        second = 1_000_000_000
        return cache.SIGNATURE.pack(
            stat.st_size, stat.st_mtime_ns // second * second, stat.st_ctime_ns // second * second, stat.st_ino
        )

    monkeypatch.setattr(scan, "signature", coarse)
    monkeypatch.setattr(scan, "RESAVE_FROM", 1)  # remember every run's signatures
    girl = root / GIRL
    text = girl.read_text("utf-8")
    rules_of(root)
    time.sleep(1 - time.time() % 1 + 0.01)  # start of a fresh second: write, check and edit within it
    girl.write_text(text, "utf-8")
    assert rules_of(root) == []
    before = coarse(girl.stat())
    girl.write_text(text.replace("birth: 2010-03", "birth: 2005-03"), "utf-8")
    assert coarse(girl.stat()) == before  # to a one-second clock the file looks untouched
    assert ("G001", GIRL) in rules_of(root)


def test_the_salt_covers_the_code_of_the_whole_package_not_only_the_check():
    """A rule or the care figures (domain/care.py) changed by an upgrade must drop the cache: the
    salt hashes every module of aixin (it covered only check/ since cache.py moved there)."""
    from aixin.check import cache

    assert (cache.PACKAGE_DIR / "domain" / "care.py").is_file()
    assert (cache.PACKAGE_DIR / "rules" / "girl.py").is_file()
