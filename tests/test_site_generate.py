"""The site generator's short cuts keep every byte: Jinja's context call, the `md` filter, the records cache."""

from __future__ import annotations

import string

import jinja2
from markupsafe import Markup

from aixin.site import render


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
