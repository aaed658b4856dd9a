"""Shortcuts through MkDocs for the generated pages: the same site for a fraction of the work.

Every shortcut hands MkDocs exactly what its long way would have produced (tests/test_site_fastpath.py
builds sites both ways and compares them). `extra.aixin_fast: false` in the config, or the
environment variable AIXIN_FAST=0, switches them all off. The events are registered by
`mkdocs_hooks.py`, which imports them.

- Pure-HTML pages (front matter `aixin_html: true`, written by `render` for the templates that emit
  only raw HTML blocks) skip Markdown: for such a text Python-Markdown's output is the text itself,
  so the page's `render` is replaced by one that hands the HTML on, with what MkDocs reads from a
  rendered page (an empty toc, the anchor ids for link validation). A text that is not in that
  shape (a tab, a trailing space, a line after a blank line that does not open a block) goes the
  long way.
- Search: the search plugin parses only the indexed part of each page; the inside of every
  `data-search-exclude` element is taken out before it parses and the full page put back after,
  with the plugin's own attribute clean-up applied to it.
- Nav: `overrides/partials/nav.html` renders the nav once per folder for pages not in the nav; the
  cache it needs is given here (`aixin_nav_cache`), so without it the override renders as Material.
- Chinese words: the search plugin cuts every run of Chinese characters with jieba, the same
  labels and names thousands of times; each run is cut once per build here and the cut reused
  (`segment_chinese`, the plugin's own `_segment_chinese` with a memory). Emptied by each build,
  since `search.teach_segmenter` may have taught jieba new words since the last one.
- Frame: a pure-HTML page that is not in the nav is rendered by `overrides/aixin-frame.html`
  (set as its template), which gives main.html's output for it from a frame rendered once per
  folder and kind of page: the theme's whole page with stand-ins for the title and the content,
  checked against a full rendering of the first page it serves (`frame`). A page the frame cannot
  serve exactly (a title with markup characters, a toc, an edit link...) is rendered in full.
- Compiled templates: Material's templates are compiled once and kept (site/compiled.py).
- Lightbox: a pure-HTML page's photos already carry glightbox's link markup, so the plugin's
  re-parsing of the page is skipped (`glightbox: false`) and `overrides/main.html` writes the tags
  the plugin would have added (`aixin_lightbox`); the plugin still copies its scripts.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import posixpath
import re
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace

from backrefs import bre
from jinja2 import pass_context
from markdown.util import BLOCK_LEVEL_ELEMENTS
from markupsafe import Markup
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.toc import get_toc

from aixin.site import compiled, search_beside

SWITCH = "AIXIN_FAST"  # "0" switches the shortcuts off, whatever the config says
NAV_CACHE = "aixin_nav_cache"

# ------------------------------------------------------------------ the switch


def enabled(config) -> bool:
    if os.environ.get(SWITCH, "").strip().lower() in ("0", "false", "no", "off"):
        return False
    return config.extra.get("aixin_fast", True) is not False


# ------------------------------------------------------------------ pure-HTML pages

# What Python-Markdown would change in a text made only of raw HTML blocks: tabs (expanded), carriage
# returns and its own placeholder characters, trailing spaces and blank-looking lines, runs of blank
# lines between blocks (collapsed), and `markdown` attributes (md_in_html parses inside those).
_NOT_VERBATIM = ("\t", "\r", "\x02", "\x03", "\n\n\n", "markdown=")
_TRAILING_SPACE = re.compile(r"[^\S\n]\n")
_BLOCK_START = re.compile(r"<!--|<([a-zA-Z][a-zA-Z0-9]*)[\s/>]")
_BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)


def pure_html(markdown: str) -> str | None:
    """The HTML Python-Markdown makes of `markdown` when the text is only raw HTML blocks (the text
    itself), else None. A paragraph (text after a blank line) must open a block-level element or a
    comment, unless it is inside an element a paragraph before opened: anything else would become
    a Markdown paragraph, and a stray end tag would change the spacing."""
    text = markdown.strip("\n")
    if not text or text[-1].isspace() or any(bad in text for bad in _NOT_VERBATIM) or _TRAILING_SPACE.search(text):
        return None
    tag, depth = "", 0  # the element that holds the current raw block open, and how deep
    for paragraph in text.split("\n\n"):
        if depth <= 0:
            start = _BLOCK_START.match(paragraph)
            if not start:
                return None
            if start.group(1) is None:  # a comment, alone in its paragraph
                if not paragraph.endswith("-->") or paragraph.count("-->") != 1:
                    return None
                continue
            tag, depth = start.group(1).lower(), 0
            if tag not in _BLOCK_TAGS:
                return None
        depth += len(re.findall(rf"<{tag}[\s/>]", paragraph, re.I)) - len(re.findall(rf"</{tag}\s*>", paragraph, re.I))
    return text


_ANCHOR_TAG = re.compile(r"<([a-zA-Z][^\s/>]*)(\s[^>]*?\b(?:id|name)=[^>]*)>", re.I)
_ANCHOR_ATTRIBUTE = re.compile(r"""\s(id|name)=(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)


def anchor_ids(text: str) -> set[str]:
    """The ids (and `<a name>`s) MkDocs' raw-HTML scan would find, for its anchor validation."""
    found = set()
    for tag in _ANCHOR_TAG.finditer(text):
        for attribute in _ANCHOR_ATTRIBUTE.finditer(tag.group(2)):
            if attribute.group(1).lower() == "id" or tag.group(1).lower() == "a":
                found.add(html.unescape(attribute.group(2) or attribute.group(3) or attribute.group(4) or ""))
    return found


def _render_html(page, text: str, config, files) -> None:
    """`Page.render` for a pure-HTML page: what Markdown would have set, without converting."""
    page.content = text
    page.toc = get_toc([])
    page.present_anchor_ids = anchor_ids(text)


_IMAGE = re.compile(r"<img\b")
_LINKED_IMAGE = re.compile(r"<a\b[^>]*><img\b")


def on_page_markdown(markdown, page, config, files):
    if not enabled(config) or page.meta.get("aixin_html") is not True:
        return markdown
    text = pure_html(markdown)
    if text is None:
        return markdown
    page.render = partial(_render_html, page, text)
    if "template" not in page.meta:
        page.meta["template"] = FRAME_TEMPLATE
    # glightbox wraps only images outside a link; here every image is inside one already.
    plugin = config.plugins.get("glightbox")
    wanted = page.meta.get("glightbox", True) is not False
    if plugin and wanted and len(_IMAGE.findall(text)) == len(_LINKED_IMAGE.findall(text)):
        page.meta["glightbox"] = False  # the plugin leaves the page alone
        page.aixin_lightbox = lightbox_tags(plugin, page.url, config)
    return markdown


_SKELETON = "<html><head></head><body></body></html>"
_HEAD_AND_BODY = re.compile(r"<head>(.*)</head><body>(.*)</body>", re.S)
_lightbox_tags: dict[str, LightboxTags] = {}  # by folder, emptied by each build (on_env)


@dataclass(frozen=True)
class LightboxTags:
    head: str  # glightbox's stylesheet, script and style, for the end of <head>
    body: str  # its set-up script, for the end of <body>


def lightbox_tags(plugin, url: str, config) -> LightboxTags:
    """The tags glightbox adds to a page at `url`, as the plugin itself writes them (once per
    folder: only their relative links depend on the page)."""
    key = posixpath.dirname(url)
    if key not in _lightbox_tags:
        stand_in = SimpleNamespace(meta={}, url=url)
        match = _HEAD_AND_BODY.search(plugin.on_post_page(_SKELETON, page=stand_in, config=config))
        if match is None:
            raise RuntimeError("glightbox wrote its tags in an unexpected form")
        _lightbox_tags[key] = LightboxTags(match.group(1), match.group(2))
    return _lightbox_tags[key]


# ------------------------------------------------------------------ search: only the indexed part

# Material's search plugin removes these attributes from every page after indexing it.
SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")
_EXCLUDED_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b(?=[^>]*\sdata-search-exclude[\s=/>])[^>]*>")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_HEADING_WITH_ID = re.compile(r"<h[1-6]\b[^>]*\sid=", re.I)
_RAW_TEXT = re.compile(r"<(?:script|style|textarea|title|object)\b|<!--|<!\[CDATA\[", re.I)
_VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr".split()
)  # Material's search parser: tags it never expects to close


def _well_formed(inner: str) -> bool:
    """Every tag closed, in order (what keeps Material's parser from losing its place)."""
    stack = []
    for closing, name, self_closing in _TAG.findall(inner):
        name = name.lower()
        if not closing:
            if name not in _VOID and not self_closing:
                stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def indexed_part(content: str) -> str:
    """The page with the inside of each `data-search-exclude` element taken out, up to the first
    one whose inside Material's search parser might read or lose its place in: a heading with an id
    (it starts a section), raw text, an element of the same name or another excluded element (the
    parser tells elements apart by name only: their end tags would end the skipping), a tag left
    open or closed out of order. From that one on the page stays as it is."""
    pieces, done = [], 0
    for match in _EXCLUDED_START.finditer(content):
        tag = match.group(1).lower()
        if match.start() < done or tag in _VOID:
            continue
        end = re.compile(rf"</{tag}\s*>", re.I).search(content, match.end())
        if end is None:
            break
        inner = content[match.end() : end.start()]
        if (
            "data-search-exclude" in inner
            or re.search(rf"<{tag}[\s/>]", inner, re.I)
            or _HEADING_WITH_ID.search(inner)
            or _RAW_TEXT.search(inner)
            or not _well_formed(inner)
        ):
            break
        pieces.append(content[done : match.end()])
        done = end.start()
    pieces.append(content[done:])
    return "".join(pieces)


def _search_plugin(config):
    return config.plugins.get("material/search") or config.plugins.get("search")


def _indexed_beside(config) -> bool:
    """The worker of search_beside takes the indexed part itself."""
    return isinstance(getattr(_search_plugin(config), "search_index", None), search_beside.Beside)


def _search_runs(config, page) -> bool:
    plugin = _search_plugin(config)
    search = page.meta.get("search") or {}
    return bool(plugin and plugin.config.enabled and not search.get("exclude"))


@event_priority(100)  # before the search plugin indexes the page
def _before_search(context, page, config, nav):
    if enabled(config) and _search_runs(config, page) and not _indexed_beside(config):
        indexed = indexed_part(page.content)
        if indexed != page.content:
            page.aixin_full_content = page.content
            page.content = indexed
    return context


@event_priority(-100)  # after it
def _after_search(context, page, config, nav):
    full = getattr(page, "aixin_full_content", None)
    if full is not None:
        page.content = SEARCH_ATTRIBUTES.sub("", full)
        del page.aixin_full_content
    return context


on_page_context = CombinedEvent(_before_search, _after_search)


# ------------------------------------------------------------------ search: each Chinese run cut once

_HAN = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)  # the plugin's own pattern


def segmenter():
    """A `_segment_chinese(data)` that gives what Material's does (every run of Chinese characters
    cut by jieba, the words parted and the run framed by zero-width spaces), each run cut once."""
    import jieba

    cuts: dict[str, str] = {}

    def cut(match) -> str:
        value = match.group(0)
        found = cuts.get(value)
        if found is None:
            found = cuts[value] = "".join(["\u200b", "\u200b".join(jieba.cut(value.encode("utf-8"))), "\u200b"])
        return found

    def segment_chinese(data: str) -> str:
        return _HAN.sub(cut, data).strip("\u200b")

    return segment_chinese


def _remember_cuts(config) -> None:
    plugin = _search_plugin(config)
    index = getattr(plugin, "search_index", None)
    if index is None or not hasattr(index, "_segment_chinese"):
        return
    index.__dict__.pop("_segment_chinese", None)  # the class's own, for the long way
    if enabled(config):
        with contextlib.suppress(ImportError):  # no jieba: the plugin does not segment either
            index._segment_chinese = segmenter()


# ------------------------------------------------------------------ the page frame, once per folder

FRAME_TEMPLATE = "aixin-frame.html"  # in overrides/: `{{ aixin_frame() }}`
FRAME = "aixin_frame"  # the function that template calls
FRAME_CACHE = "aixin_frames"  # this build's frames (Frames), given with the function
PAGE_TEMPLATE = "main.html"
_TITLE = "\ue000aixin-title\ue001"  # stand-ins: private-use characters, no markup, no spaces
_CONTENT = "\ue000aixin-content\ue001"
_H1 = "<h1"  # Material's content.html adds the title as a heading to a page without one
_UNSAFE_TITLE = re.compile(r"[<>&\"'\ue000\ue001]")
_UNFIT = object()  # a key whose frame did not give the full rendering: its pages go the long way


CHECKS = 2  # pages of a key rendered in full and compared before its frame is trusted


class Frames:
    """main.html's output for pages that differ only in their title and content, from one frame per
    key (folder, front matter, what this module gave the page). Each frame is checked against the
    full rendering of the first CHECKS pages it would serve: a template that reads something of the
    page outside the key (its address, a length) differs on one of them, and the key is then
    rendered in full from then on."""

    def __init__(self) -> None:
        self.frames: dict[tuple, object] = {}  # key: [frame, pages it matched] or _UNFIT

    def key(self, context) -> tuple | None:
        """What a page's frame depends on besides its title and content, or None for a page that
        needs a rendering of its own."""
        page = context.get("page")
        if page is None or page.content is None or not isinstance(page.title, str):
            return None
        nav = context.get("nav")
        if (
            page.toc
            or page.is_homepage
            or page.canonical_url
            or page.edit_url
            or page.previous_page
            or page.next_page
            or page.ancestors
            or (nav is not None and page in nav.pages)
            or _UNSAFE_TITLE.search(page.title)
            or page.title != " ".join(page.title.split())
            or _TITLE in page.content
            or _CONTENT in page.content
        ):
            return None
        meta = {k: v for k, v in page.meta.items() if k != "title"}
        return (
            posixpath.dirname(page.url),
            context.get("base_url"),
            json.dumps(meta, sort_keys=True, default=repr),
            _H1 in page.content,
            # what this module gives the page for the templates (the lightbox tags)
            tuple(sorted((k, v) for k, v in vars(page).items() if k.startswith("aixin_"))),
        )

    def render(self, context) -> str:
        template = context.environment.get_template(PAGE_TEMPLATE)
        key = self.key(context)
        entry = self.frames.get(key) if key is not None else _UNFIT
        page = context["page"]
        if isinstance(entry, list) and entry[1] >= CHECKS:
            return fill(entry[0], page.title, page.content)
        full = template.render(context.get_all())
        if entry is _UNFIT:
            return full
        if entry is None:
            entry = [_frame_of(template, context), 0]
        if fill(entry[0], page.title, page.content) == full:
            entry[1] += 1
            self.frames[key] = entry
        else:
            self.frames[key] = _UNFIT
        return full


def _frame_of(template, context) -> list[list[str]]:
    """The page rendered with stand-ins for its title and content, cut at the content and then
    at the title."""
    page = context["page"]
    had_meta_title = "title" in page.meta
    old_meta_title = page.meta.get("title")
    old_own_title = page.__dict__.get("title", _UNFIT)
    old_content = page.content
    try:
        if had_meta_title:
            page.meta["title"] = _TITLE
        page.__dict__["title"] = _TITLE  # mkdocs' weak_property: an instance value wins
        content = page.content = _CONTENT + _H1 if _H1 in old_content else _CONTENT
        text = template.render(context.get_all())
    finally:
        page.content = old_content
        if had_meta_title:
            page.meta["title"] = old_meta_title
        if old_own_title is _UNFIT:
            page.__dict__.pop("title", None)
        else:
            page.__dict__["title"] = old_own_title
    return [part.split(_TITLE) for part in text.split(content)]


def fill(frame: list[list[str]], title: str, content: str) -> str:
    return content.join(title.join(parts) for parts in frame)


@pass_context
def _frame(context) -> Markup:
    frames = context.environment.globals.get(FRAME_CACHE)
    if frames is None:  # the template used without the hook's cache: render in full
        return Markup(context.environment.get_template(PAGE_TEMPLATE).render(context.get_all()))
    return Markup(frames.render(context))


# ------------------------------------------------------------------ the nav, once per folder


def on_env(env, config, files):
    _lightbox_tags.clear()
    _remember_cuts(config)
    plugin = _search_plugin(config)
    if enabled(config) and search_beside.wanted(config, plugin):  # after the cuts' memory: the worker takes it
        search_beside.start(plugin, indexed_part)
    env.globals[FRAME] = _frame
    if enabled(config):
        compiled.keep_compiled(env)
        env.globals[NAV_CACHE] = {}
        env.globals[FRAME_CACHE] = Frames()
    else:
        env.globals.pop(NAV_CACHE, None)
        env.globals.pop(FRAME_CACHE, None)
    return env


def on_build_error(error):
    search_beside.stop_all()
