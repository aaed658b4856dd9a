"""The preview (`mkdocs serve --dirty` in the repository, site.preview): after a record changes,
only the pages it changes are written into docs/generated and rebuilt by MkDocs, and the site —
every page and the search index — is the one a full build of the same records makes."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aixin.core.findings import Finding, Severity
from aixin.site import preview, stage
from aixin.site.audience import CITY_AUDIENCE
from aixin.site.build import generate
from aixin.site.pages import Page
from conftest import REPO

TODAY = "2026-11-30"
GIRL = "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml"  # paired, her pairing is overdue
ALONE = "records/chuanshan/girls/chuanshan-g-tdsj6c.yaml"  # no pairing names her
NEW_LOG = "records/chuanshan/logs/chuanshan-p-5t1w6r/chuanshan-l-preview1.yaml"
LOG_TEXT = """pairing: chuanshan-p-5t1w6r
date: 2026-11-20
kind: 电话
with: [女童]
summary: 电话问候，聊了期中考试。
"""
DRIVER = Path(__file__).with_name("serve_driver.py")


def _repository(folder: Path) -> Path:
    for part in ("records", "schemas"):
        shutil.copytree(REPO / part, folder / part)
    shutil.copytree(REPO / "docs", folder / "docs", ignore=shutil.ignore_patterns("generated"))
    shutil.copytree(REPO / "scripts" / "aixin" / "site", folder / "scripts" / "aixin" / "site")
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


def _env() -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "AIXIN_TODAY": TODAY}


def _serve(root: Path, site: Path, mode: str, edits: list[dict]) -> list[dict]:
    """Run MkDocs' serve builder in its own process (see serve_driver.py)."""
    file = root.with_name(root.name + f"-{mode}-edits.json")
    file.write_text(json.dumps(edits, ensure_ascii=False), "utf-8")
    done = subprocess.run(
        [sys.executable, str(DRIVER), str(root), str(site), mode, str(file)],
        cwd=root,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _fresh_pages(root: Path, out: Path) -> dict[str, bytes]:
    """The docs folder a full `generate` (no preview) writes for the records as they are now."""
    generate(root, CITY_AUDIENCE, out, today=dt.date.fromisoformat(TODAY), cache=out.with_name(out.name + "-cache"))
    return _tree(out)


def _differing(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))


def _edit(root: Path, rel: str, old: str, new: str) -> dict:
    text = (root / rel).read_text("utf-8")
    assert old in text
    return {"file": rel, "text": text.replace(old, new)}


@pytest.mark.slow
def test_a_preview_rebuilds_only_the_changed_pages_and_ends_as_a_full_build(tmp_path):
    root = _repository(tmp_path / "repo")
    pages = [_fresh_pages(root, tmp_path / "fresh0")]
    edits = [_edit(root, GIRL, "name: 示例女童甲", "name: 示例女童改"), {"file": NEW_LOG, "text": LOG_TEXT}]
    edits.append({"file": ALONE, "text": None})  # a record removed: its page goes
    states = []
    for number, edit in enumerate(edits, 1):  # what each edit changes, told by full generations
        states.append((root / edit["file"]).read_text("utf-8") if (root / edit["file"]).exists() else None)
        if edit["text"] is None:
            (root / edit["file"]).unlink()
        else:
            (root / edit["file"]).write_text(edit["text"], "utf-8")
        pages.append(_fresh_pages(root, tmp_path / f"fresh{number}"))
    for edit, state in zip(reversed(edits), reversed(states)):  # back to the records as bundled
        if state is None:
            (root / edit["file"]).unlink()
        else:
            (root / edit["file"]).write_text(state, "utf-8")

    builds = _serve(root, tmp_path / "site", "dirty", edits)

    for number, built in enumerate(builds[1:], 1):
        changed = _differing(pages[number - 1], pages[number])
        assert changed, f"edit {number} changes no page"
        assert built["written"] == changed  # every page that differs, and no other file
        kept = [p for p in changed if p.endswith(".md") and p in pages[number]]  # not the removed one
        assert set(built["rendered"]) >= set(kept)
        assert len(built["rendered"]) < sum(p.endswith(".md") for p in pages[number]) // 5
        assert built["built"] == sorted(p.removesuffix(".md") + ".html" for p in kept)  # MkDocs: those alone
    assert "girls/chuanshan-g-3m8x4p.md" in builds[1]["written"]
    assert "pairings/chuanshan-p-5t1w6r.md" in builds[2]["written"] and "followup/index.md" in builds[2]["written"]
    assert "girls/chuanshan-g-tdsj6c.md" in builds[3]["written"]
    generated = _tree(root / "docs" / "generated")
    assert generated == pages[-1]  # the docs folder a full generation writes

    _serve(root, tmp_path / "full", "full", [])  # the same records, a full build as serve makes it
    preview_site, full_site = _tree(tmp_path / "site"), _tree(tmp_path / "full")
    assert "girls/chuanshan-g-tdsj6c.html" not in preview_site  # the removed record's page is gone
    assert json.loads(preview_site["search/search_index.json"]) == json.loads(full_site["search/search_index.json"])
    assert preview_site.keys() == full_site.keys()
    assert [p for p in full_site if preview_site[p] != full_site[p]] == []


@pytest.mark.slow
def test_a_dirty_build_in_a_new_process_keeps_the_index_of_the_pages_it_does_not_rebuild(tmp_path):
    root = _repository(tmp_path / "repo")

    def mkdocs(*args: str) -> None:
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), *args]
        done = subprocess.run(command, cwd=root, env=_env(), capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-3000:]

    mkdocs("-d", str(tmp_path / "site"))
    edit = _edit(root, GIRL, "name: 示例女童甲", "name: 示例女童改")
    (root / GIRL).write_text(edit["text"], "utf-8")
    mkdocs("--dirty", "-d", str(tmp_path / "site"))  # Material alone: only the rebuilt pages' entries
    mkdocs("-d", str(tmp_path / "full"))
    dirty, full = _tree(tmp_path / "site"), _tree(tmp_path / "full")
    assert dirty["search/search_index.json"] == full["search/search_index.json"]
    assert "示例女童改" in dirty["girls/chuanshan-g-3m8x4p.html"].decode()
    assert [p for p in full if dirty[p] != full[p]] == []


# ------------------------------------------------------------------ the parts


def _finding(message: str) -> Finding:
    return Finding("records/a.yaml", 3, 1, "G001", Severity.ERROR, message)


def test_a_fingerprint_sees_what_equality_overlooks():
    page = lambda context: Page("girls/x.md", "girl.md.j2", "甲", ["records/x.yaml"], context)  # noqa: E731
    assert _finding("旧的说明") == _finding("新的说明")  # a finding's message takes no part in ==
    assert preview.fingerprint(page({"f": [_finding("旧的说明")]}), "../") != preview.fingerprint(
        page({"f": [_finding("新的说明")]}), "../"
    )
    assert {"v": 1} == {"v": True}
    assert preview.fingerprint(page({"v": 1}), "") != preview.fingerprint(page({"v": True}), "")
    assert preview.fingerprint(page({"v": 1}), "") != preview.fingerprint(page({"v": 1}), "../")
    assert preview.fingerprint(page({"v": [1]}), "") == preview.fingerprint(page({"v": [1]}), "")
    assert preview.fingerprint(page({"f": lambda: 1}), "") is None  # cannot be pickled: always rendered


def test_a_page_is_rendered_again_only_when_its_fingerprint_changes(monkeypatch):
    calls = []
    monkeypatch.setattr(preview.render_module, "render", lambda page, root="": calls.append(page.path) or "text")
    state = preview.Preview()
    page = Page("girls/x.md", "girl.md.j2", "甲", ["records/x.yaml"], {"v": 1})
    state.render(page, "../")
    state.render(Page("girls/x.md", "girl.md.j2", "甲", ["records/x.yaml"], {"v": 1}), "../")
    assert calls == ["girls/x.md"]
    state.render(Page("girls/x.md", "girl.md.j2", "甲", ["records/x.yaml"], {"v": True}), "../")
    state.render(Page("girls/x.md", "girl.md.j2", "甲", ["records/x.yaml"], {"f": lambda: 1}), "../")
    state.render(Page("girls/x.md", "girl.md.j2", "甲", ["records/x.yaml"], {"f": lambda: 1}), "../")
    assert calls == ["girls/x.md"] * 4


def test_the_docs_folder_gets_only_what_differs_from_the_last_write(tmp_path):
    docs, source = tmp_path / "docs", tmp_path / "photo.jpg"
    source.write_bytes(b"jpeg")
    state = preview.Preview()
    state.write(stage.Staged({"a.md": "a", "b/c.md": "c"}, {"photos/p.jpg": source}), docs)
    assert sorted(_tree(docs)) == [stage.MARKER, "a.md", "b/c.md", "photos/p.jpg"]

    state.write(stage.Staged({"a.md": "a", "b/c.md": "c2"}, {"photos/p.jpg": source}), docs)
    assert state.written == ["b/c.md"]
    (docs / "a.md").write_text("changed by hand", "utf-8")  # not what this process wrote
    source.write_bytes(b"jpeg, a new one")
    state.write(stage.Staged({"a.md": "a", "b/c.md": "c2"}, {"photos/p.jpg": source}), docs)
    assert state.written == ["a.md", "photos/p.jpg"] and (docs / "a.md").read_text("utf-8") == "a"
    state.write(stage.Staged({"a.md": "a"}, {}), docs)
    assert sorted(state.written) == ["b/c.md", "photos/p.jpg"]
    assert sorted(_tree(docs)) == [stage.MARKER, "a.md"] and not (docs / "b").exists()
