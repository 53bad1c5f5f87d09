"""Group commit: process a leased batch of messages in one store transaction.

On the embedded store every commit is a synced write, and one message used to take five
of them, which capped a worker at some hundred messages a second whatever the CPU did.
Here the messages a worker leased together run inside one batch transaction, each in its
own savepoint, and commit together: the store syncs once per batch.

What a message does outside the store waits for the commit. Acknowledgements are stored
inside the batch but handed to the outbox connector only after it commits (an ack must
never reach a partner for work that was then rolled back), then recorded as sent in one
transaction; the flows that stored documents trigger are queued after the commit too;
and the work items are completed together at the end. A crash anywhere before the commit
leaves every item leased and unfinished, so the whole batch is redone; a crash after it
finds each message no longer ``received`` and only settles its item.

A message whose processing raises is rolled back to its savepoint alone, and once the
batch has committed it is run again on its own through the ordinary path, which gives it
its retry or dead letter with the usual bookkeeping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace

import structlog

from b2bbridge.logs import bind_message
from b2bbridge.ports import BatchScope, BatchSendingConnector, WorkItem
from b2bbridge.services.acknowledge import mark_sent
from b2bbridge.services.context import DeferredSend, ServiceContext
from b2bbridge.services.inbound import PROCESS, pending_message, process_message
from b2bbridge.services.results import MessageResult
from b2bbridge.services.sync_work import enqueue_after_store

log = structlog.get_logger("b2bbridge.batch")

RunAlone = Callable[[ServiceContext, WorkItem], MessageResult | None]


@dataclass(slots=True)
class _Outcome:
    """What one batch transaction did, sorted by what still has to happen to each item."""

    results: list[tuple[WorkItem, MessageResult]] = field(default_factory=list)
    settled: list[WorkItem] = field(default_factory=list)  # done before; only settle
    alone: list[WorkItem] = field(default_factory=list)  # failed; run again on its own
    sends: list[DeferredSend] = field(default_factory=list)


def run_batch(
    ctx: ServiceContext, items: Sequence[WorkItem], *, run_alone: RunAlone
) -> list[MessageResult]:
    """Run leased items, the ``process`` ones under one commit; the messages' results.

    ``run_alone`` is the worker's ordinary one-item path: it takes the items of other
    kinds, those that failed inside the batch, and everything when the store offers no
    batch transaction (``ctx.batches`` unset) or there is only one item.
    """
    batchable = [item for item in items if item.kind == PROCESS]
    if ctx.batches is None or len(batchable) < 2:
        return _each_alone(ctx, items, run_alone)
    others = [item for item in items if item.kind != PROCESS]
    try:
        with ctx.batches() as scope:
            outcome = _inside(ctx, scope, batchable)
            scope.commit()
    except Exception as exc:  # noqa: BLE001 - the batch is undone; each item runs alone
        log.warning("batch_commit_failed", items=len(batchable), error=str(exc))
        return _each_alone(ctx, items, run_alone)
    _after_commit(ctx, outcome)
    results = [result for _item, result in outcome.results]
    return results + _each_alone(ctx, others + outcome.alone, run_alone)


def _inside(ctx: ServiceContext, scope: BatchScope, items: list[WorkItem]) -> _Outcome:
    outcome = _Outcome()
    inner = replace(ctx, uow=scope.unit_of_work, deferred_sends=outcome.sends, batches=None)
    for item in items:
        held = len(outcome.sends)
        try:
            with scope.item():
                result = _process(inner, item, outcome)
        except Exception as exc:  # noqa: BLE001 - undone here, disposed of alone later
            del outcome.sends[held:]  # its acks were rolled back with it: never send them
            log.warning(
                "batch_item_failed", item_id=item.id, message_id=item.message_id, error=str(exc)
            )
            outcome.alone.append(item)
            continue
        if result is not None:
            outcome.results.append((item, result))
    return outcome


def _process(ctx: ServiceContext, item: WorkItem, outcome: _Outcome) -> MessageResult | None:
    pending = pending_message(ctx, item)
    if pending is None:
        outcome.settled.append(item)
        return None
    msg = pending.message
    with bind_message(correlation_id=msg.correlation_id, message_id=msg.id, partner=msg.partner):
        return process_message(ctx, item.message_id, replay_of=pending.replay_of, message=msg)


def _after_commit(ctx: ServiceContext, outcome: _Outcome) -> None:
    """Deliver, record the deliveries, queue triggered flows, settle the items."""
    sent = _deliver_together(ctx, outcome.sends)
    if sent:
        mark_sent(ctx, sent)
    for _item, result in outcome.results:
        enqueue_after_store(ctx, result)
    finished = [item.id for item, _result in outcome.results]
    ctx.queue.complete_many(finished + [item.id for item in outcome.settled])


def _deliver_together(ctx: ServiceContext, sends: Sequence[DeferredSend]) -> list[int]:
    """Run the batch's sends with every connector that can make them durable together.

    A folder outbox then syncs the batch's ack files once rather than once each. If that
    sync fails, nothing counts as sent: the acks stay pending for the recovery sweep.
    """
    if not sends:
        return []
    try:
        with ExitStack() as together:
            for connector in ctx.connectors.values():
                if isinstance(connector, BatchSendingConnector):
                    together.enter_context(connector.sending_together())
            return [outbound_id for send in sends for outbound_id in send(ctx)]
    except OSError as exc:
        log.error("ack_delivery_failed", acks=len(sends), error=str(exc))
        return []


def _each_alone(
    ctx: ServiceContext, items: Sequence[WorkItem], run_alone: RunAlone
) -> list[MessageResult]:
    results: list[MessageResult] = []
    for item in items:
        result = run_alone(ctx, item)
        if result is not None:
            results.append(result)
    return results
