"""Load generators that run outside the server's process: wrk when it is
installed (Debian's ``wrk`` package), else a Python client in processes of
its own. Either way the client's CPU is not the server's, though on a small
machine the two still share the cores; the output names which was used.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

LUA = """
wrk.method = "{method}"
wrk.body = {body}
{headers}
"""


@dataclass
class Figures:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    cpu_ms: float = float("nan")  # the server process's CPU per request

    def line(self) -> str:
        return (f"{self.name:<30} {self.rps:7.1f} req/s  p50 {self.p50_ms:7.1f} ms  p99 {self.p99_ms:7.1f} ms  "
                f"server CPU {self.cpu_ms:5.2f} ms/req  ({self.requests} requests, {self.errors} errors)")


def generator() -> str:
    return "wrk" if shutil.which("wrk") else "python processes"


def run(name: str, url: str, *, body: bytes | None, headers: dict[str, str], connections: int, seconds: float) -> Figures:
    if shutil.which("wrk"):
        return _wrk(name, url, body=body, headers=headers, connections=connections, seconds=seconds)
    return _python(name, url, body=body, headers=headers, connections=connections, seconds=seconds)


def _wrk(name: str, url: str, *, body: bytes | None, headers: dict[str, str], connections: int, seconds: float) -> Figures:
    lines = "\n".join(f'wrk.headers[{json.dumps(k)}] = {json.dumps(v)}' for k, v in headers.items())
    script = LUA.format(method="POST" if body else "GET", body=json.dumps(body.decode()) if body else "nil", headers=lines)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds:.0f}s", "--latency", "--timeout", "10s",
             "-s", handle.name, url],
            check=True, capture_output=True, text=True,
        ).stdout
    finally:
        os.unlink(handle.name)

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(int(x) for x in failed.groups()) if failed else 0)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return Figures(name, rps, latency("50"), latency("99"), requests, errors)


def _client(args: tuple[str, bytes | None, dict[str, str], int, float, multiprocessing.Queue]) -> None:
    import http.client
    import threading

    url, body, headers, connections, seconds, out = args
    parts = urlsplit(url)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("POST" if body else "GET", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            with lock:
                if ok:
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    errors += 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((latencies, errors))


def _python(name: str, url: str, *, body: bytes | None, headers: dict[str, str], connections: int, seconds: float) -> Figures:
    processes = 4 if connections >= 4 else 1
    queue: multiprocessing.Queue = multiprocessing.Queue()
    per = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
    workers = [multiprocessing.Process(target=_client, args=((url, body, headers, n, seconds, queue),)) for n in per]
    for worker in workers:
        worker.start()
    latencies: list[float] = []
    errors = 0
    for _ in workers:
        found, failed = queue.get()
        latencies += found
        errors += failed
    for worker in workers:
        worker.join()
    latencies.sort()

    def at(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))] if latencies else float("nan")

    return Figures(name, len(latencies) / seconds, at(50), at(99), len(latencies), errors)
