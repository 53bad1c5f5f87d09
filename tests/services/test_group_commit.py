"""Group commit: a leased batch of messages is stored in one transaction, item by item."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from pipeline_support import order_850, receive

from b2bbridge.adapters.connectors.durable import HeldWrites
from b2bbridge.adapters.connectors.folder import FolderConnector
from b2bbridge.adapters.store.batch import SqlBatchScope
from b2bbridge.bootstrap import App
from b2bbridge.ports import Connector, InboundFile
from b2bbridge.services import batch as batch_module
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.inbound import process_message
from b2bbridge.services.results import MessageResult
from b2bbridge.services.worker import drain


class CommittedCheckingConnector:
    """An outbox that, at each send, counts the acks another connection can already see."""

    def __init__(self, inner: Connector, ctx: ServiceContext, message_ids: list[int]) -> None:
        self.inner, self.ctx, self.message_ids = inner, ctx, message_ids
        self.name, self.partner = inner.name, inner.partner
        self.visible_at_send: list[int] = []

    def send(self, name: str, data: bytes) -> str:
        with self.ctx.uow() as uow:  # a connection of its own: sees committed rows only
            seen = sum(len(uow.outbound.for_message(m)) for m in self.message_ids)
        self.visible_at_send.append(seen)
        return self.inner.send(name, data)

    def poll(self) -> Iterator[InboundFile]:
        return self.inner.poll()

    def fetch(self, item: InboundFile) -> bytes:
        return self.inner.fetch(item)

    def confirm(self, item: InboundFile, *, ok: bool) -> str | None:
        return self.inner.confirm(item, ok=ok)

    def close(self) -> None:
        self.inner.close()


def _outbox(app: App) -> str:
    profile = app.ctx.partners.find("acme")
    assert profile is not None
    assert profile.outbox_connector is not None
    return profile.outbox_connector


def _sent_997s(app: App, message_ids: list[int]) -> list[int]:
    """The ISA13s of the 997s answering these messages; every one of them must be sent."""
    with app.ctx.uow() as uow:
        acks = [a for m in message_ids for a in uow.outbound.for_message(m) if a.kind == "997"]
    assert all(a.status == "sent" for a in acks), [(a.id, a.status) for a in acks]
    return sorted(int(a.interchange_control_number) for a in acks)


def _documents(app: App) -> list[str]:
    with app.ctx.uow() as uow:
        return sorted(d.doc_number for d in uow.documents.list())


def test_auto_group_commit_is_on_for_sqlite_and_off_for_postgresql(app: App) -> None:
    on_sqlite = app.settings.resolved_database_url.startswith("sqlite")
    assert (app.ctx.batches is not None) == on_sqlite


def test_a_batch_of_orders_is_stored_and_each_ack_is_sent_only_after_the_commit(
    grouped: App,
) -> None:
    app = grouped
    ids = [receive(app, order_850(n, f"PO-GC-{n}")) for n in range(1, 4)]
    name = _outbox(app)
    spy = CommittedCheckingConnector(app.ctx.connectors[name], app.ctx, ids)
    ctx = replace(app.ctx, connectors={**app.ctx.connectors, name: spy})

    results = drain(ctx)

    assert [r.status for r in results] == ["acknowledged"] * 3
    assert _documents(app) == ["PO-GC-1", "PO-GC-2", "PO-GC-3"]
    # Every send saw all three acks committed: none went out before its transaction ended.
    assert spy.visible_at_send == [3, 3, 3]
    assert len(_sent_997s(app, ids)) == 3
    assert app.ctx.queue.pending_count() == 0


def test_an_order_failing_inside_a_batch_is_undone_alone_and_its_rolled_back_ack_never_sent(
    grouped: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = grouped
    ids = [receive(app, order_850(n, f"PO-GCF-{n}")) for n in range(1, 4)]
    failing = ids[1]

    def stored_then_crashed(ctx: ServiceContext, message_id: int, **kw: int | None) -> object:
        result = process_message(ctx, message_id, **kw)  # stores it and defers its ack
        if message_id == failing:
            raise RuntimeError("disk went away after the interchange was stored")
        return result

    monkeypatch.setattr(batch_module, "process_message", stored_then_crashed)
    name = _outbox(app)
    spy = CommittedCheckingConnector(app.ctx.connectors[name], app.ctx, ids)
    ctx = replace(app.ctx, connectors={**app.ctx.connectors, name: spy})

    results = drain(ctx)

    # The failed order was rolled back to its savepoint, then run on its own and stored once.
    assert sorted(r.message_id for r in results) == sorted(ids)
    assert _documents(app) == ["PO-GCF-1", "PO-GCF-2", "PO-GCF-3"]
    # Three acks in all: the one rolled back with the failed attempt was never sent, and its
    # control number was given back and used by the redo, so the numbers have no gap.
    icns = _sent_997s(app, ids)
    assert icns == list(range(icns[0], icns[0] + 3))
    assert len(spy.visible_at_send) == 3
    with app.ctx.uow() as uow:
        states = [e.state for e in uow.events.for_message(failing)]
    assert states.count("acknowledged") == 1


def test_a_batch_whose_commit_fails_is_processed_again_one_message_at_a_time(
    grouped: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = grouped
    ids = [receive(app, order_850(n, f"PO-GCC-{n}")) for n in range(1, 4)]

    def refuse(self: SqlBatchScope) -> None:
        raise OSError("database or disk is full")

    monkeypatch.setattr(SqlBatchScope, "commit", refuse)
    results = drain(app.ctx)

    assert [r.status for r in results] == ["acknowledged"] * 3
    assert _documents(app) == ["PO-GCC-1", "PO-GCC-2", "PO-GCC-3"]
    assert len(_sent_997s(app, ids)) == 3
    assert app.ctx.queue.pending_count() == 0


def test_without_group_commit_each_message_commits_and_sends_on_its_own(app: App) -> None:
    ids = [receive(app, order_850(n, f"PO-NOGC-{n}")) for n in range(1, 3)]
    name = _outbox(app)
    spy = CommittedCheckingConnector(app.ctx.connectors[name], app.ctx, ids)
    ctx = replace(app.ctx, batches=None, connectors={**app.ctx.connectors, name: spy})

    results: list[MessageResult] = drain(ctx)

    assert [r.status for r in results] == ["acknowledged"] * 2
    assert spy.visible_at_send == [1, 2]  # each ack went out right after its own commit


def test_a_batch_whose_ack_files_cannot_be_synced_leaves_its_acks_pending(
    grouped: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = grouped
    ids = [receive(app, order_850(n, f"PO-SYNC-{n}")) for n in range(1, 3)]

    def broken(self: HeldWrites) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(HeldWrites, "settle", broken)
    results = drain(app.ctx)

    assert [r.status for r in results] == ["acknowledged"] * 2
    with app.ctx.uow() as uow:
        acks = [a for m in ids for a in uow.outbound.for_message(m) if a.kind == "997"]
    assert [a.status for a in acks] == ["pending", "pending"]
    outbox = app.ctx.connectors[_outbox(app)]
    assert isinstance(outbox, FolderConnector)
    assert not any(outbox.options.outbox.glob("*997*"))
