"""The built city site in a real headless Chromium, opened from its folder (file://, no server).

Debian's Chromium (/usr/bin/chromium) driven by Playwright; `.ci/run` installs it. Nothing is
downloaded: Playwright's own browsers are never used. Every request of every page is recorded
and must stay on the local files; a dialog (alert) must never open.

The site is the fixture tree of `test_site_privacy.py`, built once per session (`built_sites`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from test_site_privacy import XSS, built_sites

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL = ("file://", "data:", "blob:")
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_sites(tmp_path_factory).site("city")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium; .ci/run does "
                    "it). The browser tests never download a browser.", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright's Python package is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A page with everything it asked for, every dialog it opened and every script error."""

    page: object
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="load")
        self.page.wait_for_function("() => typeof document$ !== 'undefined'")  # Material's scripts ran

    def offline(self) -> None:
        assert self.requests, "no request was recorded at all"
        remote = [url for url in self.requests if not url.startswith(LOCAL)]
        assert remote == [], f"requests that left the computer: {remote}"

    def quiet(self) -> None:
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.errors == [], f"script errors: {self.errors}"


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    recorded = Tab(page)
    page.on("request", lambda request: recorded.requests.append(request.url))
    context.on("request", lambda request: recorded.requests.append(request.url))  # workers, popups

    def dialog(d):
        recorded.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    page.on("pageerror", lambda error: recorded.errors.append(str(error)))
    yield recorded
    context.close()


def url(site: Path, rel: str) -> str:
    return (site / rel).as_uri()


# ------------------------------------------------------------------ the dashboard


def test_dashboard_shows_quota_bars_and_tables(site, tab, tmp_path):
    tab.open(url(site, "index.html"))
    page = tab.page
    assert page.locator("h1").first.inner_text().endswith("遂宁市“爱心妈妈”结对帮扶留守女童活动")
    bars = page.locator(".aixin-bar[role=progressbar]")
    assert bars.count() == 10  # nine units and the city
    rows = page.locator(".aixin-dashboard table").first.locator("tbody tr")
    assert rows.count() == 10
    cells = rows.nth(1).locator("td").all_inner_texts()
    assert cells[:4] == ["船山区", "120", "2", "1"] and cells[4].strip().endswith("2%")
    assert rows.nth(9).locator("td").all_inner_texts()[:3] == ["全市合计", "1000", "4"]
    # The bars are drawn by the site's own CSS (loaded from the folder): the fill is the share shown.
    for index in range(10):
        bar = bars.nth(index)
        box = bar.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 5
        assert bar.evaluate("e => getComputedStyle(e).display") == "inline-block"
        fill = bar.locator("span").bounding_box() or {"width": 0}
        shown = int(rows.nth(index).locator("td").nth(4).inner_text().strip().rstrip("%"))
        assert abs(fill["width"] / box["width"] - shown / 100) < 0.02, (index, fill, box, shown)
    assert bars.nth(1).locator("span").bounding_box()["width"] > 0  # 船山区: 2 of 120
    assert bars.nth(1).get_attribute("aria-valuenow") == "2" and bars.nth(1).get_attribute("aria-valuemax") == "120"
    counts = page.locator(".aixin-dashboard table").nth(1).locator("tbody tr").nth(1).locator("td")
    assert counts.all_inner_texts()[:2] == ["船山区", "3"]
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    tab.offline()
    tab.quiet()


# ------------------------------------------------------------------ a unit page


def test_unit_tables_sort_on_click(site, tab):
    tab.open(url(site, "units/chuanshan.html"))
    page = tab.page
    girls = page.locator("article table[data-sortable]").nth(1)
    births = lambda: girls.locator("tbody tr td:nth-child(2)").all_inner_texts()  # noqa: E731
    before = births()
    assert before == ["2009-11", "2010-09", "2010-06"]  # by record number
    header = girls.locator("thead th", has_text="出生年月")
    header.click()
    first = births()
    assert first != before and first in (sorted(before), sorted(before, reverse=True))
    assert header.get_attribute("aria-sort") in ("ascending", "descending")
    header.click()
    assert births() == first[::-1]
    # Rows move whole: the names follow their birth dates.
    names = dict(zip(girls.locator("tbody tr td:nth-child(2)").all_inner_texts(),
                     girls.locator("tbody tr td:nth-child(1)").all_inner_texts()))
    assert names == {"2009-11": "杜若兰", "2010-09": XSS[0], "2010-06": "林夏"}
    tab.offline()
    tab.quiet()


# ------------------------------------------------------------------ the pairing card


def test_pairing_card_photos_and_lightbox(site, tab, tmp_path):
    tab.open(url(site, "pairings/chuanshan-p-k3m9td.html"))
    page = tab.page
    card = page.locator(".aixin-card")
    assert "周晓梅" in card.inner_text() and "林夏" in card.inner_text()
    photos = card.locator(".aixin-card-photo img")
    assert photos.count() == 2
    for i in range(2):
        photo = photos.nth(i)
        photo.scroll_into_view_if_needed()
        photo.evaluate("img => img.complete || new Promise(ok => img.addEventListener('load', ok, {once: true}))")
        assert photo.evaluate("img => img.naturalWidth") > 0, photo.get_attribute("src")
    thumb = page.locator(".aixin-timeline .aixin-thumbs a.glightbox").first
    thumb_img = thumb.locator("img")
    thumb.scroll_into_view_if_needed()
    thumb_img.evaluate("img => img.complete || new Promise(ok => img.addEventListener('load', ok, {once: true}))")
    thumb_width = thumb_img.evaluate("img => img.naturalWidth")
    assert thumb_width > 0
    thumb.click()
    page.wait_for_function("""() => { const i = document.querySelector('.glightbox-container .gslide.current img');
                                      return i && i.complete && i.naturalWidth > 0 }""")
    full = page.locator(".glightbox-container .gslide.current img")
    assert full.is_visible()
    src, width = full.evaluate("img => [img.src, img.naturalWidth]")
    assert src == (site / "pairings" / thumb.get_attribute("href")).resolve().as_uri()
    assert not src.endswith("-thumb.jpg") and width > thumb_width
    # Once the zoom has settled the photo is shown at its full size (it fits the window).
    page.wait_for_function("""() => { const s = document.querySelector('.glightbox-container .gslide.current');
                                      return s && !s.className.includes('gzoomIn') }""")
    shown = full.bounding_box()
    assert shown and abs(shown["width"] - width) < 2, (shown, width)
    assert shown["width"] > 3 * thumb.bounding_box()["width"]
    page.screenshot(path=str(tmp_path / "lightbox.png"))
    assert (tmp_path / "lightbox.png").stat().st_size > 5_000
    tab.offline()
    tab.quiet()


def test_pairing_card_prints_on_one_a4_page(site, tab, tmp_path):
    """The 结对帮扶卡 is printed on paper: the print stylesheet fits card and photos on one A4 page."""
    tab.open(url(site, "pairings/chuanshan-p-k3m9td.html"))
    page = tab.page
    page.emulate_media(media="print")
    assert page.locator(".aixin-card").is_visible()
    assert not page.locator(".md-header").is_visible()  # navigation is not printed
    pdf = page.pdf(format="A4", print_background=True)
    (tmp_path / "card.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # page objects, not the /Pages tree
    tab.offline()
    tab.quiet()


# ------------------------------------------------------------------ search


def test_search_finds_a_two_character_name(site, tab):
    # An input method commits the characters, then a key goes up: Material searches on keyup.
    titles = [title for title, _ in _search(tab, site, "林夏")]
    # Her own page comes first, before 林春华 (安居区): the whole query counts as one word (stage.py
    # patches Material's search worker; unpatched, "林夏" is searched as "林").
    assert titles and titles[0] == "林夏" and "林春华" not in titles, titles
    page = tab.page
    page.locator(".md-search-result__link").nth(titles.index("林夏")).click()
    page.wait_for_url(re.compile(r"/girls/chuanshan-g-l1nxia\.html"))
    assert page.locator("article h1").first.inner_text().strip() == "林夏"
    tab.offline()
    tab.quiet()


def _search(tab, site: Path, query: str) -> list[tuple[str, str]]:
    """(title, text) of every result the real search page lists for `query`.

    Material re-renders the list on every keyup, so the list is read in one step, again and
    again, until two readings a moment apart agree: reading it item by item raced the re-render.
    """
    tab.open(url(site, "index.html"))
    page = tab.page
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=50)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item")
    read = """() => [...document.querySelectorAll('.md-search-result__link')].map(a => {
        const heading = a.querySelector('h1, h2');
        return [heading ? heading.innerText.replaceAll('\u200b', '').trim() : '',
                a.innerText.replaceAll('\u200b', '')];
    })"""
    last = None
    for _ in range(40):
        now = [tuple(item) for item in page.evaluate(read)]
        if now and now == last:
            return now
        last = now
        page.wait_for_timeout(250)
    return last or []


def test_search_finds_contact_log_text_and_given_names(site, tab):
    # "月饼" is only in the 中秋节 log of 赵丽华 and 杜若兰: the pairing's page is found.
    found = _search(tab, site, "月饼")
    assert any(title == "赵丽华 与 杜若兰" and "送去月饼" in text for title, text in found), found
    # A given name alone ("若兰", of 杜若兰) finds her page.
    assert "杜若兰" in [title for title, _ in _search(tab, site, "若兰")]
    tab.offline()
    tab.quiet()


# ------------------------------------------------------------------ hostile record text


@pytest.mark.parametrize("rel", ["girls/chuanshan-g-h0st1l.html", "mothers/chuanshan-m-h0st1l.html",
                                 "pairings/chuanshan-p-h0st1l.html", "units/chuanshan.html"])
def test_hostile_values_show_as_text(site, tab, rel):
    tab.open(url(site, rel))
    page = tab.page
    page.wait_for_timeout(300)  # an onerror/onload would fire by now
    text = page.locator("article").inner_text()
    expected = XSS if not rel.startswith("units/") else [XSS[0], XSS[1], XSS[6]]
    for value in expected:
        assert value in text, value
    injected = page.evaluate("""() => ({
        img: document.querySelectorAll('img[src="x"]').length,
        svg: document.querySelectorAll('svg[onload]').length,
        handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
            .filter(a => a.name.startsWith('on') && a.value.includes('alert')).map(a => a.name)),
        links: [...document.querySelectorAll('a[href]')].filter(a => a.href.startsWith('javascript:')).length,
        scripts: [...document.scripts].filter(s => s.textContent.includes('alert(')).length,
        emphasis: [...document.querySelectorAll('article em, article strong, article b')]
            .filter(e => e.textContent.includes('强调')).length,
    })""")
    assert injected == {"img": 0, "svg": 0, "handlers": [], "links": 0, "scripts": 0, "emphasis": 0}
    if rel.startswith("girls/"):
        assert page.locator("article h1").first.inner_text().strip() == XSS[0]
        assert page.title().startswith(XSS[0])
    tab.offline()
    tab.quiet()


def test_hostile_search_results_show_as_text(site, tab):
    tab.open(url(site, "index.html"))
    page = tab.page
    page.locator("input.md-search__input").click()
    page.keyboard.type("强调", delay=50)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item")
    result = page.locator(".md-search-result__list")
    page.wait_for_timeout(300)
    assert XSS[0] in result.inner_text() and XSS[6] in result.inner_text()
    assert result.locator("img, svg[onload], script").count() == 0
    tab.offline()
    tab.quiet()


# ------------------------------------------------------------------ phones and paper

PHONE = {"width": 390, "height": 844}
CARD = "pairings/chuanshan-p-k3m9td.html"
# A 关爱寄语 as long as the schema allows (1,000 characters), in paragraphs as a mother writes them.
LONG_MESSAGE = "\n".join(["林夏，妈妈想对你说：" + "好好学习，天天向上，遇到难题不要怕，有什么心事都可以告诉妈妈。" * 3] * 10)[:1000]


def phone_tab(browser, rel_url: str):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=1, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(rel_url, wait_until="load")
    page.wait_for_function("() => typeof document$ !== 'undefined'")
    return context, page


# What sticks out of the window: elements whose right edge passes the viewport, outside any frame
# that scrolls sideways by design (Material's table wrapper).
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const out = [...document.querySelectorAll('article *')].filter(e => !e.closest('.md-typeset__scrollwrap'))
        .filter(e => e.getBoundingClientRect().right > width + 1)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
    return {scroll: document.documentElement.scrollWidth, client: width, body: document.body.scrollWidth, out};
}"""

# The number of lines a cell's text takes, and its font size: a label that wraps one character
# per line (示/例/妈/妈) takes as many lines as it has characters.
CELL_LINES = """cells => cells.filter(c => c.innerText.trim()).map(c => {
    const range = document.createRange();
    range.selectNodeContents(c);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    return {text: c.innerText.trim(), side: c.classList.contains('aixin-side'), lines: tops.size,
            width: c.getBoundingClientRect().width, font: parseFloat(getComputedStyle(c).fontSize)};
})"""


def assert_no_overflow(page):
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["client"] and found["body"] <= found["client"], found
    assert found["out"] == [], found


def assert_cells_readable(page):
    """No label or value is squeezed below two characters; labels (bar the side ones) take one line."""
    cells = page.locator(".aixin-card-table th, .aixin-card-table td:not(.aixin-card-photo)").evaluate_all(CELL_LINES)
    assert len(cells) >= 19
    for cell in cells:
        assert cell["width"] >= 2 * cell["font"], cell
        if not cell["side"] and len(cell["text"]) <= 8:
            assert cell["lines"] == 1, cell


@pytest.mark.parametrize("rel", ["index.html", "units/chuanshan.html", CARD, "girls/chuanshan-g-l1nxia.html",
                                 "mothers/chuanshan-m-zh0u8m.html", "followup/index.html", "followup/chuanshan.html"])
def test_pages_fit_a_phone(site, browser, rel, tmp_path):
    context, page = phone_tab(browser, url(site, rel))
    try:
        assert_no_overflow(page)
        if rel == CARD:
            assert_cells_readable(page)
            # Stacked fields: each label stands above its value, both as wide as the card.
            label = page.locator(".aixin-card-table th", has_text="联系电话").first
            value = page.locator(".aixin-card-table td", has_text="139").first
            lb, vb = label.bounding_box(), value.bounding_box()
            assert lb["y"] + lb["height"] <= vb["y"] + 1 and abs(lb["x"] - vb["x"]) < 2, (lb, vb)
            card = page.locator(".aixin-card").bounding_box()
            assert vb["width"] > 0.8 * card["width"], (vb, card)
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    finally:
        context.close()


def test_wide_tables_keep_their_first_column_on_a_phone(site, browser):
    context, page = phone_tab(browser, url(site, "units/chuanshan.html"))
    try:
        wrap = page.locator(".md-typeset__scrollwrap").first
        assert wrap.evaluate("w => w.scrollWidth > w.clientWidth"), "the mothers' table is not wider than a phone"
        first = wrap.locator("tbody tr td:first-child").nth(2)
        name = first.inner_text().strip()
        wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
        page.wait_for_timeout(100)
        assert wrap.evaluate("w => w.scrollLeft") > 50
        box, frame = first.bounding_box(), wrap.bounding_box()
        assert box["x"] >= frame["x"] - 1 and box["x"] + box["width"] <= frame["x"] + frame["width"], (box, frame)
        # It is drawn on top, not hidden under the scrolled cells.
        shown = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('td')?.innerText.trim()",
                              [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert shown == name
    finally:
        context.close()


def test_card_reads_well_on_a_desktop(site, tab):
    tab.open(url(site, CARD))
    assert_no_overflow(tab.page)
    assert_cells_readable(tab.page)
    table = tab.page.locator(".aixin-card-table").bounding_box()
    assert table["width"] > 600  # the paper layout: a table, not stacked fields
    tab.quiet()


# The page as Chromium lays it out for paper: A4 less the 12 mm margins, in CSS pixels.
A4_INSIDE = {"width": round(186 / 25.4 * 96), "height": round(273 / 25.4 * 96)}


def print_layout(page):
    page.set_viewport_size(A4_INSIDE)
    page.emulate_media(media="print")
    return page.locator(".aixin-card").bounding_box()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_printed_card_fills_the_a4_page_and_labels_do_not_wrap(site, tab, tmp_path):
    tab.open(url(site, CARD))
    card = print_layout(tab.page)
    assert card["height"] >= 0.85 * A4_INSIDE["height"], card  # not half a page left blank
    assert card["height"] <= A4_INSIDE["height"], card
    lines = tab.page.locator(".aixin-card-table th:not(.aixin-side)").evaluate_all(CELL_LINES)
    assert {c["text"] for c in lines} >= {"工作单位及职务", "就读学校及班级", "兴趣爱好及心愿"}
    assert [c for c in lines if c["lines"] != 1] == []
    pdf = tab.page.pdf(format="A4", print_background=True)
    (tmp_path / "card.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 1
    tab.quiet()


@pytest.fixture(scope="module")
def long_message_site(tmp_path_factory) -> Path:
    """The fixture tree with the card's message as long as the schema allows, built for the city."""
    import yaml

    from conftest import build_root
    from test_site_privacy import FIXTURE, aixin

    root = build_root(FIXTURE, tmp_path_factory.mktemp("long-message"))
    record = root / "records" / "chuanshan" / "pairings" / "chuanshan-p-k3m9td.yaml"
    data = yaml.safe_load(record.read_text("utf-8"))
    data["message"] = LONG_MESSAGE
    record.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = aixin("build", "--root", str(root), "--audience", "city")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "build" / "city" / "site"


def test_a_long_message_still_prints_on_one_page(long_message_site, tab, tmp_path):
    assert len(LONG_MESSAGE) == 1000
    tab.open(url(long_message_site, CARD))
    card = print_layout(tab.page)
    assert card["height"] <= A4_INSIDE["height"], card
    message = tab.page.locator(".aixin-message")
    assert message.inner_text().replace("\n", "") == LONG_MESSAGE.replace("\n", "")
    pdf = tab.page.pdf(format="A4", print_background=True)
    (tmp_path / "long.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 1
    tab.quiet()


# ------------------------------------------------------------------ year pages (年度总结)

YEAR_PAGES = ["years/index.html", "years/2019-2020.html", "years/2019-2020/chuanshan.html"]


@pytest.mark.parametrize("rel", YEAR_PAGES)
def test_year_pages_fit_a_phone(site, browser, rel, tmp_path):
    context, page = phone_tab(browser, url(site, rel))
    try:
        assert_no_overflow(page)
        if rel != "years/index.html":  # the wide tables scroll inside their frame, the name column stays
            wrap = page.locator(".md-typeset__scrollwrap").first
            assert wrap.evaluate("w => w.scrollWidth > w.clientWidth"), "the totals table is not wider than a phone"
        page.screenshot(path=str(tmp_path / "year-phone.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("rel", YEAR_PAGES[1:])
def test_year_pages_print_their_tables_whole_without_the_chrome(site, tab, rel, tmp_path):
    tab.open(url(site, rel))
    page = tab.page
    page.set_viewport_size(A4_INSIDE)
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer"):
        assert not page.locator(chrome).first.is_visible(), chrome
    tables = page.locator(".aixin-year table").evaluate_all(
        "ts => ts.map(t => ({right: t.getBoundingClientRect().right, scroll: t.scrollWidth, client: t.clientWidth,"
        " frame: t.closest('.md-typeset__scrollwrap') ? t.closest('.md-typeset__scrollwrap').scrollWidth -"
        " t.closest('.md-typeset__scrollwrap').clientWidth : 0}))")
    assert len(tables) >= 3
    for table in tables:  # nothing cut off at the right edge of the paper, nothing hidden in a scrolling frame
        assert table["right"] <= A4_INSIDE["width"] + 1 and table["scroll"] <= table["client"] + 1, table
        assert table["frame"] <= 1, table
    pdf = page.pdf(format="A4", print_background=True)
    (tmp_path / "year.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) >= 1
    tab.offline()
    tab.quiet()


# ------------------------------------------------------------------ charts (site/charts.py)

# Every chart's JSON, the table under it and how much of its canvas is painted (non-transparent pixels).
CHARTS = """() => [...document.querySelectorAll('figure.aixin-chart')].map(f => {
    const canvas = f.querySelector('.aixin-chart-canvas canvas');
    let painted = 0;
    if (canvas) {
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) painted += pixels[i] > 0;
    }
    const rows = [...f.querySelectorAll('.aixin-chart-table tr')].map(r => [...r.cells].map(c => c.innerText.trim()));
    return {data: JSON.parse(f.querySelector('script.aixin-chart-data').textContent), rows, painted,
            width: canvas ? canvas.getBoundingClientRect().width : 0, drawn: f.classList.contains('aixin-chart-drawn')};
})"""


def drawn_charts(page) -> list[dict]:
    count = page.locator("figure.aixin-chart").count()
    assert count > 0, "no chart on the page"
    page.wait_for_function(f"() => document.querySelectorAll('figure.aixin-chart-drawn').length === {count}")
    return page.evaluate(CHARTS)


def assert_table_matches_json(chart: dict) -> None:
    data, rows = chart["data"], chart["rows"]
    assert rows[0][1:] == [s["name"] for s in data["series"]], data["key"]
    assert [r[0] for r in rows[1:]] == data["categories"], data["key"]
    for position, row in enumerate(rows[1:]):
        expected = [s["shown"][position] if s["shown"] and s["shown"][position] else str(s["values"][position])
                    for s in data["series"]]
        assert row[1:] == expected, (data["key"], row)


@pytest.mark.parametrize("rel, keys", [
    ("index.html", ["recruitment", "active-pairings", "contacts", "completion", "needs", "ages"]),
    ("units/chuanshan.html", ["recruitment", "active-pairings", "contacts", "completion", "needs", "ages"]),
])
def test_charts_draw_offline_and_their_tables_hold_the_same_numbers(site, tab, rel, keys):
    tab.open(url(site, rel))
    found = drawn_charts(tab.page)
    assert [c["data"]["key"] for c in found] == keys
    for chart in found:
        assert chart["painted"] > 2_000, (chart["data"]["key"], chart["painted"])  # the canvas drew
        assert_table_matches_json(chart)
    # The pinned copy came from the site's own folder, and nothing else was asked for.
    assert [u for u in tab.requests if u.endswith("/assets/aixin/vendor/echarts/echarts.min.js")]
    tab.offline()
    tab.quiet()


def test_a_record_page_does_not_load_echarts(site, tab):
    tab.open(url(site, "girls/chuanshan-g-l1nxia.html"))
    tab.page.wait_for_timeout(300)
    assert not [u for u in tab.requests if "echarts" in u]
    tab.offline()
    tab.quiet()


def test_the_dashboards_charts_fit_a_phone(site, browser):
    context, page = phone_tab(browser, url(site, "index.html"))
    try:
        found = drawn_charts(page)
        for chart in found:
            assert chart["painted"] > 1_000 and 300 < chart["width"] <= PHONE["width"], chart["data"]["key"]
        assert_no_overflow(page)
    finally:
        context.close()


def test_charts_print_as_their_tables(site, tab):
    tab.open(url(site, "index.html"))
    drawn_charts(tab.page)
    tab.page.emulate_media(media="print")
    canvas = tab.page.locator("figure.aixin-chart .aixin-chart-canvas").first
    assert canvas.evaluate("e => getComputedStyle(e).display") == "none"
    assert tab.page.locator("figure.aixin-chart .aixin-chart-table table").first.is_visible()


def test_public_charts_leak_no_count_under_five(tmp_path_factory, tab):
    public = built_sites(tmp_path_factory).site("public")
    tab.open(url(public, "index.html"))
    found = drawn_charts(tab.page)
    assert [c["data"]["key"] for c in found] == ["recruitment", "girls-pairings"]
    quotas = [row[1] for row in tab.page.locator(".aixin-dashboard table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")][:-1]
    for chart in found:
        assert_table_matches_json(chart)
        for series in chart["data"]["series"]:
            for value, shown in zip(series["values"], series["shown"]):
                assert value is None or value == 0 or value >= 5, (chart["data"]["key"], series["name"], value)
                assert (value is None) == (shown == "<5"), (series["name"], value, shown)
    assert found[0]["data"]["series"][0]["values"] == [int(q.replace(",", "")) for q in quotas]
    assert found[0]["painted"] > 2_000
    tab.offline()
    tab.quiet()


@pytest.mark.parametrize("rel", YEAR_PAGES[1:])
def test_year_page_charts_draw_and_their_tables_match(site, tab, rel):
    tab.open(url(site, rel))
    found = drawn_charts(tab.page)
    assert len(found) >= 2
    for chart in found:
        assert chart["painted"] > 500, chart["data"]["key"]  # the canvas drew
        assert_table_matches_json(chart)
    tab.offline()
    tab.quiet()
