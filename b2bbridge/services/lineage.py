"""Lineage in both directions: from a received file down to everything it caused, and back.

Downward, a message fans out to its interchanges, their transactions, the canonical
documents stored from each transaction, the outbound documents (acks) that answered it
with the acks we in turn expect for them, and its dead letters with their replays.
Upward, a document leads back through its transaction and interchange to the file it
came from. A document that was already stored by an earlier message is shown where it
was first stored; the later transaction is recorded as a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass

from b2bbridge.ports import (
    AckExpectationRecord,
    DeadLetterRecord,
    DocumentRecord,
    EventRecord,
    InterchangeRecord,
    MessageRecord,
    OutboundRecord,
    TransactionRecord,
    UnitOfWork,
)
from b2bbridge.services.context import ServiceContext


@dataclass(frozen=True, slots=True)
class TransactionNode:
    record: TransactionRecord
    documents: tuple[DocumentRecord, ...]


@dataclass(frozen=True, slots=True)
class InterchangeNode:
    record: InterchangeRecord
    transactions: tuple[TransactionNode, ...]


@dataclass(frozen=True, slots=True)
class OutboundNode:
    record: OutboundRecord
    expectations: tuple[AckExpectationRecord, ...]


@dataclass(frozen=True, slots=True)
class MessageLineage:
    """Everything downstream of one message, read in one unit of work."""

    message: MessageRecord
    events: tuple[EventRecord, ...]
    interchanges: tuple[InterchangeNode, ...]
    outbound: tuple[OutboundNode, ...]
    dead_letters: tuple[DeadLetterRecord, ...]

    @property
    def documents(self) -> list[DocumentRecord]:
        return [d for i in self.interchanges for t in i.transactions for d in t.documents]


@dataclass(frozen=True, slots=True)
class DocumentTrail:
    """A document and the path back to the file it was read from."""

    document: DocumentRecord
    transaction: TransactionRecord | None
    interchange: InterchangeRecord | None
    message: MessageRecord


def trace_message(ctx: ServiceContext, message_id: int) -> MessageLineage:
    """The downward lineage of a message; unknown ids raise ``NotFoundError``."""
    with ctx.uow() as uow:
        message = uow.messages.get(message_id)
        docs_by_tx: dict[int | None, list[DocumentRecord]] = {}
        for doc in uow.documents.for_message(message_id):
            docs_by_tx.setdefault(doc.transaction_id, []).append(doc)
        interchanges = tuple(
            InterchangeNode(
                icx,
                tuple(
                    TransactionNode(tx, tuple(docs_by_tx.get(tx.id, ())))
                    for tx in uow.transactions.for_interchange(icx.id)
                ),
            )
            for icx in uow.interchanges.for_message(message_id)
        )
        return MessageLineage(
            message=message,
            events=tuple(uow.events.for_message(message_id)),
            interchanges=interchanges,
            outbound=_outbound(uow, message_id),
            dead_letters=tuple(uow.dead_letters.for_message(message_id)),
        )


def _outbound(uow: UnitOfWork, message_id: int) -> tuple[OutboundNode, ...]:
    return tuple(
        OutboundNode(o, tuple(uow.ack_expectations.for_outbound(o.id)))
        for o in uow.outbound.for_message(message_id)
    )


def trace_document(ctx: ServiceContext, document_id: int) -> DocumentTrail:
    """The upward lineage of a document: transaction, interchange, message (the file)."""
    with ctx.uow() as uow:
        document = uow.documents.get(document_id)
        transaction = (
            uow.transactions.get(document.transaction_id)
            if document.transaction_id is not None
            else None
        )
        interchange = (
            uow.interchanges.get(transaction.interchange_id) if transaction is not None else None
        )
        message = uow.messages.get(document.message_id)
    return DocumentTrail(document, transaction, interchange, message)
