"""`aixin build`: collect → restrict → photos → pages → render → stage → `mkdocs build`.

Also used by the `mkdocs serve` hooks (`generate` only). The MkDocs configuration is the packaged
`mkdocs_base.yml`, with site_name / site_url / copyright taken from the repository's own
`mkdocs.yml` when there is one, and docs_dir, site_dir and nav set per build; the effective file is
written beside the staging folder so that a build can be repeated by hand with `mkdocs build -f`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import yaml

from aixin.core.errors import UsageError
from aixin.core.findings import Severity
from aixin.load import worktree
from aixin.load.repository import Repository, open_repository

from . import downloads, search, stage, yearpages
from . import pages as pages_module
from .audience import Audience, restrict
from .collect import collect
from .render_all import render_all

if TYPE_CHECKING:
    from .preview import Preview

PUBLIC_HOSTS = (
    "github.io",
    "gitlab.io",
    "gitee.io",
    "pages.dev",
    "netlify.app",
    "vercel.app",
    "surge.sh",
    "readthedocs.io",
    "web.app",
    "firebaseapp.com",
)
SOURCE_DOCS = Path(__file__).resolve().parents[3] / "docs"  # the aixin checkout's own docs/


@dataclass
class Generated:
    """What `generate` staged: the nav, and timings for the curious."""

    nav: list
    pages: int
    timings: dict[str, float] = field(default_factory=dict)
    photo_problems: int = 0
    errors: int = 0  # findings of severity 错误 among the records this site shows
    stamp: str = ""  # "数据截至 … · 版本 …", in every page's footer (overrides/main.html)


@dataclass
class BuildReport:
    site: Path
    pages: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    errors: int = 0  # the check's errors among the records published (the dashboard lists them)
    stamp: str = ""  # the as-of date and commit every page shows


UNCOMMITTED = "未提交的修改"


def version(root: Path) -> str:
    """Which commit the pages show: its short id, "未提交的修改（在 <id> 之后）" when the work tree
    has uncommitted records, "" when the repository is not a Git work tree."""
    head = worktree.head_commit(root)
    if head is None:
        return ""
    return f"{UNCOMMITTED}（在 {head} 之后）" if worktree.uncommitted_records(root) else head


def stamp(today: dt.date, shown: str) -> str:
    """The line at the foot of every page: the as-of date and the commit, so a figure can be rebuilt."""
    return f"数据截至 {today.isoformat()}" + (f" · 版本 {shown}" if shown else "")


def quiet_environment() -> None:
    """Silence the banners and chatter that are not the user's business (see MEASURED.md)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:  # search then works without Chinese word segmentation
        pass


def public_host(site_url: str | None) -> str | None:
    """The host of `site_url` when it is a public hosting service, else None."""
    if not site_url:
        return None
    host = (urlsplit(site_url if "//" in site_url else "//" + site_url).hostname or "").lower()
    return host if any(host == h or host.endswith("." + h) for h in PUBLIC_HOSTS) else None


def _tolerant_yaml(path: Path) -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=Loader)
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def site_settings(root: Path) -> dict:
    """site_name / site_url / copyright from the repository's mkdocs.yml, if it has one."""
    own = _tolerant_yaml(root / "mkdocs.yml") if (root / "mkdocs.yml").is_file() else {}
    return {k: own[k] for k in ("site_name", "site_url", "copyright") if isinstance(own.get(k), str)}


def base_config() -> dict:
    return yaml.safe_load((Path(str(resources.files("aixin.site"))) / "mkdocs_base.yml").read_text("utf-8"))


def generate(
    root: Path | Repository,
    audience: Audience,
    docs: Path,
    *,
    fresh: bool = True,
    today: dt.date | None = None,
    cache: Path | None = None,
    commit: str | None = None,
    preview: Preview | None = None,
) -> Generated:
    """Write the audience's docs folder (Markdown, hand-written pages, assets, photos).

    `commit` names the version the pages show (tests pass a fixed one); None: asked of Git.
    `preview` (`mkdocs serve`, site.preview): pages rendered and files written only when changed."""
    timings = {}
    started = time.perf_counter()
    repo = root if isinstance(root, Repository) else open_repository(root)  # build() opened it already
    root = repo.root
    if audience.kind == "unit":  # before the records are read: a mistyped code fails at once
        repo.unit(audience.unit)
    data = collect(repo, today, with_reviews=audience.kind != "public")
    data.version = version(root) if commit is None else commit
    timings["读取记录"] = time.perf_counter() - started
    mark = time.perf_counter()
    site = restrict(data, audience)
    search.teach_segmenter(search.words(site))  # before MkDocs builds the index (here, or in serve)
    photo_refs, media_refs = _references(site.data)
    problems: list = []
    photo_refs = _in_repository(root, photo_refs, data.files, problems)
    media_refs = _in_repository(root, media_refs, data.files, problems)
    staged = stage.Staged()
    photos: dict = {}
    media: dict = {}
    if photo_refs:
        photos, copies, found = stage.web_photos(root, photo_refs, cache or root / ".aixin-cache" / "photos")
        staged.copies.update(copies)
        problems += found
    if media_refs:
        media, copies, found = stage.media_files(root, media_refs)
        staged.copies.update(copies)
        problems += found
    site.data.photo_problems = sorted(set(problems))
    timings["照片"] = time.perf_counter() - mark
    mark = time.perf_counter()
    reference = _reference_pages(repo) if audience.kind != "public" else {}
    planned = pages_module.plan(site, photos, media, reference) + yearpages.plan(site)
    roots = ["../" * page.path.count("/") for page in planned]
    if preview:  # only what changed since the last rebuild
        texts = [preview.render(page, root=root) for page, root in zip(planned, roots)]
    else:
        texts = render_all(planned, roots)
    staged.texts.update(zip((page.path for page in planned), texts))
    docs_source = root / "docs" if (root / "docs").is_dir() else SOURCE_DOCS
    hand_written = stage.hand_written_pages(docs_source, audience.kind)
    for path, source in hand_written:
        staged.copies[path] = source
    staged.copies.update(stage.asset_files())
    staged.texts.update(stage.patched_search_worker())
    titled = [(path, stage.page_title(source)) for path, source in hand_written if path.endswith(".md")]
    if audience.kind != "public":  # blank forms for the coordinators; no record data in them
        forms = downloads.template_files(repo, (cache or root / ".aixin-cache" / "photos").parent / "templates")
        staged.copies.update(forms)
        staged.texts[downloads.PAGE] = downloads.page_text(forms)
        titled.append((downloads.PAGE, downloads.TITLE))
    titled += [(p.path, p.title) for p in planned if p.path.startswith("reference/")]
    nav = pages_module.nav(site, sorted(titled, key=lambda t: (t[0] != "guide/index.md", t[0])))
    (preview.write if preview else stage.write_fresh if fresh else stage.write_changed)(staged, docs)
    timings["生成页面"] = time.perf_counter() - mark
    errors = sum(f.severity == Severity.ERROR for f in site.data.findings)
    shown = stamp(data.today, data.version)
    return Generated(nav, len(planned), timings, len(site.data.photo_problems), errors, shown)


def _in_repository(root: Path, refs: list, files: set[str], problems: list) -> list:
    """The refs (unit, link as written) that may be staged: a file found under records/ as a
    regular file, or one that does not exist (the stage reports it missing). A link to a symlink,
    or to a file behind a symlinked folder, is never read: a problem for the dashboard instead."""
    kept = []
    for unit, value in refs:
        rel = f"records/{unit}/{value}"
        if rel in files or not os.path.lexists(root / rel):
            kept.append((unit, value))
        else:
            problems.append((rel, "文件是符号链接或在符号链接的文件夹中，没有放进网站"))
    return kept


def _references(data) -> tuple[list, list]:
    photos, media = [], []
    for item in (*data.girls.values(), *data.mothers.values()):
        if isinstance(item.data.get("photo"), str):
            photos.append((item.unit, item.data["photo"]))
    for entries in data.logs.values():
        for log in entries:
            for key, found in (("photos", photos), ("attachments", media)):
                values = log.data.get(key)
                if isinstance(values, list):
                    found.extend((log.unit, v) for v in values if isinstance(v, str))
    return photos, media


def _reference_pages(repo: Repository) -> dict[str, str]:
    from . import reference

    return {
        "reference/dictionary.md": reference.dictionary_markdown(repo.schemas.schemas),
        "reference/rules.md": reference.rules_markdown(),
    }


def default_out(root: Path, audience: Audience) -> Path:
    return root / "build" / audience.slug / "site"


def _check_out(out: Path) -> None:
    """MkDocs empties its site folder: never let it empty a folder that is not an aixin site."""
    if out.exists() and any(out.iterdir()) and not (out / stage.ASSETS_DIR / "aixin.css").is_file():
        raise UsageError(f"输出文件夹 {out} 不是空的，也不是以前生成的网站；请换一个文件夹，或先清空它")


def build(
    root: Path,
    audience: Audience,
    out: Path | None = None,
    *,
    strict: bool = True,
    refuse_errors: bool = False,
    today: dt.date | None = None,
) -> BuildReport:
    """Build the audience's static site into `out`; raises UsageError for refusals (with
    `refuse_errors`, also when the records it would publish fail the check)."""
    quiet_environment()
    started = time.perf_counter()
    repo = open_repository(root)  # refuses a broken repository before anything is written
    root = repo.root
    settings = site_settings(root)
    host = public_host(settings.get("site_url"))
    if host and audience.kind != "public":
        raise UsageError(
            f"mkdocs.yml 的 site_url 指向公共托管网站（{host}）。这个网站含有未成年人的个人信息，"
            "只能放在单位内部的服务器上或直接从文件夹打开；请删去 site_url 或改为内部服务器的地址。"
        )
    out = Path(out).resolve() if out else default_out(root, audience)
    _check_out(out)
    # The staging folder sits beside the site; a name of its own, so that `--out ./site` can
    # never make it replace a folder such as the repository's docs/.
    docs = out.with_name("docs") if out == default_out(root, audience) else out.with_name(out.name + ".aixin-docs")
    generated = generate(repo, audience, docs, today=today)
    if refuse_errors and generated.errors:
        raise UsageError(
            f"记录检查发现 {generated.errors:,} 个错误，按 --strict 的要求没有生成网站；"
            "请运行 aixin check 查看并改正这些错误，再重新生成"
        )
    mark = time.perf_counter()
    config_file = _write_config(docs, out, generated, settings)
    try:
        _mkdocs_build(config_file, strict)
    finally:
        stage.finish()  # the staging folder this build replaced, removed meanwhile
    generated.timings["MkDocs"] = time.perf_counter() - mark
    seconds = time.perf_counter() - started
    return BuildReport(out, generated.pages, seconds, generated.timings, generated.errors, generated.stamp)


def _write_config(docs: Path, out: Path, generated: Generated, settings: dict) -> Path:
    config = base_config()
    config.update(settings)
    nav = generated.nav
    config.setdefault("extra", {})["aixin_stamp"] = generated.stamp
    # The hooks' shortcuts (site/fastpath.py), written out so that a build repeated by hand with
    # `mkdocs build -f` can be made the long way by setting it false (or AIXIN_FAST=0).
    config["extra"].setdefault("aixin_fast", True)
    package = Path(str(resources.files("aixin.site")))
    config["theme"]["custom_dir"] = str(package / "overrides")
    config["hooks"] = [str(package / "mkdocs_hooks.py")]
    path = docs.with_name(docs.name + ".mkdocs.yml")  # MkDocs refuses a config inside docs_dir
    site_dir = out.with_name(out.name + ".tmp")
    config.update(docs_dir=_beside(docs, path), site_dir=_beside(site_dir, path), nav=nav)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _beside(folder: Path, config_file: Path) -> str:
    """`folder` relative to the config file's folder: Zensical panics on an absolute docs_dir, and
    a relative one lets the staged site be moved or rebuilt by hand. Falls back to the absolute
    path where no relative one exists (another drive on Windows). The theme's custom_dir and the
    hooks stay absolute: they live in the installed package, not beside the staged pages."""
    try:
        return Path(os.path.relpath(folder, config_file.parent)).as_posix()
    except ValueError:
        return str(folder)


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _mkdocs_build(config_file: Path, strict: bool) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    log = logging.getLogger("mkdocs")
    errors = _Errors()
    log.addHandler(errors)
    log.propagate = False  # the messages are reported below, in the user's words
    try:
        config = load_config(config_file=str(config_file), strict=strict)
        site_dir = Path(config.site_dir)
        if site_dir.exists():
            shutil.rmtree(site_dir)
        mkdocs_build(config)
    except (MkDocsException, SystemExit) as exc:
        details = "；".join(errors.messages[:5]) or str(exc)
        raise UsageError(f"MkDocs 没能生成网站：{details}") from None
    finally:
        log.removeHandler(errors)
        log.propagate = True
    final = site_dir.with_name(site_dir.name[: -len(".tmp")])
    old = final.with_name(final.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    site_dir.rename(final)
    if old.exists():
        shutil.rmtree(old)
    if errors.messages and not strict:
        for message in errors.messages:
            print(f"警告：{message}", file=sys.stderr)
