"""The worker's side of event-triggered sync: queue triggered flows, run ``sync`` items.

After a ``process`` item has stored canonical documents, :func:`enqueue_after_store`
asks the worker's sync hook to queue the flows those document types trigger. It runs
before the ``process`` item is completed, so a crash in between re-runs the item (which
finds the message done and queues nothing) rather than losing the trigger; a failure to
queue is logged and left to the flows' schedules, never charged to the message, whose
documents are already stored.

:func:`run_sync_work` runs a ``sync`` item. Its failures take the pipeline's retry path:
a transient error (a system down) releases the item with the computed back-off; after
the last attempt, or at once for a permanent error or a configuration error (which
would stop the inbound pipeline if raised, while only this flow is affected), the run is
dead-lettered as a whole (:func:`~b2bbridge.services.sync_deadletter.dead_letter_run`)
and ``b2bbridge sync replay`` runs the flow again. The triggering message's own status
is not touched: its documents were stored, only a flow fed by them failed.
"""

from __future__ import annotations

import structlog

from b2bbridge.core.errors import B2BError
from b2bbridge.ports import WorkItem
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.disposition import Settle, retry_or_failure
from b2bbridge.services.results import MessageResult
from b2bbridge.services.sync_deadletter import dead_letter_run

log = structlog.get_logger("b2bbridge.worker")


def enqueue_after_store(ctx: ServiceContext, result: MessageResult) -> list[int]:
    """Queue the flows triggered by the document types stored for ``result``'s message."""
    if ctx.sync is None or result.documents == 0 or not ctx.sync.trigger_types:
        return []
    try:
        with ctx.uow() as uow:
            doc_types = {d.doc_type for d in uow.documents.for_message(result.message_id)}
        ids = ctx.sync.enqueue_triggered(ctx.queue, result.message_id, doc_types)
    except Exception as exc:  # noqa: BLE001 - the schedule catches what a trigger missed
        log.error("sync_trigger_failed", message_id=result.message_id, error=str(exc))
        return []
    if ids:
        log.info("sync_triggered", message_id=result.message_id, items=ids)
    return ids


def run_sync_work(ctx: ServiceContext, item: WorkItem, settle: Settle) -> None:
    """Run one ``sync`` item to completion, a retry, or a dead letter of the run."""
    if ctx.sync is None:
        failure = B2BError(
            f"sync work item {item.id} reached a worker without a sync configuration",
            code="sync_not_configured",
        )
        _dead_letter(ctx, item, failure, item.attempts + 1, settle)
        return
    try:
        ctx.sync.run_item(item)
    except Exception as exc:  # noqa: BLE001 - every failure gets a disposition
        _dispose(ctx, item, exc, settle)
        return
    settle(item, ctx.queue.complete, item.id)


def _dispose(ctx: ServiceContext, item: WorkItem, exc: Exception, settle: Settle) -> None:
    given_up = retry_or_failure(
        ctx,
        item,
        exc,
        settle,
        event="sync_work_retry_scheduled",
        stop_raises=False,
        item_id=item.id,
        flow=_flow_name(item),
    )
    if given_up is not None:
        _dead_letter(ctx, item, given_up[0], item.attempts + 1, settle)


def _dead_letter(
    ctx: ServiceContext, item: WorkItem, failure: B2BError, attempts: int, settle: Settle
) -> None:
    with ctx.uow() as uow:
        letter = dead_letter_run(
            uow,
            flow=_flow_name(item),
            trigger_message_id=item.message_id,
            failure=failure,
            attempts=attempts,
        )
        uow.commit()
    log.error("sync_work_dead_lettered", item_id=item.id, dead_letter_id=letter, error=str(failure))
    settle(item, ctx.queue.fail, item.id, error=str(failure))


def _flow_name(item: WorkItem) -> str:
    flow = (item.payload or {}).get("flow")
    return flow if isinstance(flow, str) and flow else "(no flow)"
