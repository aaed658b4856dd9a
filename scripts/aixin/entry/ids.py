"""Creating a new record under a fresh id without ever replacing one.

The id is random (`domain.layout.unused_id`) and checked against every file already in the
repository, and the file is created exclusively, so a record is never replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aixin.domain.layout import record_path, unused_id
from aixin.load.writer import write_new


def create_record(
    root: Path,
    unit: str,
    kind: str,
    render: Callable[[Path], str],
    taken: set[str],
    pairing: str | None = None,
    first: str | None = None,
) -> tuple[str, Path]:
    """Write a new record under a fresh id: (id, path). `render(path)` gives the file's text.

    `first` is tried first (the id the record was checked under, when it is still unused). An id
    in `taken` (the repository's ids) is never used; a file that appears meanwhile under the same
    name is left alone (exclusive create) and another id is drawn.
    """
    taken = set(taken)
    while True:  # unused_id raises NoFreeId when the draws run out
        if first and first not in taken:
            record_id = first
            taken.add(first)
        else:
            record_id = unused_id(unit, kind, taken)
        first = None
        path = Path(root) / record_path(kind, unit, record_id, pairing)
        try:
            write_new(path, render(path))
        except FileExistsError:
            continue  # appeared meanwhile: it is in `taken` now, draw another
        return record_id, path
