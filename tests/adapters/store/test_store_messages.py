"""Messages and their events: status changes are indexed and recorded in one go."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

import pytest
from sqlalchemy import Engine

from b2bbridge.adapters.queue.embedded import EmbeddedWorkQueue
from b2bbridge.ports import NotFoundError, UnitOfWorkFactory

AddMessage = Callable[..., int]


class FixedClock(Protocol):
    def now(self) -> datetime: ...
    def advance(self, seconds: float) -> None: ...


def test_set_status_updates_the_message_and_appends_an_event(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        uow.messages.set_status(
            message_id, "rejected", component="validator", code="segment_unknown", detail={"n": 3}
        )
        uow.commit()
    with uow_factory() as uow:
        status = uow.messages.get(message_id).status
        history = [
            (e.state, e.component, e.code, e.detail) for e in uow.events.for_message(message_id)
        ]
    assert status == "rejected"
    assert history == [
        ("received", "folder:inbox", None, None),
        ("rejected", "validator", "segment_unknown", {"n": 3}),
    ]


def test_status_change_rolled_back_leaves_no_event(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        uow.messages.set_status(message_id, "parsed", component="reader")
    with uow_factory() as uow:
        assert uow.messages.get(message_id).status == "received"
        assert [e.state for e in uow.events.for_message(message_id)] == ["received"]


def test_message_times_come_back_aware_in_utc(
    uow_factory: UnitOfWorkFactory, message_id: int, clock: FixedClock
) -> None:
    with uow_factory() as uow:
        message = uow.messages.get(message_id)
    assert message.created_at == clock.now()
    assert message.created_at.tzinfo is not None
    assert message.created_at.utcoffset() == UTC.utcoffset(None)


def test_list_filters_by_status_partner_and_time(
    uow_factory: UnitOfWorkFactory, add_message: AddMessage, clock: FixedClock
) -> None:
    with uow_factory() as uow:
        old = add_message(uow, data=b"old", partner="ACME")
        clock.advance(3600)
        since = clock.now()
        new_acme = add_message(uow, data=b"new", partner="ACME")
        add_message(uow, data=b"globex", partner="GLOBEX")
        uow.messages.set_status(new_acme, "parsed", component="reader")
        uow.commit()
    with uow_factory() as uow:
        acme = [m.id for m in uow.messages.list(partner="ACME")]
        recent = [m.id for m in uow.messages.list(partner="ACME", since=since)]
        parsed = [m.id for m in uow.messages.list(status="parsed")]
        limited = uow.messages.list(limit=1)
    assert acme == [new_acme, old]
    assert recent == [new_acme]
    assert parsed == [new_acme]
    assert len(limited) == 1


def test_find_by_payload_returns_earlier_copies_for_the_partner(
    uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    with uow_factory() as uow:
        first = add_message(uow, data=b"same", partner="ACME")
        second = add_message(uow, data=b"same", partner="ACME")
        add_message(uow, data=b"same", partner="GLOBEX")
        unknown = add_message(uow, data=b"same", partner=None)
        sha = uow.messages.get(first).payload_sha256
        uow.commit()
    with uow_factory() as uow:
        assert [m.id for m in uow.messages.find_by_payload(sha, partner="ACME")] == [first, second]
        assert [m.id for m in uow.messages.find_by_payload(sha, partner=None)] == [unknown]


def test_set_partner_names_a_message_received_before_its_envelope_was_read(
    uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    with uow_factory() as uow:
        message_id = add_message(uow, partner=None)
        uow.messages.set_partner(message_id, "ACME")
        uow.commit()
    with uow_factory() as uow:
        assert uow.messages.get(message_id).partner == "ACME"


def test_outbound_message_starts_as_created(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        sha = uow.payloads.put(b"ISA*997~")
        message_id = uow.messages.add(
            direction="out",
            partner="ACME",
            connector="sftp:acme",
            filename=None,
            payload_sha256=sha,
            size=8,
            correlation_id="c-2",
            syntax="x12",
        )
        assert uow.messages.get(message_id).status == "created"


def test_unknown_direction_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow, pytest.raises(ValueError, match="direction"):
        uow.messages.add(
            direction="sideways",
            partner=None,
            connector="x",
            filename=None,
            payload_sha256=uow.payloads.put(b"x"),
            size=1,
            correlation_id="c",
            syntax=None,
        )


def test_status_of_an_unknown_message_raises_not_found(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow, pytest.raises(NotFoundError) as raised:
        uow.messages.set_status(999_999, "parsed", component="reader")
    assert raised.value.code == "message_not_found"


def test_stranded_lists_received_messages_without_work_items_only(
    uow_factory: UnitOfWorkFactory, add_message: AddMessage, clock: FixedClock, engine: Engine
) -> None:
    with uow_factory() as uow:
        stranded = add_message(uow, data=b"one")
        queued = add_message(uow, data=b"two")
        done = add_message(uow, data=b"three")
        uow.messages.set_status(done, "stored", component="test")
        uow.commit()
    EmbeddedWorkQueue(engine, clock).enqueue("process", queued)
    clock.advance(120)
    with uow_factory() as uow:
        found = uow.messages.list_stranded(before=clock.now() - timedelta(seconds=60))
        too_recent = uow.messages.list_stranded(before=clock.now() - timedelta(seconds=600))
    assert (found, too_recent) == ([stranded], [])
