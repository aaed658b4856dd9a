"""Post every reminder: its unit's issue, then its work group's robot, each failure reported.

A failed issue counts as a failure of the run (the coordinators would not be told); a failed
group message is reported only: the issue already carries the reminder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aixin.report.reminder import Reminder, group_message

from . import forge as forges
from . import webhook
from .http import PostError


@dataclass(frozen=True)
class Outcome:
    done: tuple[str, ...]  # what was posted, in Chinese
    issue_failures: tuple[str, ...]
    webhook_failures: tuple[str, ...]


def post_all(reminders: list[Reminder], env: dict[str, str], clock: Callable[[], int] | None = None) -> Outcome:
    host = forges.from_env(env)
    done, issue_failed, hook_failed = [], [], []
    if host is None:
        done.append("没有议题的访问令牌（AIXIN_FORGE_TOKEN）或仓库名（GITHUB_REPOSITORY）：不发议题")
    for reminder in reminders:
        if host is not None:
            try:
                done.append(forges.sync(host, reminder))
            except PostError as error:
                issue_failed.append(f"{reminder.unit_name}：议题没有发出：{error}")
        try:
            hook = webhook.webhook_for(reminder.unit, env)
            if hook is not None:
                webhook.send(hook, *group_message(reminder), now_ms=clock() if clock else None)
                done.append(f"{reminder.unit_name}：已发到工作群")
        except PostError as error:
            hook_failed.append(f"{reminder.unit_name}：工作群消息没有发出：{error}")
    return Outcome(tuple(done), tuple(issue_failed), tuple(hook_failed))
