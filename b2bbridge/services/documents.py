"""Inbound payloads that are documents rather than EDI interchanges: XML, JSON, CSV, XLSX.

A cXML or UBL order, a partner's JSON order or a reorder sheet has no envelope and no
control numbers, so there is nothing to acknowledge at the syntax level: the payload is
mapped with the partner's mapping for its format and kind, and its documents are stored
in one unit of work (a document whose natural key is already stored is not stored again).
The partner comes from the connector, since the payload names no interchange sender.
A payload that cannot be mapped becomes one dead letter naming the rule and the place
(XPath, JSON path, or row and column).
"""

from __future__ import annotations

import structlog

from b2bbridge.core.errors import B2BError, UnknownPartnerError
from b2bbridge.core.location import Location
from b2bbridge.core.mapping.formats import detect_format
from b2bbridge.core.mapping.translation import translate_file
from b2bbridge.ports import MessageRecord
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.deadletter import record_dead_letter
from b2bbridge.services.interchange import document_fields
from b2bbridge.services.results import MessageResult

log = structlog.get_logger("b2bbridge.documents")

DOCUMENT_FORMATS = frozenset({"xml", "json", "xlsx"})
CSV_NAMES = (".csv", ".tsv")


def document_format(data: bytes, filename: str | None) -> str | None:
    """The payload's format when it is a document format, else None (EDI or unknown).

    CSV is recognised only by a ``.csv``/``.tsv`` name: plain text has no signature, and a
    letter with a comma in its first line is not a reorder sheet.
    """
    fmt = detect_format(data, filename)
    if fmt in DOCUMENT_FORMATS:
        return fmt
    if fmt == "csv" and (filename or "").lower().endswith(CSV_NAMES):
        return fmt
    return None


def process_document_payload(
    ctx: ServiceContext,
    msg: MessageRecord,
    data: bytes,
    result: MessageResult,
    *,
    replay_of: int | None,
) -> None:
    """Map and store every document in one non-EDI payload, or dead-letter it."""
    profile = ctx.partners.find(msg.partner)
    try:
        if profile is None:
            raise UnknownPartnerError(
                f"a {detect_format(data, msg.filename)} payload names no partner; receive it "
                "through a connector that has one",
                location=Location(file=msg.filename),
            )
        docs = translate_file(
            data, filename=msg.filename, profile=profile, catalog=ctx.mappings.get
        )
    except B2BError as exc:
        with ctx.uow() as uow:
            exc.with_location(file=msg.filename)
            record_dead_letter(
                uow, message_id=msg.id, partner=msg.partner, failure=exc, replay_of=replay_of
            )
            uow.commit()
        result.rejected += 1
        result.errors.append(str(exc))
        return
    with ctx.uow() as uow:
        for doc in docs:
            doc_type, number, doc_date, body, version = document_fields(doc)
            _id, created = uow.documents.add(
                transaction_id=None,
                message_id=msg.id,
                partner=profile.partner,
                doc_type=doc_type,
                doc_number=number,
                doc_date=doc_date,
                schema_version=version,
                body=body,
            )
            if created:
                result.documents += 1
            else:
                result.duplicates += 1
        uow.commit()
    log.info(
        "documents_stored",
        message_id=msg.id,
        partner=profile.partner,
        documents=result.documents,
        duplicates=result.duplicates,
    )
