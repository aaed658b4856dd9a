"""The contacts report's shortcut (imports nothing of the check's engine, so that a hit costs
little more than one `git status`): when the records are a Git work tree in the state a previous
report was made from (load.worktree.records_state: the commit's records tree and every
uncommitted file's bytes), that report's output is reused without scanning a file. The key also
holds the check cache's salt (the aixin code, the schemas, the programme file with the
obligations' parameters, and the as-of date) and what was asked (unit, format). Anything else
(no Git, many uncommitted files) goes through the check and its content-keyed cache as usual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from aixin.domain.layout import CACHE_FOLDER
from aixin.domain.programme import PROGRAMME_FILE
from aixin.load.worktree import records_status

from .cache import Cache, salt


def cached_output(
    root: Path, as_of: dt.date, asked: tuple, produce: Callable[..., tuple], use_cache: bool = True, told: bool = False
):
    """`produce()`'s plain-valued result (marshal-able), reused while nothing it depends on changed.
    `told`: `produce(changed, state)` is given the uncommitted records and the state the same
    `git status` found (for `run_check(changed=…, state=…)`: it need not ask Git again, and may
    reuse the result of a check that saw the same state), or None, None when Git was not asked."""
    state, changed = records_status(root) if use_cache else (None, None)

    def made() -> tuple:
        return produce(changed, state) if told else produce()

    if state is None:
        return made()
    try:
        programme = (root / PROGRAMME_FILE).read_bytes()
    except OSError:
        return made()  # the check will say what is wrong with it
    cache = Cache(root / CACHE_FOLDER, salt(root / "schemas", programme, as_of.isoformat()))
    key = state + repr(asked).encode()
    stored = cache.output(key)
    if stored is not None:
        return stored
    payload = made()
    cache.save_output(key, payload)
    return payload
