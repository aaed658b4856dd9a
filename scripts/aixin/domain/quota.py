"""Recruitment against the quotas: mothers approved and pending per unit, and the city total.

Every report shows this table (the check's text and step summary, the site's dashboard), and
rule Q001 words its shortfalls; all of them read it from here.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

from .programme import Programme
from .records import RecordIndex
from .terms import is_city_approved, is_pending

CITY_TOTAL = "全市合计"


@dataclass(frozen=True)
class QuotaRow:
    """Recruitment of one unit (or the whole city, unit_id "") against its quota."""

    unit_id: str
    unit_name: str
    quota: int
    approved: int  # mothers approved by both the unit and the city
    pending: int  # mothers filed but not yet approved by the city

    @property
    def shortfall(self) -> int:
        return max(self.quota - self.approved, 0)

    def to_row(self) -> tuple:
        """Plain values, as the check cache stores them; `from_row` makes the row again."""
        return astuple(self)

    @classmethod
    def from_row(cls, row: tuple | list) -> QuotaRow:
        return cls(*row)


def quota_table(index: RecordIndex, programme: Programme) -> list[QuotaRow]:
    """One row per unit in the programme's order, then the city total (unit_id "")."""
    approved = {u.id: 0 for u in programme.units}
    pending = {u.id: 0 for u in programme.units}
    for mother in index.valid("mother"):
        if mother.unit not in approved:
            continue
        if is_city_approved(mother.data):
            approved[mother.unit] += 1
        elif is_pending(mother.data):
            pending[mother.unit] += 1
    rows = [QuotaRow(u.id, u.name, u.quota, approved[u.id], pending[u.id]) for u in programme.units]
    rows.append(QuotaRow("", CITY_TOTAL, programme.total_quota, sum(approved.values()), sum(pending.values())))
    return rows
