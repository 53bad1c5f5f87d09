"""Crash drill, scale-out mode: PostgreSQL + RabbitMQ, SIGKILLed workers and a broker restart.

2,000 orders are received through the AMQP queue (a few stranded as if the receiver died
between commit and publish). Three worker processes process them while one is killed
with SIGKILL every second or so; after the fourth kill the broker itself is stopped and
started again (``rabbitmqctl stop_app`` / ``start_app``), which drops every connection.
The store must end with exactly one order per input and no work left.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from e2e_support import make_deployment
from integration_urls import AMQP_URL
from kombu.connection import Connection
from pipeline_crash_support import WorkerPool, drill, tune_for_crashes
from sqlalchemy import func, select

from b2bbridge.adapters.queue.amqp import AmqpWorkQueue
from b2bbridge.adapters.store import make_engine
from b2bbridge.adapters.store.tables import documents, messages
from b2bbridge.bootstrap import App, build_app
from b2bbridge.config import load_settings
from b2bbridge.services.receive import receive_payload

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from pipeline_support import order_850

TOTAL = 2000
EVERY_STRANDED = 100
FINAL = ("stored", "acknowledged", "partial", "rejected", "duplicate", "dead")

pytestmark = pytest.mark.integration


def _restart_broker(kill_number: int) -> None:
    if kill_number != 4:
        return
    subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True, timeout=120)
    time.sleep(2)
    subprocess.run(["rabbitmqctl", "start_app"], check=True, capture_output=True, timeout=120)


def _purge_work_queue() -> None:
    with Connection(AMQP_URL) as connection:
        channel = connection.default_channel
        with contextlib.suppress(*connection.channel_errors):  # not declared yet: nothing stale
            channel.queue_purge("b2bbridge.work")


def _ingest(app: App) -> None:
    for n in range(1, TOTAL + 1):
        data, name = order_850(n, f"PO-{n:05d}", lines=3), f"order_{n:05d}.x12"
        if n % EVERY_STRANDED == 0:
            with app.ctx.uow() as uow:
                sha = uow.payloads.put(data)
                uow.messages.add(
                    direction="in",
                    partner="acme",
                    connector="acme-folder",
                    filename=name,
                    payload_sha256=sha,
                    size=len(data),
                    correlation_id=f"stranded-{n}",
                    syntax="x12",
                )
                uow.commit()
            continue
        receive_payload(app.ctx, connector="acme-folder", partner="acme", filename=name, data=data)


def test_sigkills_and_a_broker_restart_lose_nothing_and_duplicate_nothing(
    tmp_path: Path, postgres_schema_url: str
) -> None:
    _purge_work_queue()
    dep = make_deployment(tmp_path, database_url=postgres_schema_url)
    tune_for_crashes(dep, broker_url=AMQP_URL)
    settings = load_settings(dep.root / "b2bbridge.toml", env=dep.env)
    app = build_app(settings)
    assert isinstance(app.ctx.queue, AmqpWorkQueue)
    _ingest(app)
    engine = make_engine(postgres_schema_url)

    def finished() -> int:
        with engine.connect() as connection:
            query = select(func.count()).where(messages.c.status.in_(FINAL))
            return int(connection.execute(query).scalar_one())

    pool = WorkerPool(dep, size=3)
    done = drill(
        pool,
        finished,
        TOTAL,
        kills=10,
        seed=4,
        disturb=_restart_broker,
        settled=lambda: app.ctx.queue.pending_count() == 0,
    )
    with engine.connect() as connection:
        numbers = list(connection.execute(select(documents.c.doc_number)).scalars())
        statuses = dict(
            connection.execute(
                select(messages.c.status, func.count()).group_by(messages.c.status)
            ).all()
        )
    engine.dispose()
    with app.ctx.uow() as uow:
        dead = uow.dead_letters.list(status=None)
    app.close()
    assert (pool.kills, done) == (10, TOTAL)
    assert sorted(numbers) == [f"PO-{n:05d}" for n in range(1, TOTAL + 1)]
    assert statuses == {"acknowledged": TOTAL}
    assert dead == []
    assert app.ctx.queue.pending_count() == 0
