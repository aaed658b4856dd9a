"""The checks that need a pull request (`aixin check --pr`): who may change which files, the city's
approvals, and records that must not be deleted. The rules (A001–A011) live with every other rule
(`rules/changes.py`); this package reads the change from Git and runs them."""

from aixin.rules import CHANGE_RULES as PR_RULES  # noqa: F401

from .check import changed_files, check_pull_request, with_pull_request  # noqa: F401
