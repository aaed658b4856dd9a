"""Writing records as YAML that coordinators can read, and that loads back exactly.

PyYAML's C emitter does the writing. Its resolver is PyYAML's (YAML 1.1) minus timestamps: so
dates stay unquoted (our loader keeps them as text anyway), while anything YAML 1.1 would
misread — phones and ID numbers that look like numbers, `no`, `on`, `0825` — gets quotes.
Files are created exclusively and atomically: an existing record is never replaced, and an
interrupted write leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import yaml

SCHEMA_LINE = "# yaml-language-server: $schema={schema}\n"


class RecordDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Block style, Chinese as is, keys in the order given."""


RecordDumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
# Text that any YAML version might read as a number (0825 is 825 in YAML 1.2) is quoted too.
RecordDumper.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*(?::[0-5]?[0-9])+)$"),
    list("-+0123456789"),
)


# Phones and ID numbers are always written in double quotes, as the coordinators' guide asks,
# so that a record written by a tool is also an example of how to write one by hand.
QUOTED_KEYS = frozenset({"phone", "id_number"})


class _Quoted(str):
    pass


def _represent_quoted(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", str.__str__(value), style='"')


RecordDumper.add_representer(_Quoted, _represent_quoted)


def _quote_personal_numbers(value, key=None):
    if isinstance(value, dict):
        return {k: _quote_personal_numbers(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_quote_personal_numbers(v) for v in value]
    return _Quoted(value) if key in QUOTED_KEYS and isinstance(value, str) else value


def dump(data: dict) -> str:
    return yaml.dump(
        _quote_personal_numbers(data),
        Dumper=RecordDumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=False,
    )


def record_text(data: dict, schema_rel: str, header: list[str] = (), comments: dict[str, str] | None = None) -> str:
    """The file text: the editor's $schema line, header comments, then each field, optionally
    preceded by a comment (its Chinese name, say)."""
    parts = [SCHEMA_LINE.format(schema=schema_rel)]
    parts += [f"# {line}\n" for line in header]
    for key, value in data.items():
        if comments and comments.get(key):
            parts.append(f"# {comments[key]}\n")
        parts.append(dump({key: value}))
    return "".join(parts)


def schema_path_from(record_file: Path, repo_root: Path, kind: str) -> str:
    """The relative path from a record file to its schema, as the $schema line needs it."""
    target = repo_root / "schemas" / f"{kind}.schema.json"
    return Path(os.path.relpath(target, record_file.parent)).as_posix()


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; refuse (FileExistsError) if it exists. Never half-written."""
    create_new(path, text.encode("utf-8"))


def create_new(path: Path, data: bytes) -> None:
    """Create `path` with `data` (a record, a spreadsheet, a PDF); refuse (FileExistsError) if it
    exists. Written to a temporary file first and linked in whole: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".new-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # an ordinary, readable file (mkstemp makes it private)
        os.link(tmp, path)  # fails if the file exists: never replaces one
    finally:
        os.unlink(tmp)
