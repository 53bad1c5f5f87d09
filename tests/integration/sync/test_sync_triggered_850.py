"""An 850 stored by the pipeline triggers ``partner-orders``: the Tryton sale appears with no
``sync run`` by hand, through ``run --once``, through ``b2bbridge worker`` (embedded queue),
and through the worker loop on RabbitMQ.

Each test copies the example deployment, points its Tryton systems at the test server and
sets their passwords, so the flows are exactly the bundled ``connectors/flows/``.
"""

from __future__ import annotations

import contextlib
import random
import re
import signal
import subprocess
import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from e2e_support import Deployment, make_deployment
from kombu.connection import Connection
from shop_client import rpc, sale_lines, sales_with_reference
from sync_servers import Server
from sync_support import b2bbridge_command, partner_850

from b2bbridge.adapters.queue.amqp import AmqpWorkQueue
from b2bbridge.adapters.store import make_engine
from b2bbridge.bootstrap import App, build_app
from b2bbridge.bootstrap_sync import build_sync_for
from b2bbridge.config import load_settings
from b2bbridge.services.receive import receive_payload
from b2bbridge.services.sync_triggers import SyncTriggers
from b2bbridge.services.worker import WorkerOptions, work

pytestmark = pytest.mark.integration

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672//"
PASSWORDS = {f"B2BBRIDGE_{name}_PASSWORD": "admin" for name in ("ERP", "WMS", "CRM", "STOREFRONT")}


def _deployment(tmp_path: Path, tryton: Server) -> Deployment:
    dep = make_deployment(tmp_path)
    for name in ("erp", "wms", "crm"):
        path = dep.root / "connectors" / "systems" / f"{name}.yaml"
        text = re.sub(r"(?m)^url: .*$", f"url: {tryton.url}", path.read_text("utf-8"))
        path.write_text(text, "utf-8")
    dep.env.update(PASSWORDS)
    return dep


def _open(dep: Deployment) -> App:
    env = {k: v for k, v in dep.env.items() if k.startswith("B2BBRIDGE_")}
    return build_app(load_settings(dep.root / "b2bbridge.toml", env=env))


def _receive(app: App, number: str) -> int:
    data = partner_850(number, f"{random.randrange(10**9):09d}").encode("ascii")
    return receive_payload(
        app.ctx, connector="acme-folder", partner="acme", filename=f"{number}.x12", data=data
    ).message_id


def _number() -> str:
    return f"46{random.randrange(10**8):08d}"


def _assert_one_sale(tryton: Server, number: str) -> None:
    client = rpc(tryton.url, "erp")
    (sale,) = sales_with_reference(client, number)
    assert sale["party."]["code"] == "ACME-AP"
    assert [(sku, qty) for sku, qty, _ in sale_lines(client, sale["lines"])] == [
        ("GADGET-1", 2.0),
        ("WIDGET-1", 7.0),
    ]


def _wait_for_sale(tryton: Server, number: str, proc: subprocess.Popen[bytes]) -> None:
    client = rpc(tryton.url, "erp")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if sales_with_reference(client, number):
            return
        time.sleep(0.5)


def test_run_once_runs_the_flow_its_850_triggered_and_says_so(
    tryton: Server, tmp_path: Path
) -> None:
    dep = _deployment(tmp_path, tryton)
    number = _number()
    edi = tmp_path / f"acme_850_{uuid.uuid4().hex[:6]}.x12"
    edi.write_text(partner_850(number, f"{random.randrange(10**9):09d}"))
    dep.drop(edi)

    done = dep.cli("run", "--once")

    assert done.returncode == 0, done.stderr
    assert "sync partner-orders (triggered by message 1): read 1, written 1" in done.stdout
    _assert_one_sale(tryton, number)


def test_the_worker_command_runs_the_flow_an_850_triggered(tryton: Server, tmp_path: Path) -> None:
    dep = _deployment(tmp_path, tryton)
    app = _open(dep)
    number = _number()
    _receive(app, number)
    proc = subprocess.Popen(
        b2bbridge_command(dep.root / "b2bbridge.toml", "worker", "--idle-seconds", "0.1"),
        cwd=dep.root,
        env=dep.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_sale(tryton, number, proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=120)
    log = output.decode()
    assert proc.returncode == 0, log
    _assert_one_sale(tryton, number)
    assert app.ctx.queue.pending_count() == 0, log
    with app.ctx.uow() as uow:
        assert uow.dead_letters.list() == []
    app.close()


def test_on_rabbitmq_the_worker_loop_runs_the_flow_an_850_triggered(
    tryton: Server, tmp_path: Path
) -> None:
    dep = _deployment(tmp_path, tryton)
    app = _open(dep)
    queue_name = f"b2bbridge.test.{uuid.uuid4().hex[:8]}"
    engine = make_engine(app.settings.resolved_database_url)
    amqp = AmqpWorkQueue(
        engine, app.ctx.clock, AMQP_URL, queue=queue_name, dead_letter_queue=f"{queue_name}.dead"
    )
    sync = build_sync_for(app, env=PASSWORDS)
    triggers = SyncTriggers(sync, remember=True)
    ctx = replace(app.ctx, queue=amqp, sync=triggers)
    number = _number()
    _receive(replace(app, ctx=ctx), number)
    deadline = time.monotonic() + 120

    def finished() -> bool:
        ran = any(r.report is not None for r in triggers.queued.values())
        return (ran and amqp.pending_count() == 0) or time.monotonic() > deadline

    try:
        work(ctx, should_stop=finished, idle=time.sleep, options=WorkerOptions(idle_seconds=0.1))
        _assert_one_sale(tryton, number)
        (run,) = triggers.queued.values()
        assert run.report is not None
        assert (run.flow, run.report.written, amqp.pending_count()) == ("partner-orders", 1, 0)
    finally:
        amqp.close()
        for system in sync.systems.values():
            system.close()
        with Connection(AMQP_URL) as connection, contextlib.suppress(*connection.channel_errors):
            channel = connection.default_channel
            channel.queue_delete(queue_name)
            channel.queue_delete(f"{queue_name}.dead")
        engine.dispose()
        app.close()
