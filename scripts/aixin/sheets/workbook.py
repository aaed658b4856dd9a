"""Saving workbooks: byte-identical for the same content, and never over an existing file."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from aixin.core.errors import UsageError
from aixin.load.writer import create_new

# Every timestamp inside the file is fixed, so that the same forms give the same bytes.
_STAMP = dt.datetime(2019, 6, 20)
_ZIP_STAMP = (2019, 6, 20, 0, 0, 0)


class _StableZip(zipfile.ZipFile):
    """A zip whose members all carry one fixed date (openpyxl would stamp the current time)."""

    def writestr(self, name, data, *args, **kwargs):
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, date_time=_ZIP_STAMP)
            name.compress_type = zipfile.ZIP_DEFLATED
            name.external_attr = 0o644 << 16
        return super().writestr(name, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):  # openpyxl writes sheets from temp files
        with open(filename, "rb") as handle:
            return self.writestr(arcname or Path(filename).name, handle.read())


def workbook_bytes(workbook: Workbook) -> bytes:
    props = workbook.properties
    props.creator = props.lastModifiedBy = "aixin"
    props.created = props.modified = _STAMP
    buffer = io.BytesIO()
    with _StableZip(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return buffer.getvalue()


def refuse_existing(paths: list[Path]) -> None:
    existing = [str(p) for p in paths if p.exists() or p.is_symlink()]
    if existing:
        raise UsageError(f"文件已存在，不会覆盖：{'、'.join(existing)}。请换一个文件名或文件夹，或先移走原来的文件。")


def create_file(path: Path, data: bytes) -> None:
    """Create `path` with `data`, refusing (UsageError) if it exists; never half-written."""
    try:
        create_new(path, data)
    except FileExistsError:
        raise UsageError(f"文件已存在，不会覆盖：{path}") from None
