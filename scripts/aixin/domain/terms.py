"""The programme's words and what they mean, in one place: record kinds and their names, the
approval and pairing status words of the forms, and the predicates built on them.

Rules, reports, the site, the spreadsheets and guided entry all ask here whether a mother is
approved or a pairing is in progress, so a word of the forms is never spelt twice. Imports
nothing of aixin: it sits at the bottom of the domain layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

KINDS = ("girl", "mother", "pairing", "log", "commendation", "training")
# What the units record, each in its own folder (records/<unit>/…).
UNIT_KINDS = ("girl", "mother", "pairing", "log")
# What the city decides and records itself, in records/city/ (no unit may take the id "city").
CITY_KINDS = ("commendation", "training")
KIND_FOLDERS = {
    "girl": "girls",
    "mother": "mothers",
    "pairing": "pairings",
    "log": "logs",
    "commendation": "commendations",
    "training": "trainings",
}
KIND_LETTERS = {"girl": "g", "mother": "m", "pairing": "p", "log": "l", "commendation": "c", "training": "t"}
# What a record of each kind is called in a sentence ("找不到爱心妈妈记录").
KIND_LABELS = {
    "girl": "留守女童",
    "mother": "爱心妈妈",
    "pairing": "结对",
    "log": "联系记录",
    "commendation": "表彰记录",
    "training": "培训记录",
}
# How a count of each kind is said in a summary line ("女童 1,300 名"), in the order shown.
COUNT_WORDS = (
    ("mother", "爱心妈妈", "名"),
    ("girl", "女童", "名"),
    ("pairing", "结对", "对"),
    ("log", "联系记录", "条"),
    ("commendation", "表彰", "条"),
    ("training", "培训", "次"),
)

# The forms' words (schemas/*.schema.json hold the same enums).
AGREE = "同意"
DISAGREE = "不同意"
ACTIVE = "进行中"
ENDED = "已结束"
# A pairing filed with a new mother's application, awaiting the city's approval of her: not in
# progress (no rule, count or page treats it as active); city staff set it to ACTIVE when they
# approve her, in the same change.
PROPOSED = "待审批"
# The two approvals of the mother's form (附件2), as a coordinator names them.
COUNTY_OPINION = "区县（园区）意见"
CITY_OPINION = "市妇联意见"

Data = Mapping[str, Any]


def _decision(mother: Data, key: str) -> str | None:
    approval = mother.get(key)
    return approval.get("decision") if isinstance(approval, Mapping) else None


def is_county_approved(mother: Data) -> bool:
    """Her unit's federation (county, district or park) agreed."""
    return _decision(mother, "county_approval") == AGREE


def is_city_approved(mother: Data) -> bool:
    """Approved by both her unit and the city: the mothers who count against a quota and may pair."""
    return is_county_approved(mother) and _decision(mother, "city_approval") == AGREE


def is_pending(mother: Data) -> bool:
    """Filed and not refused, but the city has not decided yet."""
    return "city_approval" not in mother and _decision(mother, "county_approval") != DISAGREE


def approval_state(mother: Data) -> str:
    """Where a mother's application stands, in the words of the form."""
    if is_city_approved(mother):
        return "已通过两级审核"
    if _decision(mother, "county_approval") == DISAGREE:
        return "县区（园区）妇联不同意"
    if _decision(mother, "city_approval") == DISAGREE:
        return "市妇联不同意"
    if is_county_approved(mother):
        return "待市妇联审核"
    return "待县区（园区）妇联审核"


def missing_approvals(mother: Data) -> list[tuple[str, bool]]:
    """The approvals that stand between a mother and a pairing, county first: (the form's name of
    the opinion, whether it was refused rather than not given yet). Empty when she is approved."""
    missing = []
    for key, label in (("county_approval", COUNTY_OPINION), ("city_approval", CITY_OPINION)):
        decision = _decision(mother, key)
        if decision != AGREE:
            missing.append((label, decision == DISAGREE))
    return missing


def is_active(pairing: Data) -> bool:
    """The pairing is in progress: neither ended nor still awaiting the mother's approval."""
    return pairing.get("status") == ACTIVE


def is_proposed(pairing: Data) -> bool:
    """The pairing was filed with its mother's application and waits for the city's approval."""
    return pairing.get("status") == PROPOSED


def holds_the_girl(pairing: Data) -> bool:
    """The pairing takes the girl: in progress, or awaiting the city's approval of its mother
    (a second pairing for her is refused while either stands)."""
    return is_active(pairing) or is_proposed(pairing)


def is_ended(pairing: Data) -> bool:
    """The pairing has ended (kept on file with its end date and reason)."""
    return pairing.get("status") == ENDED


def may_be_paired(eligible: bool | None, pairing: Data) -> bool:
    """A girl may be in this pairing: she is not known to be outside the target group (`eligible`
    is the eligibility verdict at the pairing's start), or the pairing records an approved exception."""
    return eligible is not False or "exception" in pairing
