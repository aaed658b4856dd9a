"""`aixin card`: one pairing's 结对帮扶卡 as an A4 PDF, for city staff to print on their own computer.

The card is the site's: the records are read by `collect` and cut for the city by `audience`
(no second reader of records), the markup is the `_card.j2` macro the pairing page uses and the
look is the site's `aixin.css` print rules, rendered by WeasyPrint instead of a browser. With
`full` the phone numbers are printed as written (the mother calls them from the card); without,
masked as on the site. The file is never written inside the repository: not in records/ or
docs/ (committed), not in build/ or a site (published), not beside them (one `git add` away).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from aixin.core.errors import UsageError
from aixin.load.repository import inside, open_repository
from aixin.load.writer import create_new

from . import render, stage
from .audience import Audience, restrict
from .collect import collect
from .pages import Photo, card_parts
from .pdf import PdfMaker, photo_cache

PAIRING_HINT = "请写结对记录的编号（即文件名，不带 .yaml），如 chuanshan-p-5t1w6r"


@dataclass(frozen=True)
class Card:
    path: Path
    pairing_id: str
    full: bool


def pairing_id_of(text: str) -> str:
    """The id in what was typed: an id, a file name, or a path to the record."""
    name = text.strip().replace("\\", "/").rpartition("/")[2]
    return name[: -len(".yaml")] if name.endswith(".yaml") else name


def default_name(pairing_id: str) -> str:
    return f"结对帮扶卡-{pairing_id}.pdf"


def out_path(root: Path, pairing_id: str, out: Path | None, cwd: Path, home: Path) -> Path:
    """Where the PDF goes: `out`, else the current folder, else (inside the repository) home."""
    if out is None:
        folder = home if inside(cwd.resolve(), root) else cwd
        return folder / default_name(pairing_id)
    if out.suffix.lower() != ".pdf":
        raise UsageError(f"帮扶卡文件名应以 .pdf 结尾，现在是“{out.name}”")
    target = out.resolve()
    if inside(target, root):
        raise UsageError(
            f"不能把帮扶卡写到仓库文件夹 {root} 里面（{out}）：那里的文件会被提交或放进网站，"
            "而帮扶卡上有女童和爱心妈妈的个人信息。请写到仓库以外的文件夹，如桌面。"
        )
    if target.is_dir():
        raise UsageError(f"{out} 是一个文件夹；请写出文件名，如 {out / default_name(pairing_id)}")
    return target


def write_card(root: Path, pairing: str, *, full: bool, out: Path | None = None, today: dt.date | None = None) -> Card:
    """Render the card of `pairing` and write it as a one-page A4 PDF; UsageError when the id is unknown."""
    repo = open_repository(root)
    pairing_id = pairing_id_of(pairing)
    target = out_path(repo.root, pairing_id, out, Path.cwd(), Path.home())
    site = restrict(collect(repo, today), Audience("city"))
    item = site.data.pairings.get(pairing_id)
    if item is None:
        raise UsageError(f"找不到结对记录“{pairing_id}”；{PAIRING_HINT}")
    photos = _photos(repo.root, site.data)
    parts = card_parts(site, item, lambda record, value: photos.get((record.unit, value)) if value else None)
    html = render.environment().get_template("card.html.j2").render(parts, full=full, pairing_id=pairing_id)
    _write_new(target, PdfMaker(repo.root).pdf(html))
    return Card(target, pairing_id, full)


def _photos(root: Path, data) -> dict[tuple[str, str], Photo]:
    """The web copy (display size) of every mother's and girl's photo the walk found as a file."""
    refs = [
        (item.unit, item.data["photo"])
        for item in (*data.girls.values(), *data.mothers.values())
        if isinstance(item.data.get("photo"), str) and f"records/{item.unit}/{item.data['photo']}" in data.files
    ]
    if not refs:
        return {}
    shown, copies, _problems = stage.web_photos(root, refs, photo_cache(root))
    return {
        ref: Photo(thumb=copies[photo.display].as_uri(), display=copies[photo.display].as_uri())
        if photo.display
        else photo
        for ref, photo in shown.items()
    }


def _write_new(target: Path, data: bytes) -> None:
    """The PDF, written whole and never over an existing file (another mother's card, perhaps)."""
    try:
        create_new(target, data)
    except FileExistsError:
        raise UsageError(
            f"文件已存在，不会覆盖：{target}。请用 --out 换一个文件名，或先删除原来的文件（打印后请删除带完整号码的卡片）。"
        ) from None
