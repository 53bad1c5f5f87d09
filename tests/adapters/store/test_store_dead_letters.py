"""Dead letters: kept with their reason and place, listed by what the operator asks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

import pytest

from b2bbridge.ports import UnitOfWork, UnitOfWorkFactory


class FixedClock(Protocol):
    def now(self) -> datetime: ...
    def advance(self, seconds: float) -> None: ...


def _dead_letter(uow: UnitOfWork, message_id: int, code: str, partner: str | None = "ACME") -> int:
    return uow.dead_letters.add(
        message_id=message_id,
        partner=partner,
        code=code,
        reason="segment DTM has a bad date",
        location={"partner": "ACME", "interchange": "000000123", "segment_index": 7},
        attempts=1,
        last_error="ValidationError: bad date",
    )


def test_dead_letter_keeps_its_location_and_starts_open(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        letter_id = _dead_letter(uow, message_id, "validation_failed")
        uow.commit()
    with uow_factory() as uow:
        letter = uow.dead_letters.get(letter_id)
    assert letter.status == "open"
    assert letter.location == {"partner": "ACME", "interchange": "000000123", "segment_index": 7}
    assert (letter.code, letter.attempts, letter.replay_of) == ("validation_failed", 1, None)


def test_list_filters_by_code_partner_time_and_status(
    uow_factory: UnitOfWorkFactory, message_id: int, clock: FixedClock
) -> None:
    with uow_factory() as uow:
        early = _dead_letter(uow, message_id, "validation_failed")
        clock.advance(60)
        since = clock.now()
        late = _dead_letter(uow, message_id, "mapping_failed")
        other = _dead_letter(uow, message_id, "mapping_failed", partner="GLOBEX")
        uow.dead_letters.set_status(other, "discarded", note="test partner")
        uow.commit()
    with uow_factory() as uow:
        assert [d.id for d in uow.dead_letters.list()] == [late, early]
        assert [d.id for d in uow.dead_letters.list(code="mapping_failed")] == [late]
        assert [d.id for d in uow.dead_letters.list(since=since)] == [late]
        assert [d.id for d in uow.dead_letters.list(partner="GLOBEX", status=None)] == [other]
        assert uow.dead_letters.get(other).note == "test partner"


def test_replayed_dead_letter_is_linked_from_the_next_failure(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        first = _dead_letter(uow, message_id, "transient")
        uow.dead_letters.set_status(first, "replayed")
        second = uow.dead_letters.add(
            message_id=message_id,
            partner="ACME",
            code="transient",
            reason="still down",
            location={},
            attempts=5,
            last_error="ConnectorError",
            replay_of=first,
        )
        uow.commit()
    with uow_factory() as uow:
        assert uow.dead_letters.get(second).replay_of == first
        assert [d.id for d in uow.dead_letters.list(status="replayed")] == [first]


def test_unknown_dead_letter_status_is_refused(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        letter_id = _dead_letter(uow, message_id, "transient")
        with pytest.raises(ValueError, match="status"):
            uow.dead_letters.set_status(letter_id, "forgotten")


def test_dead_letters_of_one_message_are_found_whatever_their_status(
    uow_factory: UnitOfWorkFactory, message_id: int, add_message: Callable[..., int]
) -> None:
    with uow_factory() as uow:
        other_message = add_message(uow, data=b"other")
        first = _dead_letter(uow, message_id, "transient")
        uow.dead_letters.set_status(first, "replayed")
        second = _dead_letter(uow, message_id, "transient")
        _dead_letter(uow, other_message, "transient")
        uow.commit()
    with uow_factory() as uow:
        assert [d.id for d in uow.dead_letters.for_message(message_id)] == [first, second]
        assert [d.id for d in uow.dead_letters.list(message_id=message_id)] == [second]
