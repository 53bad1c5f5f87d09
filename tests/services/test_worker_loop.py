"""The long-running worker loop and its guard against redoing finished work."""

from __future__ import annotations

from pipeline_support import order_850, receive

from b2bbridge.bootstrap import App
from b2bbridge.services.worker import WorkerOptions, run_item, work


def test_worker_processes_everything_queued_then_stops_when_asked(app: App) -> None:
    for n in range(1, 4):
        receive(app, order_850(n, f"PO-LOOP-{n}"))
    idles: list[float] = []
    done = work(
        app.ctx,
        should_stop=lambda: bool(idles),
        idle=idles.append,
        options=WorkerOptions(batch=2, idle_seconds=0.25),
    )
    with app.ctx.uow() as uow:
        numbers = sorted(d.doc_number for d in uow.documents.list())
    assert (done, idles, numbers) == (3, [0.25], ["PO-LOOP-1", "PO-LOOP-2", "PO-LOOP-3"])


def test_item_for_an_already_processed_message_is_completed_without_rework(app: App) -> None:
    message_id = receive(app, order_850(21, "PO-TWICE"))
    (item,) = app.ctx.queue.lease(worker="w1", limit=1, lease_seconds=60)
    run_item(app.ctx, item)
    redelivered = app.ctx.queue.enqueue("process", message_id)
    (again,) = app.ctx.queue.lease(worker="w2", limit=1, lease_seconds=60)
    assert again.id == redelivered
    assert run_item(app.ctx, again) is None
    with app.ctx.uow() as uow:
        states = [e.state for e in uow.events.for_message(message_id)]
        docs = uow.documents.for_message(message_id)
    assert (len(docs), states.count("acknowledged"), app.ctx.queue.pending_count()) == (1, 1, 0)


def test_worker_whose_item_was_finished_elsewhere_after_its_lease_ran_out_carries_on(
    app: App,
) -> None:
    receive(app, order_850(22, "PO-LOST-LEASE"))
    (item,) = app.ctx.queue.lease(worker="slow", limit=1, lease_seconds=60)
    app.ctx.queue.complete(item.id)  # reclaimed and finished by another worker meanwhile
    result = run_item(app.ctx, item)
    assert result is not None
    assert (result.documents, app.ctx.queue.pending_count()) == (1, 0)
