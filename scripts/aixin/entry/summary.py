"""How the answers are shown back before writing (personal numbers masked), and the Chinese
field names that annotate the written file."""

from __future__ import annotations

from aixin.core.masking import mask_digits, mask_id, mask_phone

from .questions import Question


def shown(key: str, value: object) -> str:
    """A value as a person reads it: 是/否, lists joined with 、, phones and ID numbers masked."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(shown(key, item) for item in value)
    if key == "phone":
        return mask_phone(value)
    if key == "id_number":
        return mask_id(value)
    return mask_digits(str(value))


def lines(questions: tuple[Question, ...], record: dict, labels: dict | None = None, depth: int = 0) -> list[str]:
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
            out.extend(lines(question.children, value, labels, depth + 1))
        else:
            out.append(f"{indent}{question.title}：{labels.get(question.path) or shown(question.key, value)}")
    return out


def comments(questions: tuple[Question, ...]) -> dict[str, str]:
    """Top-level field → its Chinese title, the comment above it in the file."""
    return {question.key: question.title for question in questions}
