"""The site's year pages (年度总结) and the mother's commendations and trainings, over the bundled
example records (a programme running since 2019, with commendations and trainings of the city).

Every figure a year page shows is compared with `domain.annual.review` computed here from the
same records; the unit site must name no other unit's mother; the public site has no year page.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest

from aixin.domain import annual
from aixin.load.loader import load_file
from aixin.site import build as site_build
from aixin.site import yearpages
from aixin.site.audience import CITY_AUDIENCE, PUBLIC_AUDIENCE, Audience
from aixin.site.collect import collect, record_index
from conftest import REPO, build_root

AS_OF = dt.date(2026, 12, 1)  # the examples' as-of day (test_examples.EXAMPLES_AS_OF)
UNIT = "chuanshan"
AUDIENCES = {"city": CITY_AUDIENCE, UNIT: Audience("unit", UNIT), "public": PUBLIC_AUDIENCE}


class Tables(HTMLParser):
    """The tables of a page as rows of cells; a cell's `<small>` (the change from the year before)
    is kept apart from its figure, and its links are collected."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[dict]]] = []
        self._cell: dict | None = None
        self._small = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = {"text": "", "small": "", "links": []}
            self.tables[-1][-1].append(self._cell)
        elif tag == "small":
            self._small = True
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._cell = None
        elif tag == "small":
            self._small = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["small" if self._small else "text"] += data.strip()


def tables(path: Path) -> list[list[list[dict]]]:
    parser = Tables()
    parser.feed(path.read_text("utf-8"))
    return parser.tables


def texts(table: list[list[dict]]) -> list[list[str]]:
    return [[c["text"] for c in row] for row in table]


def table_after(path: Path, heading: str) -> list[list[dict]]:
    """The first table after the `<h2>` that starts with `heading`."""
    text = path.read_text("utf-8")
    start = text.index(f"<h2>{heading}")
    parser = Tables()
    parser.feed(text[start:])
    return parser.tables[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundled records built for the city, 船山区 and the public (Markdown only), and the
    reviews computed from the same records."""
    base = tmp_path_factory.mktemp("years")
    root = build_root(REPO / "records", base / "root")
    docs, navs = {}, {}
    for slug, audience in AUDIENCES.items():
        docs[slug] = base / slug
        generated = site_build.generate(root, audience, docs[slug], today=AS_OF, commit="abc1234",
                                        cache=base / "cache")
        navs[slug] = generated.nav
    data = collect(root, AS_OF)
    index = record_index(data)
    years = annual.years_on_record(data.programme, AS_OF)
    reviews = {y.label: annual.review(index, data.programme, y, AS_OF) for y in years}
    return {"root": root, "docs": docs, "navs": navs, "data": data, "reviews": reviews}


def year_pages(docs: Path) -> set[str]:
    return {p.relative_to(docs).as_posix() for p in (docs / "years").rglob("*.md")} if (docs / "years").is_dir() else set()


def nav_paths(nav) -> list[str]:
    found = []
    for entry in nav:
        for value in entry.values():
            found += nav_paths(value) if isinstance(value, list) else [value]
    return found


# ------------------------------------------------------------------ which pages exist


def test_year_pages_exist_per_audience(built):
    labels = list(built["reviews"])
    assert labels[0] == "2019-2020" and labels[-1] == "2026-2027"
    units = built["data"].programme.unit_ids
    city = {"years/index.md"} | {f"years/{y}.md" for y in labels} | {f"years/{y}/{u}.md" for y in labels for u in units}
    assert year_pages(built["docs"]["city"]) == city
    assert year_pages(built["docs"][UNIT]) == {"years/index.md"} | {f"years/{y}/{UNIT}.md" for y in labels}
    assert year_pages(built["docs"]["public"]) == set()
    for slug in ("city", UNIT):
        assert {"年度总结": "years/index.md"} in built["navs"][slug]
    assert "years/index.md" not in nav_paths(built["navs"]["public"])


def test_every_link_of_a_year_page_leads_to_a_page_of_the_same_site(built):
    """Two folders deep (years/<label>/<unit>) the links still resolve: to mothers, years, units."""
    import posixpath
    import re

    for slug in ("city", UNIT):
        docs = built["docs"][slug]
        pages = set(year_pages(docs)) | {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
        checked = 0
        for rel in year_pages(docs):
            for href in re.findall(r'href="([^"#]+)"', (docs / rel).read_text("utf-8")):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), href)).removesuffix(".html") + ".md"
                assert target in pages, (slug, rel, href)
                checked += 1
        assert checked > 20, slug


def test_the_index_lists_every_year_newest_first_with_its_totals(built):
    for slug, unit in (("city", None), (UNIT, UNIT)):
        text = (built["docs"][slug] / "years" / "index.md").read_text("utf-8")
        positions = [text.index(f'href="{yearpages.html(yearpages.year_path(y, unit)).removeprefix("years/")}"')
                     for y in built["reviews"]]
        assert positions == sorted(positions, reverse=True)
        review = built["reviews"]["2019-2020"]
        totals = review.city if unit is None else review.of_unit(UNIT).city
        assert f"爱心妈妈 {totals.mothers} 名 · 结对女童 {totals.girls_paired} 名 · 联系 {totals.contacts} 次" in text
    assert "（尚未结束，截至 2026-12-01）" in (built["docs"]["city"] / "years" / "index.md").read_text("utf-8")


# ------------------------------------------------------------------ the figures


def expected_cells(totals) -> list[str]:
    """The totals row as the review has it: each figure, a share in per cent, the ended pairings summed."""
    cells = []
    for _, key, unit in yearpages.TOTALS:
        value = sum(totals.ended_by_reason.values()) if key == "ended" else getattr(totals, key)
        cells.append(("—" if value is None else f"{round(100 * value)}%") if unit == "%" else str(value))
    return cells


def test_city_page_totals_match_the_review_with_the_change_from_the_year_before(built):
    review = built["reviews"]["2020-2021"]
    page = built["docs"]["city"] / "years" / "2020-2021.md"
    rows = table_after(page, "各单位本年度合计")
    header = [c["text"] for c in rows[0]]
    assert header == ["单位", *(label for label, _, _ in yearpages.TOTALS)]
    body = rows[1:]
    assert len(body) == len(review.units) + 1
    before = {u.unit: u for u in review.previous}
    assert before, "2020-2021 has a year before it"
    for row, totals in zip(body, [*review.units, review.city]):
        assert [c["text"] for c in row[1:]] == expected_cells(totals), totals.unit
        previous = before[totals.unit]
        contacts = next(c for (_, key, _), c in zip(yearpages.TOTALS, row[1:]) if key == "contacts")
        delta = totals.contacts - previous.contacts
        assert contacts["small"] == ("±0" if delta == 0 else f"{delta:+d}")
    first = body[0]
    assert first[0]["text"] == built["data"].programme.unit_name(review.units[0].unit)
    assert first[0]["links"] == [f"2020-2021/{review.units[0].unit}.html"]
    assert any(c["text"] != "0" for row in body for c in row[1:]), "the examples have figures"


def test_first_year_shows_no_change(built):
    rows = table_after(built["docs"]["city"] / "years" / "2019-2020.md", "各单位本年度合计")
    assert all(c["small"] == "" for row in rows[1:] for c in row)


def test_unit_page_mothers_table_matches_the_review(built):
    review = built["reviews"]["2019-2020"].of_unit(UNIT)
    mothers = built["data"].mothers
    for slug in ("city", UNIT):
        rows = table_after(built["docs"][slug] / "years" / "2019-2020" / f"{UNIT}.md", "爱心妈妈")
        assert [c["text"] for c in rows[0]][:9] == ["爱心妈妈", "结对女童", "联系次数", "有联系的月份", "结对月数", "家访",
                                                   "节日陪伴", "双访", "义务完成"]
        shown = {row[0]["text"]: [c["text"] for c in row[1:9]] for row in rows[1:]}
        expected = {
            mothers[m.mother_id].data["name"]: [str(v) for v in (m.girls, m.contacts, m.months_covered, m.months_active,
                                                                 m.home_visits, m.festivals, m.double_visits)]
            + [yearpages.percent(m.obligations_met)]
            for m in review.mothers
        }
        assert shown == expected and expected
        links = [row[0]["links"][0] for row in rows[1:]]
        assert all(link.startswith("../../mothers/") and link.endswith(".html") for link in links)


def test_candidates_are_listed_with_their_criteria(built):
    for label, review in built["reviews"].items():
        if review.candidates:
            break
    else:
        pytest.fail("the examples have no candidate in any year")
    rows = table_after(built["docs"]["city"] / "years" / f"{label}.md", "评优候选人")
    names = built["data"].mothers
    assert [(r[0]["text"], r[2]["text"]) for r in rows[1:]] == [
        (names[c.mother_id].data["name"], c.standing) for c in review.candidates
    ]
    header = [c["text"] for c in rows[0]]
    assert header[3:] == [c.label for c in review.candidates[0].criteria]
    first = review.candidates[0]
    assert [c["text"] for c in rows[1][3:]] == [("✓" if c.met else "✗") + c.value for c in first.criteria]
    text = (built["docs"]["city"] / "years" / f"{label}.md").read_text("utf-8")
    for criterion in review.criteria:
        assert criterion in text


def test_commendations_and_trainings_of_the_year(built):
    review = built["reviews"]["2019-2020"]
    assert review.commendations and review.trainings, "the examples hold commendations and trainings of 2019-2020"
    names = built["data"].mothers
    page = built["docs"]["city"] / "years" / "2019-2020.md"
    rows = table_after(page, "表彰")
    assert [[c["text"] for c in r] for r in rows[1:]] == [
        [names[c.mother_id].data["name"], built["data"].programme.unit_name(c.unit), c.title, c.awarded_by,
         c.date.isoformat()]
        for c in review.commendations
    ]
    rows = table_after(page, "培训")
    assert [[c["text"] for c in r][:6] for r in rows[1:]] == [
        [t.date.isoformat(), t.topic, t.place, t.organiser, f"{len(set(t.invited) | set(t.attended))} 名",
         f"{len(t.attended)} 名"]
        for t in review.trainings
    ]


def test_upward_figures_add_up_to_the_city(built):
    review = built["reviews"]["2019-2020"]
    rows = texts(table_after(built["docs"]["city"] / "years" / "2019-2020.md", "向上级报送的数字"))
    header, body = rows[0], rows[1:]
    assert body[-1][0] == "全市合计" and len(body) == len(review.units) + 1
    for kind, count in review.city.by_kind.items():
        column = header.index(kind)
        assert int(body[-1][column]) == count == sum(int(r[column]) for r in body[:-1])
    for reason, count in review.city.ended_by_reason.items():
        assert int(body[-1][header.index(f"结束：{reason}")]) == count


# ------------------------------------------------------------------ privacy


def test_unit_site_names_no_other_units_mother(built):
    data = built["data"]
    others = [m for m in data.mothers.values() if m.unit != UNIT]
    assert others
    pages = list((built["docs"][UNIT] / "years").rglob("*.md"))
    assert pages
    for page in pages:
        text = page.read_text("utf-8")
        for mother in others:
            assert mother.id not in text, (page, mother.id)
            assert mother.data["name"] not in text, (page, mother.id)
    # The trainings count only the unit's own mothers.
    own = {m.id for m in data.mothers.values() if m.unit == UNIT}
    for label, review in built["reviews"].items():
        page = built["docs"][UNIT] / "years" / label / f"{UNIT}.md"
        shown = [[c["text"] for c in r] for r in table_after(page, "培训")[1:]] if "<th>培训内容</th>" in page.read_text("utf-8") else []
        expected = [
            [f"{len(own & (set(t.invited) | set(t.attended)))} 名", f"{len(own & set(t.attended))} 名"]
            for t in review.trainings if own & (set(t.invited) | set(t.attended))
        ]
        assert [r[4:6] for r in shown] == expected, label


def test_public_site_has_no_year_page_and_no_commendation(built):
    docs = built["docs"]["public"]
    assert not (docs / "years").exists()
    for page in docs.rglob("*.md"):
        text = page.read_text("utf-8")
        assert "年度总结" not in text and "优秀爱心妈妈" not in text, page


# ------------------------------------------------------------------ the mother's page


def _records(root: Path, folder: str) -> list[dict]:
    """The city's records as written (aixin's loader: dates stay text)."""
    return [load_file(p, p.name).data for p in sorted((root / "records" / "city" / folder).glob("*.yaml"))]


def test_mother_page_lists_her_commendations_and_trainings(built):
    root, data = built["root"], built["data"]
    commendations, trainings = _records(root, "commendations"), _records(root, "trainings")
    assert commendations and trainings
    for c in commendations:
        mother = data.mothers[c["mother"]]
        for slug in ("city", UNIT) if mother.unit == UNIT else ("city",):
            rows = texts(table_after(built["docs"][slug] / "mothers" / f"{mother.id}.md", "表彰"))
            assert [c["year"], c["title"], c["awarded_by"], c["date"]] in rows[1:], mother.id
    offered_only = attended = 0
    for t in trainings:
        for mother_id in dict.fromkeys([*t["invited"], *t["attended"]]):
            page = built["docs"]["city"] / "mothers" / f"{mother_id}.md"
            rows = texts(table_after(page, "培训"))
            state = "参加了" if mother_id in t["attended"] else "提供了机会，没有参加"
            assert [t["date"], t["topic"], t["place"], t["organiser"], str(t.get("hours", "")), state] in rows[1:]
            attended += mother_id in t["attended"]
            offered_only += mother_id not in t["attended"]
    assert attended and offered_only, "the examples have a mother who attended and one who was only offered"


def test_a_mother_without_commendation_or_training_shows_neither(built):
    root, data = built["root"], built["data"]
    named = {c["mother"] for c in _records(root, "commendations")}
    for t in _records(root, "trainings"):
        named |= set(t["invited"]) | set(t["attended"])
    quiet = next(m for m in sorted(data.mothers) if m not in named)
    text = (built["docs"]["city"] / "mothers" / f"{quiet}.md").read_text("utf-8")
    assert "<h2>表彰</h2>" not in text and "<h2>培训</h2>" not in text


# ------------------------------------------------------------------ words


@pytest.mark.parametrize(("now", "before", "share", "shown"), [
    (12, 9, False, "+3"), (9, 12, False, "-3"), (5, 5, False, "±0"), (0.8, 0.75, True, "+5"),
    (0.5, None, True, ""), (None, 0.5, True, ""),
])
def test_change_from_the_year_before(now, before, share, shown):
    assert yearpages.change(now, before, share) == shown


# ------------------------------------------------------------------ charts


def chart_data(path: Path) -> dict[str, dict]:
    """The charts of a page by key, as the browser gets them (the JSON beside each figure)."""
    import json
    import re

    found = re.findall(r'<script type="application/json" class="aixin-chart-data">(.*?)</script>',
                       path.read_text("utf-8"))
    return {c["key"]: c for c in map(json.loads, found)}


def test_city_year_charts_hold_the_reviews_figures(built):
    programme = built["data"].programme
    shown = set()
    for label, review in built["reviews"].items():
        found = chart_data(built["docs"]["city"] / "years" / f"{label}.md")
        shown |= set(found)
        contacts = found["year-contacts"]
        assert contacts["kind"] == "stacked"
        assert contacts["categories"] == [programme.unit_name(u.unit) for u in review.units]
        for s in contacts["series"]:
            assert s["values"] == [u.by_kind.get(s["name"], 0) for u in review.units]
        assert {s["name"] for s in contacts["series"]} == {k for k, n in review.city.by_kind.items() if n}
        owed = [u for u in (*review.units, review.city) if u.obligations_met is not None]
        assert found["year-obligations"]["series"][0]["values"] == [round(100 * u.obligations_met) for u in owed]
        assert found["year-obligations"]["categories"][-1] == "全市合计"
        ended = {r: n for r, n in review.city.ended_by_reason.items() if n}
        if ended:  # a chart of only zeros is left out
            chart = found["year-ended"]
            assert dict(zip(chart["categories"], chart["series"][0]["values"])) == ended
        assert ("year-ended" in found) == bool(ended), label
        honoured = any(u.commendations or u.trainings_invited for u in review.units)
        assert ("year-honours" in found) == honoured, label
        if honoured:
            series = {s["name"]: s["values"] for s in found["year-honours"]["series"]}
            assert series["表彰"] == [u.commendations for u in review.units]
            assert series["提供培训（人次）"] == [u.trainings_invited for u in review.units]
            assert series["参加培训（人次）"] == [u.trainings_attended for u in review.units]
    assert shown == {"year-contacts", "year-obligations", "year-ended", "year-honours"}


def test_unit_year_charts_hold_the_units_figures(built):
    review = built["reviews"]["2022-2023"].of_unit(UNIT)
    for slug in ("city", UNIT):
        found = chart_data(built["docs"][slug] / "years" / "2022-2023" / f"{UNIT}.md")
        contacts = found["year-contacts"]
        assert dict(zip(contacts["categories"], contacts["series"][0]["values"])) == {
            k: n for k, n in review.city.by_kind.items() if n}
        months = found["year-months"]["series"][0]["values"]
        assert sum(months) == len(review.mothers)
        assert months[12] == sum(m.months_covered == 12 for m in review.mothers)
