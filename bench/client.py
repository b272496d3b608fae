"""The bench's HTTP client: one GET at a time, or a load of many at once from threads."""

from __future__ import annotations

import http.client
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass


def get(port: int, host: str, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    """One GET on 127.0.0.1:``port`` with ``Host: host`` (and ``headers``): the status and the body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@dataclass
class LoadResult:
    count: int
    seconds: float
    latencies: list[float]
    errors: list[str]


def run_load(port: int, mix: list[tuple[str, str]], count: int, concurrency: int) -> LoadResult:
    """``count`` GETs over ``mix`` in turn, ``concurrency`` at a time (threads: the clients mostly wait on the
    socket). A connection per request, as gunicorn's sync workers close it after each answer."""

    def one(k: int) -> tuple[float, str]:
        host, path = mix[k % len(mix)]
        t0 = time.perf_counter()
        try:
            status, _body = get(port, host, path)
        except OSError as exc:
            return (time.perf_counter() - t0) * 1000, f"{host}{path}: {exc.__class__.__name__}"
        elapsed = (time.perf_counter() - t0) * 1000
        return elapsed, "" if status == 200 else f"{host}{path}: {status}"

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, range(count)))
    seconds = time.perf_counter() - started
    return LoadResult(
        count=count,
        seconds=seconds,
        latencies=[ms for ms, error in results if not error],
        errors=[error for _ms, error in results if error],
    )
