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
    tab.open(url(site, "index.html"))
    page = tab.page
    box = page.locator("input.md-search__input")
    box.click()
    # An input method commits the characters, then a key goes up: Material searches on keyup.
    page.keyboard.type("林夏", delay=50)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item")
    results = page.locator(".md-search-result__link")
    titles = [results.nth(i).locator("h1").first.inner_text().replace("\u200b", "").strip()
              for i in range(results.count())]
    # Her own page comes first, before 林春华 (安居区): the whole query counts as one word (stage.py
    # patches Material's search worker; unpatched, "林夏" is searched as "林").
    assert titles[0] == "林夏" and "林春华" not in titles, titles
    results.nth(titles.index("林夏")).click()
    page.wait_for_url(re.compile(r"/girls/chuanshan-g-l1nxia\.html"))
    assert page.locator("article h1").first.inner_text().strip() == "林夏"
    tab.offline()
    tab.quiet()


def _search(tab, site: Path, query: str) -> list[tuple[str, str]]:
    """(title, text) of every result the real search page lists for `query`."""
    tab.open(url(site, "index.html"))
    page = tab.page
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=50)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item")
    results = page.locator(".md-search-result__link")
    return [(results.nth(i).locator("h1, h2").first.inner_text().replace("\u200b", "").strip(),
             results.nth(i).inner_text().replace("\u200b", "")) for i in range(results.count())]


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
