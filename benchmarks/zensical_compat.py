"""Would the site build with Zensical, and what would differ? Prints plain lines; a measurement and
a report, not a test (tests/test_zensical_compat.py covers the analysis on hand-made HTML).

`aixin build` stages a site's pages and writes its MkDocs configuration beside them; this script
builds those same staged pages with MkDocs and with Zensical, each into its own scratch copy, and
prints the time of each (wall and CPU), the pages missing on either side, every request that would
leave the page (http(s) URLs in the pages' src/srcset attributes, <link href>, inline and loaded
CSS and JS; links a reader may click are listed apart), whether our hook's effect is there (the
SVG namespace URL stripped), links nested inside links around photos, and the search dialog's
language. Zensical is never a dependency of aixin: give the venv (or the executable) it is
installed in, or have `zensical` on PATH; without it the script says so and exits 0.

    python benchmarks/zensical_compat.py --zensical /tmp/zensical-venv
    python benchmarks/zensical_compat.py --zensical /tmp/zensical-venv --demo 0.2
    python benchmarks/zensical_compat.py --zensical /tmp/zensical-venv --root /path/to/repo --keep /tmp/zc
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from measure import BIN, generate

REPO = Path(__file__).resolve().parents[1]
# Names, not addresses: a browser never requests these (SVG/XHTML/XLink/XML/MathML namespaces).
NAMESPACES = (
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/1998/Math/MathML",
)
# Hard-coded English of a search dialog (Zensical's); Material takes its words from the page.
ENGLISH_SEARCH_WORDS = ("Search results", "No results", "Loading search", "Close search", "Type to start searching")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])(https?://[^"')\s]+)""", re.IGNORECASE)
_JS_URL = re.compile(r"""["'`](https?://[^"'`\s]*)""")
_LOADING_ATTRIBUTES = {"src", "srcset", "poster", "data"}
_NOT_FETCHED = {"canonical", "next", "prev", "alternate", "author", "license", "me"}  # <link rel=…>


# ------------------------------------------------------------------ analysis of one page


@dataclass
class PageScan:
    """What one HTML page asks of the network, and the markup the report looks at."""

    requests: set[str] = field(default_factory=set)  # in the markup: loaded with the page
    script_urls: set[str] = field(default_factory=set)  # in inline scripts/styles: loaded when they ask
    links: set[str] = field(default_factory=set)  # <a href> leaving the site: only when clicked
    local_assets: set[str] = field(default_factory=set)  # .css/.js the page loads, as written
    svg_namespaces: int = 0  # xmlns="http://www.w3.org/…" attributes left (our hook strips them)
    nested_links: list[tuple[str, str]] = field(default_factory=list)  # (outer href, inner href)
    config: dict = field(default_factory=dict)  # Material's/Zensical's <script id="__config">


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._anchors: list[str] = []
        self._raw: str | None = None  # "script" / "style" while inside one
        self._config = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if (name == "xmlns" or name.startswith("xmlns:")) and value.startswith("http"):
                self.scan.svg_namespaces += 1
            elif name in _LOADING_ATTRIBUTES:
                for url in value.split(",") if name == "srcset" else [value]:
                    self._load(url.strip().split(" ")[0])
            elif name == "style":
                self.scan.requests.update(css_requests(value))
        if tag == "link" and values.get("href"):
            if set(values.get("rel", "").lower().split()) <= _NOT_FETCHED and values.get("rel"):
                if is_outside(values["href"]):
                    self.scan.links.add(values["href"])
            else:
                self._load(values["href"])
        if tag == "a":
            href = values.get("href", "")
            if self._anchors:
                self.scan.nested_links.append((self._anchors[-1], href))
            self._anchors.append(href)
            if is_outside(href):
                self.scan.links.add(href)
        if tag in ("script", "style"):
            self._raw, self._text = tag, []
            self._config = values.get("id") == "__config"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self._anchors.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchors:
            self._anchors.pop()
        if tag == self._raw:
            text = "".join(self._text)
            if self._config:
                with contextlib.suppress(ValueError):
                    self.scan.config = json.loads(text)
            else:
                found = js_requests(text) if tag == "script" else css_requests(text)
                self.scan.script_urls.update(found)
            self._raw, self._config = None, False

    def handle_data(self, data: str) -> None:
        if self._raw:
            self._text.append(data)

    def _load(self, url: str) -> None:
        if is_outside(url):
            self.scan.requests.add(url)
        elif url and not url.startswith(("data:", "#", "mailto:", "javascript:")):
            path = unquote(urlsplit(url).path)
            if path.endswith((".css", ".js")):
                self.scan.local_assets.add(path)


def is_outside(url: str) -> bool:
    """Does the URL name another host (http, https or protocol-relative //host)?"""
    return url.startswith(("http://", "https://", "//")) and not url.startswith("///")


def scan_page(html: str) -> PageScan:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.scan


def css_requests(css: str) -> set[str]:
    """http(s) URLs a stylesheet fetches (url(…), @import); licence comments are not fetched."""
    return {url for url in _CSS_URL.findall(_without_css_comments(css)) if url not in NAMESPACES}


def _without_css_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)


def js_requests(js: str) -> set[str]:
    """http(s) URLs written as string literals in a script (what it may fetch or insert), without
    namespace names; a URL in a comment is not a string literal and is not counted."""
    return {url for url in _JS_URL.findall(js) if url and url.rstrip("/") not in NAMESPACES and url not in NAMESPACES}


def english_search_words(js: str) -> list[str]:
    return [word for word in ENGLISH_SEARCH_WORDS if f'"{word}' in js or f"'{word}" in js or f"`{word}" in js]


def search_language(config: dict, english_in_scripts: list[str]) -> str:
    """Plain words for the search dialog's language: the page's own search words (translations)
    and any English the scripts write into the dialog whatever the page says."""
    words = {k: v for k, v in (config.get("translations") or {}).items() if k.startswith("search.")}
    own = "Chinese" if words and all(_CJK.search(str(v)) for v in words.values()) else "not Chinese"
    if not words:
        own = "none given"
    if english_in_scripts:
        return (
            f"English (the page's search words: {own}; its script writes "
            + ", ".join(f'"{w}"' for w in english_in_scripts)
            + ")"
        )
    return own


# ------------------------------------------------------------------ analysis of one site


@dataclass
class SiteScan:
    pages: set[str]
    requests: dict[str, set[str]]  # URL in the markup -> the pages naming it
    script_urls: dict[str, set[str]]  # URL in a script or stylesheet -> the pages or files naming it
    links: dict[str, set[str]]
    svg_pages: int
    svg_left: int
    nested: list[tuple[str, str, str]]  # (page, outer href, inner href)
    search: str


def scan_site(site: Path) -> SiteScan:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    requests: dict[str, set[str]] = defaultdict(set)
    script_urls: dict[str, set[str]] = defaultdict(set)
    links: dict[str, set[str]] = defaultdict(set)
    assets: set[Path] = set()
    svg_pages = svg_left = 0
    nested = []
    config: dict = {}
    for rel in pages:
        scan = scan_page((site / rel).read_text("utf-8", errors="replace"))
        for url in scan.requests:
            requests[url].add(rel)
        for url in scan.script_urls:
            script_urls[url].add(rel)
        for url in scan.links:
            links[url].add(rel)
        svg_left += scan.svg_namespaces
        svg_pages += scan.svg_namespaces > 0
        nested += [(rel, outer, inner) for outer, inner in scan.nested_links]
        config = config or scan.config
        for asset in scan.local_assets:
            path = ((site / rel).parent / asset).resolve()
            if path.is_file() and path.is_relative_to(site.resolve()):
                assets.add(path)
    english: list[str] = []
    for path in sorted(assets):
        text = path.read_text("utf-8", errors="replace")
        found = js_requests(text) if path.suffix == ".js" else css_requests(text)
        for url in found:
            script_urls[url].add(path.relative_to(site.resolve()).as_posix())
        if path.suffix == ".js":
            english += [w for w in english_search_words(text) if w not in english]
    return SiteScan(
        set(pages),
        dict(requests),
        dict(script_urls),
        dict(links),
        svg_pages,
        svg_left,
        nested,
        search_language(config, english),
    )


# ------------------------------------------------------------------ in a browser (--browser)

CHROMIUM = Path("/usr/bin/chromium")  # Debian's, as the browser tests use; nothing is downloaded
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
LOCAL = ("file:", "data:", "blob:", "about:")


def photo_page(site: Path) -> str | None:
    """A pairing page whose card shows a photo, or None."""
    for page in sorted((site / "pairings").glob("*.html")):
        if 'class="aixin-card-photo"><a class="glightbox' in page.read_text("utf-8", errors="replace"):
            return page.relative_to(site).as_posix()
    return None


def browse(site: Path) -> list[str]:
    """Open the home page and a card with photos in Chromium from file:// (every request to
    another host is recorded and refused, so nothing leaves the machine), click the first card
    photo and say which image the lightbox shows and where the photos sit in their cells."""
    from playwright.sync_api import sync_playwright

    tried: set[str] = set()
    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")

        def route(request_route):
            url = request_route.request.url
            if url.startswith(LOCAL):
                return request_route.continue_()
            tried.add(url)
            return request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.goto((site / "index.html").as_uri(), wait_until="load")
        card = photo_page(site)
        if card:
            page.goto((site / card).as_uri(), wait_until="load")
            page.wait_for_timeout(1500)
            found.append(f"card photos sit at the {_placement(page)} of their cells ({card})")
            link = page.locator(".aixin-card-photo a.glightbox").first
            link.click()
            try:
                page.wait_for_selector(".gslide.current img", timeout=5000)
                shown = page.locator(".gslide.current img").first.get_attribute("src") or ""
                size = "the thumbnail" if "-thumb." in shown else "the display-size photo"
                found.append(f"clicking a card photo opens {size} ({shown.rsplit('/', 1)[-1]})")
            except Exception:  # noqa: BLE001 - any failure to open is the finding itself
                found.append("clicking a card photo opens no lightbox (its script did not load)")
        else:
            found.append("no card with a photo: lightbox not tried")
        browser.close()
    refused = "refused, so a request that would follow one is not seen"
    found.insert(0, f"requests to other hosts the browser tried ({refused}): {_listed(tried, 10)}")
    return found


def _placement(page) -> str:
    gaps = page.evaluate(
        """() => [...document.querySelectorAll('.aixin-card-photo')].filter(td => td.querySelector('img'))
             .map(td => { const c = td.getBoundingClientRect(), i = td.querySelector('img').getBoundingClientRect();
                          return [i.top - c.top, c.bottom - i.bottom]; })"""
    )
    places = {"top" if top + 4 < bottom else "bottom" if bottom + 4 < top else "middle" for top, bottom in gaps}
    return "/".join(sorted(places)) or "(no photo measured)"


# ------------------------------------------------------------------ building


@dataclass
class Run:
    seconds: float
    cpu: float  # user + sys of the build's processes
    code: int
    tail: str


def timed(command: list[str], cwd: Path) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-3:])
    return Run(seconds, cpu, done.returncode, tail)


def find_zensical(given: Path | None) -> Path | None:
    """The zensical executable: in the venv or folder given, the file given, or on PATH."""
    if given is not None:
        for candidate in (given / "bin" / "zensical", given / "Scripts" / "zensical.exe", given / "zensical", given):
            if candidate.is_file():
                return candidate
        return None
    found = shutil.which("zensical")
    return Path(found) if found else None


def stage(root: Path, work: Path) -> tuple[Path, Run]:
    """`aixin build` of the repository's city site into `work`: the staged pages and their config."""
    run = timed([str(BIN / "aixin"), "build", "--root", str(root), "--out", str(work / "aixin" / "site")], root)
    if run.code != 0:
        raise SystemExit(f"aixin build failed (exit {run.code}): {run.tail}")
    return work / "aixin" / "site.aixin-docs.mkdocs.yml", run


def copy_staged(config_file: Path, into: Path) -> Path:
    """The staged pages and their config, copied together (the config names them relatively)."""
    config = yaml.safe_load(config_file.read_text("utf-8"))
    into.mkdir(parents=True)
    shutil.copytree(config_file.parent / config["docs_dir"], into / config["docs_dir"])
    shutil.copy(config_file, into / config_file.name)
    return into / config_file.name


def site_of(config_file: Path) -> Path:
    return config_file.parent / yaml.safe_load(config_file.read_text("utf-8"))["site_dir"]


def build_both(config_file: Path, zensical: Path, work: Path, repeat: int) -> tuple[list[Run], list[Run], Path, Path]:
    """Alternately build copies of the staged pages with MkDocs and with Zensical (a cold build each)."""
    mkdocs_config = copy_staged(config_file, work / "mkdocs")
    zensical_config = copy_staged(config_file, work / "zensical")
    mkdocs_runs, zensical_runs = [], []
    for _ in range(repeat):
        mkdocs_runs.append(
            timed([str(BIN / "mkdocs"), "build", "--quiet", "-f", str(mkdocs_config)], mkdocs_config.parent)
        )
        zensical_runs.append(
            timed([str(zensical), "build", "--clean", "-f", str(zensical_config)], zensical_config.parent)
        )
    return mkdocs_runs, zensical_runs, site_of(mkdocs_config), site_of(zensical_config)


# ------------------------------------------------------------------ report


def _median(runs: list[Run]) -> Run:
    """Median wall time and, apart, median CPU time (the two need not come from one run)."""
    middle = len(runs) // 2
    run = sorted(runs, key=lambda r: r.seconds)[middle]
    return Run(run.seconds, sorted(r.cpu for r in runs)[middle], max(r.code for r in runs), run.tail)


def _listed(items, limit: int = 5) -> str:
    items = sorted(items)
    shown = ", ".join(items[:limit])
    return (shown + f" … ({len(items)} in all)") if len(items) > limit else shown or "none"


def report_requests(name: str, requests: dict[str, set[str]]) -> list[str]:
    if not requests:
        return [f"  {name}: none"]
    hosts: dict[str, list[str]] = defaultdict(list)
    for url in requests:
        hosts[urlsplit(url if "//" in url else "//" + url).hostname or url].append(url)
    lines = [f"  {name}: {len(requests)} URLs on {len(hosts)} hosts"]
    for host in sorted(hosts):
        for url in sorted(hosts[host]):
            lines.append(f"    {url}  (in {_listed(requests[url], 2)})")
    return lines


def _only(mine: dict[str, set[str]], theirs: dict[str, set[str]]) -> dict[str, set[str]]:
    return {url: where for url, where in mine.items() if url not in theirs}


def report(mkdocs: SiteScan, zensical: SiteScan) -> list[str]:
    lines = [
        f"pages: MkDocs {len(mkdocs.pages)}, Zensical {len(zensical.pages)}; "
        f"missing from Zensical: {_listed(mkdocs.pages - zensical.pages)}; "
        f"missing from MkDocs: {_listed(zensical.pages - mkdocs.pages)}",
        "requests leaving the page, in its markup (fetched whenever the page opens):",
        *report_requests("MkDocs", mkdocs.requests),
        *report_requests("Zensical", zensical.requests),
        "URLs in the scripts and stylesheets the pages load (fetched when the script needs them):",
        *report_requests("MkDocs", mkdocs.script_urls),
        *report_requests("Zensical", zensical.script_urls),
        *report_requests("only Zensical's", _only(zensical.script_urls, mkdocs.script_urls)),
        f"links leaving the site (only when clicked): MkDocs {_listed(mkdocs.links, 3)}; Zensical {_listed(zensical.links, 3)}",
    ]
    for name, scan in (("MkDocs", mkdocs), ("Zensical", zensical)):
        hook = (
            "yes (no xmlns URL left)"
            if not scan.svg_left
            else f"no ({scan.svg_left} xmlns URLs on {scan.svg_pages} pages)"
        )
        lines.append(f"our hook ran (SVG namespace stripped), {name}: {hook}")
    for name, scan in (("MkDocs", mkdocs), ("Zensical", zensical)):
        pages = sorted({page for page, _, _ in scan.nested})
        example = f"; e.g. {scan.nested[0][1]} around {scan.nested[0][2]} in {scan.nested[0][0]}" if scan.nested else ""
        lines.append(f"links nested in links, {name}: {len(scan.nested)} on {len(pages)} pages{example}")
    lines.append(f"search dialog, MkDocs: {mkdocs.search}")
    lines.append(f"search dialog, Zensical: {zensical.search}")
    return lines


def _version(zensical: Path) -> str:
    done = subprocess.run([str(zensical), "--version"], capture_output=True, text=True)
    return (done.stdout or done.stderr).strip().splitlines()[-1] if done.returncode == 0 else "(version unknown)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zensical", type=Path, help="venv, folder or executable of Zensical (default: PATH)")
    parser.add_argument("--root", type=Path, default=REPO, help="repository to stage (default: the bundled records)")
    parser.add_argument("--demo", type=float, help="stage `aixin demo --scale N` instead of --root")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one)")
    parser.add_argument("--repeat", type=int, default=1, help="builds of each, alternating (median shown)")
    parser.add_argument("--browser", action="store_true", help="also open both sites in Chromium (Playwright)")
    args = parser.parse_args()
    zensical = find_zensical(args.zensical)
    if zensical is None:
        where = f"in {args.zensical}" if args.zensical else "on PATH"
        print(f"Zensical is not installed ({where}); nothing compared. Try: --zensical /path/to/venv")
        return 0
    work = (args.keep or Path(tempfile.mkdtemp(prefix="aixin-zensical-"))).resolve()
    if work.exists() and any(work.iterdir()):
        raise SystemExit(f"{work} is not empty")
    work.mkdir(parents=True, exist_ok=True)
    try:
        return compare(zensical, args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def compare(zensical: Path, args: argparse.Namespace, work: Path) -> int:
    root = args.root.resolve()
    if args.demo is not None:
        root = work / "demo"
        generate(args.demo, root)
    print(f"Zensical {_version(zensical)} ({zensical}); MkDocs from {BIN}; staged from {root}")
    config_file, staged = stage(root, work)
    print(f"aixin build (records → staged pages → MkDocs site): {staged.seconds:.1f} s wall, {staged.cpu:.1f} s CPU")
    mkdocs_runs, zensical_runs, mkdocs_site, zensical_site = build_both(config_file, zensical, work, args.repeat)
    m, z = _median(mkdocs_runs), _median(zensical_runs)
    line = f"build of the staged pages: MkDocs {m.seconds:.1f} s wall, {m.cpu:.1f} s CPU"
    line += f"; Zensical {z.seconds:.1f} s wall, {z.cpu:.1f} s CPU"
    if m.code == 0 and z.code == 0:
        line += f" (Zensical {m.seconds / z.seconds:.1f}× MkDocs' speed in wall time, {m.cpu / max(z.cpu, 1e-9):.1f}× in CPU)"
    print(line)
    if args.repeat > 1:
        print(
            "  runs (wall/CPU): MkDocs "
            + ", ".join(f"{r.seconds:.1f}/{r.cpu:.1f}" for r in mkdocs_runs)
            + " s; Zensical "
            + ", ".join(f"{r.seconds:.1f}/{r.cpu:.1f}" for r in zensical_runs)
            + " s"
        )
    if m.code != 0:
        print(f"MkDocs failed (exit {m.code}): {m.tail}")
        return 1
    if z.code != 0:
        print(f"Zensical failed (exit {z.code}): {z.tail}")
        return 0
    for text in report(scan_site(mkdocs_site), scan_site(zensical_site)):
        print(text)
    if args.browser:
        for name, site in (("MkDocs", mkdocs_site), ("Zensical", zensical_site)):
            for text in browse(site):
                print(f"in the browser, {name}: {text}")
    if args.keep:
        print(f"sites kept in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
