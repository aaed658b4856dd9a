"""Compiled templates kept between builds (site/compiled.py): kept, and a changed template is
compiled again rather than an old compilation reused."""

from __future__ import annotations

import jinja2

from aixin.site import compiled, render


def test_compiled_templates_are_kept_and_a_changed_one_compiled_again(tmp_path, monkeypatch):
    kept = tmp_path / "kept"
    kept.mkdir()
    monkeypatch.setattr(compiled, "bytecode_cache", lambda: jinja2.FileSystemBytecodeCache(str(kept)))
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "a.html").write_text("一{{ x }}", "utf-8")

    def fresh() -> jinja2.Environment:
        return compiled.keep_compiled(jinja2.Environment(loader=jinja2.FileSystemLoader(templates)))

    assert fresh().get_template("a.html").render(x=1) == "一1"
    assert len(list(kept.iterdir())) == 1
    assert fresh().get_template("a.html").render(x=2) == "一2"  # from what was kept
    (templates / "a.html").write_text("二{{ x }}", "utf-8")
    assert fresh().get_template("a.html").render(x=3) == "二3"


def test_the_pages_templates_are_kept():
    assert render.environment().bytecode_cache is compiled.bytecode_cache()
