"""The one error every layer raises when the user must fix something before aixin can go on.

Commands never catch it one by one: the `aixin` group turns it into `错误：…` on stderr, the
located findings under it, and exit 2. A bug is anything else (see `commands.common`).
"""

from __future__ import annotations

from aixin.core.findings import Finding

EXIT_USAGE = 2  # usage error: nothing was done, or the repository cannot be read


class UsageError(Exception):
    """A Chinese sentence for the user, with the findings that say exactly where (may be none)."""

    def __init__(self, message: str, findings: tuple[Finding, ...] | list[Finding] = ()) -> None:
        super().__init__(message)
        self.findings = tuple(findings)
