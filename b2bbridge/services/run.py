"""One pass of the whole inbound job: receive from every connector, process, file the sources.

``b2bbridge run --once`` is exactly one call of :func:`run_once`; the long-running
``run`` repeats it on a schedule. Sources are confirmed last: to the archive when their
payload is stored and was processed (or is queued for a retry: the store owns it now), to
the error folder when it was rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import structlog

from b2bbridge.ports import Connector
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.receive import Received, receive_from
from b2bbridge.services.results import MessageResult
from b2bbridge.services.worker import drain

log = structlog.get_logger("b2bbridge.run")

FAILED_STATES = frozenset({"rejected", "partial", "dead"})


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One line of the run summary: a source file and what became of it."""

    file: str
    connector: str
    partner: str | None
    message_id: int
    documents: int
    status: str
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status in FAILED_STATES


def run_once(
    ctx: ServiceContext,
    connectors: Sequence[Connector],
    *,
    on_result: Callable[[MessageResult], None] | None = None,
) -> list[SummaryRow]:
    """Receive everything ready, process the queue until it is empty, file the sources."""
    received: list[tuple[Connector, Received]] = []
    for connector in connectors:
        received.extend((connector, r) for r in receive_from(ctx, connector))
    results = {r.message_id: r for r in drain(ctx, on_result=on_result)}
    rows: list[SummaryRow] = []
    for connector, rec in received:
        row = _summarize(ctx, rec, results.get(rec.message_id))
        where = connector.confirm(rec.item, ok=not row.failed)
        log.info("source_confirmed", file=rec.item.name, status=row.status, moved_to=where)
        rows.append(row)
    return rows


def _summarize(ctx: ServiceContext, rec: Received, result: MessageResult | None) -> SummaryRow:
    with ctx.uow() as uow:
        msg = uow.messages.get(rec.message_id)
        dead = uow.dead_letters.list(message_id=rec.message_id) if result is None else []
    if rec.duplicate_of is not None:
        detail = f"same content as message {rec.duplicate_of}"
        return SummaryRow(
            rec.item.name, rec.item.connector, msg.partner, msg.id, 0, "duplicate", detail
        )
    if result is None:
        detail = dead[0].reason if dead else "queued for retry"
        return SummaryRow(
            rec.item.name, rec.item.connector, msg.partner, msg.id, 0, msg.status, detail
        )
    detail = "; ".join(result.errors[:1])
    return SummaryRow(
        rec.item.name,
        rec.item.connector,
        result.partner,
        msg.id,
        result.documents,
        result.status,
        detail,
    )
