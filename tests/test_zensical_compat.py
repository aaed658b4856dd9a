"""benchmarks/zensical_compat.py's analysis, on hand-made HTML (Zensical is not needed here), and
the photo markup that keeps a built-in lightbox (Zensical's) from wrapping our thumbnails again."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import zensical_compat as compat
from aixin.site import render

PHOTO = SimpleNamespace(thumb="photos/abc-thumb.jpg", display="photos/abc.jpg", problem=None)


def test_a_thumbnail_carries_the_lightboxes_skip_class():
    macros = render.environment().get_template("_macros.j2").module
    html = str(macros.photo_box(PHOTO, "../", "女童照片"))
    assert '<a class="glightbox aixin-photo" href="../photos/abc.jpg" data-type="image">' in html
    assert '<img class="off-glb" src="../photos/abc-thumb.jpg"' in html  # mkdocs-glightbox and Zensical skip it
    assert compat.scan_page(html).nested_links == []


def test_a_link_inside_a_link_is_found():
    html = ('<p><a class="glightbox" href="a.jpg"><a class="glightbox" href="a-thumb.jpg"><img src="a-thumb.jpg"></a></a>'
            '<a href="b.html">b</a></p>')
    assert compat.scan_page(html).nested_links == [("a.jpg", "a-thumb.jpg")]


def test_markup_requests_are_told_apart_from_links_and_text():
    html = """<html><head>
<link rel="stylesheet" href="https://unpkg.com/glightbox@3/dist/css/glightbox.min.css">
<link rel="canonical" href="https://example.org/page.html">
<link rel="stylesheet" href="../assets/aixin/aixin.css">
<script src="//cdn.example.com/x.js"></script><script src="../assets/javascripts/bundle.js"></script>
</head><body style="background: url('https://img.example.com/bg.png')">
<p>访问 https://text.example.com/ 看看</p><a href="https://github.com/x/y">源代码</a>
<img src="photos/a.jpg" srcset="photos/a.jpg 1x, https://img.example.com/a@2x.jpg 2x">
<img src="data:image/png;base64,AAAA">
</body></html>"""
    scan = compat.scan_page(html)
    assert scan.requests == {
        "https://unpkg.com/glightbox@3/dist/css/glightbox.min.css",
        "//cdn.example.com/x.js",
        "https://img.example.com/bg.png",
        "https://img.example.com/a@2x.jpg",
    }
    assert scan.links == {"https://example.org/page.html", "https://github.com/x/y"}  # never loaded
    assert scan.local_assets == {"../assets/aixin/aixin.css", "../assets/javascripts/bundle.js"}


def test_urls_in_scripts_and_styles_without_namespaces_or_comments():
    js = ('/* see https://license.example.com */ var s="http://www.w3.org/2000/svg";'
          'load("https://unpkg.com/glightbox@3/dist/js/glightbox.min.js"); t=`https://api.github.com/repos/${e}`')
    assert compat.js_requests(js) == {"https://unpkg.com/glightbox@3/dist/js/glightbox.min.js", "https://api.github.com/repos/${e}"}
    css = ('/* https://fontawesome.com/license */ .a{background:url("data:image/svg+xml;charset=utf-8,'
           '<svg xmlns=\'http://www.w3.org/2000/svg\'/>")} @import "https://fonts.example.com/a.css";'
           ".b{background:url(https://img.example.com/b.png)}")
    assert compat.css_requests(css) == {"https://fonts.example.com/a.css", "https://img.example.com/b.png"}
    inline = compat.scan_page('<script>fetch("https://api.example.com/x")</script><style>.c{background:url(https://i.example.com/c.png)}</style>')
    assert inline.script_urls == {"https://api.example.com/x", "https://i.example.com/c.png"} and inline.requests == set()


def test_svg_namespaces_left_by_a_build_without_our_hook():
    assert compat.scan_page('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0"/></svg>').svg_namespaces == 1
    assert compat.scan_page('<svg viewBox="0 0 24 24"><path d="M0"/></svg>').svg_namespaces == 0


@pytest.mark.parametrize("translations, english, expected", [
    ({"search.result.placeholder": "键入以开始搜索", "search.result.none": "没有找到符合条件的结果"}, [], "Chinese"),
    ({"search.result.placeholder": "Type to start searching"}, [], "not Chinese"),
    ({"search.result.placeholder": "键入以开始搜索"}, ["No results"],
     'English (the page\'s search words: Chinese; its script writes "No results")'),
])
def test_search_dialog_language(translations, english, expected):
    config = compat.scan_page(f'<script id="__config" type="application/json">{{"translations": {__import__("json").dumps(translations)}}}</script>').config
    assert compat.search_language(config, english) == expected


def test_english_dialog_words_are_found_in_a_script():
    js = 'a="No results":a="Loading search\\u2026";N("button",{"aria-label":"Close search"})'
    assert compat.english_search_words(js) == ["No results", "Loading search", "Close search"]
    assert compat.english_search_words('t(config.translations["search.result.none"])') == []


def test_a_site_is_scanned_with_the_assets_its_pages_load(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "bundle.js").write_text('x="https://unpkg.com/glightbox@3/dist/js/glightbox.min.js";y="Search results"')
    (tmp_path / "assets" / "unused.js").write_text('x="https://never.example.com/"')
    (tmp_path / "girls").mkdir()
    (tmp_path / "girls" / "a.html").write_text('<script src="../assets/bundle.js"></script>'
                                                '<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    (tmp_path / "index.html").write_text('<script src="assets/bundle.js"></script>')
    scan = compat.scan_site(tmp_path)
    assert scan.pages == {"index.html", "girls/a.html"}
    assert scan.script_urls == {"https://unpkg.com/glightbox@3/dist/js/glightbox.min.js": {"assets/bundle.js"}}
    assert (scan.svg_left, scan.svg_pages, scan.requests) == (1, 1, {})
    assert scan.search.startswith("English")


def test_without_zensical_the_script_says_so_and_succeeds(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["zensical_compat.py", "--zensical", str(tmp_path / "no-venv")])
    assert compat.main() == 0
    assert "Zensical is not installed" in capsys.readouterr().out


def test_zensical_is_found_in_a_venv(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "zensical").write_text("#!/bin/sh\n")
    assert compat.find_zensical(tmp_path) == tmp_path / "bin" / "zensical"
    assert compat.find_zensical(tmp_path / "bin" / "zensical") == tmp_path / "bin" / "zensical"
