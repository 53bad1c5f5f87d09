"""Event triggers: a stored canonical document enqueues the flows it feeds at once.

When the worker has stored a message's canonical documents it calls
:meth:`SyncTriggers.enqueue_triggered`; each flow whose ``trigger`` is one of the stored
document types gets a ``sync`` work item naming it, keyed to the message that triggered
it. A worker runs that item with :func:`run_sync_item`, under the queue's retry and
dead-letter machinery like any other work. The flows' schedules catch whatever an event
missed, since a run always starts from the watermark, not from the event: two items for
one flow cost a second, empty run, never a duplicate.

:class:`SyncTriggers` is the worker's :class:`~b2bbridge.services.context.SyncHook`.
With ``remember`` on, it also notes what it queued and ran, so that ``run --once`` can
say in its summary which triggered flows ran and which are still queued; long-running
workers leave it off, since nobody reads the notes there and they would only grow.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

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


def item_flow(item: WorkItem) -> str:
    """The flow a ``sync`` item names; a payload without one is a bug, not a retry."""
    flow = (item.payload or {}).get("flow")
    if not isinstance(flow, str) or not flow:
        raise ValueError(f"sync work item {item.id} names no flow: {item.payload!r}")
    return flow


def run_sync_item(ctx: SyncContext, item: WorkItem) -> SyncReport:
    """Run the flow a ``sync`` work item names."""
    return run_flow(ctx, item_flow(item))


@dataclass(frozen=True, slots=True)
class TriggeredRun:
    """A ``sync`` item this process queued, and what became of it here so far."""

    item_id: int
    flow: str
    message_id: int
    report: SyncReport | None = None
    error: str | None = None


@dataclass(slots=True)
class SyncTriggers:
    """The worker's sync hook over a :class:`SyncContext` built by the composition root.

    ``guard`` is held around each run: ``serve`` passes one lock to this hook and to its
    flow scheduler, so that the two threads never run flows over the same system
    adapters at once.
    """

    ctx: SyncContext
    guard: AbstractContextManager[object] = field(default_factory=nullcontext)
    remember: bool = False
    queued: dict[int, TriggeredRun] = field(default_factory=dict)

    @property
    def trigger_types(self) -> frozenset[str]:
        return frozenset(f.trigger for f in self.ctx.flows.values() if f.trigger is not None)

    def enqueue_triggered(
        self, queue: WorkQueue, message_id: int, doc_types: Collection[str]
    ) -> list[int]:
        """Queue the flows triggered by any of ``doc_types``, each once per message."""
        flows = list(self.ctx.flows.values())
        ids: list[int] = []
        for doc_type in sorted(set(doc_types)):
            for flow in flows_triggered_by(flows, doc_type):
                item_id = queue.enqueue(WORK_KIND, message_id, payload={"flow": flow.name})
                if self.remember:
                    self.queued[item_id] = TriggeredRun(item_id, flow.name, message_id)
                ids.append(item_id)
        return ids

    def run_item(self, item: WorkItem) -> SyncReport:
        """Run the item's flow; a failure is noted here and raised for the worker to dispose."""
        flow = item_flow(item)
        try:
            with self.guard:
                report = run_flow(self.ctx, flow)
        except Exception as exc:
            self._note(item, flow, error=f"{type(exc).__name__}: {exc}")
            raise
        self._note(item, flow, report=report)
        return report

    def _note(
        self,
        item: WorkItem,
        flow: str,
        *,
        report: SyncReport | None = None,
        error: str | None = None,
    ) -> None:
        if self.remember:
            self.queued[item.id] = TriggeredRun(item.id, flow, item.message_id, report, error)
