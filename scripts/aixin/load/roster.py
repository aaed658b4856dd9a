"""The coordinators' roster, records/coordinators.yaml: which account may change what.

The city keeps the file; its schema is schemas/coordinators.schema.json. Permissions are always
read from the *target* branch's copy, so a pull request cannot grant its own author anything;
the pull request's own copy is only checked for mistakes (loader `Y…`, schema `S…`, unit `A003`).
Logins compare case-insensitively, as GitHub's do; the file writes them in lower case.
"""

from __future__ import annotations

from dataclasses import dataclass

from aixin.core.findings import Finding, Problem, Severity

from . import loader
from .schemas import SchemaSet

COORDINATORS_FILE = "records/coordinators.yaml"
KIND = "coordinators"  # its schema: schemas/coordinators.schema.json (Repository.roster_schemas)


@dataclass(frozen=True)
class Account:
    """One account: city staff (may change anything), or the coordinator of some units."""

    login: str
    city: bool
    units: frozenset[str]


@dataclass
class Roster:
    """Every account of one copy of records/coordinators.yaml."""

    accounts: dict[str, Account]

    def account(self, login: str) -> Account | None:
        return self.accounts.get(login.strip().lower())

    @property
    def units(self) -> dict[str, list[str]]:
        """unit id -> its coordinators' logins, as the file lists them."""
        listed: dict[str, list[str]] = {}
        for account in self.accounts.values():
            for unit in account.units:
                listed.setdefault(unit, []).append(account.login)
        return listed


@dataclass
class Parsed:
    """A copy of the roster: the roster when it is usable, else None, and what is wrong with it."""

    roster: Roster | None
    data: object  # the parsed file, usable or not (None when it cannot be read)
    lines: dict[tuple, tuple[int, int]]
    findings: list[Finding]  # loader findings, as the loader words them
    problems: list[tuple[str, Problem]]  # schema problems (S…)


def parse(raw: bytes | None, schemas: SchemaSet) -> Parsed:
    """Load and validate one copy of the roster (raw None: the file does not exist)."""
    if raw is None:
        return Parsed(None, None, {}, [], [])
    loaded = loader.load_bytes(raw, COORDINATORS_FILE)
    if loaded.data is None:
        return Parsed(None, None, loaded.lines, loaded.findings, [])
    problems = schemas.problems(KIND, loaded.data)
    if problems:
        return Parsed(None, loaded.data, loaded.lines, [], problems)
    return Parsed(_roster(loaded.data), loaded.data, loaded.lines, [], [])


def located(parsed: Parsed) -> list[Finding]:
    """What is wrong with one copy of the roster as located findings: the loader's, then the
    schema's at their fields (the record check and `check --pr` report the same findings)."""
    found = list(parsed.findings)
    for code, problem in parsed.problems:
        where = loader.position(parsed.lines, problem.path)
        found.append(Finding.of(problem, COORDINATORS_FILE, where, code, Severity.ERROR, KIND))
    return found


def _roster(data: dict) -> Roster:
    city = {login.lower() for login in data["city"]}
    units: dict[str, set[str]] = {}
    for unit, logins in data["units"].items():
        for login in logins:
            units.setdefault(login.lower(), set()).add(unit)
    accounts = {
        login: Account(login, login in city, frozenset(units.get(login, ()))) for login in sorted(city | set(units))
    }
    return Roster(accounts)
