"""Posting the reminders, against local stand-ins of GitHub, Forgejo/Gitea, 企业微信 and 钉钉
(tests/standin.py checks each request's method, path, headers and JSON body)."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time

import pytest

from aixin.domain.festivals import Festival
from aixin.notify import forge as forges
from aixin.notify import webhook
from aixin.notify.http import PostError, request
from aixin.notify.post import post_all
from aixin.report.reminder import Overdue, Reminder
from standin import REPO, TOKEN, StandIn

AS_OF = dt.date(2026, 12, 1)


def reminder(overdue: int = 1, unit: str = "chuanshan", name: str = "船山区", as_of: dt.date = AS_OF) -> Reminder:
    items = tuple(Overdue(f"chuanshan-p-00kc5z{i}", "示****", f"pairings/chuanshan-p-00kc5z{i}.html",
                          (("每月联系", ("2026-10", "2026-11")),), 31, dt.date(2026, 9, 12)) for i in range(overdue))
    return Reminder(unit, name, as_of, 5, overdue, items, (Festival("元旦", dt.date(2027, 1, 1), False),),
                    dt.date(2027, 1, 31), "units/chuanshan.html", ("shili-chuanshan-1", "shili-chuanshan-2"))


def env_for(kind: str, url: str) -> dict[str, str]:
    if kind == "github":
        return {"AIXIN_FORGE_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": url}
    return {"AIXIN_FORGE_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": f"{url}/api/v1",
            "GITEA_ACTIONS": "true"}


# ---------------------------------------------------------------- the issue, on both hosts


@pytest.mark.parametrize("kind", ["github", "gitea"])
def test_opens_then_updates_the_same_issue_then_closes_it(kind):
    with StandIn(kind) as (host, url):
        forge = forges.from_env(env_for(kind, url))
        assert forge.kind == kind
        said = forges.sync(forge, reminder())
        assert said == "船山区：已新开议题 #1"
        issue = host.issues[1]
        assert issue["title"] == "【待跟进】船山区 2026年12月" and issue["label_names"] == ["待跟进"]
        assert "@shili-chuanshan-1 @shili-chuanshan-2" in issue["body"]
        # the next month: the same issue, retitled, not a second one
        said = forges.sync(forge, reminder(2, as_of=dt.date(2027, 1, 1)))
        assert said == "船山区：已更新议题 #1" and len(host.issues) == 1
        assert host.issues[1]["title"] == "【待跟进】船山区 2027年1月"
        assert "chuanshan-p-00kc5z1" in host.issues[1]["body"]
        # nothing overdue: closed
        said = forges.sync(forge, reminder(0, as_of=dt.date(2027, 2, 1)))
        assert said == "船山区：没有需要跟进的结对了，已关闭议题 #1"
        assert host.issues[1]["state"] == "closed"
        assert forges.sync(forge, reminder(0, as_of=dt.date(2027, 3, 1))) == "船山区：没有需要跟进的结对，不开议题"
        assert len(host.issues) == 1
        methods = [(s.method, s.path.split("/repos/")[-1]) for s in host.seen]
    if kind == "github":
        assert methods[:2] == [("GET", f"{REPO}/issues"), ("POST", f"{REPO}/issues")]
        assert host.seen[0].query["per_page"] == ["100"] and host.seen[0].query["labels"] == ["待跟进"]
        close = next(s for s in host.seen if s.method == "PATCH" and "state" in s.body)
        assert close.body["state_reason"] == "completed"
    else:
        assert methods[:4] == [("GET", f"{REPO}/issues"), ("GET", f"{REPO}/labels"), ("POST", f"{REPO}/labels"),
                               ("POST", f"{REPO}/issues")]
        assert all(s.path.startswith("/api/v1/") for s in host.seen)
        assert host.seen[0].query["type"] == ["issues"] and host.seen[0].query["limit"] == ["50"]
        close = next(s for s in host.seen if s.method == "PATCH" and "state" in s.body)
        assert "state_reason" not in close.body


def test_gitea_reuses_an_existing_label_and_github_skips_pull_requests():
    with StandIn("gitea", labels=[{"id": 7, "name": "待跟进", "color": "#e99695"}]) as (host, url):
        forges.sync(forges.from_env(env_for("gitea", url)), reminder())
        assert [s.method for s in host.seen] == ["GET", "GET", "POST"]
        assert host.seen[2].body["labels"] == [7]
    with StandIn("github") as (host, url):
        host.issues[1] = {"number": 1, "title": "【待跟进】船山区 2026年11月", "body": "", "state": "open",
                          "label_names": ["待跟进"], "pr": {"url": "x"}}
        assert forges.sync(forges.from_env(env_for("github", url)), reminder()) == "船山区：已新开议题 #2"


def test_another_units_issue_is_not_taken():
    with StandIn("github") as (host, url):
        forge = forges.from_env(env_for("github", url))
        forges.sync(forge, reminder(unit="anju", name="安居区"))
        assert forges.sync(forge, reminder()) == "船山区：已新开议题 #2"


def test_host_detection_from_the_environment():
    assert forges.from_env({}) is None
    assert forges.from_env({"AIXIN_FORGE_TOKEN": "t"}) is None
    github = forges.from_env({"AIXIN_FORGE_TOKEN": "t", "GITHUB_REPOSITORY": "a/b"})
    assert (github.kind, github.api) == ("github", "https://api.github.com")
    forgejo = forges.from_env({"AIXIN_FORGE_TOKEN": "t", "GITHUB_REPOSITORY": "a/b", "FORGEJO_ACTIONS": "true",
                               "GITHUB_SERVER_URL": "https://git.fulian.example"})
    assert (forgejo.kind, forgejo.api) == ("gitea", "https://git.fulian.example/api/v1")
    named = forges.from_env({"AIXIN_FORGE_TOKEN": "t", "GITHUB_REPOSITORY": "a/b", "AIXIN_FORGE": "forgejo",
                             "GITHUB_API_URL": "https://git.fulian.example/api/v1"})
    assert named.kind == "gitea"
    secret = forges.from_env({"AIXIN_FORGE_TOKEN": "ghs_secret42", "GITHUB_REPOSITORY": "a/b"})
    assert "ghs_secret42" not in repr(secret) and "ghs_secret42" not in str(secret)


def test_a_refused_token_is_an_error_that_never_shows_the_token():
    with StandIn("github") as (host, url):
        forge = forges.Forge("github", url, REPO, "wrong-secret-token")
        with pytest.raises(PostError) as raised:
            forges.sync(forge, reminder())
        assert "HTTP 401" in str(raised.value) and "wrong-secret-token" not in str(raised.value)


# ---------------------------------------------------------------- the work groups' robots


def test_wecom_markdown_message():
    with StandIn("wecom") as (host, url):
        hook = webhook.webhook_for("chuanshan", {"AIXIN_WEBHOOK_CHUANSHAN": f"wecom:{url}/cgi-bin/webhook/send?key=k-123"})
        assert hook.kind == "wecom"
        webhook.send(hook, "标题", "**正文**")
        (seen,) = host.seen
        assert seen.body == {"msgtype": "markdown", "markdown": {"content": "**正文**"}}
        assert seen.query["key"] == ["k-123"]


def test_dingtalk_markdown_message_signed_with_its_secret():
    with StandIn("dingtalk", secret="SECabc123") as (host, url):
        env = {"AIXIN_WEBHOOK_CHUANSHAN": f"dingtalk:{url}/robot/send?access_token=tok",
               "AIXIN_WEBHOOK_CHUANSHAN_SECRET": "SECabc123"}
        hook = webhook.webhook_for("chuanshan", env)
        webhook.send(hook, "标题", "### 正文", now_ms=1764547200000)
        (seen,) = host.seen
        assert seen.body == {"msgtype": "markdown", "markdown": {"title": "标题", "text": "### 正文"}}
        assert seen.query["timestamp"] == ["1764547200000"]
        # a wrong secret: 钉钉 answers errcode 310000, reported as a failure
        wrong = webhook.Webhook("dingtalk", hook.url, "SECwrong")
        with pytest.raises(PostError, match="310000"):
            webhook.send(wrong, "标题", "正文", now_ms=1764547200000)


def test_robot_kind_from_the_host_and_bad_addresses():
    assert webhook.webhook_for("anju", {}) is None
    hook = webhook.webhook_for("anju", {"AIXIN_WEBHOOK_ANJU": "https://oapi.dingtalk.com/robot/send?access_token=x"})
    assert hook.kind == "dingtalk" and hook.secret is None
    hook = webhook.webhook_for("city", {"AIXIN_WEBHOOK_CITY": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=y"})
    assert hook.kind == "wecom"
    with pytest.raises(PostError) as raised:
        webhook.webhook_for("anju", {"AIXIN_WEBHOOK_ANJU": "https://example.org/hook?key=secret-key"})
    assert "secret-key" not in str(raised.value)


def test_a_hung_server_times_out_with_a_chinese_message():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    held = []
    threading.Thread(target=lambda: held.append(listener.accept()), daemon=True).start()
    started = time.monotonic()
    with pytest.raises(PostError, match="秒内没有回答"):
        request("POST", f"http://127.0.0.1:{listener.getsockname()[1]}/x?key=secret", {}, {"a": 1}, timeout=0.5)
    assert time.monotonic() - started < 5
    listener.close()


def test_post_all_reports_a_failed_group_message_and_goes_on():
    with StandIn("github") as (gh, api), StandIn("wecom", status=500) as (robot, hook_url):
        env = {**env_for("github", api), "AIXIN_WEBHOOK_CHUANSHAN": f"wecom:{hook_url}/cgi-bin/webhook/send?key=k"}
        outcome = post_all([reminder(), reminder(unit="anju", name="安居区")], env)
    assert outcome.issue_failures == ()
    assert outcome.done == ("船山区：已新开议题 #1", "安居区：已新开议题 #2")
    assert outcome.webhook_failures == ("船山区：工作群消息没有发出：" f"{hook_url.split('//')[1]} 拒绝了请求（HTTP 500）",)
    assert all("key=k" not in line for line in outcome.webhook_failures)


def test_group_message_has_counts_and_the_link_but_no_names():
    with StandIn("wecom") as (robot, url):
        env = {"AIXIN_WEBHOOK_CHUANSHAN": f"wecom:{url}/cgi-bin/webhook/send?key=k"}
        outcome = post_all([reminder(2)], env)
        content = robot.seen[0].body["markdown"]["content"]
    assert outcome.done[-1] == "船山区：已发到工作群"
    assert "需要跟进 2 对" in content and "units/chuanshan.html" in content
    assert "示" not in content and "chuanshan-p-" not in content
