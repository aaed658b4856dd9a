"""What an import did, and how it reads on the command line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from aixin.domain.terms import KIND_LABELS

from .issues import DUPLICATE, ERROR, WARNING, Issue, sort_key

LISTED = 50  # written records listed one by one; the rest are counted


@dataclass
class ImportResult:
    issues: list[Issue] = field(default_factory=list)
    written: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, repository path, source row)
    ready: int = 0  # clean rows, written or (when anything is wrong) not
    skipped: list[str] = field(default_factory=list)  # rows left out because of errors
    partial: bool = False
    notes: list[str] = field(default_factory=list)  # what was done about an earlier, interrupted import
    photos: list[str] = field(default_factory=list)  # photos written with the logs (--photos), repository paths

    def count(self, severity: str) -> int:
        return sum(1 for issue in self.issues if issue.severity == severity)

    @property
    def exit_code(self) -> int:
        return 1 if self.count(ERROR) else 0

    def lines(self) -> list[str]:
        out = list(self.notes)
        out += [issue.text() for issue in sorted(self.issues, key=sort_key)]
        errors, warnings, duplicates = self.count(ERROR), self.count(WARNING), self.count(DUPLICATE)
        if out:
            out.append("")
        if duplicates:
            out.append(
                f"{duplicates} 行与已有记录（或本文件中前面的行）重复，没有导入：导入只新增记录，从不修改已有记录。"
                "要修改已有记录，请直接改仓库中的记录文件；如果确实是另一个人或另一件事，请核对重复的内容。"
            )
        if self.written:
            kinds = Counter(kind for kind, _, _ in self.written)
            made = "、".join(f"{KIND_LABELS[k]} {n} 条" for k, n in kinds.items())
            out.append(f"已写入 {len(self.written)} 条新记录（{made}）：")
            out += [f"  {path} ← {source}" for _, path, source in self.written[:LISTED]]
            if len(self.written) > LISTED:  # 100,000 rows must not print 100,000 lines
                out.append(
                    f"  ……另有 {len(self.written) - LISTED:,} 条，都在各单位的文件夹中（git status 可以列出全部）。"
                )
        if self.photos:
            out.append(
                f"另存入 {len(self.photos)} 张照片（与 aixin photo add 一样重新保存：只保留画面，去掉位置等信息），"
                f"已写进对应联系记录的 photos，放在 {self.photos[0].rsplit('/', 1)[0]}/。"
            )
        if errors and not self.partial:
            out.append(
                f"有 {errors} 个错误，没有写入任何记录（{self.ready} 行没有问题）。请改正后重新导入；"
                "或者加 --partial，只导入没有问题的行。"
            )
        elif errors:
            out.append(
                f"有 {errors} 个错误；以下各行没有导入：{'、'.join(self.skipped)}。改正后可以只把这些行重新导入。"
            )
        elif not self.written and not duplicates:
            out.append("文件中没有需要导入的新记录。")
        elif not self.written:
            out.append("没有新记录需要写入。")
        if warnings:
            out.append(f"另有 {warnings} 个警告，不影响导入，请核对。")
        if self.written:
            out.append("请运行 aixin check 检查全部记录，再提交修改。")
        return out
