"""A real HTTP receiver on a loopback port, standing in for DingTalk's and WeCom's robots.

It records every request (path, query, body) and answers as the platforms do
(``{"errcode": 0}``), or with the status or errcode a test asks for. Nothing leaves the
machine: channels in tests point here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass
class Received:
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    content_type: str

    @property
    def text(self) -> str:
        return self.body.get("text", {}).get("content", "")

    def signed_with(self, secret: str) -> bool:
        """DingTalk's check: HMAC-SHA256 of ``timestamp + "\\n" + secret``, base64."""
        timestamp = self.query.get("timestamp", "")
        expected = base64.b64encode(
            hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
        ).decode()
        return bool(timestamp) and hmac.compare_digest(self.query.get("sign", ""), expected)


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    # What to answer next: (HTTP status, errcode); the last one stays.
    answers: list[tuple[int, int]] = field(default_factory=lambda: [(200, 0)])

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    receiver = Receiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            parts = urlsplit(self.path)
            with lock:
                receiver.received.append(
                    Received(
                        path=parts.path,
                        # parse_qs undoes the URL-encoding of the sign once, as DingTalk does.
                        query={k: v[0] for k, v in parse_qs(parts.query).items()},
                        body=json.loads(raw.decode("utf-8")),
                        content_type=self.headers.get("Content-Type", ""),
                    )
                )
                status, errcode = receiver.answers[0]
                if len(receiver.answers) > 1:
                    receiver.answers.pop(0)
            answer = json.dumps(
                {"errcode": errcode, "errmsg": "ok" if not errcode else "sign not match"}
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
