"""Crash drill, embedded mode: SIGKILLed workers on SQLite lose nothing and duplicate nothing.

2,000 orders are received (a few of them stranded as if the receiver had died between its
commit and its enqueue), then three worker processes process them while one of them is
killed with SIGKILL every second or so and replaced. At the end the store must hold
exactly one order per input, every message must be finished, and no work may be left.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from e2e_support import make_deployment
from pipeline_crash_support import WorkerPool, drill, tune_for_crashes
from sqlalchemy import func, select

from b2bbridge.adapters.store.tables import documents, messages
from b2bbridge.bootstrap import App, build_app
from b2bbridge.config import load_settings
from b2bbridge.services.receive import receive_payload

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from pipeline_support import order_850

TOTAL = 2000
STRANDED = 25
FINAL = ("stored", "acknowledged", "partial", "rejected", "duplicate", "dead")

pytestmark = pytest.mark.integration


def _strand(app: App, data: bytes, name: str) -> None:
    with app.ctx.uow() as uow:
        sha = uow.payloads.put(data)
        uow.messages.add(
            direction="in",
            partner="acme",
            connector="acme-folder",
            filename=name,
            payload_sha256=sha,
            size=len(data),
            correlation_id=hashlib.sha256(name.encode()).hexdigest()[:32],
            syntax="x12",
        )
        uow.commit()


def ingest(app: App) -> None:
    for n in range(1, TOTAL + 1):
        data, name = order_850(n, f"PO-{n:05d}", lines=3), f"order_{n:05d}.x12"
        if n % (TOTAL // STRANDED) == 0:
            _strand(app, data, name)
        else:
            receive_payload(
                app.ctx, connector="acme-folder", partner="acme", filename=name, data=data
            )


def finished_count(app: App) -> int:
    with app.ctx.uow() as uow:
        connection = uow.messages._connection
        query = select(func.count()).where(messages.c.status.in_(FINAL))
        return int(connection.execute(query).scalar_one())


def test_sigkilled_workers_store_every_order_exactly_once(tmp_path: Path) -> None:
    dep = make_deployment(tmp_path)
    tune_for_crashes(dep)
    app = build_app(load_settings(dep.root / "b2bbridge.toml", env={}))
    ingest(app)
    pool = WorkerPool(dep, size=3)
    done = drill(
        pool,
        lambda: finished_count(app),
        TOTAL,
        kills=12,
        seed=6,
        settled=lambda: app.ctx.queue.pending_count() == 0,
    )
    with app.ctx.uow() as uow:
        connection = uow.messages._connection
        numbers = list(connection.execute(select(documents.c.doc_number)).scalars())
        statuses = dict(
            connection.execute(
                select(messages.c.status, func.count()).group_by(messages.c.status)
            ).all()
        )
        dead = uow.dead_letters.list(status=None)
    assert pool.kills == 12
    assert done == TOTAL
    assert len(numbers) == TOTAL
    assert sorted(numbers) == [f"PO-{n:05d}" for n in range(1, TOTAL + 1)]
    assert statuses == {"acknowledged": TOTAL}
    assert dead == []
    assert app.ctx.queue.pending_count() == 0
