"""Sync records that could not be written: dead letters that can be replayed.

A dead letter needs a message, so the failed record is stored as one: an outbound
message (connector ``system:<target>``, file name ``<flow>/<entity>-<key>.json``,
syntax ``json``) whose payload is the record as JSON with its flow, target, entity,
key and external id. The dead letter's location names the system, entity and key
(``erp:order/PO-1``). Replaying reads that payload back, writes it to the target again
(adapters' upserts are idempotent) and marks the dead letter ``replayed``; a replay
that fails again leaves a new dead letter pointing back at the old one.

A triggered run that failed for good (its ``sync`` work item ran out of attempts) is a
dead letter too, of the whole run rather than of one record: its message (connector
``sync:<flow>``, file name ``<flow>/run.json``) holds the flow's name and the message
whose documents triggered it. Replaying it runs the flow again from its watermark, which
takes in whatever the failed run missed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping

from b2bbridge.core.errors import B2BError
from b2bbridge.core.location import Location
from b2bbridge.ports import SyncRecord, UnitOfWork
from b2bbridge.services.deadletter import record_dead_letter


def dead_letter_record(
    uow: UnitOfWork,
    *,
    flow: str,
    target: str,
    record: SyncRecord,
    failure: B2BError,
    attempts: int,
    replay_of: int | None = None,
) -> int:
    """Store ``record`` as a message and dead-letter it, inside the caller's unit of work."""
    message_id = _store_record(uow, flow, target, record)
    where = Location(file=f"{target}:{record.entity}/{record.key}", transaction=record.external_id)
    return _dead_letter(uow, message_id, where, failure, attempts, replay_of)


def _store_record(uow: UnitOfWork, flow: str, target: str, record: SyncRecord) -> int:
    body = {
        "flow": flow,
        "target": target,
        "entity": record.entity,
        "key": record.key,
        "external_id": record.external_id,
        "fields": record.fields,
    }
    return _store_json(uow, f"system:{target}", f"{flow}/{record.entity}-{record.key}.json", body)


def _store_json(uow: UnitOfWork, connector: str, filename: str, body: Mapping[str, object]) -> int:
    """``body`` as the JSON payload of a new outbound message; its id."""
    data = json.dumps(body, sort_keys=True, default=str).encode("utf-8")
    return uow.messages.add(
        direction="out",
        partner=None,
        connector=connector,
        filename=filename,
        payload_sha256=uow.payloads.put(data),
        size=len(data),
        correlation_id=uuid.uuid4().hex,
        syntax="json",
    )


def dead_letter_run(
    uow: UnitOfWork,
    *,
    flow: str,
    trigger_message_id: int,
    failure: B2BError,
    attempts: int,
    replay_of: int | None = None,
) -> int:
    """Store a failed triggered run of ``flow`` as a message and dead-letter it."""
    body = {"flow": flow, "run": True, "trigger_message_id": trigger_message_id}
    message_id = _store_json(uow, f"sync:{flow}", f"{flow}/run.json", body)
    return _dead_letter(
        uow, message_id, Location(file=f"sync:{flow}"), failure, attempts, replay_of
    )


def _dead_letter(
    uow: UnitOfWork,
    message_id: int,
    where: Location,
    failure: B2BError,
    attempts: int,
    replay_of: int | None,
) -> int:
    """Dead-letter ``failure`` on ``message_id``, located first at ``where`` (no partner)."""
    failure.location = where.merged(failure.location)
    return record_dead_letter(
        uow,
        message_id=message_id,
        partner=None,
        failure=failure,
        attempts=attempts,
        replay_of=replay_of,
    )


def dead_run(uow: UnitOfWork, dead_letter_id: int) -> tuple[str, int] | None:
    """(flow, triggering message) of a run dead letter; None when it holds one record."""
    letter = uow.dead_letters.get(dead_letter_id)
    message = uow.messages.get(letter.message_id)
    body = json.loads(uow.payloads.get(message.payload_sha256))
    if not isinstance(body, dict) or body.get("run") is not True:
        return None
    return str(body["flow"]), int(body["trigger_message_id"])


def load_dead_record(uow: UnitOfWork, dead_letter_id: int) -> tuple[str, str, SyncRecord]:
    """The (flow, target, record) a sync dead letter holds."""
    letter = uow.dead_letters.get(dead_letter_id)
    message = uow.messages.get(letter.message_id)
    body = json.loads(uow.payloads.get(message.payload_sha256))
    record = SyncRecord(
        entity=str(body["entity"]),
        key=str(body["key"]),
        fields=dict(body["fields"]),
        external_id=body.get("external_id"),
    )
    return str(body["flow"]), str(body["target"]), record
