"""The site's Markdown generation: inert record text, masking, golden pages, audiences, refusals.

Everything here stops before MkDocs except `test_real_build`, the one real (strict) build.
Set AIXIN_UPDATE_GOLDEN=1 to rewrite tests/golden/site/ after an intended change.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import markdown
import pytest
from click.testing import CliRunner

from aixin.cli import main
from aixin.site import audience as audience_module
from aixin.site import build as site_build
from aixin.site import render
from aixin.site.audience import CITY_AUDIENCE, PUBLIC_AUDIENCE, Audience, restrict
from aixin.site.collect import collect
from conftest import CASES, REPO, TODAY

GOLDEN = Path(__file__).parent / "golden" / "site"
VALID = CASES / "valid" / "records"
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "{: onclick=alert(1) }",
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "**粗体** _斜体_ `代码` # 标题",
    "&lt;已转义&gt; &amp;",
]
EXTENSIONS = ["md_in_html", "attr_list", "tables", "admonition", "def_list", "toc"]


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


# ------------------------------------------------------------------ the md filter


@pytest.mark.parametrize("value", HOSTILE)
def test_md_filter_makes_values_inert(value):
    inert = str(render.md(value))
    assert not re.search(r"[<>{}\[\]()`*_#&\"'=]", inert.replace("&#", "").replace(";", "")), inert
    for context in (f"<td>{inert}</td>", f"前文 {inert} 后文", f"# {inert}", f"<div markdown=\"1\">\n\n{inert}\n\n</div>"):
        html = _html(context)
        assert "<img" not in html and "<script" not in html and "<a " not in html
        assert "onclick=" not in html and "javascript:" not in html
        assert "<strong>" not in html and "<em>" not in html and "<code>" not in html
    # What a reader sees is exactly the value.
    from html import unescape

    assert unescape(inert) == value


def test_md_filter_keeps_line_breaks_and_plain_text():
    assert str(render.md("第一行\n第二行")) == "第一行<br>第二行"
    assert str(render.md("示例镇中心小学")) == "示例镇中心小学"
    assert str(render.md(None)) == "" and str(render.md(True)) == "是"


def test_templates_never_show_a_raw_record_value(make_root, tmp_path):
    root = make_root(VALID)
    _rename_girl(root, "chuanshan-g-3m8x4p", HOSTILE)
    docs = tmp_path / "docs"
    site_build.generate(root, CITY_AUDIENCE, docs, today=TODAY)
    for page in _generated(docs):
        text = page.read_text("utf-8")
        for value in HOSTILE[:4]:
            assert value not in text, page
        html = _html(text.split("\n---\n", 1)[1])
        assert "<img src=x" not in html and "<script>alert" not in html and "javascript:" not in html
    front = (docs / "girls" / "chuanshan-g-3m8x4p.md").read_text("utf-8").split("\n---\n")[0]
    assert "&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;" in front


# ------------------------------------------------------------------ masking


def test_id_numbers_and_phones_are_masked_on_pages(make_root, tmp_path):
    root = make_root(VALID)
    docs = tmp_path / "docs"
    site_build.generate(root, CITY_AUDIENCE, docs, today=TODAY)
    data = collect(root, TODAY)
    secrets = set()
    for item in [*data.girls.values(), *data.mothers.values()]:
        d = item.data
        secrets.add(d.get("id_number"))
        secrets.add(d.get("phone"))
        for part in ("father", "mother", "guardian"):
            if isinstance(d.get(part), dict):
                secrets.add(d[part].get("phone"))
    secrets.discard(None)
    assert secrets
    texts = [p.read_text("utf-8") for p in _generated(docs)]
    for secret in secrets:
        entity_form = str(render.md(secret))
        assert not any(secret in t or entity_form in t for t in texts), secret
    mother = (docs / "mothers" / "chuanshan-m-7k2q9d4x.md").read_text("utf-8")
    assert str(render.md("5109**********038X")) in mother


# ------------------------------------------------------------------ golden pages


def _generated(docs: Path) -> list[Path]:
    """The pages generated from records (not the reference pages, not hand-written ones)."""
    keep = ("index.md", "units/", "girls/", "mothers/", "pairings/", "followup/", "years/")
    return sorted(p for p in docs.rglob("*.md") if p.relative_to(docs).as_posix().startswith(keep))


@pytest.mark.parametrize("audience", [CITY_AUDIENCE, Audience("unit", "anju"), PUBLIC_AUDIENCE],
                         ids=lambda a: a.slug)
def test_golden_pages(make_root, tmp_path, audience):
    root = make_root(VALID)
    docs = tmp_path / "docs"
    site_build.generate(root, audience, docs, today=TODAY, commit="abc1234")  # a fixed commit: stable pages
    produced = {p.relative_to(docs).as_posix(): p.read_text("utf-8") for p in _generated(docs)}
    for text in produced.values():
        assert "<!-- 由 aixin 根据 records/" in text and "生成，请勿手工修改 -->" in text
    golden = GOLDEN / audience.slug
    if os.environ.get("AIXIN_UPDATE_GOLDEN") == "1":
        shutil.rmtree(golden, ignore_errors=True)
        for rel, text in produced.items():
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden / rel).write_text(text, "utf-8")
    expected = {p.relative_to(golden).as_posix(): p.read_text("utf-8") for p in sorted(golden.rglob("*.md"))}
    assert sorted(produced) == sorted(expected)
    for rel in expected:
        assert produced[rel] == expected[rel], rel
    # Same input, byte-identical output.
    again = tmp_path / "again"
    site_build.generate(root, audience, again, today=TODAY, commit="abc1234")
    assert {p.relative_to(again).as_posix(): p.read_bytes() for p in _generated(again)} == \
        {rel: text.encode("utf-8") for rel, text in produced.items()}


# ------------------------------------------------------------------ audiences


@pytest.fixture(scope="module")
def example_root(tmp_path_factory):
    """The repository's own example records (with a 市直 mother paired with a 船山区 girl, and photos)."""
    dest = tmp_path_factory.mktemp("examples")
    shutil.copytree(REPO / "records", dest / "records")
    shutil.copytree(REPO / "schemas", dest / "schemas")
    return dest


def _people(data) -> dict[str, set[str]]:
    """Names of every person on file, by unit (girls' parents and guardians included)."""
    found: dict[str, set[str]] = {}
    for item in [*data.girls.values(), *data.mothers.values()]:
        names = found.setdefault(item.unit, set())
        names.add(item.data["name"])
        for part in ("father", "mother", "guardian"):
            if isinstance(item.data.get(part), dict):
                names.add(item.data[part]["name"])
    return found


def test_unit_site_holds_only_its_own_people(example_root, tmp_path):
    data = collect(example_root, TODAY)
    people = _people(data)
    cross = [p for p in data.pairings.values() if p.unit == "shizhi" and data.girls[p.data["girl"]].unit != "shizhi"]
    assert cross, "the example records should pair a 市直 mother with another unit's girl"
    site = restrict(collect(example_root, TODAY), Audience("unit", "shizhi"))
    assert {i.unit for i in [*site.data.girls.values(), *site.data.mothers.values(),
                              *site.data.pairings.values()]} <= {"shizhi"}
    assert all(log.unit == "shizhi" for logs in site.data.logs.values() for log in logs)
    assert set(site.data.counts) == {"shizhi", ""}
    docs = tmp_path / "shizhi"
    site_build.generate(example_root, Audience("unit", "shizhi"), docs, today=TODAY)
    texts = "\n".join(p.read_text("utf-8") for p in _generated(docs))
    others = set().union(*(names for unit, names in people.items() if unit != "shizhi"))
    for name in others:  # whole names only: "示例妈妈十九" (a stamp) does not show "示例妈妈十"
        assert not re.search(rf"(?<![\u4e00-\u9fff]){re.escape(str(render.md(name)))}(?![\u4e00-\u9fff])", texts), name
    assert "船山区的女童（不在本单位站点中显示）" in texts
    assert not (docs / "girls").exists()


def test_unit_site_of_the_girl_knows_she_is_paired(example_root, tmp_path):
    site = restrict(collect(example_root, TODAY), Audience("unit", "chuanshan"))
    data = collect(example_root, TODAY)
    paired_elsewhere = {p.data["girl"] for p in data.pairings.values() if p.unit != "chuanshan"} & set(site.data.girls)
    guests = [p for p in site.data.pairings.values() if p.unit != "chuanshan"]
    assert paired_elsewhere and {p.data["girl"] for p in guests} == paired_elsewhere
    # The other unit's mother is dropped to her name and unit, before anything is rendered.
    assert all(p.data["mother"] is None and p.id in site.visitors for p in guests)
    assert not {p.data["mother"] for p in data.pairings.values() if p.id in site.visitors} & set(site.data.mothers)
    docs = tmp_path / "chuanshan"
    site_build.generate(example_root, Audience("unit", "chuanshan"), docs, today=TODAY)
    girl = (docs / "girls" / f"{sorted(paired_elsewhere)[0]}.md").read_text("utf-8")
    visitor = site.visitors[guests[0].id]
    assert f"{render.md(visitor.name)}（市直）" in girl and "../pairings/shizhi-p-" in girl
    assert (docs / "pairings" / f"{guests[0].id}.md").is_file()
    # Photos are web copies under neutral names; the originals' names never reach the site.
    photos = sorted((docs / "photos").iterdir())
    assert photos and all(re.fullmatch(r"[0-9a-f]{20}(-thumb)?\.jpg", p.name) for p in photos)


def test_public_site_has_no_personal_data(example_root, tmp_path):
    full = collect(example_root, TODAY)
    site = restrict(collect(example_root, TODAY), PUBLIC_AUDIENCE)
    d = site.data
    assert not (d.girls or d.mothers or d.pairings or d.logs or d.findings or d.counts or d.quota)
    cells = [cell for row in site.public_rows for cell in row.cells]
    assert "<5" in cells
    for unit, row in zip(full.programme.units, site.public_rows[:-1]):
        for (name, _), value in zip(audience_module.PUBLIC_FIELDS[1:], row.cells[1:]):
            structural = value == "0" and audience_module.zero_by_construction(unit, name, 0)
            assert value == "<5" or int(value.replace(",", "")) >= 5 or structural, (unit.id, name, value)
    docs = tmp_path / "public"
    site_build.generate(example_root, PUBLIC_AUDIENCE, docs, today=TODAY)
    everything = "\n".join(p.read_text("utf-8") for p in docs.rglob("*.md"))
    for names in _people(full).values():
        for name in names:
            assert name not in everything and str(render.md(name)) not in everything
    assert not (docs / "guide").exists() and (docs / "reference" / "notice.md").is_file()
    assert not (docs / "photos").exists()


def test_small_counts_are_suppressed():
    assert audience_module.suppressed(4) == "<5" and audience_module.suppressed(5) == "5"
    assert audience_module.suppressed(0) == "<5" and audience_module.suppressed(1234) == "1,234"


# ------------------------------------------------------------------ refusals and the CLI


@pytest.mark.parametrize("url,refused", [
    ("https://example.github.io/aixin/", True), ("https://x.gitlab.io", True), ("https://a.gitee.io/", True),
    ("https://aixin.pages.dev", True), ("https://aixin.netlify.app/", True),
    ("http://192.168.1.20/aixin/", False), ("https://fulian.intranet.example/", False), (None, False),
])
def test_public_hosts(url, refused):
    assert (site_build.public_host(url) is not None) is refused


def test_build_refuses_a_public_site_url(make_root):
    root = make_root(VALID)
    (root / "mkdocs.yml").write_text("site_url: https://someone.github.io/aixin/\n", "utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 2
    assert "错误：" in result.output and "github.io" in result.output
    assert not (root / "build").exists()


@pytest.mark.parametrize("args,words", [
    (["--audience", "unit"], "--unit"),
    (["--unit", "nowhere"], "nowhere"),
    (["--unit", "anju", "--audience", "public"], "--unit"),
])
def test_build_usage_errors(make_root, args, words):
    root = make_root(VALID)
    result = CliRunner().invoke(main, ["build", "--root", str(root), *args])
    assert result.exit_code == 2, result.output
    assert "错误：" in result.output and words in result.output and "Traceback" not in result.output


def test_build_refuses_to_empty_a_foreign_folder(make_root, tmp_path):
    root = make_root(VALID)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_text("x")
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(precious)])
    assert result.exit_code == 2 and (precious / "thesis.docx").exists()


@pytest.mark.slow
def test_real_build(make_root, monkeypatch):
    """One strict MkDocs build of the small tree, with hostile names in it."""
    monkeypatch.setenv("AIXIN_TODAY", TODAY.isoformat())
    root = make_root(VALID)
    _rename_girl(root, "chuanshan-g-3m8x4p", HOSTILE)
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--strict", "--as-of", "2020-01-20"])
    assert result.exit_code == 0, result.output
    assert "网站上的数字：数据截至 2020-01-20。" in result.output  # --as-of wins over today; no Git here
    site = root / "build" / "city" / "site"
    assert f"用浏览器打开 {site / 'index.html'}" in result.output
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    assert (site / "search" / "search_index.js").is_file()
    girl_entries = [d for d in index["docs"] if d["location"].startswith("girls/")]
    assert girl_entries and all(d["text"].count("<p>") == 1 for d in girl_entries)
    assert not any("建档" in d["text"] for d in girl_entries)
    for page in site.rglob("*.html"):
        html = page.read_text("utf-8")
        assert not re.search(r"https?://(?!localhost|127\.0\.0\.1)", html), page
        assert "<img src=x" not in html and "<script>alert" not in html
        assert not re.search(r"(href|src)=\"?\s*javascript:", html) and "onclick=alert" not in html
        # Every page, generated or hand-written (the guide), says which day its figures are of.
        assert '<div class="aixin-stamp">数据截至 2020-01-20</div>' in html, page
        if page.name != "404.html":  # raw-HTML links are not checked by MkDocs: every one must resolve
            for href in re.findall(r'(?:href|src)="([^"#?]+)', html):
                assert (page.parent / unquote(href)).exists(), (page, href)
    forms = sorted(p.name for p in (site / "guide" / "forms").iterdir())
    assert forms == ["联系记录.xlsx", "附件1-留守女童.xlsx", "附件2-爱心妈妈.xlsx", "附件3-结对帮扶卡.xlsx"]
    assert "表格下载" in (site / "guide" / "downloads.html").read_text("utf-8")
    home = (site / "index.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in home
    assert "assets/aixin/iframe-worker-shim.js" in home and "fonts.googleapis" not in home
    card = (site / "pairings" / "chuanshan-p-5t1w6r.html").read_text("utf-8")
    assert "结对帮扶卡" in card  # the name shows as text, whichever way the entities are spelt
    assert "&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;" in card or "&lt;img src=x onerror=alert(1)&gt;" in card


# ------------------------------------------------------------------ helpers


def _rename_girl(root: Path, girl_id: str, values: list[str]) -> None:
    """Give one girl hostile text in several fields (still schema-valid)."""
    path = root / "records" / girl_id.split("-")[0] / "girls" / f"{girl_id}.yaml"
    text = path.read_text("utf-8")
    for key, value in zip(("name", "township", "school", "hobbies"), values):
        text = re.sub(rf"^{key}: .*$", f"{key}: {json.dumps(value, ensure_ascii=False)}", text, flags=re.M)
    path.write_text(text, "utf-8")


def test_search_worker_is_patched_for_whole_chinese_queries():
    from aixin.site import stage

    patched = stage.patched_search_worker()
    assert len(patched) == 1
    (path, text), = patched.items()
    assert path.startswith("assets/javascripts/workers/search.") and stage._SEGMENT_FIXED in text


def test_build_never_replaces_a_folder_it_did_not_make(make_root, tmp_path):
    root = make_root(VALID)
    (tmp_path / "out").mkdir()
    mine = tmp_path / "out" / "site.aixin-docs"
    mine.mkdir()
    (mine / "notes.md").write_text("我的笔记")
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(tmp_path / "out" / "site")])
    assert result.exit_code == 2 and "不是 aixin 生成的" in result.output
    assert (mine / "notes.md").read_text() == "我的笔记"


def test_bad_records_are_shown_or_noted_never_a_traceback(make_root, tmp_path):
    root = make_root(VALID)
    girls = root / "records" / "anju" / "girls"
    (girls / "anju-g-brok3n.yaml").write_text("name: [未闭合\n", "utf-8")
    (girls / "anju-g-1nval1d.yaml").write_text("name: 示例女童庚\nbirth: 2011-13\n", "utf-8")
    docs = tmp_path / "docs"
    site_build.generate(root, CITY_AUDIENCE, docs, today=TODAY)
    invalid = (docs / "girls" / "anju-g-1nval1d.md").read_text("utf-8")
    assert "没有通过结构检查" in invalid and "示例女童庚" in invalid
    assert not (docs / "girls" / "anju-g-brok3n.md").exists()
    for page in ("index.md", "units/anju.md"):
        assert "anju&#45;g&#45;brok3n&#46;yaml" in (docs / page).read_text("utf-8")


def test_public_totals_do_not_give_away_a_hidden_cell(make_root):
    from dataclasses import replace as dc_replace

    data = collect(make_root(VALID), TODAY)
    counts = {unit: dc_replace(c, mothers=50) for unit, c in data.counts.items()}
    counts["anju"] = dc_replace(counts["anju"], mothers=3)
    site = restrict(dc_replace(data, counts=counts), PUBLIC_AUDIENCE)
    column = [label for _, label in audience_module.PUBLIC_FIELDS].index("报名爱心妈妈") + 1
    assert [row.cells[column - 1] for row in site.public_rows] == ["50", "50", "<5"] + ["50"] * 6 + ["—"]


# ------------------------------------------------------------------ a girl's page: age and pairings


def test_girl_page_shows_her_age_today_and_every_pairing_with_its_end(make_root, tmp_path):
    root = make_root(VALID)
    docs = tmp_path / "docs"
    site_build.generate(root, CITY_AUDIENCE, docs, today=TODAY)
    girl = (docs / "girls" / "chuanshan-g-k7m1z3.md").read_text("utf-8")  # born 2011-09, two pairings
    assert "<tr><th>现年</th><td colspan=\"3\">8周岁（截至 2020-01-15）</td></tr>" in girl
    assert "超出本活动" not in girl
    ended = re.search(r"<tr>.*?已结束.*?</tr>", girl).group(0)
    assert str(render.md("2019-08-01")) in ended and str(render.md("2019-10-31")) in ended
    assert "<td>爱心妈妈退出</td>" in ended and "chuanshan-m-h3j6n9.html" in ended
    current = re.search(r"<tr>.*?进行中.*?</tr>", girl).group(0)
    assert str(render.md("2019-11-10")) in current and "<td>—</td><td>—</td>" in current


@pytest.mark.parametrize("today,shown,note", [
    (dt.date(2020, 1, 15), "12周岁", ""),  # born 2007-03
    (dt.date(2020, 3, 15), "12或13周岁（本月过生日）", "本月满13周岁"),
    (dt.date(2020, 4, 1), "13周岁", "已超过12周岁，超出本活动帮扶女童的年龄（12周岁以下）"),
])
def test_girl_page_says_when_she_has_aged_out(make_root, tmp_path, today, shown, note):
    root = make_root(VALID)
    docs = tmp_path / "docs"
    site_build.generate(root, CITY_AUDIENCE, docs, today=today)
    girl = (docs / "girls" / "chuanshan-g-9q2w5e.md").read_text("utf-8")
    line = re.search(r"<tr><th>现年</th>.*?</tr>", girl).group(0)
    assert f"{shown}（截至 {today.isoformat()}）" in line
    assert (note in line) if note else "超出" not in line


# ------------------------------------------------------------------ dashboard and tables in plain words


def test_dashboard_says_what_each_count_counts_in_plain_words(make_root, tmp_path):
    root = make_root(VALID)
    for audience in (CITY_AUDIENCE, Audience("unit", "anju")):
        docs = tmp_path / audience.slug
        site_build.generate(root, audience, docs, today=TODAY)
        home = (docs / "index.md").read_text("utf-8")
        assert "aixin check" not in home and "<code>aixin" not in home, audience
        assert "“已结对”" in home and "按女童所在的单位统计" in home
        assert "“进行中的结对”" in home and "按爱心妈妈所在的单位统计" in home
        assert "记录检查" in home


def test_unit_tables_show_names_before_record_codes(make_root, tmp_path):
    root = make_root(VALID)
    docs = tmp_path / "docs"
    site_build.generate(root, CITY_AUDIENCE, docs, today=TODAY)
    unit = (docs / "units" / "chuanshan.md").read_text("utf-8")
    rows = re.findall(r"<tr><td>.*?</tr>", unit.split("<h2>结对")[1].split("<h2>")[0])
    assert rows
    for row in rows:
        cells = re.findall(r"<td>(.*?)</td>", row)
        assert "&#45;p&#45;" not in cells[0] and "chuanshan-p-" not in cells[0], row  # a name comes first
        assert "chuanshan-p-" in cells[-1] or "chuanshan&#45;p&#45;" in cells[-1], row


def test_a_workplace_of_none_is_not_shown(make_root, tmp_path):
    root = make_root(VALID)
    path = root / "records" / "chuanshan" / "mothers" / "chuanshan-m-h3j6n9.yaml"
    path.write_text(re.sub(r"^workplace: .*$", "workplace: 无", path.read_text("utf-8"), flags=re.M), "utf-8")
    docs = tmp_path / "docs"
    site_build.generate(root, CITY_AUDIENCE, docs, today=TODAY)
    mother = (docs / "mothers" / "chuanshan-m-h3j6n9.md").read_text("utf-8")
    assert "<th>工作单位</th><td></td>" in mother and "· 无" not in mother
    unit = (docs / "units" / "chuanshan.md").read_text("utf-8")
    row = re.search(r"<tr><td><a href=\"../mothers/chuanshan-m-h3j6n9.html\">.*?</tr>", unit).group(0)
    assert "<td>无</td>" not in row
    pairings = [p for p in (docs / "pairings").glob("*.md") if "chuanshan&#45;m&#45;h3j6n9" in p.read_text("utf-8")
                or "chuanshan-m-h3j6n9" in p.read_text("utf-8")]
    assert pairings, "the mother has a pairing whose card shows her workplace"
    for card in pairings:
        assert '<th>工作单位及职务</th><td colspan="3">无' not in card.read_text("utf-8")


def test_public_total_is_shown_when_a_unit_is_zero_by_construction(make_root):
    """市直 (city organs) surveys no girls, and a unit without a quota recruits no mothers: their
    zero gives nothing away, so it is shown as 0 and the city total stays visible."""
    from dataclasses import replace as dc_replace

    data = collect(make_root(VALID), TODAY)
    units = tuple(dc_replace(u, quota=0) if u.id == "hedong" else u for u in data.programme.units)
    programme = dc_replace(data.programme, units=units)
    counts = {unit: dc_replace(c, mothers=50, girls=50) for unit, c in data.counts.items()}
    counts["shizhi"] = dc_replace(counts["shizhi"], girls=0)
    counts["hedong"] = dc_replace(counts["hedong"], mothers=0, quota=0)
    site = restrict(dc_replace(data, counts=counts, programme=programme), PUBLIC_AUDIENCE)
    labels = [label for _, label in audience_module.PUBLIC_FIELDS]
    girls = [row.cells[labels.index("建档女童")] for row in site.public_rows]
    assert girls == ["0"] + ["50"] * 8 + ["400"]
    mothers = [row.cells[labels.index("报名爱心妈妈")] for row in site.public_rows]
    assert mothers == ["50"] * 8 + ["0", "400"]
    # A zero that is not by construction stays hidden, and so does the total then.
    counts["anju"] = dc_replace(counts["anju"], girls=0)
    site = restrict(dc_replace(data, counts=counts, programme=programme), PUBLIC_AUDIENCE)
    girls = [row.cells[labels.index("建档女童")] for row in site.public_rows]
    assert girls[2] == "<5" and girls[-1] == "—" and girls[0] == "0"
    # A unit of the city kind that does have a girl on file is suppressed like any other.
    counts["anju"] = dc_replace(counts["anju"], girls=50)
    counts["shizhi"] = dc_replace(counts["shizhi"], girls=2)
    site = restrict(dc_replace(data, counts=counts, programme=programme), PUBLIC_AUDIENCE)
    girls = [row.cells[labels.index("建档女童")] for row in site.public_rows]
    assert girls[0] == "<5" and girls[-1] == "—"
