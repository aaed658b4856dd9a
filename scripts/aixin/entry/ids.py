"""Fresh record ids, where a new record goes, and creating it without ever replacing one.

Suffixes are random (from `secrets`), so that two pull requests adding records at the same time
do not pick the same name; 32⁶ ≈ 10⁹ suffixes per unit and kind. The alphabet leaves out i, l,
o and u, which are easily misread or mistyped. An id is also checked against every file already
in the repository, and the file is created exclusively, so a record is never replaced.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Callable

from aixin.domain.terms import KIND_FOLDERS, KIND_LETTERS
from aixin.load.writer import write_new

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
SUFFIX_LENGTH = 6
ATTEMPTS = 20


class NoFreeId(Exception):
    """No unused id was found in ATTEMPTS tries (in practice: the generator is broken)."""


def random_suffix() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(SUFFIX_LENGTH))


def new_id(unit: str, kind: str) -> str:
    return f"{unit}-{KIND_LETTERS[kind]}-{random_suffix()}"


def record_path(root: Path, unit: str, kind: str, record_id: str, pairing: str | None = None) -> Path:
    """records/<unit>/<kind folder>/<id>.yaml; a log goes in its pairing's folder under logs/."""
    folder = Path(root) / "records" / unit / KIND_FOLDERS[kind]
    if kind == "log":
        folder = folder / pairing
    return folder / f"{record_id}.yaml"


def create_record(root: Path, unit: str, kind: str, render: Callable[[Path], str], taken: set[str],
                  pairing: str | None = None) -> tuple[str, Path]:
    """Write a new record under a fresh id: (id, path). `render(path)` gives the file's text.

    An id in `taken` (the repository's ids) is never used; a file that appears meanwhile under
    the same name is left alone (exclusive create) and another id is drawn.
    """
    for _ in range(ATTEMPTS):
        record_id = new_id(unit, kind)
        if record_id in taken:
            continue
        path = record_path(root, unit, kind, record_id, pairing)
        try:
            write_new(path, render(path))
        except FileExistsError:
            taken.add(record_id)
            continue
        return record_id, path
    raise NoFreeId()
