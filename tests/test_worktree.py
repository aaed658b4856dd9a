"""In a coordinator's own clone, the records she has not committed yet are the new side of a
conflict: the issue's example — a second pairing for 示例女童甲 on launch day, every date equal —
is reported on her new file by a plain `aixin check`, not on the pairing already merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from aixin.check.engine import run_check
from aixin.load.worktree import uncommitted_records
from conftest import REPO, TODAY, build_root
from test_pr import commit, git

OLD = "records/chuanshan/pairings/chuanshan-p-5t1w6r.yaml"  # 示例女童甲's pairing, since 2019-08-01
NEW = "records/chuanshan/pairings/chuanshan-p-2w8r5m.yaml"  # sorts before OLD: the id alone picks OLD
TAKEN = "records/chuanshan/pairings/chuanshan-p-bqfnat.yaml"  # 示例妈妈四's pairing, same dates


@pytest.fixture
def clone(tmp_path) -> Path:
    root = build_root(REPO / "records", tmp_path / "clone")
    git(root, "init", "--quiet", "--initial-branch=main")
    commit(root)
    return root


def second_pairing(root: Path) -> None:
    text = (root / TAKEN).read_text("utf-8").replace("girl: chuanshan-g-0atzde", "girl: chuanshan-g-3m8x4p")
    (root / NEW).write_text(text, "utf-8")


def p005(root: Path) -> list[str]:
    found = run_check(root, today=TODAY, use_cache=False, jobs=1).findings
    return [f.file for f in found if f.rule == "P005"]


def test_an_uncommitted_second_pairing_is_reported_on_the_new_file(clone):
    second_pairing(clone)
    assert uncommitted_records(clone) == {NEW}
    assert p005(clone) == [NEW]


def test_once_committed_with_every_date_equal_the_id_decides(clone):
    second_pairing(clone)
    commit(clone)
    assert uncommitted_records(clone) == frozenset()
    assert p005(clone) == [OLD]  # documented: nothing in the data says which is newer


def test_a_modified_file_is_the_new_side_and_a_deleted_one_is_not_listed(clone):
    second_pairing(clone)
    commit(clone)
    (clone / NEW).write_text((clone / NEW).read_text("utf-8") + "notes: 改了\n", "utf-8")
    (clone / "records/chuanshan/logs").joinpath("x.txt").write_text("", "utf-8")  # not a record
    (clone / TAKEN).unlink()
    assert uncommitted_records(clone) == {NEW}
    assert p005(clone) == [NEW]


def test_a_copy_outside_git_or_inside_another_work_tree_has_no_new_side(tmp_path, clone):
    plain = build_root(REPO / "records", tmp_path / "plain")
    second_pairing(plain)
    assert uncommitted_records(plain) == frozenset()
    assert p005(plain) == [OLD]
    inner = build_root(REPO / "records", clone / "copy")  # a folder inside the clone's work tree
    second_pairing(inner)
    assert uncommitted_records(inner) == frozenset()


def test_one_git_status_gives_the_reports_key_and_the_new_side(clone):
    """records_status: what records_state and uncommitted_records say, from one `git status` (the
    yearly report's shortcut key, then its check's new side), ignored files left out of the side."""
    from aixin.load.worktree import records_state, records_status

    second_pairing(clone)
    (clone / ".gitignore").write_text("*.bak\n", "utf-8")
    (clone / "records/chuanshan/girls/old.bak").write_text("x", "utf-8")
    (clone / "records/chuanshan/girls/ignored.yaml.bak").write_text("x", "utf-8")
    (clone / TAKEN).write_text((clone / TAKEN).read_text("utf-8") + "notes: 改了\n", "utf-8")
    (clone / OLD).unlink()
    state, changed = records_status(clone)
    assert changed == uncommitted_records(clone) == {NEW, TAKEN}
    assert state == records_state(clone) is not None
    assert records_status(clone / "records") == (None, frozenset())  # not the top of the work tree
