"""``b2bbridge serve`` runs due sync flows: a stored 850 becomes a Tryton sale with no
trigger and no ``sync run``, while a flow whose system is down fails without stopping it.
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from e2e_support import make_deployment
from shop_client import rpc, sale_lines, sales_with_reference
from sync_servers import Server
from sync_support import b2bbridge_command, partner_850

from b2bbridge.adapters.clock import SystemClock
from b2bbridge.adapters.store import make_engine, sync_state_factory
from b2bbridge.ports import SyncRunRecord

pytestmark = pytest.mark.integration

PASSWORDS = {f"B2BBRIDGE_{name}_PASSWORD": "admin" for name in ("ERP", "WMS", "CRM", "STOREFRONT")}
KEPT_FLOWS = ("partner-orders.yaml", "storefront-orders.yaml")


def test_serve_runs_a_due_scheduled_flow_and_survives_a_failing_one(
    tryton: Server, tmp_path: Path
) -> None:
    dep = make_deployment(tmp_path)
    for name in ("erp", "wms", "crm"):
        path = dep.root / "connectors" / "systems" / f"{name}.yaml"
        path.write_text(re.sub(r"(?m)^url: .*$", f"url: {tryton.url}", path.read_text("utf-8")))
    storefront = dep.root / "connectors" / "systems" / "storefront.yaml"
    storefront.write_text(
        re.sub(r"(?m)^url: .*$", "url: http://127.0.0.1:9", storefront.read_text("utf-8"))
    )
    flows = dep.root / "connectors" / "flows"
    for path in flows.glob("*.yaml"):
        if path.name not in KEPT_FLOWS:
            path.unlink()
    orders = flows / "partner-orders.yaml"
    orders.write_text(re.sub(r"(?m)^trigger: .*$", "", orders.read_text("utf-8")))
    dep.env.update(PASSWORDS)
    dep.env["B2BBRIDGE_LOG_LEVEL"] = "info"
    number = f"47{random.randrange(10**8):08d}"
    edi = tmp_path / f"acme_850_{uuid.uuid4().hex[:6]}.x12"
    edi.write_text(partner_850(number, f"{random.randrange(10**9):09d}"))
    dep.drop(edi)
    stored = dep.cli("run", "--once")
    assert stored.returncode == 0, stored.stderr
    assert "sync partner-orders" not in stored.stdout  # no trigger: the schedule must do it

    proc = subprocess.Popen(
        b2bbridge_command(dep.root / "b2bbridge.toml", "serve", "--no-api", "--flow-poll", "0.5"),
        cwd=dep.root,
        env=dep.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    client = rpc(tryton.url, "erp")
    engine = make_engine(f"sqlite:///{dep.root / 'var' / 'b2bbridge.db'}")
    state = sync_state_factory(engine, SystemClock())

    def last_run(flow: str) -> SyncRunRecord | None:
        with state() as runs:
            return runs.runs.last(flow)

    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            failed = last_run("storefront-orders")
            if sales_with_reference(client, number) and failed and failed.finished_at:
                break
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=120)
    log = output.decode()

    assert proc.returncode == 0, log
    assert "2 sync flow(s)" in log
    (sale,) = sales_with_reference(client, number)
    assert [(sku, qty) for sku, qty, _ in sale_lines(client, sale["lines"])] == [
        ("GADGET-1", 2.0),
        ("WIDGET-1", 7.0),
    ]
    ran, failed = last_run("partner-orders"), last_run("storefront-orders")
    assert ran is not None
    assert failed is not None
    assert (ran.status, ran.written, failed.status) == ("ok", 1, "error")
    assert "sync_flow_failed" in log
    assert "serve_stopped" in log
    engine.dispose()
