"""Receive: take what a connector has ready, store it durably, queue it, then let it go.

The order matters. The payload, its message row and its work item are committed in one
transaction, and the source is confirmed (moved out of the inbox, deleted on the server) only
after processing has decided where it belongs, so a crash at any point leads to a re-read,
never to a loss. A re-read payload is recognised by its content hash and recorded as a
duplicate of the first: the file name is never trusted for that.
"""

from __future__ import annotations

import io
import itertools
import uuid
from dataclasses import dataclass
from typing import BinaryIO

import structlog

from b2bbridge.core.edi.detect import sniff
from b2bbridge.ports import Connector, InboundFile, StreamingConnector
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.inbound import PROCESS

log = structlog.get_logger("b2bbridge.receive")
SNIFF = 4096  # what tells X12 from EDIFACT from anything else
CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Received:
    item: InboundFile
    message_id: int
    duplicate_of: int | None = None


def receive_payload(
    ctx: ServiceContext, *, connector: str, partner: str | None, filename: str | None, data: bytes
) -> Received:
    """Store one payload and queue it for processing; the durable hand-off point."""
    return receive_stream(
        ctx, connector=connector, partner=partner, filename=filename, source=io.BytesIO(data)
    )


def receive_stream(
    ctx: ServiceContext,
    *,
    connector: str,
    partner: str | None,
    filename: str | None,
    source: BinaryIO,
) -> Received:
    """:func:`receive_payload` for a stream, read in pieces: a large file is never whole."""
    head = source.read(SNIFF)
    chunks = itertools.chain((head,), iter(lambda: source.read(CHUNK), b""))
    correlation_id = uuid.uuid4().hex
    syntax = sniff(head).syntax
    with ctx.uow() as uow:
        sha, size = uow.payloads.put_chunks(chunks)
        earlier = uow.messages.find_by_payload(sha, partner=partner)
        message_id = uow.messages.add(
            direction="in",
            partner=partner,
            connector=connector,
            filename=filename,
            payload_sha256=sha,
            size=size,
            correlation_id=correlation_id,
            syntax=syntax,
        )
        if earlier:
            uow.messages.set_status(
                message_id,
                "duplicate",
                component="receive",
                code="payload_duplicate",
                detail={"duplicate_of": earlier[0].id},
            )
        item_id = None if earlier else uow.work.add(PROCESS, message_id)
        uow.commit()
    item = InboundFile(connector=connector, ref=filename or "", name=filename or "", size=size)
    if earlier:
        log.warning(
            "payload_duplicate",
            message_id=message_id,
            duplicate_of=earlier[0].id,
            file=filename,
            correlation_id=correlation_id,
        )
        return Received(item, message_id, duplicate_of=earlier[0].id)
    assert item_id is not None
    ctx.queue.announce(item_id)
    log.info(
        "message_received",
        message_id=message_id,
        file=filename,
        partner=partner,
        connector=connector,
        size=size,
        sha256=sha,
        correlation_id=correlation_id,
    )
    return Received(item, message_id)


def receive_from(ctx: ServiceContext, connector: Connector) -> list[Received]:
    """Everything one connector has ready now."""
    received: list[Received] = []
    for item in connector.poll():
        received.append(receive_item(ctx, connector, item))
    return received


def receive_item(ctx: ServiceContext, connector: Connector, item: InboundFile) -> Received:
    """One polled item, streamed when the connector can, else fetched whole."""
    name, partner = connector.name, connector.partner
    if isinstance(connector, StreamingConnector):
        with connector.open(item) as source:
            r = receive_stream(
                ctx, connector=name, partner=partner, filename=item.name, source=source
            )
    else:
        data = connector.fetch(item)
        r = receive_payload(ctx, connector=name, partner=partner, filename=item.name, data=data)
    return Received(item, r.message_id, r.duplicate_of)
