"""`aixin check --pr`: run the pull-request rules and turn what they yield into findings.

The roster comes from the target branch, the changes from `git diff <merge base> HEAD`; the
findings join the record check's, so every reporter prints them the same way.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from aixin.check.result import CheckResult
from aixin.core.findings import Finding
from aixin.domain.changes import Target
from aixin.domain.programme import PROGRAMME_FILE
from aixin.load import loader
from aixin.load.repository import open_repository
from aixin.load.roster import COORDINATORS_FILE, located, parse
from aixin.rules import CHANGE_RULES
from aixin.rules.runner import locate, run_rule

from .context import PullRequest
from .git import Git


def with_pull_request(result: CheckResult, root: Path, base: str, author: str) -> CheckResult:
    """`result` with the findings of the pull request from `base` to HEAD by `author` added."""
    found = check_pull_request(root, base, author)
    # The record check reports the work tree's roster too: each finding once.
    known = set(result.findings)
    return dataclasses.replace(result, findings=sorted([*result.findings, *(f for f in found if f not in known)]))


def changed_files(root: Path, base: str) -> list[str]:
    """The files the pull request from `base` to HEAD adds or changes (not those it deletes): the
    record check reports a conflict on them rather than on the records already merged."""
    open_repository(root).roster_schemas()  # a broken programme or a missing schema before Git is asked
    git = Git(root)
    head = git.commit("HEAD")
    changes = git.changes(git.merge_base(git.commit(base), head), head)
    return sorted(change.path for change in changes if change.status != "D")


def check_pull_request(root: Path, base: str, author: str) -> list[Finding]:
    """The pull-request findings: its roster's own mistakes, then every rule in PR_RULES."""
    schemas = open_repository(root).roster_schemas()  # a missing schema is reported before Git is asked
    git = Git(root)
    target = git.commit(base)
    head = git.commit("HEAD")
    merge_base = git.merge_base(target, head)
    head_files = git.read(head, [COORDINATORS_FILE, PROGRAMME_FILE])
    head_roster = parse(head_files[COORDINATORS_FILE], schemas)
    pr = PullRequest(
        git=git,
        author=author.strip(),
        base=merge_base,
        head=head,
        changes=git.changes(merge_base, head),
        roster=parse(git.read(target, [COORDINATORS_FILE])[COORDINATORS_FILE], schemas).roster,
        head_roster=head_roster,
        unit_names=_unit_names(head_files[PROGRAMME_FILE]),
    )
    return sorted([*located(head_roster), *run_rules(pr)])


def run_rules(pr: PullRequest) -> list[Finding]:
    found = []
    for rule in CHANGE_RULES.values():
        for problem in run_rule(rule, pr):
            where: Target = problem.record or pr.roster_target  # a crashed rule points at the roster
            found.append(locate(rule, problem, where.file, where.lines, where.id))
    return found


def _unit_names(raw: bytes | None) -> dict[str, str]:
    """unit id -> name from the pull request's programme.yaml; empty when it cannot be read
    (the record check reports why)."""
    data = loader.load_bytes(raw, PROGRAMME_FILE).data if raw is not None else None
    units = data.get("units") if isinstance(data, dict) else None
    if not isinstance(units, list):
        return {}
    return {u["id"]: str(u.get("name", u["id"])) for u in units if isinstance(u, dict) and isinstance(u.get("id"), str)}
