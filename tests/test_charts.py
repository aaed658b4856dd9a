"""The site's charts (site/charts.py, templates/_chart.j2): the pinned ECharts copy, the figures
counted by hand on a small fixture, the rendered figure (its table holds exactly the JSON's
numbers, the JSON cannot be broken out of), and the public charts' small-number suppression.

Browser checks (the canvas drew, phone width) are in test_site_browser.py.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from aixin.domain import care
from aixin.domain.programme import from_data
from aixin.domain.quota import QuotaRow
from aixin.load.loader import load_file
from aixin.site import charts, collect
from aixin.site.audience import CITY_AUDIENCE, PUBLIC_AUDIENCE, Audience, restrict
from aixin.site.charts import Chart, Series
from aixin.site.collect import Item, SiteData
from aixin.site.render import environment

REPO = Path(__file__).resolve().parent.parent
VENDOR = REPO / "scripts" / "aixin" / "site" / "assets" / "vendor" / "echarts"
PROGRAMME = from_data(load_file(REPO / "records/programme.yaml", "records/programme.yaml").data)
TODAY = dt.date(2020, 1, 15)


# ------------------------------------------------------------------ the pinned copy


def test_the_shipped_echarts_is_the_pinned_version_with_its_licence_beside_it():
    library = (VENDOR / "echarts.min.js").read_text("utf-8")
    assert library.startswith("\n/*\n* Licensed to the Apache Software Foundation (ASF)")
    assert re.findall(r'\bt\.version="([0-9.]+)"', library) == [charts.ECHARTS_VERSION] == ["6.1.0"]
    assert "Apache License" in (VENDOR / "LICENSE").read_text("utf-8")
    assert "Apache ECharts" in (VENDOR / "NOTICE").read_text("utf-8")
    assert "LICENSE-d3" in (VENDOR / "LICENSE").read_text("utf-8") and (VENDOR / "LICENSE-d3").is_file()
    assert f"Version: {charts.ECHARTS_VERSION}" in (VENDOR / "README.txt").read_text("utf-8")
    assert f"ECharts {charts.ECHARTS_VERSION}" in (REPO / "docs/dev/SITE.md").read_text("utf-8")


def test_the_package_ships_the_copy_and_the_site_stages_it():
    from aixin.site.stage import ASSETS_DIR, asset_files

    data = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-data"]["aixin"]
    assert "site/assets/vendor/echarts/*" in data
    staged = asset_files()
    for name in ("echarts.min.js", "LICENSE", "NOTICE", "LICENSE-d3"):
        assert f"{ASSETS_DIR}/vendor/echarts/{name}" in staged
    assert f"{ASSETS_DIR}/aixin-charts.js" in staged
    script = (REPO / "scripts/aixin/site/assets/aixin-charts.js").read_text("utf-8")
    assert 'new URL("vendor/echarts/echarts.min.js", here)' in script  # relative to the site's own copy
    assert "document$.subscribe" in script  # drawn again after Material's instant navigation


def test_the_forms_choices_agree_with_the_schemas():
    schema = lambda kind: json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text("utf-8"))  # noqa: E731
    assert tuple(schema("log")["properties"]["kind"]["enum"]) == charts.LOG_KINDS
    assert tuple(schema("girl")["properties"]["needs"]["items"]["enum"]) == charts.NEEDS
    assert tuple(schema("pairing")["properties"]["end_reason"]["enum"]) == charts.END_REASONS


# ------------------------------------------------------------------ a small fixture


def item(record_kind: str, unit: str, rid: str, **data) -> Item:
    return Item(record_kind, unit, rid, f"records/{unit}/{record_kind}s/{rid}.yaml", data, True)


def pairing(unit: str, rid: str, started: str, status: str = "进行中", **more) -> Item:
    return item("pairing", unit, rid, mother=f"{unit}-m-aaaa", girl=f"{unit}-g-aaaa", started_on=started,
                status=status, **more)  # fmt: skip


def log(unit: str, pid: str, rid: str, day: str, kind: str) -> Item:
    return item("log", unit, rid, pairing=pid, date=day, kind=kind, **{"with": ["女童"]}, summary="示例")


def fixture() -> SiteData:
    """船山区: two pairings (one ended 2019-11-20, 父母返乡), one awaiting approval, three logs
    (and one dated after the as-of day); 安居区: a pairing from 2019-12-31 with one log; three
    girls of 7, 13 and 4."""
    pairings = [
        pairing("chuanshan", "chuanshan-p-aaa1", "2019-08-10"),
        pairing("chuanshan", "chuanshan-p-aaa2", "2019-09-01", "已结束", ended_on="2019-11-20", end_reason="父母返乡"),
        pairing("chuanshan", "chuanshan-p-aaa3", "2019-12-01", "待审批"),
        pairing("anju", "anju-p-aaa4", "2019-12-31"),
    ]
    logs = {
        "chuanshan-p-aaa1": [
            log("chuanshan", "chuanshan-p-aaa1", "chuanshan-l-aaa1", "2019-12-05", "电话"),
            log("chuanshan", "chuanshan-p-aaa1", "chuanshan-l-aaa2", "2019-12-20", "家访"),
            log("chuanshan", "chuanshan-p-aaa1", "chuanshan-l-aaa3", "2020-01-10", "电话"),
            log("chuanshan", "chuanshan-p-aaa1", "chuanshan-l-aaa4", "2020-01-20", "电话"),  # after the day
        ],
        "anju-p-aaa4": [log("anju", "anju-p-aaa4", "anju-l-aaa5", "2020-01-02", "微信")],
    }
    girls = [
        item("girl", "chuanshan", "chuanshan-g-aaa1", birth="2012-03", needs=["学习辅导", "心理沟通"]),
        item("girl", "chuanshan", "chuanshan-g-aaa2", birth="2006-01", needs=["精神关爱"]),
        item("girl", "anju", "anju-g-aaa3", birth="2015-06", needs=["学习辅导"]),
    ]
    data = SiteData(
        PROGRAMME,
        TODAY,
        PROGRAMME.units,
        girls={g.id: g for g in girls},
        pairings={p.id: p for p in pairings},
        logs=logs,
        quota=[QuotaRow("chuanshan", "船山区", 120, 2, 1), QuotaRow("anju", "安居区", 120, 0, 0),
               QuotaRow("", "全市合计", 1000, 2, 1)],
    )  # fmt: skip
    data.counts = collect.count(data)
    data.care = care.assess(collect.record_index(data), PROGRAMME, TODAY)
    return data


def by_key(found) -> dict[str, Chart]:
    return {c.key: c for c in found}


def values(chart: Chart) -> dict[str, list]:
    return {s.name: list(s.values) for s in chart.series}


MONTHS = ("2019-08", "2019-09", "2019-10", "2019-11", "2019-12", "2020-01")


def test_the_dashboards_figures_counted_by_hand():
    dashboard = by_key(charts.figures(restrict(fixture(), CITY_AUDIENCE)).dashboard)
    assert list(dashboard) == ["recruitment", "active-pairings", "contacts", "completion", "needs", "ages", "ended"]
    recruitment = dashboard["recruitment"]
    assert recruitment.categories == ("船山区", "安居区")  # the units' rows, not the city's
    assert values(recruitment) == {"名额": [120, 120], "审核通过": [2, 0], "待审核": [1, 0]}
    # At each month's end (January: on the as-of day); the proposed pairing never counts, the ended
    # one until 20 November.
    active = dashboard["active-pairings"]
    assert active.categories == MONTHS and values(active) == {"全市": [1, 2, 2, 1, 2, 2]}
    contacts = dashboard["contacts"]
    assert contacts.kind == "stacked" and contacts.categories == MONTHS  # fewer than 12 months since the launch
    assert values(contacts) == {"电话": [0, 0, 0, 0, 1, 1], "微信": [0, 0, 0, 0, 0, 1], "家访": [0, 0, 0, 0, 1, 0]}
    assert values(dashboard["needs"]) == {"女童": [2, 1, 1, 0]}
    ages = dashboard["ages"]
    assert ages.categories == ("6周岁以下", "6–8周岁", "9–11周岁", "12周岁", "13周岁及以上（超龄）")
    assert values(ages) == {"女童": [1, 1, 0, 0, 1]}
    assert dashboard["ended"].kind == "pie" and values(dashboard["ended"]) == {"结对": [1, 0, 0, 0, 0, 0]}


def test_obligation_completion_is_the_care_reports_share_per_unit_and_city():
    data = fixture()
    completion = by_key(charts.figures(restrict(data, CITY_AUDIENCE)).dashboard)["completion"]
    assert completion.kind == "hbar" and completion.unit == "%"
    assert completion.categories == ("船山区", "安居区", "全市")
    units = {u.unit: u for u in data.care.units}
    rows = [units["chuanshan"], units["anju"], data.care.city]
    assert [s.name for s in completion.series] == [o.label for o in PROGRAMME.obligations]
    for obligation, series in zip(PROGRAMME.obligations, completion.series):
        assert list(series.values) == [round(100 * u.completion.get(obligation.key, 0.0)) for u in rows]
    # The first meeting (互认互知) was met by nobody: 0 %, drawn as a bar of nothing, not left out.
    assert all(isinstance(v, int) and 0 <= v <= 100 for s in completion.series for v in s.values)


def test_each_unit_page_has_its_own_figures():
    figures = charts.figures(restrict(fixture(), CITY_AUDIENCE))
    chuanshan, anju = by_key(figures.units["chuanshan"]), by_key(figures.units["anju"])
    assert values(chuanshan["active-pairings"]) == {"船山区": [1, 2, 2, 1, 1, 1]}
    assert values(anju["active-pairings"]) == {"安居区": [0, 0, 0, 0, 1, 1]}
    assert values(chuanshan["contacts"]) == {"电话": [0, 0, 0, 0, 1, 1], "家访": [0, 0, 0, 0, 1, 0]}
    assert values(chuanshan["needs"]) == {"女童": [1, 1, 1, 0]} and values(anju["needs"]) == {"女童": [1, 0, 0, 0]}
    assert values(chuanshan["recruitment"]) == {"名额": [120], "审核通过": [2], "待审核": [1]}
    assert chuanshan["completion"].categories == tuple(o.label for o in PROGRAMME.obligations)
    assert "ended" not in anju  # nothing ended there: no chart of zeros
    assert figures.units["shehong"] == ()  # no record and no quota row: no chart at all


def test_a_unit_sites_dashboard_shows_that_units_figures():
    dashboard = by_key(charts.figures(restrict(fixture(), Audience("unit", "anju"))).dashboard)
    assert values(dashboard["active-pairings"]) == {"安居区": [0, 0, 0, 0, 1, 1]}
    assert values(dashboard["contacts"]) == {"微信": [0, 0, 0, 0, 0, 1]}
    assert dashboard["recruitment"].categories == ("船山区", "安居区")  # the city-wide quota table


def test_contacts_cover_the_last_twelve_months_only():
    data = fixture()
    data.today = dt.date(2021, 3, 10)
    data.logs["anju-p-aaa4"] += [log("anju", "anju-p-aaa4", "anju-l-aaa6", "2020-03-31", "微信"),
                                 log("anju", "anju-p-aaa4", "anju-l-aaa7", "2020-04-01", "见面")]  # fmt: skip
    chart = by_key(charts.figures(restrict(data, CITY_AUDIENCE)).dashboard)
    assert chart["contacts"].categories[0] == "2020-04" and chart["contacts"].categories[-1] == "2021-03"
    assert values(chart["contacts"]) == {"见面": [1] + [0] * 11}
    assert len(chart["active-pairings"].categories) == 20  # every month since the launch


# ------------------------------------------------------------------ the public charts


def test_public_charts_hide_every_count_under_five():
    data = fixture()
    public = restrict(data, PUBLIC_AUDIENCE)
    found = by_key(charts.figures(public).dashboard)
    assert set(found) == {"recruitment", "girls-pairings"}
    recruitment = found["recruitment"]
    assert recruitment.series[0].values[:3] == (220, 120, 120)  # quotas are public
    approved = recruitment.series[1]
    assert approved.values[1] is None and approved.shown[1] == "<5"  # 船山区: 2 approved
    girls = found["girls-pairings"].series[0]
    assert girls.values[0] == 0 and girls.shown[0] == ""  # 市直 surveys no girls: 0 by design
    assert girls.values[1] is None and girls.values[2] is None  # 2 and 1 girls
    page = environment().get_template("public.md.j2").render(
        {"today": "2020-01-15", "programme": PROGRAMME, "headers": [], "rows": public.public_rows,
         "charts": charts.public_charts(public)}, root="", title="首页")  # fmt: skip
    for payload in chart_payloads(page):
        numbers = {v for s in payload["series"] for v in s["values"] if v is not None}
        assert numbers <= {0, 60, 120, 220}, numbers  # quotas and zeros by design only


# ------------------------------------------------------------------ the rendered figure


class Tables(HTMLParser):
    """The figure tables' cells, row by row."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell))
            self.cell = None


def chart_payloads(text: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/json" class="aixin-chart-data">(.*?)</script>', text, re.S)]  # fmt: skip


def render_chart(chart: Chart) -> str:
    return environment().from_string('{% from "_chart.j2" import chart %}{{ chart(c) }}').render(c=chart)


def test_the_table_holds_exactly_the_numbers_of_the_json():
    for chart in charts.figures(restrict(fixture(), CITY_AUDIENCE)).dashboard:
        text = render_chart(chart)
        (payload,) = chart_payloads(text)
        assert payload["categories"] == list(chart.categories) and payload["kind"] == chart.kind
        parser = Tables()
        parser.feed(text)
        (table,) = parser.tables
        assert table[0][1:] == [s["name"] for s in payload["series"]]
        assert [row[0] for row in table[1:]] == payload["categories"]
        for position, row in enumerate(table[1:]):
            assert row[1:] == [str(s["values"][position]) for s in payload["series"]]


def test_record_text_cannot_break_out_of_the_chart_data():
    hostile = "</script><script>alert(1)</script><!--"
    chart = Chart("x-1", f"标题{hostile}", "bar", (hostile, "乙&"), (Series(f"{hostile}系列", (3, None), ("", "<5")),))
    text = render_chart(chart)
    assert text.count("<script") == 1 and text.count("</script>") == 1
    script = re.search(r'<script type="application/json" class="aixin-chart-data">(.*?)</script>', text, re.S).group(1)
    assert not set("<>&") & set(script)
    payload = json.loads(script)
    assert payload["title"] == f"标题{hostile}" and payload["categories"] == [hostile, "乙&"]
    assert payload["series"][0]["values"] == [3, None] and payload["series"][0]["shown"] == ["", "<5"]
    parser = Tables()
    parser.feed(text)
    assert [html.unescape(c) for c in parser.tables[0][2]] == ["乙&", "<5"]  # the table shows text, not markup
    assert "<script>alert" not in text.replace(script, "")


def test_a_chart_refuses_a_malformed_key_kind_or_series():
    with pytest.raises(ValueError):
        Chart("Bad Key", "标题", "bar", ("甲",), (Series("s", (1,)),))
    with pytest.raises(ValueError):
        Chart("k", "标题", "radar", ("甲",), (Series("s", (1,)),))
    with pytest.raises(ValueError):
        Chart("k", "标题", "bar", ("甲", "乙"), (Series("s", (1,)),))
