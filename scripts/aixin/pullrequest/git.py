"""What the pull request changed, read from Git: the changed paths and the files on either side.

Everything is read from commits, never from the work tree, so that the check sees exactly what
the pull request would merge. Paths travel NUL-separated (`-z`), so no name is ever quoted or
split; a failing Git command becomes a `UsageError` worded in Chinese (exit 2).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from aixin.core.errors import UsageError
from aixin.domain.changes import Change

# Renames are found the way `git diff -M` finds them; the limit lets a large pull request (a
# whole unit moved) still pair its files instead of listing them as deleted and added.
_DIFF = ("diff", "--name-status", "-z", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames", "-l20000")


class Git:
    """A repository read through the `git` command."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _run(self, *args: str, ok: tuple[int, ...] = (0,), stdin: bytes | None = None) -> tuple[int, bytes]:
        try:
            done = subprocess.run(
                ["git", "-c", "core.quotepath=false", *args],
                cwd=self.root,
                input=stdin,
                capture_output=True,
                check=False,
            )
        except FileNotFoundError:
            raise UsageError("找不到 git 命令：检查 pull request 需要安装 Git") from None
        if done.returncode not in ok:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise UsageError(f"git {args[0]} 失败：{detail[-1] if detail else done.returncode}")
        return done.returncode, done.stdout

    def commit(self, ref: str) -> str:
        """The full commit id of `ref`; a ref that names no commit is a usage error."""
        if not ref or ref.startswith("-"):
            raise UsageError(f"“{ref}”不是有效的分支名或提交")
        code, out = self._run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", ok=(0, 1, 128))
        if code != 0:
            raise UsageError(
                f"在仓库中找不到“{ref}”：请确认目标分支已经取回（如 git fetch origin main，"
                "在 GitHub Actions 中 actions/checkout 要设 fetch-depth: 0）"
            )
        return out.decode().strip()

    def merge_base(self, one: str, other: str) -> str:
        code, out = self._run("merge-base", one, other, ok=(0, 1))
        if code != 0:
            raise UsageError("目标分支和当前分支没有共同的历史，无法确定 pull request 改了什么")
        return out.decode().strip()

    def changes(self, base: str, head: str) -> list[Change]:
        """The files `head` changed since `base` (a commit, normally the merge base)."""
        _, out = self._run(*_DIFF, base, head, "--")
        fields = out.decode("utf-8", "surrogateescape").split("\0")
        found: list[Change] = []
        i = 0
        while i < len(fields) and fields[i]:
            status = fields[i][0]
            if status in "RC":
                found.append(Change(status, fields[i + 2], fields[i + 1]))
                i += 3
            else:
                found.append(Change(status if status in "ADM" else "M", fields[i + 1]))
                i += 2
        return found

    def symlinks(self, base: str, head: str) -> list[str]:
        """The paths that `head` leaves as symbolic links (mode 120000) and `base` did not."""
        _, out = self._run("diff", "--raw", "-z", "--no-renames", "--no-abbrev", "--no-color", base, head, "--")
        fields = out.decode("utf-8", "surrogateescape").split("\0")
        found = []
        for meta, path in zip(fields[0::2], fields[1::2]):
            modes = meta.split(" ", 2)  # ":<old mode> <new mode> <old id> <new id> <status>"
            if len(modes) >= 2 and modes[1] == "120000" and modes[0] != ":120000":
                found.append(path)
        return found

    def read(self, rev: str, paths: list[str]) -> dict[str, bytes | None]:
        """The content of each path at `rev` (None where it does not exist), in one `git` call."""
        wanted = [p for p in dict.fromkeys(paths) if "\n" not in p]
        found: dict[str, bytes | None] = dict.fromkeys(paths)
        if not wanted:
            return found
        request = "".join(f"{rev}:{p}\n" for p in wanted).encode("utf-8", "surrogateescape")
        _, out = self._run("cat-file", "--batch", stdin=request)
        at = 0
        for path in wanted:
            end = out.index(b"\n", at)
            line = out[at:end]
            at = end + 1
            if line.endswith((b" missing", b" ambiguous")):
                continue
            _, kind, size = line.split(b" ", 2)  # "<object id> <type> <size>"
            if kind == b"blob":
                found[path] = out[at : at + int(size)]
            at += int(size) + 1  # a tree (a folder of that name) is skipped, not returned
        return found

    def files(self, rev: str, folder: str) -> list[str]:
        """Every file under `folder` at `rev`."""
        _, out = self._run("ls-tree", "-r", "-z", "--name-only", rev, "--", folder.rstrip("/") + "/")
        return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]

    def containing(self, rev: str, words: list[str], pathspec: str) -> list[str]:
        """Files matching `pathspec` at `rev` that contain any of `words` (fixed strings)."""
        if not words:
            return []
        patterns = [arg for word in words for arg in ("-e", word)]
        _, out = self._run("grep", "-l", "-z", "-F", *patterns, rev, "--", pathspec, ok=(0, 1))
        prefix = f"{rev}:"
        return [
            p[len(prefix) :] if p.startswith(prefix) else p
            for p in out.decode("utf-8", "surrogateescape").split("\0")
            if p
        ]
