"""Canonical bodies wait for their interchange trailer in a spool that stays off the heap."""

from __future__ import annotations

import json

import pytest
from e2e_support import Deployment
from pipeline_support import order_850, receive

from b2bbridge.bootstrap import App
from b2bbridge.services import spool
from b2bbridge.services.spool import BodySpool
from b2bbridge.services.worker import drain


def test_bodies_read_back_exactly_in_memory_and_after_rolling_over_to_disk() -> None:
    bodies = BodySpool(memory_bytes=64)
    texts = [f'{{"number": "PO-{n}", "note": "{"é" * n}"}}' for n in range(40)]
    handles = [bodies.put(t) for t in texts]
    assert bodies.on_disk
    assert [bodies.get(h) for h in reversed(handles)] == list(reversed(texts))
    bodies.close()


def test_a_small_spool_never_touches_disk() -> None:
    bodies = BodySpool()
    handle = bodies.put('{"number": "PO-1"}')
    assert (bodies.get(handle), bodies.on_disk) == ('{"number": "PO-1"}', False)
    bodies.close()


def _one_interchange(orders: int, lines: int) -> bytes:
    """``orders`` 850s in one ACME interchange (each order a transaction of its own)."""
    bodies = []
    for n in range(orders):
        text = order_850(1, f"PO-SP{n:03d}", lines=lines).decode("ascii")
        start, end = text.index("\nST*") + 1, text.index("\nGE*") + 1
        bodies.append(text[start:end].replace("*0001~", f"*{n + 1:04d}~"))
    head = order_850(77, "X").decode("ascii").split("\nST*")[0] + "\n"
    tail = "GE*{n}*77~\nIEA*1*000000077~\n"
    return (head + "".join(bodies) + tail.format(n=orders)).encode("ascii")


def test_an_interchange_whose_bodies_outgrow_memory_stores_every_order_whole(
    deployment: Deployment, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spool, "MEMORY_BYTES", 2048)
    rolled: list[bool] = []
    close = BodySpool.close

    def watched_close(self: BodySpool) -> None:
        rolled.append(self.on_disk)
        close(self)

    monkeypatch.setattr(BodySpool, "close", watched_close)
    receive(app, _one_interchange(orders=12, lines=20), "day.x12")
    results = drain(app.ctx)

    assert sum(r.documents for r in results) == 12
    assert rolled == [True]
    with app.ctx.uow() as uow:
        stored = {d.doc_number: json.loads(d.body) for d in uow.documents.list(limit=100)}
    assert sorted(stored) == [f"PO-SP{n:03d}" for n in range(12)]
    assert {len(body["lines"]) for body in stored.values()} == {20}
