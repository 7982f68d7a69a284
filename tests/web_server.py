"""A real gunicorn server for tests, serving the test database on a loopback port.

The listening socket is bound here and handed to gunicorn (``fd://``), so the port is free and
known before the server starts; the app is loaded before the workers fork (``--preload``), so
every worker answers from the first request. The server's log goes to a file, so that a test
can show why a request failed (with DEBUG off, the page itself only says "server error").
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import requests

from tests.celery_worker import ROOT, database_url_of_test_database

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@dataclass(frozen=True)
class Server:
    url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def gunicorn_server(
    log: Path, workers: int = 2, ready_path: str = "/admin/login/", **extra_env: str
) -> Iterator[Server]:
    """Serve ``cms.wsgi`` with ``workers`` sync workers, the test settings and DEBUG off
    (``extra_env``: more of the server's environment, e.g. ``WEIZHI_TEST_CACHE_URL``)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url_of_test_database(),
        **extra_env,
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "cms.wsgi:application",
                "--bind", f"fd://{listener.fileno()}", "--workers", str(workers),
                "--preload", "--timeout", "60", "--log-level", "info",
                "--no-control-socket",  # the default path is one per user, not per server
            ],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            pass_fds=[listener.fileno()],
        )  # fmt: skip
    listener.close()
    try:
        _wait_until_ready(f"{url}{ready_path}", process, log)
        yield Server(url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:  # refused, or queued until a worker is up
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s:\n{log.read_text()}")
