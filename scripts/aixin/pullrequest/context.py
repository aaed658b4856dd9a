"""What the pull-request rules may know: who opened it, what it changed, and the records on either side.

A `PullRequest` is built once per check (see check.py); its look-ups read Git lazily and remember
what they read, so a rule that finds nothing to look at costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from aixin.domain.changes import Change, RecordPath, Removed, Target, record_at
from aixin.domain.layout import log_folder
from aixin.load import loader
from aixin.load.loader import Loaded
from aixin.load.roster import COORDINATORS_FILE, Account, Parsed, Roster

from .git import Git

PAIRINGS = "records/*/pairings/*.yaml"


@dataclass
class PullRequest:
    """One pull request: its author, the target branch's roster and the changes since the merge base."""

    git: Git
    author: str
    base: str  # the merge base: the pull request's changes are relative to it
    head: str
    changes: list[Change]
    roster: Roster | None  # from the target branch; None when it has no usable roster
    head_roster: Parsed  # the pull request's own copy, checked for mistakes
    unit_names: dict[str, str]  # unit id -> Chinese name, from the pull request's programme.yaml
    _read: dict = field(default_factory=dict, repr=False)

    @property
    def account(self) -> Account | None:
        return self.roster.account(self.author) if self.roster else None

    @property
    def restricted(self) -> Account | None:
        """The author's account when it is a unit coordinator's; None for city staff or when
        the author is unknown (A001 and A002 report those, once, instead of every file)."""
        account = self.account
        return account if account is not None and not account.city else None

    @property
    def roster_target(self) -> Target:
        return Target(COORDINATORS_FILE, lines=self.head_roster.lines)

    def unit_label(self, unit: str) -> str:
        name = self.unit_names.get(unit)
        return f"{name}（{unit}）" if name else unit

    # ------------------------------------------------------------------ records on either side

    def load(self, rev: str, paths: list[str]) -> dict[str, Loaded | None]:
        """Each path at `rev` (the merge base or the head) through the strict loader."""
        missing = [p for p in paths if (rev, p) not in self._read]
        for path, raw in self.git.read(rev, missing).items():
            self._read[rev, path] = None if raw is None else loader.load_bytes(raw, path)
        return {p: self._read[rev, p] for p in paths}

    def changed(self, kind: str) -> list[tuple[Change, dict | None, Loaded]]:
        """(change, data before or None, loaded after) for each added, modified or renamed record
        of `kind` that the pull request leaves readable; both sides read in one go each."""
        changes = [
            c for c in self.changes if c.status != "D" and (r := record_at(c.path)) is not None and r.kind == kind
        ]
        after = self.load(self.head, [c.path for c in changes])
        before = self.load(self.base, [c.before for c in changes if c.before])
        found = []
        for change in changes:
            loaded = after[change.path]
            if loaded is None or loaded.data is None:
                continue  # the record check reports a file it cannot read
            old = before.get(change.before) if change.before else None
            found.append((change, old.data if old is not None else None, loaded))
        return found

    @cached_property
    def removed(self) -> list[Removed]:
        """Records whose id no longer exists after the pull request (deleted, or renamed away)."""
        kept = {r.id for c in self.changes if c.status != "D" and (r := record_at(c.path))}
        found = []
        for change in self.changes:
            if change.status not in "DR":
                continue
            record = record_at(change.old_path if change.status == "R" else change.path)
            if record is not None and record.id not in kept:
                found.append(Removed(change, record))
        return found

    def pairings_naming(self, ids: set[str]) -> dict[str, list[str]]:
        """record id -> the pairings that still name it (as mother or girl) after the pull request."""
        if not ids:
            return {}
        candidates = self.git.containing(self.head, sorted(ids), PAIRINGS)
        naming: dict[str, list[str]] = {}
        for path, loaded in sorted(self.load(self.head, candidates).items()):
            record = record_at(path)
            if loaded is None or loaded.data is None or record is None:
                continue
            for key in ("mother", "girl"):
                value = loaded.data.get(key)
                if isinstance(value, str) and value in ids:
                    naming.setdefault(value, []).append(record.id)
        return naming

    @cached_property
    def symlinks(self) -> list[str]:
        """The paths the pull request adds as symbolic links, or turns into one."""
        return self.git.symlinks(self.base, self.head)

    def logs_of(self, record: RecordPath) -> list[str]:
        """The contact logs filed under a pairing, before or after the pull request."""
        folder = log_folder(record.unit, record.id)
        return sorted(set(self.git.files(self.base, folder)) | set(self.git.files(self.head, folder)))
