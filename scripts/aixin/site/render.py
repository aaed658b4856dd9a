"""Pages to Markdown text: the Jinja2 environment and the one place where record text becomes inert.

Record values are data, never markup. Autoescape is on, and templates pipe every record value
through the `md` filter, which HTML-escapes it and writes every ASCII punctuation character as a
numeric entity (`{` → `&#123;`): Python-Markdown, attr_list and the browser then all see plain
text, whether the value lands in a raw HTML block, a Markdown line or the page title.

The templates' `md` filter (`page_text`) also masks personal numbers (`mask_digits`: phones and
ID numbers, grouped by spaces or dashes or not), so a number typed into notes or a summary never
reaches a page or the search index in full; a value without such a number renders as before.
Only aixin's own advice (a finding's hint, whose examples must stay readable) uses the `text`
filter, which is `md` unmasked.
"""

from __future__ import annotations

import json
import string
from functools import lru_cache
from types import BuiltinMethodType

import jinja2
import jinja2.runtime
from markupsafe import Markup

from aixin.core.findings import SEVERITY_LABELS
from aixin.core.masking import mask_digits, mask_id, mask_phone

from .charts import script_json
from .compiled import keep_compiled

GENERATED = "<!-- 由 aixin 根据 {sources} 生成，请勿手工修改 -->"
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
# Entities and line breaks in one pass: no entity holds a line break, and "<br>" is written as is.
_INERT = {**_ENTITIES, ord("\r"): None, ord("\n"): "<br>"}


def md(value: object) -> Markup:
    """Text as inert HTML: escaped, Markdown-proof, line breaks kept as <br> (nothing masked)."""
    if value is None:
        return Markup("")
    if isinstance(value, bool):
        value = "是" if value else "否"
    return Markup(str(value).translate(_INERT))


def page_text(value: object) -> Markup:
    """A record value on a page (the templates' `md`): inert, personal numbers in it masked."""
    if isinstance(value, str):
        return _masked_inert(value)
    return md(value)


@lru_cache(maxsize=1 << 16)
def _masked_inert(text: str) -> Markup:
    """The same unit names, states and dates recur on thousands of pages: each is made once."""
    return md(mask_digits(text))


def masked_id(value: object) -> Markup:
    return md(mask_id(value)) if value not in (None, "") else Markup("")


def masked_phone(value: object) -> Markup:
    return md(mask_phone(value)) if value not in (None, "") else Markup("")


def masked_text(value: object) -> Markup:
    """Free text that may quote a number (a finding's message): long digit runs masked."""
    return md(mask_digits(str(value))) if value is not None else Markup("")


def joined(values: object, separator: str = "、") -> Markup:
    """A list of record values, each made inert, joined for display."""
    if not isinstance(values, list):
        return page_text(values)
    return Markup(separator).join(page_text(v) for v in values)


# What people write in a form's box when they have nothing to put there (a workplace of 无).
NOTHING = frozenset({"无", "暂无", "没有", "无工作", "/", "-", "—", "——"})


def known(value: object) -> object:
    """The value, or None when it only says there is nothing (a page then leaves the cell empty)."""
    return None if isinstance(value, str) and value.strip() in NOTHING else value


def field(mapping: object, *keys: str) -> object:
    """mapping[k1][k2]… or None when any step is missing or not a mapping (invalid records)."""
    value = mapping
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


class _Context(jinja2.runtime.Context):
    """Jinja's context, with a short way for a built-in method (the templates' many
    `data.get("…")`): such a method can ask for no context, so it is called as Jinja would."""

    def call(__self, __obj, *args, **kwargs):  # Jinja's own signature
        if type(__obj) is BuiltinMethodType:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("aixin.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates are part of the package: no stat of each one per page
    )
    env.context_class = _Context
    keep_compiled(env)
    env.filters.update(
        md=page_text,
        text=md,
        mask_id=masked_id,
        mask_phone=masked_phone,
        masked_text=masked_text,
        joined=joined,
        known=known,
        severity=lambda s: SEVERITY_LABELS[s],
        chart_json=lambda chart: Markup(script_json(chart)),
    )
    env.globals.update(field=field)
    return env


# The templates whose output is only raw HTML blocks: their pages say so (`aixin_html: true`), and
# the MkDocs hooks hand them on without Markdown conversion (site/fastpath.py).
PURE_HTML_TEMPLATES = frozenset(
    {"girl.md.j2", "mother.md.j2", "pairing.md.j2", "unit.md.j2", "units.md.j2", "followup.md.j2"}
    | {"index.md.j2", "public.md.j2", "year.md.j2", "years.md.j2"}
)


def front_matter(
    title: str, *, searchable: bool, lightbox: bool, hide_toc: bool, boost: float | None = None, html: bool = False
) -> str:
    """YAML front matter; the title is escaped like any record value (Material prints it raw)."""
    lines = ["---", f"title: {json.dumps(str(page_text(title.replace(chr(10), ' '))), ensure_ascii=False)}"]
    if html:
        lines.append("aixin_html: true")
    if hide_toc:
        lines.append("hide: [toc]")
    if not searchable:
        lines.append("search: {exclude: true}")
    elif boost:
        lines.append(f"search: {{boost: {boost}}}")
    if not lightbox:
        lines.append("glightbox: false")
    lines.append("---")
    return "\n".join(lines) + "\n"


def header(sources: list[str]) -> str:
    # A source path is a record file name: "--" cannot occur in one, so the comment stays closed.
    return GENERATED.format(sources=" ".join(s.replace("--", "-") for s in sources))


def render(page, root: str = "") -> str:
    """The Markdown text of a generated page: front matter, header comment, template output."""
    template = environment().get_template(page.template)
    body = template.render(page.context, root=root, title=page.title)
    record_page = page.template not in ("index.md.j2", "public.md.j2", "units.md.j2", "reference.md.j2")
    return (
        front_matter(
            page.title,
            searchable=page.searchable,
            lightbox=page.lightbox,
            hide_toc=record_page,
            boost=page.boost,
            html=page.template in PURE_HTML_TEMPLATES,
        )
        + "\n"
        + header(page.sources)
        + "\n\n"
        + body.strip("\n")
        + "\n"
    )
