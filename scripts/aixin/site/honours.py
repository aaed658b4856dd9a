"""A mother's commendations (表彰) and trainings (培训) as her page lists them.

Pure: read from the audience's restricted data (`audience.restrict` keeps a unit's site to the
commendations of its own mothers and the trainings that invited or had one of them), once for
every mother of the site, so that the mother pages cost one pass over these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .audience import Restricted

ATTENDED = "参加了"
OFFERED = "提供了机会，没有参加"


@dataclass
class Honours:
    """What a mother's page shows of the city's decisions about her, oldest first."""

    commendations: list[dict] = field(default_factory=list)
    trainings: list[dict] = field(default_factory=list)


NONE = Honours()


def _ids(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def of_mothers(site: Restricted) -> dict[str, Honours]:
    """By mother id: her commendations (year, title, awarding body, date) and the trainings she
    was offered (date, topic, place, organiser, hours, whether she attended). Records the schema
    rejected are left out: their fields cannot be trusted."""
    found: dict[str, Honours] = {}
    for item in sorted(site.data.commendations.values(), key=lambda i: (str(i.data.get("date", "")), i.id)):
        mother = str(item.data.get("mother", ""))
        if item.valid and mother in site.data.mothers:
            found.setdefault(mother, Honours()).commendations.append(
                {key: item.data.get(key) for key in ("year", "title", "awarded_by", "date", "note")}
            )
    for item in sorted(site.data.trainings.values(), key=lambda i: (str(i.data.get("date", "")), i.id)):
        if not item.valid:
            continue
        attended = _ids(item.data.get("attended"))
        for mother in dict.fromkeys([*_ids(item.data.get("invited")), *attended]):
            if mother in site.data.mothers:
                found.setdefault(mother, Honours()).trainings.append(
                    {
                        **{key: item.data.get(key) for key in ("date", "topic", "place", "organiser", "hours")},
                        "attended": mother in attended,
                        "state": ATTENDED if mother in attended else OFFERED,
                    }
                )
    return found
