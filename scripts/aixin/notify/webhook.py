"""A unit's work group (工作群) robot: 企业微信 or 钉钉, configured by a secret per unit.

`AIXIN_WEBHOOK_<UNIT>` (e.g. AIXIN_WEBHOOK_CHUANSHAN, AIXIN_WEBHOOK_CITY) holds the robot's
webhook address, which itself is the secret (its key is in the query). The kind is read from the
host (qyapi.weixin.qq.com, oapi.dingtalk.com) or from a prefix `wecom:` / `dingtalk:` before the
address. A 钉钉 robot with 加签 also needs `AIXIN_WEBHOOK_<UNIT>_SECRET` (the SEC… string): the
address then carries a timestamp and its HMAC-SHA256 signature, as 钉钉 documents.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlsplit

from .http import PostError, request

WECOM, DINGTALK = "wecom", "dingtalk"
_HOSTS = {"qyapi.weixin.qq.com": WECOM, "oapi.dingtalk.com": DINGTALK}
WECOM_MAX_BYTES = 4096  # 企业微信's limit on a markdown message's content


@dataclass(frozen=True)
class Webhook:
    kind: str  # WECOM or DINGTALK
    url: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)


def variable(unit: str) -> str:
    return f"AIXIN_WEBHOOK_{unit.upper()}"


def webhook_for(unit: str, env: dict[str, str]) -> Webhook | None:
    """The unit's robot, None when it has none. Raises PostError for an address it cannot use."""
    value = env.get(variable(unit), "").strip()
    if not value:
        return None
    kind = None
    for prefix in (WECOM, DINGTALK):
        if value.startswith(f"{prefix}:") and not value.startswith(f"{prefix}://"):
            kind, value = prefix, value[len(prefix) + 1 :].strip()
    kind = kind or _HOSTS.get((urlsplit(value).hostname or "").lower())
    if kind is None or urlsplit(value).scheme not in ("https", "http"):
        raise PostError(
            f"{variable(unit)} 不是企业微信或钉钉机器人的 webhook 地址（也可以在地址前写 wecom: 或 dingtalk:）"
        )
    secret = env.get(f"{variable(unit)}_SECRET", "").strip() or None
    return Webhook(kind, value, secret)


def payload(hook: Webhook, title: str, text: str) -> dict:
    """The message as each robot documents it (msgtype markdown)."""
    if hook.kind == WECOM:
        content = text.encode("utf-8")[:WECOM_MAX_BYTES].decode("utf-8", "ignore")
        return {"msgtype": "markdown", "markdown": {"content": content}}
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


def signed_url(hook: Webhook, now_ms: int) -> str:
    """钉钉 加签: timestamp (ms) and sign = urlencode(base64(HMAC-SHA256(secret, f"{ts}\\n{secret}")))."""
    if hook.kind != DINGTALK or not hook.secret:
        return hook.url
    digest = hmac.new(hook.secret.encode("utf-8"), f"{now_ms}\n{hook.secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode("ascii"))
    joiner = "&" if "?" in hook.url else "?"
    return f"{hook.url}{joiner}timestamp={now_ms}&sign={sign}"


def send(hook: Webhook, title: str, text: str, now_ms: int | None = None) -> None:
    """Post the message; both robots answer errcode 0 when it was delivered. Raises PostError."""
    stamp = now_ms if now_ms is not None else int(time.time() * 1000)
    answer = request("POST", signed_url(hook, stamp), {}, payload(hook, title, text))
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        code = answer.get("errcode") if isinstance(answer, dict) else None
        name = "企业微信" if hook.kind == WECOM else "钉钉"
        raise PostError(f"{name}机器人没有收下消息（errcode {code}）")
