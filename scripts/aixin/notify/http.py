"""One JSON request over HTTP(S) with a timeout, and errors worded without any secret.

A webhook's key is in its URL's query and a token in a header: an error names the host only.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

TIMEOUT = 15  # seconds: a hung server must not hold the monthly job
MAX_ANSWER = 1_000_000  # bytes read from an answer; ours are small JSON documents


class PostError(Exception):
    """A request that did not succeed, worded in Chinese for the workflow's log (no secret)."""


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


def request(method: str, url: str, headers: dict[str, str], body: object = None, timeout: float = TIMEOUT):
    """Send `body` as JSON; the answer's JSON (None when empty). Raises PostError."""
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    sent = {"Accept": "application/json", "User-Agent": "aixin-remind", **headers}
    if data is not None:
        sent["Content-Type"] = "application/json; charset=utf-8"
    req = urllib.request.Request(url, data=data, headers=sent, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            raw = answer.read(MAX_ANSWER)
    except urllib.error.HTTPError as error:
        raise PostError(f"{host_of(url)} 拒绝了请求（HTTP {error.code}）") from None
    except TimeoutError:
        raise PostError(f"{host_of(url)} 在 {timeout:g} 秒内没有回答") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise PostError(f"{host_of(url)} 在 {timeout:g} 秒内没有回答") from None
        raise PostError(f"连不上 {host_of(url)}") from None
    except OSError:
        raise PostError(f"连不上 {host_of(url)}") from None
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise PostError(f"{host_of(url)} 的回答不是 JSON") from None
