"""Shared benchmark plumbing: run a server in a subprocess, load it, report."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def uvicorn_process(target: str, *, env: dict[str, str], port: int, factory: bool = False) -> Iterator[str]:
    """Serve ``module:app`` on 127.0.0.1:port in a child process; yield its base URL."""
    with uvicorn_server(target, env=env, port=port, factory=factory) as (base, _process):
        yield base


@contextmanager
def uvicorn_server(
    target: str, *, env: dict[str, str], port: int, factory: bool = False
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Like :func:`uvicorn_process`, also yielding the child process (to read its CPU time)."""
    args = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    if factory:
        args.append("--factory")
    # the servers' own logs (a JSON line per request) would drown the figures
    process = subprocess.Popen(args, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded machine starts a server slowly
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{target} exited with {process.returncode}")
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"{target} did not start")
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=20)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class LoadResult:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def line(self) -> str:
        return (
            f"{self.name:<28} {self.rps:8.1f} req/s   p50 {self.percentile(50):7.1f} ms   "
            f"p99 {self.percentile(99):7.1f} ms   ({self.requests} requests, mean {statistics.fmean(self.latencies_ms):.1f} ms)"
        )


async def load(
    name: str, call: Callable[[httpx.AsyncClient], Awaitable[None]], *, base: str, requests: int, concurrency: int
) -> LoadResult:
    """Issue ``requests`` calls from ``concurrency`` workers; bounded in count."""
    latencies: list[float] = []
    remaining = requests

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for _ in range(min(10, requests)):  # warm-up, not measured
            await call(client)

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                await call(client)
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return LoadResult(name=name, requests=len(latencies), seconds=elapsed, latencies_ms=latencies)
