"""From the care figures (`domain.care`) to one reminder per unit and one for the city.

Everything a reminder shows is chosen and masked here: a pairing's id and page, its mother's
surname (王**), what it owes and how late; never a girl, never a number of a person.

Links: a page's path inside the unit's own site (`pairings/<id>.html`, the unit's 待跟进 page
`followup/<unit>.html`; the
city's site for the city), made a full address when AIXIN_SITE_URL gives where the sites are
served, e.g. `https://aixin.fulian.example/{unit}/` (`{unit}` becomes the unit's code or `city`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from aixin.check.engine import run_check
from aixin.core.dates import add_months, month_bounds
from aixin.core.errors import UsageError
from aixin.core.masking import mask_name
from aixin.domain.festivals import festivals_between
from aixin.domain.programme import Programme
from aixin.load.repository import Repository, open_repository
from aixin.load.roster import COORDINATORS_FILE, parse

from .reminder import CITY, Overdue, Queued, Reminder, UnitLine

SITE_URL_ENV = "AIXIN_SITE_URL"
CITY_NAME = "全市"


def followup_page(unit_id: str) -> str:
    """The unit's 待跟进 page in its built site (`site.pages.followup_path`, as HTML)."""
    return f"followup/{unit_id}.html"


def link(site_url: str | None, site: str, path: str) -> str:
    """`path` in the site of `site` (a unit id or CITY): a full address where one is configured."""
    if not site_url or not site_url.strip():
        return path
    base = site_url.strip()
    base = base.replace("{unit}", site) if "{unit}" in base else f"{base.rstrip('/')}/{site}/"
    return f"{base.rstrip('/')}/{path}"


def coming_festivals_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """From the day of the reminder to the end of the next month: run on 1 December, it shows
    元旦 on 1 January in time to plan it (the coming month and the one after it at most)."""
    following = add_months(as_of.replace(day=1), 1)
    return as_of, month_bounds(following.year, following.month)[1]


def _overdue(pairing, names: Mapping[str, object], site_url: str | None) -> Overdue:
    owed = tuple((duty.label, tuple(duty.periods_missed)) for duty in pairing.duties if duty.owed)
    return Overdue(
        pairing.pairing_id,
        mask_name(names.get(pairing.mother_id)),
        link(site_url, pairing.unit, f"pairings/{pairing.pairing_id}.html"),
        owed,
        pairing.days_late,
        pairing.last_contact,
    )


def build(
    care,
    queue: Iterable,
    programme: Programme,
    coordinators: Mapping[str, list[str]],
    names: Mapping[str, object],
    site_url: str | None = None,
    only: str | None = None,
) -> list[Reminder]:
    """The units' reminders in programme order, then the city's (`only`: one unit id or CITY).

    `care` is a `domain.care.CareReport`, `queue` the `approval_queue`, `coordinators` maps a
    unit id (and CITY) to the logins to mention, `names` a mother's id to her name.
    """
    as_of = care.as_of
    first, until = coming_festivals_window(as_of)
    festivals = tuple(festivals_between(first, until))
    units = {u.unit: u for u in care.units}
    found: list[Reminder] = []
    for unit in programme.units:
        if only not in (None, unit.id):
            continue
        figures = units.get(unit.id)
        late = tuple(_overdue(p, names, site_url) for p in care.pairings if p.unit == unit.id and p.overdue)
        found.append(
            Reminder(
                unit.id,
                unit.name,
                as_of,
                figures.active if figures else 0,
                len(late),
                late,
                festivals,
                until,
                link(site_url, unit.id, followup_page(unit.id)),
                tuple(coordinators.get(unit.id, ())),
            )
        )
    if only in (None, CITY):
        waiting = tuple(
            Queued(mask_name(names.get(w.mother_id)), programme.unit_name(w.unit), w.county_date, w.days) for w in queue
        )
        lines = tuple(UnitLine(programme.unit_name(u.unit), u.active, u.overdue) for u in care.units if u.unit != CITY)
        found.append(
            Reminder(
                CITY,
                CITY_NAME,
                as_of,
                care.city.active,
                care.city.overdue,
                (),
                festivals,
                until,
                link(site_url, CITY, "index.html"),
                tuple(coordinators.get(CITY, ())),
                waiting,
                lines,
            )
        )
    return found


def coordinators_of(repo: Repository) -> dict[str, list[str]]:
    """unit id -> the logins to mention, and CITY -> the city staff, from records/coordinators.yaml
    (none when the roster is missing or broken: `aixin check` reports that)."""
    path = repo.root / COORDINATORS_FILE
    parsed = parse(path.read_bytes() if path.is_file() else None, repo.roster_schemas())
    if parsed.roster is None:
        return {}
    listed = {unit: sorted(logins) for unit, logins in parsed.roster.units.items()}
    listed[CITY] = sorted(a.login for a in parsed.roster.accounts.values() if a.city)
    return listed


def for_repository(root: Path, as_of: dt.date | None, only: str | None, site_url: str | None) -> list[Reminder]:
    """The reminders of the repository at `root` as of `as_of` (default: today in Beijing), from
    the check's care figures (cached with the check); `only`: one unit id or CITY."""
    repo = open_repository(root)
    if only not in (None, CITY) and repo.programme.unit(only) is None:
        known = "、".join(f"{u.id}（{u.name}）" for u in repo.programme.units)
        raise UsageError(f"单位代码“{only}”不存在。可以写：{known}，或 {CITY}（市妇联的提醒）")
    result = run_check(repo, today=as_of)
    names = {record_id: name for record_id, (_unit, name) in result.people.items()}
    return build(result.care, result.waiting, repo.programme, coordinators_of(repo), names, site_url, only)
