"""How the answers are shown back before writing, and the Chinese field names that annotate
the written file.

On her own terminal the confirmation shows the full numbers she just typed, so that she can
check them; anywhere else (output to a file or a CI log) phones and ID numbers are masked.
"""

from __future__ import annotations

import os
from typing import TextIO

from aixin.core.masking import mask_digits, mask_id, mask_phone

from .questions import Question


def own_terminal(stream: TextIO) -> bool:
    """The output goes to an interactive terminal, not to a file, a pipe or a CI log."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("CI")


def shown(key: str, value: object, full: bool = False) -> str:
    """A value as a person reads it: 是/否, lists joined with 、, phones and ID numbers masked
    unless `full`."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(shown(key, item, full) for item in value)
    if full:
        return str(value)
    if key == "phone":
        return mask_phone(value)
    if key == "id_number":
        return mask_id(value)
    return mask_digits(str(value))


def lines(
    questions: tuple[Question, ...], record: dict, labels: dict | None = None, depth: int = 0, *, full: bool = False
) -> list[str]:
    """`标题：值` for every answered field, in the order asked; an object's fields indented.

    `labels` shows some values otherwise (a picked record by its name, with its id).
    """
    labels = labels or {}
    out = []
    indent = "  " * (depth + 1)
    for question in questions:
        if question.key not in record:
            continue
        value = record[question.key]
        if question.kind == "object":
            out.append(f"{indent}{question.title}：")
            out.extend(lines(question.children, value, labels, depth + 1, full=full))
        else:
            out.append(f"{indent}{question.title}：{labels.get(question.path) or shown(question.key, value, full)}")
    return out


def comments(questions: tuple[Question, ...]) -> dict[str, str]:
    """Top-level field → its Chinese title, the comment above it in the file."""
    return {question.key: question.title for question in questions}
