"""Load over HTTP: a gunicorn server started for the run, and wrk measuring one endpoint."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess  # noqa: S404 (gunicorn and wrk are started with fixed argument lists)
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .harness import scratch_database, write_results

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent


WRK_INSTALL_HINT = (
    "wrk not found: the screen feed benchmark needs it. Install it with "
    "`sudo apt-get install -y wrk` (Debian/Ubuntu package wrk), then run `make bench` again."
)


@dataclass
class Endpoint:
    """One way of getting the feed: how wrk asks for it and how to find the notice ids in it."""

    name: str
    label: str
    path: str
    method: str = "GET"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    expect_status: int = 200
    ids: Callable[[Any], list[int]] | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    env: dict[str, str], port: int, workers: int, log: Path, threads: int = 1
) -> subprocess.Popen:
    """gunicorn with ``workers`` processes: sync, or with ``threads`` threads each (gthread)."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "cms.wsgi:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--worker-class=sync" if threads == 1 else f"--threads={threads}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn did not start:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor/", timeout=2):  # noqa: S310
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn was not ready within 60 s")


def server_environment(environ: dict[str, str], database_url: str) -> dict[str, str]:
    """The environment of the processes a benchmark starts on its scratch database."""
    return {
        **environ,
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": environ.get("DATABASE_CONN_MAX_AGE", "60"),
        "PYTHONPATH": str(ROOT),
    }


def measure_served(
    settings: str,
    run: Callable[[Any, Path, dict[str, str]], dict[str, Any]],
    args: Any,
    results: Path,
    show: Callable[[dict[str, Any], Path], None],
) -> dict[str, Any]:
    """``run(args, scratch folder, server environment)`` on a scratch database; its results
    written to ``results`` and shown."""
    with scratch_database(settings, own_settings=True) as scratch:
        result = run(
            args, scratch.folder, server_environment(dict(os.environ), scratch.database_url)
        )
    write_results(result, results)
    show(result, results)
    return result


def stop_server(server: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL if it has not ended within ``timeout`` seconds."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def fetch(base: str, endpoint: Endpoint) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(  # noqa: S310
        base + endpoint.path,
        data=endpoint.body or None,
        method=endpoint.method,
        headers=endpoint.headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


WRK_DONE = """
done = function(summary, latency, requests)
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,' ..
    '"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d,"mean_us":%.1f}\\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
"""


def wrk_script(endpoint: Endpoint) -> str:
    lines = [f'wrk.method = "{endpoint.method}"']
    if endpoint.body:
        lines.append(f"wrk.body = [==[{endpoint.body.decode()}]==]")
    for name, value in endpoint.headers.items():
        lines.append(f"wrk.headers[ [==[{name}]==] ] = [==[{value}]==]")
    return "\n".join(lines) + "\n" + WRK_DONE


def run_wrk(
    wrk: str, base: str, endpoint: Endpoint, scratch: Path, duration: int, connections: int
) -> dict[str, Any]:
    script = scratch / f"{endpoint.name}.lua"
    script.write_text(wrk_script(endpoint), encoding="utf-8")
    command = [
        wrk,
        "--threads=1",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        f"--script={script}",
        base + endpoint.path,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    return {
        "requests": raw["requests"],
        "requests_per_second": round(raw["requests"] / seconds, 1),
        "latency_ms": {
            "p50": round(raw["p50_us"] / 1000, 2),
            "p95": round(raw["p95_us"] / 1000, 2),
            "p99": round(raw["p99_us"] / 1000, 2),
            "mean": round(raw["mean_us"] / 1000, 2),
        },
        "socket_errors": errors,
        "status_errors": raw["status_errors"],
    }
