"""The one open issue per unit on GitHub or on Forgejo/Gitea: find it, open it, update it, close it.

Both hosts have the same shape of issue API, with differences (docs/dev/FORGEJO.md):
GitHub at https://api.github.com with `Authorization: Bearer`, its version header, labels given
by name, `per_page`; Forgejo and Gitea at <server>/api/v1 with `Authorization: token`, labels
given by id (looked up, created once), `type=issues` and `limit`. Closing is a PATCH of `state`
on both. The issue is found by its label 待跟进 and the unit's title prefix, so that each month
updates the same issue (its title names the new month) instead of opening another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from aixin.report.reminder import Reminder, markdown

from .http import PostError, request

LABEL = "待跟进"
LABEL_COLOUR = "e99695"
GITHUB, GITEA = "github", "gitea"  # Forgejo speaks Gitea's API


@dataclass(frozen=True)
class Forge:
    kind: str  # GITHUB or GITEA
    api: str  # https://api.github.com, or https://git.example.org/api/v1
    repo: str  # owner/name
    token: str = field(repr=False)

    def _headers(self) -> dict[str, str]:
        if self.kind == GITHUB:
            return {
                "Authorization": f"Bearer {self.token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            }
        return {"Authorization": f"token {self.token}"}

    def _call(self, method: str, path: str, body: object = None):
        return request(method, f"{self.api.rstrip('/')}/repos/{self.repo}{path}", self._headers(), body)

    def open_issue(self, prefix: str) -> int | None:
        """The number of the open issue labelled 待跟进 whose title starts with `prefix`."""
        if self.kind == GITHUB:
            found = self._call("GET", f"/issues?state=open&labels={quote(LABEL)}&per_page=100")
        else:
            found = self._call("GET", f"/issues?state=open&type=issues&labels={quote(LABEL)}&limit=50")
        for issue in found or []:
            if issue.get("pull_request"):
                continue  # GitHub lists pull requests among issues
            if str(issue.get("title", "")).startswith(prefix):
                return int(issue["number"])
        return None

    def _label_id(self) -> int:
        """Forgejo/Gitea take labels by id: the id of 待跟进, created the first time."""
        for label in self._call("GET", "/labels?limit=50") or []:
            if label.get("name") == LABEL:
                return int(label["id"])
        made = self._call("POST", "/labels", {"name": LABEL, "color": f"#{LABEL_COLOUR}", "description": "每月提醒"})
        return int(made["id"])

    def create(self, title: str, body: str) -> int:
        labels: list = [LABEL] if self.kind == GITHUB else [self._label_id()]
        made = self._call("POST", "/issues", {"title": title, "body": body, "labels": labels})
        return int(made["number"])

    def update(self, number: int, title: str, body: str) -> None:
        self._call("PATCH", f"/issues/{number}", {"title": title, "body": body})

    def close(self, number: int, title: str, body: str) -> None:
        change = {"title": title, "body": body, "state": "closed"}
        if self.kind == GITHUB:
            change["state_reason"] = "completed"
        self._call("PATCH", f"/issues/{number}", change)


def from_env(env: dict[str, str]) -> Forge | None:
    """The host of the running workflow (GitHub or Forgejo/Gitea Actions), or None outside one.

    The token is AIXIN_FORGE_TOKEN (the workflow passes its own token there); AIXIN_FORGE
    (github, gitea or forgejo) overrides the guess from GITEA_ACTIONS / FORGEJO_ACTIONS / the URL.
    """
    token, repo = env.get("AIXIN_FORGE_TOKEN", "").strip(), env.get("GITHUB_REPOSITORY", "").strip()
    if not token or not repo:
        return None
    named = env.get("AIXIN_FORGE", "").strip().lower()
    api = env.get("GITHUB_API_URL", "").strip().rstrip("/")
    gitea = named in (GITEA, "forgejo") or (
        not named and bool(env.get("GITEA_ACTIONS") or env.get("FORGEJO_ACTIONS") or api.endswith("/api/v1"))
    )
    if gitea:
        api = api if api.endswith("/api/v1") else env.get("GITHUB_SERVER_URL", "").rstrip("/") + "/api/v1"
        return Forge(GITEA, api, repo, token)
    return Forge(GITHUB, api or "https://api.github.com", repo, token)


def sync(forge: Forge, reminder: Reminder) -> str:
    """Open, update or close the unit's issue; what was done, in Chinese. Raises PostError."""
    number = forge.open_issue(reminder.title_prefix)
    body = markdown(reminder)
    if reminder.settled:
        if number is None:
            return f"{reminder.unit_name}：没有需要跟进的结对，不开议题"
        forge.close(number, reminder.title, body)
        return f"{reminder.unit_name}：没有需要跟进的结对了，已关闭议题 #{number}"
    if number is None:
        return f"{reminder.unit_name}：已新开议题 #{forge.create(reminder.title, body)}"
    forge.update(number, reminder.title, body)
    return f"{reminder.unit_name}：已更新议题 #{number}"


__all__ = ["GITEA", "GITHUB", "LABEL", "Forge", "PostError", "from_env", "sync"]
