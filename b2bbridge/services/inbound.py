"""Process one inbound payload: read it, check it, map each transaction, store, acknowledge.

The payload is read as a stream of events and mapped one transaction at a time. At each
interchange trailer the envelope outcome decides which transactions stand (an interchange
or group with envelope errors takes all its transactions down with it), and then one unit
of work writes the interchange, its transactions, their canonical documents, the dead
letters and the acks, so an interchange is never half-stored. The acks are sent after the
commit; a send that fails leaves them pending, never lost.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import structlog

from b2bbridge.core.edi.acks.outcome import (
    RECENT,
    InterchangeOutcome,
    OutcomeBuilder,
    TransactionOutcome,
)
from b2bbridge.core.edi.events import (
    Event,
    InterchangeEnd,
    InterchangeHeader,
    InterchangeStart,
    Transaction,
    collect_transactions,
)
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.reader import read_events
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import B2BError, Problem, UnknownPartnerError
from b2bbridge.core.partner import PartnerProfile
from b2bbridge.ports import MessageRecord, WorkItem
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.deadletter import record_dead_letter
from b2bbridge.services.documents import document_format, process_document_payload
from b2bbridge.services.interchange import (
    DocumentCount,
    InterchangeBatch,
    commit_interchange,
    header_location,
    map_unit,
)
from b2bbridge.services.results import MessageResult
from b2bbridge.services.spool import SpillList

log = structlog.get_logger("b2bbridge.inbound")
SNIFF = 8192
"""How much of a payload's head decides its format (EDI, XML, JSON, CSV, a sheet)."""

PROCESS = "process"
"""The work kind of a received message waiting for this pipeline."""


def _transaction_log() -> SpillList[TransactionOutcome]:
    """A group's outcomes, spilled but for the newest the builder may still change."""
    return SpillList(keep_live=RECENT)


def _close_logs(outcome: InterchangeOutcome) -> None:
    """Let a stored interchange's spilled outcomes go now rather than when collected."""
    for group in outcome.groups:
        if isinstance(group.transactions, SpillList):
            group.transactions.close()


def _observed(events: Iterable[Event], builder: OutcomeBuilder) -> Iterator[Event]:
    for ev in events:
        builder.observe(ev)
        yield ev


@dataclass(frozen=True, slots=True)
class PendingMessage:
    """A work item's message, still to be processed, and the dead letter it replays, if any."""

    message: MessageRecord
    replay_of: int | None


def pending_message(ctx: ServiceContext, item: WorkItem) -> PendingMessage | None:
    """What a ``process`` item still has to do; None when its message is already done.

    A worker that processed the message and then crashed before completing the item
    leaves it to be leased again: the message is no longer ``received``, so there is
    nothing to redo, only the item to settle. A replay always runs.
    """
    with ctx.uow() as uow:
        msg = uow.messages.get(item.message_id)
    raw = (item.payload or {}).get("replay_of")
    replay_of = raw if isinstance(raw, int) else None
    if replay_of is None and msg.status != "received":
        log.info("work_already_done", message_id=msg.id, status=msg.status)
        return None
    return PendingMessage(msg, replay_of)


def process_message(
    ctx: ServiceContext,
    message_id: int,
    *,
    replay_of: int | None = None,
    message: MessageRecord | None = None,
) -> MessageResult:
    """Run one stored payload through the inbound pipeline; safe to run again (replay).

    ``message`` is the message's record when the caller has just read it (a worker's
    :func:`pending_message`), which spares a second lookup. Only its id, partner, file
    name and payload are used, and nothing else changes them while the caller holds the
    work item's lease.
    """
    if message is not None and message.id != message_id:
        raise ValueError(f"message {message.id} was given for message {message_id}")
    with ctx.uow() as uow:
        msg = message if message is not None else uow.messages.get(message_id)
        source = uow.payloads.open(msg.payload_sha256)
    result = MessageResult(message_id, partner=msg.partner)
    with source:
        if document_format(source.peek(SNIFF)[:SNIFF], msg.filename) is not None:
            # XML, JSON and sheets are parsed whole by their readers; EDI streams.
            process_document_payload(ctx, msg, source.read(), result, replay_of=replay_of)
        else:
            _process_edi(ctx, msg, source, result, replay_of)
    _finish(ctx, msg, result)
    return result


def _process_edi(
    ctx: ServiceContext,
    msg: MessageRecord,
    source: io.BufferedReader,
    result: MessageResult,
    replay_of: int | None,
) -> None:
    """Read the payload as a stream, one interchange stored at a time."""
    hint = ctx.partners.find(msg.partner)
    options = hint.read_options(msg.filename) if hint else ReadOptions(file=msg.filename)
    builder = OutcomeBuilder(transactions=_transaction_log)
    documents = DocumentCount(msg, replay_of)
    batch: InterchangeBatch | None = None
    loose: list[Problem] = []
    try:
        for item in collect_transactions(_observed(read_events(source, options), builder)):
            if isinstance(item, InterchangeStart):
                batch = InterchangeBatch(item.header, *_identify(ctx, item.header, hint, msg))
            elif isinstance(item, Transaction) and batch is not None:
                batch.add(map_unit(ctx, batch, item, builder))
            elif isinstance(item, Segment) and item.tag == "TA1" and batch is not None:
                batch.ta1s.append(item)
            elif isinstance(item, InterchangeEnd) and batch is not None:
                outcome = _outcome_for(builder, item.header)
                commit_interchange(
                    ctx, msg, batch, outcome, result, replay_of=replay_of, documents=documents
                )
                batch.close()
                batch = None
                builder.forget_before(outcome)
                _close_logs(outcome)
            elif isinstance(item, Problem) and batch is None and item.is_error:
                loose.append(item)
    finally:
        if batch is not None:
            batch.close()
    if loose:
        _reject_loose(ctx, msg, loose, result, replay_of)


def _identify(
    ctx: ServiceContext, header: InterchangeHeader, hint: PartnerProfile | None, msg: MessageRecord
) -> tuple[PartnerProfile | None, B2BError | None]:
    """The partner by envelope id, falling back to the connector's partner."""
    try:
        return ctx.partners.identify(header.syntax, header.sender), None
    except UnknownPartnerError as exc:
        if hint is not None:
            return hint, None
        exc.with_location(**header_location(header, msg.filename).as_dict())
        return None, exc


def _outcome_for(builder: OutcomeBuilder, header: InterchangeHeader) -> InterchangeOutcome:
    for outcome in reversed(builder.outcomes()):
        if outcome.header is header:
            return outcome
    raise LookupError(f"no outcome for interchange {header.control_number}")


def _reject_loose(
    ctx: ServiceContext,
    msg: MessageRecord,
    problems: list[Problem],
    result: MessageResult,
    replay_of: int | None,
) -> None:
    """Problems outside any interchange (not EDI at all, junk after the last trailer)."""
    with ctx.uow() as uow:
        first = problems[0]
        record_dead_letter(
            uow, message_id=msg.id, partner=msg.partner, failure=first, replay_of=replay_of
        )
        uow.commit()
    result.errors.extend(p.render() for p in problems)


def _finish(ctx: ServiceContext, msg: MessageRecord, result: MessageResult) -> None:
    with ctx.uow() as uow:
        if result.partner and result.partner != msg.partner:
            uow.messages.set_partner(msg.id, result.partner)
        uow.messages.set_status(
            msg.id,
            result.status,
            component="inbound",
            code=None if not result.failed else "rejected",
            detail={
                "documents": result.documents,
                "rejected": result.rejected,
                "duplicates": result.duplicates,
                "acks": result.acks,
            },
        )
        uow.commit()
    event = "message_failed" if result.failed else "message_processed"
    (log.warning if result.failed else log.info)(
        event,
        message_id=msg.id,
        status=result.status,
        documents=result.documents,
        rejected=result.rejected,
        duplicates=result.duplicates,
        acks=result.acks,
    )
