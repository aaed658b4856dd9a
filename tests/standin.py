"""A local stand-in for the hosts the reminders talk to: GitHub's and Forgejo/Gitea's issue API
and the 企业微信 / 钉钉 group robots. It runs http.server in a thread, records every request and
answers only requests of the shape each host documents (anything else gets 400/404, as the real
host would refuse it), so the posting code is tested end to end without a network."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

TOKEN = "test-token-9f8e7d"
REPO = "suining-fulian/aixin"


@dataclass
class Seen:
    method: str
    path: str
    query: dict
    headers: dict
    body: object


@dataclass
class Host:
    """What one stand-in host holds and was asked."""

    kind: str  # github, gitea, wecom, dingtalk
    issues: dict[int, dict] = field(default_factory=dict)
    labels: list[dict] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    secret: str | None = None  # 钉钉 加签
    answer: dict = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    status: int = 200  # a robot that fails answers this


def _issue_api(host: Host, seen: Seen) -> tuple[int, object]:
    prefix = f"/repos/{REPO}" if host.kind == "github" else f"/api/v1/repos/{REPO}"
    if host.kind == "github":
        if seen.headers.get("authorization") != f"Bearer {TOKEN}":
            return 401, {"message": "Bad credentials"}
        if seen.headers.get("accept") != "application/vnd.github+json" or "x-github-api-version" not in seen.headers:
            return 400, {"message": "headers"}
    elif seen.headers.get("authorization") != f"token {TOKEN}":
        return 401, {"message": "token is required"}
    if not seen.path.startswith(prefix):
        return 404, {"message": "Not Found"}
    path = seen.path[len(prefix):]
    if seen.method == "GET" and path == "/issues":
        if seen.query.get("state") != ["open"]:
            return 400, {"message": "state"}
        if host.kind == "gitea" and seen.query.get("type") != ["issues"]:
            return 400, {"message": "type"}
        label = seen.query.get("labels", [""])[0]
        found = [i for i in host.issues.values() if i["state"] == "open" and label in i["label_names"]]
        return 200, [{"number": i["number"], "title": i["title"], **({"pull_request": i["pr"]} if i.get("pr") else {})}
                     for i in found]
    if host.kind == "gitea" and path == "/labels":
        if seen.method == "GET":
            return 200, host.labels
        body = seen.body
        if not (isinstance(body, dict) and isinstance(body.get("name"), str) and str(body.get("color", "")).startswith("#")):
            return 422, {"message": "label"}
        label = {"id": 40 + len(host.labels), "name": body["name"], "color": body["color"]}
        host.labels.append(label)
        return 201, label
    if seen.method == "POST" and path == "/issues":
        body = seen.body
        if not (isinstance(body, dict) and body.get("title") and isinstance(body.get("body"), str)):
            return 422, {"message": "title"}
        labels = body.get("labels", [])
        if host.kind == "github":
            if not all(isinstance(x, str) for x in labels):
                return 422, {"message": "labels are names"}
            names = list(labels)
        else:
            if not all(isinstance(x, int) for x in labels):
                return 422, {"message": "labels are ids"}
            names = [label["name"] for label in host.labels if label["id"] in labels]
        number = max(host.issues, default=0) + 1
        host.issues[number] = {"number": number, "title": body["title"], "body": body["body"], "state": "open",
                               "label_names": names}
        return 201, {"number": number}
    if seen.method == "PATCH" and path.startswith("/issues/"):
        number = int(path.rsplit("/", 1)[1])
        if number not in host.issues or not isinstance(seen.body, dict):
            return 404, {"message": "Not Found"}
        allowed = {"title", "body", "state"} | ({"state_reason"} if host.kind == "github" else set())
        if set(seen.body) - allowed or seen.body.get("state", "closed") not in ("open", "closed"):
            return 422, {"message": "fields"}
        host.issues[number].update({k: v for k, v in seen.body.items() if k != "state_reason"})
        return 200, {"number": number}
    return 404, {"message": "Not Found"}


def _robot(host: Host, seen: Seen) -> tuple[int, object]:
    if seen.method != "POST" or not str(seen.headers.get("content-type", "")).startswith("application/json"):
        return 400, {"errcode": 40000}
    body = seen.body if isinstance(seen.body, dict) else {}
    markdown = body.get("markdown") if body.get("msgtype") == "markdown" else None
    if host.kind == "wecom":
        if seen.path != "/cgi-bin/webhook/send" or not seen.query.get("key"):
            return 404, {"errcode": 93000}
        if not (isinstance(markdown, dict) and set(markdown) == {"content"} and isinstance(markdown["content"], str)):
            return 200, {"errcode": 40008, "errmsg": "invalid message type"}
        if len(markdown["content"].encode()) > 4096:
            return 200, {"errcode": 40058, "errmsg": "content exceed max length"}
    else:
        if seen.path != "/robot/send" or not seen.query.get("access_token"):
            return 404, {"errcode": 300001}
        if not (isinstance(markdown, dict) and set(markdown) == {"title", "text"}):
            return 200, {"errcode": 40035, "errmsg": "缺少参数 markdown"}
        if host.secret:
            stamp, sign = seen.query.get("timestamp", [""])[0], seen.query.get("sign", [""])[0]
            digest = hmac.new(host.secret.encode(), f"{stamp}\n{host.secret}".encode(), hashlib.sha256).digest()
            if sign != base64.b64encode(digest).decode():
                return 200, {"errcode": 310000, "errmsg": "sign not match"}
    return host.status, host.answer


class StandIn:
    """`with StandIn("github") as (host, url):` a server on 127.0.0.1 for the duration."""

    def __init__(self, kind: str, **kwargs):
        self.host = Host(kind, **kwargs)

    def __enter__(self):
        host = self.host

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                parts = urlsplit(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw) if raw else None
                seen = Seen(self.command, unquote(parts.path), parse_qs(parts.query),
                            {k.lower(): v for k, v in self.headers.items()}, body)
                host.seen.append(seen)
                status, answer = (_robot if host.kind in ("wecom", "dingtalk") else _issue_api)(host, seen)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return host, f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
