"""A trading partner as a sync target: canonical records rendered as EDI and sent.

The flows that end at a partner (``targets: [acme]``) hand this system ERP and WMS
records; each becomes one interchange through the partner's outbound map:

============  ==========================  ====================================
entity        canonical document          map key (X12; EDIFACT with ``syntax``)
============  ==========================  ====================================
order_status  OrderAcknowledgement        ``x12/855`` (``edifact/ORDRSP``)
stock         StockLevel                  ``x12/846`` (``edifact/INVRPT``)
shipment      Shipment                    ``x12/856`` (``edifact/DESADV``)
invoice       Invoice                     ``x12/810`` (``edifact/INVOIC``)
============  ==========================  ====================================

Only records about this partner's own orders are sent: the order number must be one of
the partner's stored canonical orders (``order_status`` by its key, ``shipment`` by its
orders, ``invoice`` by ``order_number``); others are answered ``-`` (not this partner's),
like the storefront does. Stock levels go to every partner the flow names. An
acknowledgement is ``accepted`` once the ERP has confirmed the sale, ``rejected`` when
it was cancelled; a sale in draft or quotation is not acknowledged yet, and one already
``done`` was acknowledged when it was confirmed (both ``-``). Declare the flow with
``fields: [number, state, sale_date]`` so that only a state change sends a new 855.

Each interchange is stored (payload, an ``out`` message and an ``outbound`` row with
its control numbers, from the partner's sequences) and sent through the partner's outbox
connector in the same unit of work; the id returned is the ISA13/UNB5 control number.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime

import pydantic

from b2bbridge.core.errors import B2BError, MappingError
from b2bbridge.core.location import Location
from b2bbridge.core.mapping.outbound import envelope_for, render_document
from b2bbridge.core.mapping.outbound_plan import OutboundSpec
from b2bbridge.core.partner import PartnerProfile
from b2bbridge.ports import (
    ChangeBatch,
    Clock,
    Connector,
    ControlNumbers,
    SyncRecord,
    UnitOfWork,
    UnitOfWorkFactory,
)

KEYS = {
    "x12": {
        "order_status": "x12/855",
        "stock": "x12/846",
        "shipment": "x12/856",
        "invoice": "x12/810",
    },
    "edifact": {
        "order_status": "edifact/ORDRSP",
        "stock": "edifact/INVRPT",
        "shipment": "edifact/DESADV",
        "invoice": "edifact/INVOIC",
    },
}
NOT_MINE = "-"
MapLoader = Callable[[PartnerProfile, str], OutboundSpec]


class RecordingNumbers:
    """The partner's control-number sequences, remembering what this render took."""

    def __init__(self, numbers: ControlNumbers, partner: str) -> None:
        self._numbers, self._partner = numbers, partner
        self.taken: dict[str, int] = {}

    def allocate(self, kind: str) -> int:
        self.taken[kind] = self._numbers.allocate(self._partner, kind)
        return self.taken[kind]


class PartnerOutbox:
    """:class:`b2bbridge.ports.SystemAdapter` writing to one trading partner."""

    def __init__(
        self,
        name: str,
        *,
        profile: PartnerProfile,
        load_map: MapLoader,
        uow: UnitOfWorkFactory,
        outbox: Connector | None,
        clock: Clock,
        syntax: str = "x12",
    ) -> None:
        self.name = name
        self._profile, self._load_map, self._uow = profile, load_map, uow
        self._outbox, self._clock, self._syntax = outbox, clock, syntax

    def read_changes(self, entity: str, since: datetime | None) -> ChangeBatch:
        """A partner sends through the pipeline, not through sync: there is nothing to poll."""
        return ChangeBatch(records=[], watermark=None)

    def upsert(self, entity: str, records: list[SyncRecord]) -> list[str]:
        spec = self._load_map(self._profile, KEYS[self._syntax][entity])
        with self._uow() as uow:
            orders = self._order_numbers(uow)
            ids = [self._send_one(uow, spec, entity, record, orders) for record in records]
            uow.commit()
        return ids

    def close(self) -> None:
        """The outbox connector belongs to the pipeline's app; it closes it."""

    def _order_numbers(self, uow: UnitOfWork) -> set[str]:
        documents = uow.documents.list(
            partner=self._profile.partner, doc_type="order", limit=10_000
        )
        return {document.doc_number for document in documents}

    def _send_one(
        self, uow: UnitOfWork, spec: OutboundSpec, entity: str, record: SyncRecord, orders: set[str]
    ) -> str:
        fields = document_fields(entity, record, orders, self._clock.now())
        if fields is None:
            return NOT_MINE
        try:
            document = spec.document.model_validate(fields)
        except pydantic.ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            raise MappingError(
                f"{entity} {record.key} does not fit {spec.name}: {where}: {problem['msg']}",
                code="sync_document_invalid",
                location=Location(partner=self._profile.partner, transaction=record.key),
            ) from exc
        numbers = RecordingNumbers(uow.control_numbers, self._profile.partner)
        envelope = envelope_for(self._profile, self._syntax, self._clock.now())
        data = render_document(document, spec=spec, envelope=envelope, allocator=numbers).encode(
            "utf-8"
        )
        return self._store_and_send(uow, spec, record, data, numbers.taken)

    def _store_and_send(
        self,
        uow: UnitOfWork,
        spec: OutboundSpec,
        record: SyncRecord,
        data: bytes,
        taken: Mapping[str, int],
    ) -> str:
        sha = uow.payloads.put(data)
        interchange = str(taken.get("isa", taken.get("unb", 0)))
        filename = f"{spec.name.rsplit('/', 1)[-1].split('.')[0]}-{record.key}-{interchange}.edi"
        message = uow.messages.add(
            direction="out",
            partner=self._profile.partner,
            connector=self._outbox.name if self._outbox else "none",
            filename=filename,
            payload_sha256=sha,
            size=len(data),
            correlation_id=uuid.uuid4().hex,
            syntax=self._syntax,
        )
        destination = self._outbox.send(filename, data) if self._outbox else ""
        uow.outbound.add(
            message_id=message,
            partner=self._profile.partner,
            kind=spec.name,
            interchange_control_number=interchange,
            group_control_number=_text(taken.get("gs")),
            transaction_control_number=_text(taken.get("st", taken.get("unh"))),
            payload_sha256=hashlib.sha256(data).hexdigest(),
            destination=destination,
            status="sent" if self._outbox else "stored",
        )
        return interchange


def _text(number: int | None) -> str | None:
    return None if number is None else str(number)


def document_fields(
    entity: str, record: SyncRecord, orders: set[str], now: datetime
) -> dict[str, object] | None:
    """The canonical document's fields for ``record``, or None when it is not for us."""
    fields = dict(record.fields)
    if entity == "stock":
        return fields
    if entity == "invoice":
        return fields if fields.get("order_number") in orders else None
    if entity == "shipment":
        shipped = [
            order
            for order in _list(fields.get("orders"))
            if isinstance(order, Mapping) and order.get("order_number") in orders
        ]
        return {**fields, "orders": shipped} if shipped else None
    if entity == "order_status":
        return _acknowledgement(record, orders, now)
    raise B2BError(f"a partner cannot take {entity!r} records", code="sync_unsupported")


def _acknowledgement(
    record: SyncRecord, orders: set[str], now: datetime
) -> dict[str, object] | None:
    state = record.fields.get("state")
    if record.key not in orders or state not in ("confirmed", "processing", "cancelled"):
        return None
    return {
        "number": str(record.fields.get("number") or record.key),
        "order_number": record.key,
        "order_date": record.fields.get("sale_date"),
        "acknowledgement_date": now.date().isoformat(),
        "status": "rejected" if state == "cancelled" else "accepted",
    }


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
