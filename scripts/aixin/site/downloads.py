"""The blank spreadsheet templates (aixin template), offered for download on the staff sites.

The workbooks are made once per content (schemas and programme) in the cache folder and copied
into the site; the page that links them is plain Markdown. No record data is involved.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
from pathlib import Path

from aixin.load.repository import Repository
from aixin.sheets.layout import build_forms

PAGE = "guide/downloads.md"
TITLE = "表格下载"
FOLDER = "guide/forms"


def template_files(repo: Repository, cache: Path) -> dict[str, Path]:
    """{path inside the docs folder: workbook file} for every form's template."""
    forms = build_forms(repo.schemas.schemas, repo.programme.units)
    key = hashlib.blake2b(json.dumps(repo.schemas.schemas, sort_keys=True).encode(), digest_size=8)
    key.update(repo.programme_raw)
    folder = cache / f"templates-{key.hexdigest()}"
    if not folder.is_dir():
        from aixin.sheets.template import write_templates  # openpyxl: only when they are made anew

        cache.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=cache, prefix=".templates-"))
        write_templates(scratch, forms)
        with contextlib.suppress(OSError):  # another build made it meanwhile: same content
            scratch.rename(folder)
    return {f"{FOLDER}/{form.file_name}": folder / form.file_name for form in forms.values()}


def page_text(files: dict[str, Path]) -> str:
    """The download page: one link per template."""
    lines = [
        "<!-- 由 aixin 根据 schemas/ 和 records/programme.yaml 生成，请勿手工修改 -->",
        f"# {TITLE}",
        "",
        "各单位可以用 Excel 收集表格，再用 `aixin import 文件 --unit 单位代码` 导入为记录。"
        "每个表格的第 2 行说明了每一列怎么填；身份证号码和电话号码列已设为文本格式，请不要改成数字。",
        "",
    ]
    for path in sorted(files):
        name = path.rsplit("/", 1)[1]
        lines.append(f"- [{name}](forms/{name})")
    return "\n".join(lines) + "\n"
