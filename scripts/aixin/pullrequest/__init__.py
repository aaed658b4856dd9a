"""The checks that need a pull request (`aixin check --pr`): who may change which files, the city's
approvals, and records that must not be deleted. Codes A001–A008, catalogued in `PR_RULES`."""

from .check import check_pull_request, with_pull_request  # noqa: F401
from .rules import PR_RULES  # noqa: F401
