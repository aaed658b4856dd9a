"""The site's fast path (site/fastpath.py, overrides/): the same site as MkDocs' long way, for less work.

The slow tests build the bundled records (photos included; the city, public and a unit's site) and a
generated programme with the shortcuts on and off (AIXIN_FAST=0) and compare the two sites; the
others check each shortcut against the code it stands in for (Python-Markdown, MkDocs' anchor scan,
Material's search parser, Material's nav template) on small pages.
"""

from __future__ import annotations

import re
import shutil
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
import yaml
from click.testing import CliRunner
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.pages import _HTMLHandler
from mkdocs.utils import meta
from selectolax.lexbor import LexborHTMLParser

from aixin.cli import main
from aixin.site import fastpath
from conftest import REPO

AS_OF = "2026-11-30"
BASE = yaml.safe_load((Path(str(resources.files("aixin.site"))) / "mkdocs_base.yml").read_text("utf-8"))


def _extensions(config: dict) -> tuple[list[str], dict]:
    names, settings = [], {}
    for entry in config["markdown_extensions"]:
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        names.append(name)
        if isinstance(entry, dict):
            settings[name] = entry[name]
    return names, settings


def _markdown(text: str, extra: tuple[str, ...] = ()) -> str:
    names, settings = _extensions(BASE)
    return markdown.Markdown(extensions=[*extra, *names], extension_configs=settings).convert(text)


# ------------------------------------------------------------------ whole sites, both ways


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """{name: (fast site, long-way site, fast staging docs)}."""
    base = tmp_path_factory.mktemp("fastpath")
    bundled = base / "bundled"
    shutil.copytree(REPO / "records", bundled / "records")
    shutil.copytree(REPO / "schemas", bundled / "schemas")
    built = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIXIN_CACHE_KEY_DIR", str(base / "cache-key"))
        result = CliRunner().invoke(main, ["demo", "--scale", "0.05", "--out", str(base / "demo")])
        assert result.exit_code == 0, result.output
        for name, root, options in (
            ("bundled", bundled, []),
            ("bundled-public", bundled, ["--audience", "public"]),
            ("bundled-unit", bundled, ["--unit", "chuanshan"]),
            ("demo", base / "demo", []),
        ):
            outs = []
            for switch in ("1", "0"):
                patch.setenv(fastpath.SWITCH, switch)
                out = base / f"{name}-{switch}"
                args = ["build", "--root", str(root), "--as-of", AS_OF, "--out", str(out), *options]
                result = CliRunner().invoke(main, args)
                assert result.exit_code == 0, result.output
                outs.append(out)
            built[name] = (outs[0], outs[1], outs[0].with_name(outs[0].name + ".aixin-docs"))
    return built


_LIGHTBOX_TAGS = (
    'link[href$="glightbox.min.css"]',
    'script[src$="glightbox.min.js"]',
    "style#glightbox-style",
    "script#init-glightbox",
)


def _without_lightbox_tags(page: str) -> tuple[str, list[str]]:
    """The page as lexbor serialises it, glightbox's four tags taken out (and returned)."""
    tree = LexborHTMLParser(page)
    tags = []
    for selector in _LIGHTBOX_TAGS:
        nodes = tree.css(selector)
        assert len(nodes) == 1, selector
        tags.append(nodes[0].html)
        nodes[0].decompose()
    return re.sub(r">\s+<", "><", tree.html), tags


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bundled", "bundled-public", "bundled-unit", "demo"])
def test_fast_site_equals_the_long_way(sites, name):
    """Every HTML file and the search index byte for byte. A generated page with photos: the long way has
    glightbox re-serialise it (lexbor: `<!DOCTYPE html>`, entities decoded, the whitespace after a
    comment dropped) and add its tags; the short way writes the same tags from main.html into
    Material's own markup, so the two are the same document apart from whitespace between tags."""
    fast, slow, _ = sites[name]
    files = sorted(p.relative_to(slow).as_posix() for p in slow.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(fast).as_posix() for p in fast.rglob("*") if p.is_file())
    compared = [f for f in files if f.endswith(".html")] + ["search/search_index.json"]
    lightbox = 0
    for rel in compared:
        long_way, short_way = (slow / rel).read_text("utf-8"), (fast / rel).read_text("utf-8")
        if short_way != long_way:  # only a generated page with photos, which glightbox re-serialised
            assert 'id="init-glightbox"' in long_way and "<!doctype html>" in short_way, rel
            assert _without_lightbox_tags(short_way) == _without_lightbox_tags(long_way), rel
            lightbox += 1
    assert lightbox == {"bundled": 6, "bundled-unit": 4}.get(name, 0)  # the bundled records' pages with photos


@pytest.mark.slow
def test_every_generated_page_takes_the_short_way(sites):
    """A flagged page the fast path refused would silently cost the long way: there is none."""
    flagged = 0
    for _, _, docs in sites.values():
        for page in sorted(docs.rglob("*.md")):
            body, front = meta.get_data(page.read_text("utf-8"))
            if front.get("aixin_html"):
                flagged += 1
                assert fastpath.pure_html(body) is not None, page
            else:
                assert page.relative_to(docs).parts[0] in ("guide", "reference"), page  # hand-written or Markdown
    assert flagged > 300


@pytest.mark.slow
def test_dropped_extensions_change_no_page(sites):
    """md_in_html and def_list left mkdocs_base.yml: every staged page converts as with them."""
    for _, _, docs in sites.values():
        for page in sorted(docs.rglob("*.md")):
            body, _ = meta.get_data(page.read_text("utf-8"))
            assert _markdown(body) == _markdown(body, ("md_in_html", "def_list")), page
    for page in sorted((REPO / "docs" / "guide").glob("*.md")) + [REPO / "docs" / "reference" / "notice.md"]:
        body, _ = meta.get_data(page.read_text("utf-8"))
        assert _markdown(body) == _markdown(body, ("md_in_html", "def_list")), page


# ------------------------------------------------------------------ pure-HTML pages

ACCEPTED = [
    '\n<!-- 由 aixin 生成 -->\n\n<div class="a">\n<h1 data-search-exclude>甲</h1>\n</div>\n',
    '<section class="x" data-search-exclude>\n<p>a</p>\n\n<table>\n<tr><td>&#45;</td></tr>\n</table>\n\n</section>',
    "<div>\n<p>a</p>\n\n<span>inside an open block</span>\n\n</div>\n\n<ol>\n<li>x</li>\n</ol>",
    '<div class="aixin-head">\n<h1>乙</h1>\n<p class="s">一 · 二 <span hidden> 三</span></p>\n</div>\n\n<hr>\n\n<p>b</p>',
]
REFUSED = [
    "<div>\ta</div>",  # a tab: Markdown expands it
    "<div>a</div>  \n<p>b</p>",  # trailing spaces: Markdown drops them
    "<div>a</div>\n   \n<p>b</p>",  # a line of spaces
    "<div>a</div>\n\n\n<p>b</p>",  # two blank lines: Markdown keeps one
    "<div>a</div>\n\nplain text",  # a Markdown paragraph
    "<div>a</div>\n\n<span>x</span>",  # an inline tag opens a paragraph
    "<div>a</div>\n\n</section>\n\n<p>x</p>",  # a stray end tag changes the spacing after it
    '<div markdown="1">\n*a*\n</div>',  # md_in_html would parse inside
    "<!-- c -->\n<div>a</div>",  # a comment sharing its paragraph
    "<div>a\r</div>",
    "",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_pure_html_is_what_markdown_makes_of_it(text):
    assert fastpath.pure_html(text) == _markdown(text) == _markdown(text, ("md_in_html", "def_list"))


@pytest.mark.parametrize("text", REFUSED)
def test_pure_html_refuses_what_markdown_would_change(text):
    assert fastpath.pure_html(text) is None


def test_anchor_ids_are_those_of_mkdocs_raw_html_scan():
    text = (
        '<div id="top" class="a"><a name="n1" href="#x">x</a><span name="not-an-anchor"></span>'
        "<figure class='c' id='chart&#45;1'><table ID=plain></table></figure><p>id=\"text\"</p></div>"
    )
    scan = _HTMLHandler()
    scan.feed(text)
    scan.close()
    assert fastpath.anchor_ids(text) == scan.present_anchor_ids == {"top", "n1", "chart-1", "plain"}


# ------------------------------------------------------------------ search: only the indexed part

PAGES = [
    # a record page: the head indexed, the record excluded (its inside left out)
    (
        '<div class="aixin-head">\n<h1 data-search-exclude>甲</h1>\n<p class="s">一 · 二 <span hidden> 三</span></p>\n'
        '</div>\n<section class="r" data-search-exclude>\n<p>x<br>y</p><table><tr><td><img src="a.jpg"></td></tr>'
        "</table>\n<div><p>in a div</p></div>\n<ul><li>z</li></ul>\n</section>\n<p>after</p>",
        True,
    ),
    # an excluded element first, and one that is void
    ('<section data-search-exclude><p>a</p></section><img data-search-exclude src="x.png"><p>b</p>', True),
    # Material's parser tells elements apart by their name: the inner end tag ends the skipping
    ("<section data-search-exclude><p>a</p><section data-search-exclude><p>b</p></section><p>c</p></section>", False),
    ('<div data-search-exclude><div class="x">a</div><p>b</p></div><p>c</p>', False),
    # a heading with an id inside an excluded element makes a section
    ('<h1 id="a">A</h1><p>t</p><div data-search-exclude><h2 id="b">B</h2><p>u</p></div><p>v</p>', False),
    # an element left open inside (Material's parser then skips the rest of the page)
    ("<p>a</p><div data-search-exclude><p>b<span>c</div><p>d</p></div><p>e</p>", False),
    # raw text inside
    ('<p>a</p><div data-search-exclude><script type="application/json">{"a": "</div>"}</script></div><p>b</p>', False),
]


def _entries(content: str) -> list[dict]:
    index = SearchIndex(lang=["zh"], separator="", pipeline=[], fields={})
    page = SimpleNamespace(meta={"search": {"boost": 2}}, content=content, toc=[], url="p.html", title="页")
    index.add_entry_from_context(page)
    return index.entries


@pytest.mark.parametrize(("content", "shortened"), PAGES)
def test_search_indexes_the_same_from_the_indexed_part(content, shortened):
    indexed = fastpath.indexed_part(content)
    assert _entries(indexed) == _entries(content)
    assert (indexed != content) is shortened


# ------------------------------------------------------------------ the nav override, the switch


def test_nav_override_holds_materials_nav_unchanged():
    override = (Path(str(resources.files("aixin.site"))) / "overrides" / "partials" / "nav.html").read_text("utf-8")
    copy = override.split("{#- BEGIN Material's partials/nav.html -#}\n", 1)[1].split("\n{#- END", 1)[0]
    stock = (Path(str(resources.files("material"))) / "templates" / "partials" / "nav.html").read_text("utf-8")
    assert copy == stock.split("-#}\n", 1)[1].rstrip("\n")


@pytest.mark.parametrize(
    ("environment", "extra", "on"),
    [("", {}, True), ("0", {}, False), ("off", {}, False), ("", {"aixin_fast": False}, False), ("1", {}, True)],
)
def test_switch(monkeypatch, environment, extra, on):
    monkeypatch.setenv(fastpath.SWITCH, environment)
    assert fastpath.enabled(SimpleNamespace(extra=extra)) is on


# ------------------------------------------------------------------ search: each Chinese run cut once

SEGMENTED = [
    "安居区 · 长溪镇 · 陶家坝村",
    "示例梓萱 2026 年 11 月 家访；示例梓萱 再次家访",
    "no Chinese at all",
    "混合 text 与 数字 12 和标点，。",
    "",
]


def test_segmenter_cuts_as_materials_segment_chinese():
    index = SearchIndex(lang=["zh"], separator="", pipeline=[], fields={})
    segment = fastpath.segmenter()
    for text in SEGMENTED + SEGMENTED:  # the second round from its memory
        assert segment(text) == index._segment_chinese(text), text


# ------------------------------------------------------------------ the page frame, once per folder


def _frame_environment(template: str):
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.DictLoader({"main.html": template, fastpath.FRAME_TEMPLATE: _frame_template()})
    )
    environment.globals[fastpath.FRAME] = fastpath._frame
    environment.globals[fastpath.FRAME_CACHE] = fastpath.Frames()
    return environment


def _frame_template() -> str:
    return (Path(str(resources.files("aixin.site"))) / "overrides" / fastpath.FRAME_TEMPLATE).read_text("utf-8")


def _record_page(url: str, title: str, content: str, **meta) -> SimpleNamespace:
    return SimpleNamespace(
        url=url, title=title, content=content, meta={"title": title, **meta}, toc=[], is_homepage=False,
        canonical_url=None, edit_url=None, previous_page=None, next_page=None, ancestors=[],
    )


MATERIAL_LIKE = (
    "<title>{{ page.meta.title }} - 站</title><header>{{ page.title }}</header><base href=\"{{ base_url }}\">"
    "{% if '<h1' not in page.content %}<h1>{{ page.title }}</h1>{% endif %}<main>{{ page.content }}</main>"
)


def _both_ways(template: str, pages: list) -> tuple[list[str], list[str], fastpath.Frames]:
    environment = _frame_environment(template)
    framed, full = [], []
    for page in pages:
        context = {"page": page, "base_url": "..", "nav": SimpleNamespace(pages=[])}
        framed.append(environment.get_template(fastpath.FRAME_TEMPLATE).render(context))
        full.append(environment.get_template("main.html").render(context))
    return framed, full, environment.globals[fastpath.FRAME_CACHE]


def test_frames_give_the_full_rendering_of_every_page():
    pages = [_record_page(f"girls/g{n}.html", f"示例{n}", f"<p>第 {n} 页</p>" if n % 2 else f"<h1>示例{n}</h1>")
             for n in range(8)]
    pages.append(_record_page("girls/odd.html", "A & B", "<p>x</p>"))  # markup in the title: in full
    pages.append(_record_page("mothers/m.html", "示例妈妈", "<p>y</p>", glightbox=False))
    framed, full, frames = _both_ways(MATERIAL_LIKE, pages)
    assert framed == full
    assert "<h1>示例1</h1><main><p>第 1 页</p>" in framed[1] and "<h1>示例0</h1></main>" in framed[0]
    trusted = [entry for entry in frames.frames.values() if isinstance(entry, list) and entry[1] >= fastpath.CHECKS]
    assert len(trusted) == 2  # girls/ with and without a heading of their own; mothers/ had one page only


def test_a_template_reading_more_of_the_page_is_rendered_in_full():
    for template in (MATERIAL_LIKE + "{{ page.url }}", MATERIAL_LIKE + "{{ page.title | length }}"):
        pages = [_record_page(f"girls/g{n}.html", "示例" * (n + 1), "<p>x</p>") for n in range(5)]
        framed, full, frames = _both_ways(template, pages)
        assert framed == full
        assert list(frames.frames.values()) == [fastpath._UNFIT]


def test_the_frame_template_alone_renders_main_html():
    environment = _frame_environment(MATERIAL_LIKE)
    environment.globals.pop(fastpath.FRAME_CACHE)  # a build without the hook's cache
    context = {"page": _record_page("g.html", "示例", "<p>x</p>"), "base_url": ".", "nav": SimpleNamespace(pages=[])}
    assert environment.get_template(fastpath.FRAME_TEMPLATE).render(context) == environment.get_template("main.html").render(context)
