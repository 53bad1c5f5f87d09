"""Event triggers: a stored canonical document enqueues the flows it feeds at once.

The pipeline calls :func:`enqueue_triggered_flows` after storing a document; each flow
whose ``trigger`` is that document type gets a ``sync`` work item naming it. A worker
runs it with :func:`run_sync_item`. The flows' schedules catch whatever an event missed,
since a run always starts from the watermark, not from the event.
"""

from __future__ import annotations

from collections.abc import Iterable

from b2bbridge.core.sync import FlowSpec, flows_triggered_by
from b2bbridge.ports import WorkItem, WorkQueue
from b2bbridge.services.sync import SyncReport, run_flow
from b2bbridge.services.sync_context import SyncContext

WORK_KIND = "sync"


def enqueue_triggered_flows(
    queue: WorkQueue, flows: Iterable[FlowSpec], doc_type: str, message_id: int
) -> list[int]:
    """Enqueue one ``sync`` item per flow triggered by ``doc_type``; the item ids."""
    triggered = flows_triggered_by(list(flows), doc_type)
    return [queue.enqueue(WORK_KIND, message_id, payload={"flow": flow.name}) for flow in triggered]


def run_sync_item(ctx: SyncContext, item: WorkItem) -> SyncReport:
    """Run the flow a ``sync`` work item names."""
    payload = item.payload or {}
    return run_flow(ctx, str(payload["flow"]))
