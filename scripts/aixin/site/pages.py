"""The pages of a site: which Markdown files to write, from which template, with which data.

No I/O here: `plan()` turns restricted data (and the photos already made) into a list of `Page`s
in a fixed order, and `nav()` gives the short explicit navigation. Every page knows the record
files it was generated from, for its "do not edit" header.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aixin.core import dates
from aixin.core.findings import Finding, Severity
from aixin.domain.terms import approval_state, is_proposed

from . import charts, followup
from .audience import PUBLIC_FIELDS, Restricted, active_girl_ids
from .collect import CITY, Item, is_active
from .render import page_text
from .search import given_name

RECORD_FOLDERS = {"girl": "girls", "mother": "mothers", "pairing": "pairings"}
# A name searched finds her own page first, before the pairing pages whose contact logs name her.
PERSON_BOOST = 2
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass
class Page:
    path: str  # inside the docs folder, posix, e.g. "girls/chuanshan-g-3m8x4p.md"
    template: str
    title: str  # record text: escaped by the renderer
    sources: list[str]  # record files (or folders) this page is generated from
    context: dict = field(default_factory=dict)
    searchable: bool = True  # False: the whole page stays out of the search index
    boost: float | None = None  # ranks the page above others that match as well (a person's own page)
    lightbox: bool = False  # True when the page shows photos that open full size


@dataclass(frozen=True)
class Photo:
    """A photo as a page shows it: URLs relative to the docs root, or a problem to show instead."""

    thumb: str = ""
    display: str = ""
    problem: str = ""


@dataclass(frozen=True)
class Paired:
    """The girls of an active pairing, and those of a pairing awaiting the city's approval (待审批)."""

    active: set[str]
    proposed: set[str]


def page_url(item_kind: str, item_id: str) -> str:
    return f"{RECORD_FOLDERS[item_kind]}/{item_id}.html"


def record_path(kind: str, record_id: str) -> str:
    return f"{RECORD_FOLDERS[kind]}/{record_id}.md"


def followup_path(unit_id: str | None) -> str:
    """The 待跟进 page of a unit, or the city-wide one (None)."""
    return f"followup/{unit_id or 'index'}.md"


def plan(
    site: Restricted, photos: dict[tuple[str, str], Photo], media: dict[tuple[str, str], str], reference: dict[str, str]
) -> list[Page]:
    """Every generated page of the site, in a deterministic order.

    `photos` maps (unit, path as written in the record) to its web copy, `media` maps an audio or
    video attachment the same way to its URL in the site; `reference` maps a reference page path
    to its generated Markdown (data dictionary, rules).
    """
    data, audience = site.data, site.audience
    if audience.kind == "public":
        return [Page("index.md", "public.md.j2", "首页", ["records/"], _public_context(site))]
    cares = followup.summaries(data.care)
    figures = charts.figures(site)  # once per build: the dashboard's and every unit page's
    pages = [
        Page("index.md", "index.md.j2", "首页", ["records/"], {**_dashboard_context(site), "charts": figures.dashboard})
    ]
    if audience.kind == "city":
        pages.append(
            Page(
                "units/index.md",
                "units.md.j2",
                "各单位",
                ["records/programme.yaml"],
                {"units": data.units, "counts": data.counts},
                searchable=False,
            )
        )
    paired = Paired(
        active_girl_ids(data), {str(p.data.get("girl")) for p in data.pairings.values() if is_proposed(p.data)}
    )
    by_girl, by_mother = _pairings_by(data, "girl"), _pairings_by(data, "mother")
    for unit in data.units:
        pages.append(
            Page(
                f"units/{unit.id}.md",
                "unit.md.j2",
                unit.name,
                [f"records/{unit.id}/"],
                {**_unit_context(site, unit, paired, by_mother, cares), "charts": figures.units.get(unit.id, ())},
            )
        )
    pages += _followup_pages(site, cares)
    photo = lambda item, value: photos.get((item.unit, value)) if isinstance(value, str) else None  # noqa: E731
    for girl in sorted(data.girls.values(), key=lambda i: i.id):
        pages.append(
            Page(
                record_path("girl", girl.id),
                "girl.md.j2",
                _name(girl),
                [girl.file],
                {
                    "girl": girl,
                    "unit_name": data.programme.unit_name(girl.unit),
                    "eligibility": data.eligibility.get(girl.id),
                    "reasons": data.eligibility[girl.id].reasons(data.programme)
                    if data.eligibility.get(girl.id)
                    else [],
                    "pairings": [_pairing_row(site, p) for p in _sorted_pairings(by_girl.get(girl.id, []))],
                    "photo": photo(girl, girl.data.get("photo")),
                    "status": _girl_status(site, girl, paired),
                    "age": _current_age(girl, data.programme.girl_max_age, data.today),
                    "given_name": given_name(girl.data.get("name")),
                    "today": data.today.isoformat(),
                },
                lightbox=_has_photo(photo(girl, girl.data.get("photo"))),
                boost=PERSON_BOOST,
            )
        )
    for mother in sorted(data.mothers.values(), key=lambda i: i.id):
        pages.append(
            Page(
                record_path("mother", mother.id),
                "mother.md.j2",
                _name(mother),
                [mother.file],
                {
                    "mother": mother,
                    "unit_name": data.programme.unit_name(mother.unit),
                    "approval": approval_state(mother.data),
                    "given_name": given_name(mother.data.get("name")),
                    "pairings": [_pairing_row(site, p, cares) for p in _sorted_pairings(by_mother.get(mother.id, []))],
                    "photo": photo(mother, mother.data.get("photo")),
                },
                lightbox=_has_photo(photo(mother, mother.data.get("photo"))),
                boost=PERSON_BOOST,
            )
        )
    for pairing in sorted(data.pairings.values(), key=lambda i: i.id):
        pages.append(_pairing_page(site, pairing, photo, media, cares.get(pairing.id)))
    for path, title in (("reference/dictionary.md", "数据字典"), ("reference/rules.md", "规则说明")):
        if path in reference:
            pages.append(
                Page(
                    path, "reference.md.j2", title, ["schemas/", "scripts/aixin/rules/"], {"markdown": reference[path]}
                )
            )
    return pages


def nav(site: Restricted, hand_written: list[tuple[str, str]]) -> list:
    """The explicit, short navigation: records are reached from tables, never from the nav.

    `hand_written` lists (path, title) of the hand-written pages staged for this audience.
    """
    audience = site.audience
    items: list = [{"首页": "index.md"}]
    if audience.kind == "city":
        items.append({"各单位": "units/index.md"})
        items.append({"待跟进": followup_path(None)})
    elif audience.kind == "unit":
        items.append({site.data.units[0].name: f"units/{audience.unit}.md"})
        items.append({"待跟进": followup_path(audience.unit)})
    staged = dict(hand_written)
    reference = [
        {title: path}
        for path, title in (
            ("reference/notice.md", "活动通知"),
            ("reference/dictionary.md", "数据字典"),
            ("reference/rules.md", "规则说明"),
        )
        if path in staged
    ]
    if reference:
        items.append({"参考资料": reference})
    guide = [{title: path} for path, title in hand_written if path.startswith("guide/")]
    if guide:
        items.append({"联络员指南": guide})
    return items


# ------------------------------------------------------------------ contexts


def _has_photo(photo: Photo | None) -> bool:
    return bool(photo and photo.thumb)


def _name(item: Item) -> str:
    name = item.data.get("name")
    return name if isinstance(name, str) and name.strip() else item.id


def _sorted_pairings(pairings: list[Item]) -> list[Item]:
    return sorted(pairings, key=lambda p: (not is_active(p), str(p.data.get("started_on", "")), p.id))


def _party(site: Restricted, kind: str, pairing: Item) -> dict:
    """A pairing's mother or girl as a page may show her: the record, her name and unit only
    (another unit's mother of this unit's girl), or why she is not shown."""
    table = site.data.mothers if kind == "mother" else site.data.girls
    ref = pairing.data.get(kind)
    ref = str(ref) if ref is not None else ""
    if ref in table:
        return {"item": table[ref], "url": page_url(kind, ref), "name": _name(table[ref]), "visitor": None}
    visitor = site.visitors.get(pairing.id) if kind == "mother" else None
    if visitor:
        note = page_text(f"{visitor.name}（{visitor.unit_name}）")
        return {"item": None, "url": "", "name": visitor.name, "note": note, "visitor": visitor}
    label = "爱心妈妈" if kind == "mother" else "女童"
    if ref in site.external:
        unit_name = site.data.programme.unit_name(site.external[ref])
        note = f"{unit_name}的{label}（不在本单位站点中显示）"
        return {"item": None, "url": "", "name": "", "note": note, "visitor": None}
    return {"item": None, "url": "", "name": "", "note": f"找不到这名{label}的记录", "visitor": None}


def _pairing_row(site: Restricted, pairing: Item, cares: dict[str, followup.CareSummary] | None = None) -> dict:
    return {
        "item": pairing,
        "url": page_url("pairing", pairing.id),
        "mother": _party(site, "mother", pairing),
        "girl": _party(site, "girl", pairing),
        "active": is_active(pairing),
        "care": (cares or {}).get(pairing.id),
    }


def _current_age(girl: Item, limit: int, today: dt.date) -> dict | None:
    """Her age in completed years on the build's date (a range in her birth month, since the form
    gives only the year and month), and whether she is past the programme's age limit."""
    year_month = dates.parse_year_month(girl.data.get("birth"))
    if year_month is None or dt.date(*year_month, 1) > today:
        return None
    youngest, oldest = dates.age_range_from_year_month(*year_month, today)
    text = f"{youngest}周岁" if youngest == oldest else f"{youngest}或{oldest}周岁（本月过生日）"
    if youngest > limit:
        note = f"已超过{limit}周岁，超出本活动帮扶女童的年龄（{limit}周岁以下）"
    elif oldest > limit:
        note = f"本月满{limit + 1}周岁，超出本活动帮扶女童的年龄（{limit}周岁以下）"
    else:
        note = ""
    return {"text": text, "note": note, "aged_out": youngest > limit}


def _girl_status(site: Restricted, girl: Item, paired: Paired) -> str:
    if girl.id in paired.active:
        return "已结对"
    if girl.id in paired.proposed:
        return "结对待审批"
    verdict = site.data.eligibility.get(girl.id)
    if verdict is None:
        return "记录有误，待核实"
    if verdict.eligible is None:
        return "待核实年龄"
    return "待结对" if verdict.eligible else "不符合结对条件"


def _pairing_page(
    site: Restricted, pairing: Item, photo, media: dict[tuple[str, str], str], care: followup.CareSummary | None
) -> Page:
    data = site.data
    card = card_parts(site, pairing, photo)
    mother, girl = card["mother"], card["girl"]
    mother_photo, girl_photo = card["mother_photo"], card["girl_photo"]
    logs = []
    for log in data.logs.get(pairing.id, []):
        raw = log.data.get("photos")
        shown = [photo(log, p) for p in raw] if isinstance(raw, list) else []
        attached = log.data.get("attachments")
        attached = [a for a in attached if isinstance(a, str)] if isinstance(attached, list) else []
        logs.append(
            {
                "item": log,
                "photos": [p for p in shown if p is not None],
                "media": [
                    {"url": media[(log.unit, a)], "name": a.rpartition("/")[2]}
                    for a in attached
                    if (log.unit, a) in media
                ],
            }
        )
    sources = [pairing.file] + [party["item"].file for party in (mother, girl) if party["item"]]
    if data.logs.get(pairing.id):
        sources.append(f"records/{pairing.unit}/logs/{pairing.id}/")
    lightbox = any(p and p.thumb for p in [mother_photo, girl_photo, *(p for e in logs for p in e["photos"])])
    title = " 与 ".join(p["name"] for p in (mother, girl) if p["name"]) or pairing.id
    return Page(
        record_path("pairing", pairing.id),
        "pairing.md.j2",
        title,
        sources,
        {
            "pairing": pairing,
            "unit_name": data.programme.unit_name(pairing.unit),
            "mother": mother,
            "girl": girl,
            "mother_photo": mother_photo,
            "girl_photo": girl_photo,
            "logs": logs,
            "care": care,
            "today": data.today.isoformat(),
        },
        lightbox=lightbox,
    )


def _pairings_by(data, key: str) -> dict[str, list[Item]]:
    found: dict[str, list[Item]] = {}
    for pairing in data.pairings.values():
        found.setdefault(str(pairing.data.get(key)), []).append(pairing)
    return found


def _unit_context(site: Restricted, unit, paired: Paired, by_mother: dict[str, list[Item]], cares: dict) -> dict:
    data = site.data
    girls = sorted((g for g in data.girls.values() if g.unit == unit.id), key=lambda g: g.id)
    mothers = sorted((m for m in data.mothers.values() if m.unit == unit.id), key=lambda m: m.id)
    pairings = sorted((p for p in data.pairings.values() if p.unit == unit.id), key=lambda p: p.id)
    girl_ids = {g.id for g in girls}
    guests = sorted(
        (p for p in data.pairings.values() if p.unit != unit.id and str(p.data.get("girl")) in girl_ids),
        key=lambda p: p.id,
    )
    return {
        "unit": unit,
        "counts": data.counts.get(unit.id),
        "mothers": [
            {
                "item": m,
                "url": page_url("mother", m.id),
                "approval": approval_state(m.data),
                "active": sum(is_active(p) for p in by_mother.get(m.id, [])),
            }
            for m in mothers
        ],
        "girls": [{"item": g, "url": page_url("girl", g.id), "status": _girl_status(site, g, paired)} for g in girls],
        "pairings": [_pairing_row(site, p, cares) for p in pairings],
        "guest_pairings": [
            {**_pairing_row(site, p, cares), "unit_name": data.programme.unit_name(p.unit)} for p in guests
        ],
        "overdue": len(followup.overdue(data.care, {p.id for p in (*pairings, *guests)})),
        "followup_url": followup_path(unit.id).replace(".md", ".html"),
        "today": data.today.isoformat(),
        "findings": _sorted_findings(f for f in data.findings if f.file.startswith(f"records/{unit.id}/")),
        "skipped": [s for s in data.skipped if s.unit == unit.id],
        "photo_problems": [p for p in data.photo_problems if p[0].startswith(f"records/{unit.id}/")],
    }


def _sorted_findings(findings) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.file, f.line, f.column, f.rule))


def _percent(done: int, goal: int) -> int:
    return min(100, round(100 * done / goal)) if goal > 0 else 100


def _dashboard_context(site: Restricted) -> dict:
    data = site.data
    quota = [
        {
            "row": row,
            "percent": _percent(row.approved, row.quota),
            "own": site.audience.kind == "city" or row.unit_id in (site.audience.unit, ""),
        }
        for row in data.quota
    ]
    units = [{"unit": u, "counts": data.counts[u.id]} for u in data.units]
    obligations = followup.obligation_labels(data.programme)
    keys = [key for key, _ in obligations]
    care_units = {u.unit: u for u in data.care.units} if data.care else {}
    care_rows = [
        {"unit": u, "care": care_units[u.id], "cells": followup.completion_cells(care_units[u.id], keys)}
        for u in data.units
        if u.id in care_units
    ]
    return {
        "version": data.version,
        "obligations": [label for _, label in obligations],
        "care_rows": care_rows,
        "care_city": (
            {"care": data.care.city, "cells": followup.completion_cells(data.care.city, keys)} if data.care else None
        ),
        "queue": [
            {
                "waiting": w,
                "name": _name(data.mothers[w.mother_id]) if w.mother_id in data.mothers else w.mother_id,
                "url": page_url("mother", w.mother_id) if w.mother_id in data.mothers else "",
                "unit_name": data.programme.unit_name(w.unit),
            }
            for w in data.queue
        ],
        "audience": site.audience,
        "today": data.today.isoformat(),
        "month": f"{data.today.year}年{data.today.month}月",
        "programme": data.programme,
        "quota": quota,
        "units": units,
        "city": data.counts.get(CITY),
        "city_findings": _sorted_findings(
            f for f in data.findings if not f.file.startswith("records/") or f.file == "records/programme.yaml"
        ),
        "skipped": data.skipped,
        "photo_problems": data.photo_problems,
    }


def _public_context(site: Restricted) -> dict:
    return {
        "today": site.data.today.isoformat(),
        "programme": site.data.programme,
        "headers": [label for _, label in PUBLIC_FIELDS],
        "rows": site.public_rows,
        "charts": charts.public_charts(site),
    }


def card_parts(site: Restricted, pairing: Item, photo) -> dict:
    """What the 结对帮扶卡 of `pairing` shows (the `_card.j2` macro's arguments), as its page
    shows it; used by `aixin card` (site.card) with its own photos."""
    mother = _party(site, "mother", pairing)
    girl = _party(site, "girl", pairing)
    return {
        "p": pairing.data,
        "mother": mother,
        "girl": girl,
        "mother_photo": photo(mother["item"], mother["item"].data.get("photo")) if mother["item"] else None,
        "girl_photo": photo(girl["item"], girl["item"].data.get("photo")) if girl["item"] else None,
    }


# ------------------------------------------------------------------ 待跟进


def _followup_pages(site: Restricted, cares: dict[str, followup.CareSummary]) -> list[Page]:
    """A 待跟进 page per unit of the site (its pairings and those kept for its girls), and the
    city-wide one on the city site; each lists the overdue pairings, most late first."""
    data = site.data
    pages = []
    if site.audience.kind == "city":
        rows = [_followup_row(site, care, cares) for care in followup.overdue(data.care)]
        pages.append(_followup_page(site, None, "待跟进（全市）", rows))
    for unit in data.units:
        girls = {g.id for g in data.girls.values() if g.unit == unit.id}
        ids = {p.id for p in data.pairings.values() if p.unit == unit.id or str(p.data.get("girl")) in girls}
        rows = [_followup_row(site, care, cares) for care in followup.overdue(data.care, ids)]
        page = _followup_page(site, unit, f"待跟进：{unit.name}", [r for r in rows if r["unit_id"] == unit.id])
        page.context["guest_rows"] = [r for r in rows if r["unit_id"] != unit.id]
        pages.append(page)
    return pages


def _followup_page(site: Restricted, unit, title: str, rows: list[dict]) -> Page:
    data = site.data
    units = (
        []
        if unit
        else [
            {
                "unit": u,
                "url": followup_path(u.id).rsplit("/", 1)[1].replace(".md", ".html"),
                "overdue": sum(r["unit_id"] == u.id for r in rows),
            }
            for u in data.units
        ]
    )
    return Page(
        followup_path(unit.id if unit else None),
        "followup.md.j2",
        title,
        [f"records/{unit.id}/" if unit else "records/"],
        {
            "unit": unit,
            "rows": rows,
            "guest_rows": [],
            "units": units,
            "today": data.today.isoformat(),
            "version": data.version,
            "obligations": followup.obligations(data.programme),
        },
        searchable=False,
    )


def _followup_row(site: Restricted, care, cares: dict[str, followup.CareSummary]) -> dict:
    pairing = site.data.pairings[care.pairing_id]
    row = _pairing_row(site, pairing, cares)
    row["unit_id"] = pairing.unit
    row["unit_name"] = site.data.programme.unit_name(pairing.unit)
    return row
