"""The worker dispatches on the work item's kind: process, sync, and anything else.

The sync side is a fake hook here; the store and queue are the real embedded ones of the
example deployment (on SQLite and on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from pipeline_support import order_850, receive

from b2bbridge.bootstrap import App
from b2bbridge.core.errors import B2BError, ConnectorError
from b2bbridge.ports import WorkItem, WorkQueue
from b2bbridge.services.context import RetryPolicy, ServiceContext
from b2bbridge.services.worker import drain, run_item


class FakeSync:
    """A sync hook: triggers ``partner-orders`` on orders, runs or fails as told."""

    def __init__(self, *failures: Exception, triggers: frozenset[str] = frozenset({"order"})):
        self.triggers = triggers
        self.failures = list(failures)
        self.asked: list[tuple[int, frozenset[str]]] = []
        self.ran: list[tuple[str, int]] = []

    @property
    def trigger_types(self) -> frozenset[str]:
        return self.triggers

    def enqueue_triggered(
        self, queue: WorkQueue, message_id: int, doc_types: Collection[str]
    ) -> list[int]:
        self.asked.append((message_id, frozenset(doc_types)))
        if not self.triggers & set(doc_types):
            return []
        return [queue.enqueue("sync", message_id, payload={"flow": "partner-orders"})]

    def run_item(self, item: WorkItem) -> object:
        if self.failures:
            raise self.failures.pop(0)
        self.ran.append((str((item.payload or {})["flow"]), item.message_id))
        return None


class BrokenQueueSync(FakeSync):
    def enqueue_triggered(
        self, queue: WorkQueue, message_id: int, doc_types: Collection[str]
    ) -> list[int]:
        raise ConnectionError("queue table locked")


def _ctx(app: App, sync: FakeSync | None, attempts: int = 5) -> ServiceContext:
    return replace(app.ctx, sync=sync, retry=RetryPolicy(max_attempts=attempts, base_seconds=0.0))


def _lease_one(ctx: ServiceContext) -> WorkItem:
    (item,) = ctx.queue.lease(worker="w", limit=1, lease_seconds=60)
    return item


def _status(ctx: ServiceContext, message_id: int) -> str:
    with ctx.uow() as uow:
        return uow.messages.get(message_id).status


def test_a_processed_order_queues_its_triggered_flow_and_the_same_drain_runs_it(
    app: App,
) -> None:
    sync = FakeSync()
    ctx = _ctx(app, sync)
    message_id = receive(app, order_850(31, "PO-TRIG-1"))

    results = drain(ctx)

    assert [r.message_id for r in results] == [message_id]
    assert sync.asked == [(message_id, frozenset({"order"}))]
    assert sync.ran == [("partner-orders", message_id)]
    assert ctx.queue.pending_count() == 0


def test_a_message_with_no_triggering_document_type_queues_no_sync_work(app: App) -> None:
    sync = FakeSync(triggers=frozenset({"invoice"}))
    ctx = _ctx(app, sync)
    message_id = receive(app, order_850(32, "PO-TRIG-2"))

    drain(ctx)

    assert sync.asked == [(message_id, frozenset({"order"}))]
    assert (sync.ran, ctx.queue.pending_count()) == ([], 0)


def test_without_any_triggered_flow_the_worker_does_not_look_up_document_types(
    app: App,
) -> None:
    sync = FakeSync(triggers=frozenset())
    receive(app, order_850(38, "PO-TRIG-8"))

    drain(_ctx(app, sync))

    assert sync.asked == []


def test_a_trigger_that_cannot_be_queued_leaves_the_message_stored_and_done(app: App) -> None:
    ctx = _ctx(app, BrokenQueueSync())
    message_id = receive(app, order_850(33, "PO-TRIG-3"))

    (result,) = drain(ctx)

    assert (result.documents, _status(ctx, message_id)) == (1, "acknowledged")
    assert ctx.queue.pending_count() == 0


def test_a_sync_item_failing_transiently_is_retried_then_dead_lettered_as_a_run(
    app: App,
) -> None:
    down = ConnectorError("connection refused", code="system_unavailable")
    sync = FakeSync(down, down)
    ctx = _ctx(app, sync, attempts=2)
    message_id = receive(app, order_850(34, "PO-TRIG-4"))
    run_item(ctx, _lease_one(ctx))  # the 850: stored, and partner-orders queued

    run_item(ctx, _lease_one(ctx))
    assert ctx.queue.pending_count() == 1  # released for a retry
    run_item(ctx, _lease_one(ctx))

    with ctx.uow() as uow:
        (letter,) = uow.dead_letters.list()
        holder = uow.messages.get(letter.message_id)
    assert (letter.code, letter.attempts, letter.location["file"]) == (
        "system_unavailable",
        2,
        "sync:partner-orders",
    )
    assert (holder.connector, holder.filename) == ("sync:partner-orders", "partner-orders/run.json")
    assert _status(ctx, message_id) == "acknowledged"  # the order itself was stored fine
    assert (sync.ran, ctx.queue.pending_count()) == ([], 0)


def test_a_sync_item_failing_permanently_is_dead_lettered_without_a_retry(app: App) -> None:
    sync = FakeSync(B2BError("customer code refused", code="system_rejected"))
    ctx = _ctx(app, sync)
    receive(app, order_850(35, "PO-TRIG-5"))

    drain(ctx)

    with ctx.uow() as uow:
        (letter,) = uow.dead_letters.list()
    assert (letter.code, letter.attempts, ctx.queue.pending_count()) == ("system_rejected", 1, 0)


def test_a_sync_item_reaching_a_worker_without_sync_is_dead_lettered_not_dropped(
    app: App,
) -> None:
    ctx = _ctx(app, None)
    message_id = receive(app, order_850(36, "PO-TRIG-6"))
    drain(ctx)
    ctx.queue.enqueue("sync", message_id, payload={"flow": "partner-orders"})

    drain(ctx)

    with ctx.uow() as uow:
        (letter,) = uow.dead_letters.list()
    assert (letter.code, ctx.queue.pending_count()) == ("sync_not_configured", 0)


def test_an_item_of_unknown_kind_is_dead_lettered_on_its_message_and_never_retried(
    app: App,
) -> None:
    ctx = _ctx(app, FakeSync())
    message_id = receive(app, order_850(37, "PO-TRIG-7"))
    drain(ctx)
    ctx.queue.enqueue("reindex", message_id)

    assert drain(ctx) == []

    with ctx.uow() as uow:
        (letter,) = uow.dead_letters.list()
        events = [e.state for e in uow.events.for_message(message_id)]
    assert (letter.message_id, letter.code) == (message_id, "work_kind_unknown")
    assert "work_failed" in events
    assert _status(ctx, message_id) == "acknowledged"
    assert ctx.queue.pending_count() == 0


def test_an_order_pushed_through_the_api_queues_its_triggered_flow_like_a_received_one(
    app: App,
) -> None:
    from b2bbridge.core.model.order import Order
    from b2bbridge.services.intake import receive_order

    sync = FakeSync()
    ctx = _ctx(app, sync)
    data = b'{"number": "PO-API-1", "lines": [{"quantity": "2"}]}'
    first = receive_order(
        ctx, connector="api", partner="acme", data=data, order=Order.model_validate_json(data)
    )
    again = receive_order(  # the same order again: no new document, nothing triggered
        ctx,
        connector="api",
        partner="acme",
        data=data + b" ",
        order=Order.model_validate_json(data),
    )

    assert sync.asked == [(first.message_id, frozenset({"order"}))]
    assert again.new_documents == 0
    drain(ctx)
    assert sync.ran == [("partner-orders", first.message_id)]
