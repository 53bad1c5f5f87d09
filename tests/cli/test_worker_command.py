"""``b2bbridge worker --concurrency N``: N processes drain the queue and stop on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from e2e_support import REPO, make_deployment

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from pipeline_support import open_app, order_850, receive

ROOT_APP = """
import sys
from pathlib import Path
import typer
from b2bbridge.cli import worker
from b2bbridge.cli.console import CliState
from b2bbridge.config import load_settings

root = typer.Typer()

@root.callback()
def _root(ctx: typer.Context) -> None:
    ctx.obj = CliState(settings=load_settings(Path("b2bbridge.toml"), env={}))

root.command("worker")(worker.worker)
root(sys.argv[1:])
"""


def test_two_worker_processes_store_every_queued_order_and_stop_on_sigterm(
    tmp_path: Path,
) -> None:
    dep = make_deployment(tmp_path)
    app = open_app(dep)
    for n in range(1, 7):
        receive(app, order_850(n, f"PO-W-{n}"))
    env = {**dep.env, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", ROOT_APP, "worker", "--concurrency", "2", "--idle-seconds", "0.1"],
        cwd=dep.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(600):
            if app.ctx.queue.pending_count() == 0:
                break
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=120)
    with app.ctx.uow() as uow:
        numbers = sorted(d.doc_number for d in uow.documents.list())
    assert proc.returncode == 0, output.decode()
    assert b"starting 2 worker processes" in output
    assert numbers == [f"PO-W-{n}" for n in range(1, 7)]
