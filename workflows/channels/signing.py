"""What each platform asks of a group robot's request: the address, the body, the answer.

DingTalk (钉钉自定义机器人, 加签): the string ``timestamp + "\\n" + secret`` (timestamp in
milliseconds) is signed with HMAC-SHA256 under the secret, base64-encoded and URL-encoded, and
sent as ``&timestamp=…&sign=…`` on the webhook address. WeCom (企业微信群机器人) takes the JSON
on its ``key`` address with no signature. Both answer ``{"errcode": 0, …}`` when they took it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any
from urllib.parse import quote_plus


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """The ``sign`` parameter, URL-encoded, as DingTalk documents it."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def dingtalk_url(address: str, secret: str, timestamp_ms: int) -> str:
    if not secret:
        return address
    joiner = "&" if "?" in address else "?"
    return f"{address}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(timestamp_ms, secret)}"


def text_payload(text: str) -> bytes:
    """Both platforms take the same plain-text message."""
    return json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()


def refusal_of(answer: bytes) -> str:
    """The platform's reason for refusing the message, or "" when it took it."""
    try:
        data: Any = json.loads(answer.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return "平台返回的内容无法识别。"
    if not isinstance(data, dict):
        return "平台返回的内容无法识别。"
    code = data.get("errcode", 0)
    if code in (0, "0"):
        return ""
    return f"平台拒绝：errcode {code}，{str(data.get('errmsg', ''))[:200]}"
