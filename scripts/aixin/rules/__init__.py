"""All rules, listed explicitly (no discovery): importing a module registers its rules."""

from . import changes, commendation, duplicates, free_text, girl, log, mother, pairing, photos, quota, training  # noqa: F401
from .registry import CHANGE_RULES, RULES, Context, Rule, cross_rules, record_rules  # noqa: F401
