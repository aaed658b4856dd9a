"""The site generator's short cuts keep every byte: Jinja's context call, the `md` filter, the records cache."""

from __future__ import annotations

import marshal
import string
import threading

import jinja2
import pytest
from markupsafe import Markup

from aixin.check import full_records
from aixin.site import render, search, stage
from aixin.site.collect import collect
from conftest import REPO, TODAY


def test_md_filter_in_one_pass_is_the_two_step_translation():
    entities = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
    breaks = str.maketrans({"\r": None, "\n": "<br>"})
    for text in (string.punctuation, "第一行\r\n第二行\n{x}<b>&", "张紫涵 ·（备注）\n", ""):
        assert render.md(text) == Markup(text.translate(entities).translate(breaks))


def test_a_recurring_value_is_made_inert_once():
    first = render.page_text("川山县教育局 13812345678")
    again = render.page_text("川山县教育局 13812345678")
    assert again is first
    assert "13812345678" not in again


def _both(source: str, **context) -> tuple[str, str]:
    plain = jinja2.Environment(undefined=jinja2.StrictUndefined)
    fast = jinja2.Environment(undefined=jinja2.StrictUndefined)
    fast.context_class = render._Context
    return plain.from_string(source).render(**context), fast.from_string(source).render(**context)


def test_the_quick_call_of_a_builtin_method_gives_what_jinja_gives():
    data = {"a": 1, "b": None}
    source = (
        "{{ d.get('a') }} {{ d.get('z', '—') }}"
        "{% for k in ['a', 'b', 'c'] %}[{{ d.get(k) }}|{{ loop.index }}]{% endfor %}"
        "{% macro box(x) %}<{{ x }}>{% endmacro %}{{ box(d.get('a')) }}"
        "{% if it.__next__() is undefined %}none{% endif %}"
    )
    plain, fast = _both(source, d=data, it=iter(()))
    assert fast == plain == "1 —[1|1][None|2][None|3]<1>none"
    plain, fast = _both("{{ words.__len__() }}", words="爱心")
    assert fast == plain == "2"


# ------------------------------------------------------------------ records parsed once per content


def _parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = full_records.loader.load_bytes

    def counting(raw, rel, **kwargs):
        if rel.count("/") >= 2:  # a record in a unit's or the city's folder, not programme.yaml
            parsed.append(rel)
        return real(raw, rel, **kwargs)

    monkeypatch.setattr(full_records.loader, "load_bytes", counting)
    return parsed


def _records(data) -> dict:
    items = [*data.girls.values(), *data.mothers.values(), *data.pairings.values()]
    items += [log for logs in data.logs.values() for log in logs]
    return {item.file: (item.data, item.valid, item.id, item.unit) for item in items}


def test_records_are_parsed_again_only_when_their_bytes_change(make_root, monkeypatch):
    root = make_root(REPO / "records")
    parsed = _parses(monkeypatch)
    cold = collect(root, TODAY)
    assert len(parsed) > 10
    parsed.clear()
    warm = collect(root, TODAY)
    assert parsed == []
    assert _records(warm) == _records(cold)
    assert [(s.file, s.reason) for s in warm.skipped] == [(s.file, s.reason) for s in cold.skipped]
    girl = sorted(cold.girls.values(), key=lambda g: g.file)[0]
    path = root / girl.file
    path.write_text(path.read_text("utf-8").replace(f"name: {girl.data['name']}", "name: 改过的名字"), "utf-8")
    again = collect(root, TODAY)
    assert set(parsed) == {girl.file}  # by the check, and once here
    assert again.girls[girl.id].data["name"] == "改过的名字"


def test_the_site_reads_no_record_the_check_already_knew(make_root, monkeypatch):
    """The check's scan gives each file's content key (CheckResult.keys): a record stored under
    it is taken from the cache without reading the file a second time."""
    root = make_root(REPO / "records")
    collect(root, TODAY)
    read: list = []
    real = full_records._read
    monkeypatch.setattr(full_records, "_read", lambda path: read.append(path) or real(path))
    warm = collect(root, TODAY)
    assert read == []
    girl = sorted(warm.girls.values(), key=lambda g: g.file)[0]
    path = root / girl.file
    path.write_text(path.read_text("utf-8").replace(f"name: {girl.data['name']}", "name: 又改的名字"), "utf-8")
    again = collect(root, TODAY)
    assert read == [root / girl.file]  # its new key is not stored: read and parsed
    assert again.girls[girl.id].data["name"] == "又改的名字"


def test_a_records_cache_this_user_did_not_write_is_never_used(make_root, monkeypatch):
    root = make_root(REPO / "records")
    cold = collect(root, TODAY)
    stored = root / ".aixin-cache" / full_records.RECORDS_FILE
    body = bytearray(stored.read_bytes())
    body[-5] ^= 1  # one byte changed: the HMAC no longer matches
    stored.write_bytes(bytes(body))
    parsed = _parses(monkeypatch)
    warm = collect(root, TODAY)
    assert len(parsed) == len(_records(cold)) + len(cold.skipped) + len(cold.commendations) + len(cold.trainings)
    assert _records(warm) == _records(cold)


# ------------------------------------------------------------------ jieba's dictionary read in one piece


def test_jieba_reads_its_dictionary_cache_in_one_piece_with_the_same_result(tmp_path):
    jieba = pytest.importorskip("jieba")
    value = ({"爱心": 3, "妈妈": 0, "张紫涵": 12}, 15)
    path = tmp_path / "dictionary.cache"
    with open(path, "wb") as handle:
        search._WholeFileMarshal.dump(value, handle)
    with open(path, "rb") as handle:
        assert search._WholeFileMarshal.load(handle) == value == marshal.loads(path.read_bytes())
    search.teach_segmenter(["紫涵"])
    assert jieba.marshal is search._WholeFileMarshal
    assert "紫涵" in jieba.lcut("张紫涵去上学")


# ------------------------------------------------------------------ the replaced staging folder


def test_the_replaced_staging_folder_is_removed_while_the_build_goes_on(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    stage.write_fresh(stage.Staged(texts={"index.md": "旧的\n", "girls/a.md": "甲\n"}), docs)
    released = threading.Event()
    real = stage.shutil.rmtree

    def held(folder, **kwargs):
        released.wait(timeout=30)  # a busy disk: the removal takes its time
        real(folder, **kwargs)

    monkeypatch.setattr(stage.shutil, "rmtree", held)
    stage.write_fresh(stage.Staged(texts={"index.md": "新的\n"}), docs)
    old = docs.with_name("docs.old")
    assert old.is_dir()  # still being removed, and the new folder is already in place
    assert (docs / "index.md").read_text("utf-8") == "新的\n"
    assert not (docs / "girls").exists()
    released.set()
    stage.finish()
    assert not old.exists()
    stage.write_fresh(stage.Staged(texts={"index.md": "又一次\n"}), docs)  # the name is free again
    stage.finish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]
