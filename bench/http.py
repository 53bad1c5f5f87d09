"""Bench: ``POST /v1/orders`` with 25-line orders against ``b2bbridge serve`` on loopback.

Usage: python bench/http.py [REQUESTS] [CONCURRENCY]   (default 5000 requests, 32 at once)

Starts the real server (uvicorn, one process, SQLite store) on a free port, then a load
client (asyncio streams over keep-alive connections, requests pre-encoded so the
client costs little CPU) sends distinct orders and measures each request's latency. Every
202 means the order is committed to SQLite. Prints requests/s, p50 and p99.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and its name would shadow
# the standard library's ``http`` package: take the folder off before anything imports it.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(REPO / "tests" / "integration")]

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import httpx  # noqa: E402

from tests.api.conftest import bearer, deploy, order  # noqa: E402
from tests.integration.test_http_serve import LAUNCH  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    deploy(root, max_body_bytes=1_048_576).close()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "B2BBRIDGE_LOG_LEVEL": "error"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            LAUNCH.replace('level="info"', 'level="error"'),
            str(root / "b2bbridge.toml"),
            "serve",
            "--port",
            str(port),
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/v1/healthz").status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("server did not start")


def request_bytes(port: int, body: dict[str, object]) -> bytes:
    """One pre-encoded HTTP/1.1 request, so the load client spends its time waiting."""
    data = json.dumps(body).encode()
    head = (
        f"POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: {bearer()['Authorization']}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    return status


async def load(
    port: int, total: int, concurrency: int, prefix: str = "B"
) -> tuple[list[float], float, int]:
    """``concurrency`` keep-alive connections sending distinct 25-line orders."""
    requests = [request_bytes(port, order(f"PO-{prefix}{i:07d}", lines=25)) for i in range(total)]
    latencies: list[float] = []
    failures = 0
    next_index = iter(range(total))

    async def connection() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for i in next_index:
            t = time.perf_counter()
            writer.write(requests[i])
            status = await read_response(reader)
            latencies.append(time.perf_counter() - t)
            failures += status != 202
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return latencies, time.perf_counter() - start, failures


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start(Path(tmp))
        try:
            port = int(base.rsplit(":", 1)[1])
            asyncio.run(load(port, 200, concurrency, "W"))  # warm-up
            latencies, elapsed, failures = asyncio.run(load(port, total, concurrency))
        finally:
            proc.terminate()
            proc.wait()
    q = statistics.quantiles(latencies, n=100)
    print(
        f"http: {total} POST /v1/orders (25 lines) at concurrency {concurrency}: "
        f"{total / elapsed:.0f} req/s, p50 {q[49] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms, "
        f"{failures} non-202"
    )


if __name__ == "__main__":
    main()
