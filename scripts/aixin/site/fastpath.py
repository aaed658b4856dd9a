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
- Lightbox: a pure-HTML page's photos already carry glightbox's link markup, so the plugin's
  re-parsing of the page is skipped (`glightbox: false`) and `overrides/main.html` writes the tags
  the plugin would have added (`aixin_lightbox`); the plugin still copies its scripts.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace

from markdown.util import BLOCK_LEVEL_ELEMENTS
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.toc import get_toc

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


def _search_runs(config, page) -> bool:
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    search = page.meta.get("search") or {}
    return bool(plugin and plugin.config.enabled and not search.get("exclude"))


@event_priority(100)  # before the search plugin indexes the page
def _before_search(context, page, config, nav):
    if enabled(config) and _search_runs(config, page):
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


# ------------------------------------------------------------------ the nav, once per folder


def on_env(env, config, files):
    _lightbox_tags.clear()
    if enabled(config):
        env.globals[NAV_CACHE] = {}
    else:
        env.globals.pop(NAV_CACHE, None)
    return env
