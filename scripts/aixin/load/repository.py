"""The one way to open a records repository: its root, programme, schemas and, on demand, roster.

Every command, the site and the pull-request check start here, so that a missing repository, a
broken records/programme.yaml or an unreadable schema meets the user the same way everywhere:
one `UsageError` whose findings say the file and line (exit 2), never an internal error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aixin.core.errors import UsageError
from aixin.core.findings import Finding, Severity
from aixin.domain.programme import PROGRAMME_FILE, Programme, Unit, find_root, from_data
from aixin.load import loader
from aixin.load.schemas import SCHEMA_NAMES, SchemaSet, SchemaUnreadable

SCHEMAS_FOLDER = "schemas"
_NOT_A_REPOSITORY = "请在记录仓库里运行，或用 --root 指定仓库文件夹（含 records/programme.yaml 的那一个）。"


@dataclass
class Repository:
    """An opened repository: everything the layers above need before they read records."""

    root: Path
    programme: Programme
    schemas: SchemaSet
    programme_raw: bytes  # the file's bytes, part of the check cache's salt
    _roster_schemas: SchemaSet | None = field(default=None, repr=False)

    @property
    def records_dir(self) -> Path:
        return self.root / "records"

    def unit(self, unit_id: str) -> Unit:
        """The unit of a code typed on the command line (`--unit`); UsageError listing the codes."""
        unit = self.programme.unit(unit_id)
        if unit is None:
            known = "、".join(f"{u.id}（{u.name}）" for u in self.programme.units)
            raise UsageError(f"单位代码“{unit_id}”不存在：{PROGRAMME_FILE} 中没有单位代码“{unit_id}”。可以写：{known}")
        return unit

    def schema(self, kind: str) -> dict:
        """The JSON Schema of one record kind (as written in schemas/)."""
        return self.schemas.schemas[kind]

    def roster_schemas(self) -> SchemaSet:
        """The compiled schema of records/coordinators.yaml, loaded the first time it is asked for."""
        if self._roster_schemas is None:
            self._roster_schemas = load_schemas(self.root, ("coordinators",))
        return self._roster_schemas


def locate(root: Path | None) -> Path:
    """`root` when given (it must hold records/programme.yaml), else the repository around the
    current folder."""
    if root is None:
        found = find_root(Path.cwd())
        if found is None:
            raise UsageError(f"在当前文件夹及其上级中找不到 {PROGRAMME_FILE}；{_NOT_A_REPOSITORY}")
        return found
    if not (Path(root) / PROGRAMME_FILE).is_file():
        raise UsageError(f"在 {root} 中找不到 {PROGRAMME_FILE}；{_NOT_A_REPOSITORY}")
    return Path(root).resolve()


def open_repository(root: Path | None = None) -> Repository:
    """Open the repository at `root` (or around the current folder); UsageError when it cannot
    be used: no programme file, a schema that cannot be read, or a programme with findings."""
    root = locate(root)
    schemas = load_schemas(root, SCHEMA_NAMES)
    programme, findings, raw = read_programme(root, schemas)
    if programme is None:
        raise UsageError(f"{PROGRAMME_FILE} 有错误，请先改正（见下面的位置和说明），然后重新运行。", findings)
    return Repository(root, programme, schemas, raw)


def load_schemas(root: Path, names: tuple[str, ...]) -> SchemaSet:
    """The named schemas of schemas/, compiled; UsageError naming the file that cannot be read."""
    try:
        return SchemaSet.load(Path(root) / SCHEMAS_FOLDER, names)
    except SchemaUnreadable as error:
        raise UsageError(
            f"无法读取结构定义 {SCHEMAS_FOLDER}/{error.name}：{error.reason}。"
            "这个文件由市妇联维护；请从主分支恢复它（或联系市妇联技术人员），然后重新运行。"
        ) from None


def read_programme(root: Path, schemas: SchemaSet) -> tuple[Programme | None, list[Finding], bytes]:
    """(the programme or None, its loader and schema findings, its bytes)."""
    try:
        raw = (Path(root) / PROGRAMME_FILE).read_bytes()
    except OSError as error:
        raise UsageError(f"无法读取 {PROGRAMME_FILE}：{error.strerror or error}") from None
    loaded = loader.load_bytes(raw, PROGRAMME_FILE)
    found = list(loaded.findings)
    if loaded.data is None:
        return None, found, raw
    for code, problem in schemas.problems("programme", loaded.data):
        line, column = loader.position(loaded.lines, problem.path)
        found.append(
            Finding(PROGRAMME_FILE, line, column, code, Severity.ERROR, problem.message, problem.hint, "programme")
        )
    return (None if found else from_data(loaded.data)), found, raw


def inside(path: Path, root: Path) -> bool:
    """`path` is the repository's folder or lies below it: a file written there would be committed
    or put on the site, so the tools that write names (card, sign, review, archive) refuse it."""
    path, root = path.resolve(), root.resolve()
    return path == root or root in path.parents


def refuse_inside(root: Path, out: Path, what: str) -> None:
    """UsageError when `out` lies inside the repository; `what` names the document (标识牌 …)."""
    if inside(out, root):
        raise UsageError(
            f"不能把{what}写到仓库文件夹 {root.resolve()} 里面（{out}）：那里的文件会被提交或放进网站，"
            f"而{what}上有爱心妈妈的姓名。请写到仓库以外的文件夹，如桌面。"
        )
