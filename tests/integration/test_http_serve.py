"""``b2bbridge serve`` as a real process: uvicorn on a random loopback port, driven by httpx."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sshd_support import free_port

from tests.api.conftest import bearer, deploy, order

pytestmark = pytest.mark.integration

LAUNCH = """
import sys, typer
from b2bbridge.cli.console import CliState
from b2bbridge.cli.serve import serve
from b2bbridge.config import load_settings
from b2bbridge.logs import configure_logging

app = typer.Typer()

@app.callback()
def root(ctx: typer.Context) -> None:
    configure_logging(level="info", fmt="json")
    ctx.obj = CliState(settings=load_settings(__import__("pathlib").Path(sys.argv[1])))

app.command("serve")(serve)
app(sys.argv[2:])
"""
X12 = (Path(__file__).resolve().parents[1] / "fixtures" / "x12" / "850_two_pos.edi").read_bytes()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    deploy(tmp_path).close()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            LAUNCH,
            str(tmp_path / "b2bbridge.toml"),
            "serve",
            "--port",
            str(port),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/v1/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.05)
    else:
        proc.kill()
        raise RuntimeError("serve did not come up: " + proc.stderr.read() if proc.stderr else "")
    yield base, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _wait_for_status(base: str, message_id: int, status: str) -> dict[str, object]:
    deadline = time.monotonic() + 30
    view: dict[str, object] = {}
    while time.monotonic() < deadline:
        view = httpx.get(f"{base}/v1/messages/{message_id}", headers=bearer()).json()
        if view["status"] == status:
            return view
        time.sleep(0.1)
    return view


def test_an_order_posted_over_http_is_stored_and_readable_back(
    server: tuple[str, subprocess.Popen[str]],
) -> None:
    base, _ = server
    r = httpx.post(f"{base}/v1/orders", json=order("PO-HTTP"), headers=bearer())
    assert r.status_code == 202
    view = httpx.get(f"{base}/v1/messages/{r.json()['message_id']}", headers=bearer()).json()
    assert (view["status"], view["documents"][0]["number"]) == ("stored", "PO-HTTP")


def test_a_document_posted_over_http_is_processed_by_the_serve_worker(
    server: tuple[str, subprocess.Popen[str]],
) -> None:
    base, _ = server
    headers = {**bearer(), "Content-Type": "application/edi-x12"}
    r = httpx.post(f"{base}/v1/documents", content=X12, headers=headers)
    assert r.status_code == 202
    view = _wait_for_status(base, r.json()["message_id"], "acknowledged")
    assert view["status"] == "acknowledged"
    assert len(view["documents"]) == 2  # type: ignore[arg-type]


def test_an_oversized_request_is_refused_by_the_running_server(
    server: tuple[str, subprocess.Popen[str]],
) -> None:
    base, _ = server
    r = httpx.post(f"{base}/v1/orders", json=order(lines=3000), headers=bearer())
    assert (r.status_code, r.headers["content-type"]) == (413, "application/problem+json")


def test_sigterm_stops_serve_cleanly_with_exit_status_zero(
    server: tuple[str, subprocess.Popen[str]],
) -> None:
    base, proc = server
    assert httpx.get(base + "/v1/healthz").json()["status"] == "ok"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    events = [json.loads(line)["event"] for line in err.splitlines() if line.startswith("{")]
    assert events[-1] == "serve_stopped"
