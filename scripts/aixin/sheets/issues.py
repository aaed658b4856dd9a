"""What an import found, by sheet, row and column header: `附件1 留守女童 第5行「父亲联系电话」：…`."""

from __future__ import annotations

from dataclasses import dataclass

from aixin.core.masking import mask_digits, visible

ERROR, WARNING, DUPLICATE = "error", "warning", "duplicate"
LABELS = {ERROR: "错误", WARNING: "警告", DUPLICATE: "重复"}


@dataclass(frozen=True)
class Issue:
    """One problem of a sheet (row None), of a row (header None) or of one cell."""

    sheet: str
    row: int | None
    header: str | None
    severity: str  # error: blocks the import; warning: shown only; duplicate: the row is skipped
    message: str
    hint: str = ""
    code: str = ""
    order: int = 0  # the sheet's position in the file, for sorting

    @property
    def place(self) -> str:
        row = f" 第{self.row}行" if self.row else ""
        header = f"「{self.header}」" if self.header else ""
        return f"{self.sheet}{row}{header}"

    def text(self) -> str:
        """The line printed for the coordinator. Like the check's reporters, the last line of
        defence: the message is masked once more and shows control characters (a cell's or a
        sheet name's text may be quoted in it); hints are the tool's own advice, never data."""
        code = f" [{self.code}]" if self.code else ""
        hint = f" — {self.hint}" if self.hint else ""
        return f"{visible(mask_digits(self.place))}：{LABELS[self.severity]}{code} {visible(mask_digits(self.message))}{hint}"


def sort_key(issue: Issue) -> tuple:
    return (issue.order, issue.row or 0)
