"""Compiled templates kept between builds: Jinja's own bytecode cache, in its per-user folder.

Every build compiles Material's fifty templates and ours anew (about half a second); Jinja can keep
the compiled code, and reuses it only for the same source text (it compares a checksum), so a
changed or upgraded template is compiled again. Where the folder cannot be made safely (Jinja
refuses one another user owns), templates are compiled as before.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2


@lru_cache(maxsize=1)
def bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def keep_compiled(environment: jinja2.Environment) -> jinja2.Environment:
    if environment.bytecode_cache is None:
        environment.bytecode_cache = bytecode_cache()
    return environment
