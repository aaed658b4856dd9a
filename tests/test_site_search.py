"""The search: a given name finds every girl who has it; contact-log text is searchable where
the site shows it, and nowhere else.

Material's search worker looks each Chinese run of a query up among the words of the index
(jieba's segmentation at build time, words separated by the index's separator) and matches it
with a trailing wildcard: a query finds a page when one of the page's words starts with it.
`finds()` applies exactly that to the built search_index.json, so these tests need no browser
(test_site_browser.py types a query into the real page).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from aixin.cli import main
from aixin.site import search
from conftest import CASES

VALID = CASES / "valid" / "records"
# Names jieba keeps whole (张紫涵, 王紫涵, 欧阳紫涵) or splits standalone (雨萱): before the fix,
# "紫涵" found none of the first three.
GIRLS = {
    "chuanshan-g-3m8x4p": "张紫涵",
    "chuanshan-g-9q2w5e": "王紫涵",
    "chuanshan-g-k7m1z3": "欧阳紫涵",
    "chuanshan-g-p6d2s9": "王雨萱",
    "chuanshan-g-u4y8t2": "李雨萱",
    "anju-g-5n7c1r": "赵紫涵",
}


@pytest.mark.parametrize("name,given", [
    ("张紫涵", "紫涵"), ("林夏", "夏"), ("欧阳紫涵", "紫涵"), ("欧阳", "阳"), (" 王雨萱 ", "雨萱"),
    ("示例女童甲", None), ("热依拉·测试", None), ("<img src=x>", None), (None, None), ("Anna", None),
])
def test_given_name(name, given):
    assert search.given_name(name) == given


def _docs(site: Path) -> tuple[list[dict], re.Pattern]:
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    return index["docs"], re.compile(index["config"]["separator"])


def _words(doc: dict, separator: re.Pattern) -> set[str]:
    text = html.unescape(re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"]))
    return {w.lower() for w in separator.split(text) if w}


def finds(site: Path, query: str) -> list[str]:
    """Locations the search worker returns for a one-word Chinese query."""
    docs, separator = _docs(site)
    return sorted(d["location"] for d in docs if any(w.startswith(query) for w in _words(d, separator)))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The small valid tree with girls renamed, built for the city and for 安居区."""
    from conftest import build_root

    root = build_root(VALID, tmp_path_factory.mktemp("search"))
    for girl, name in GIRLS.items():
        path = root / "records" / girl.split("-")[0] / "girls" / f"{girl}.yaml"
        path.write_text(re.sub(r"^name: .*$", f"name: {name}", path.read_text("utf-8"), flags=re.M), "utf-8")
    runner = CliRunner()
    for args in (["--audience", "city"], ["--unit", "anju"]):
        result = runner.invoke(main, ["build", "--root", str(root), *args], env={"AIXIN_TODAY": "2020-01-15"})
        assert result.exit_code == 0, result.output
    return root / "build"


@pytest.mark.slow
def test_a_given_name_finds_every_girl_with_it(built):
    city = built / "city" / "site"
    girls = lambda query: [loc for loc in finds(city, query) if loc.startswith("girls/")]  # noqa: E731
    with_zihan = sorted(f"girls/{g}.html" for g, n in GIRLS.items() if n.endswith("紫涵"))
    assert girls("紫涵") == with_zihan
    assert girls("雨萱") == ["girls/chuanshan-g-p6d2s9.html", "girls/chuanshan-g-u4y8t2.html"]
    # A full name still finds her alone among the girls.
    assert girls("王紫涵") == ["girls/chuanshan-g-9q2w5e.html"]
    assert girls("欧阳紫涵") == ["girls/chuanshan-g-k7m1z3.html"]
    # The unit site finds its own girl, and nobody else's.
    assert [loc for loc in finds(built / "anju" / "site", "紫涵") if loc.startswith("girls/")] == \
        ["girls/anju-g-5n7c1r.html"]


@pytest.mark.slow
def test_contact_log_text_is_searchable_on_the_city_site_only_where_shown(built):
    records = lambda site, query: [loc for loc in finds(site, query) if not loc.startswith("guide/")]  # noqa: E731
    city = built / "city" / "site"
    assert records(city, "月饼") == ["pairings/chuanshan-p-5t1w6r.html"]  # "一起过中秋节，做月饼。"
    assert records(city, "图书馆") == ["pairings/chuanshan-p-2b9v7n.html"]
    # 安居区's site holds no 船山区 pairing, so no word of its logs either.
    anju = built / "anju" / "site"
    docs, _ = _docs(anju)
    assert records(anju, "月饼") == [] and records(anju, "图书馆") == []
    assert not any("做月饼" in d["text"].replace("\u200b", "") for d in docs if not d["location"].startswith("guide/"))
