"""Echo suppression by fingerprint of the values b2bbridge wrote."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from b2bbridge.core.sync import fingerprint, is_echo


def test_the_fingerprint_ignores_key_order() -> None:
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})


def test_a_decimal_and_its_text_have_the_same_fingerprint() -> None:
    assert fingerprint({"q": Decimal("1.50"), "d": date(2026, 1, 2)}) == fingerprint(
        {"q": "1.50", "d": "2026-01-02"}
    )


def test_reading_back_exactly_what_was_written_is_an_echo() -> None:
    written = fingerprint({"name": "Acme", "contacts": [{"email": "a@x.test"}]})

    assert is_echo({"contacts": [{"email": "a@x.test"}], "name": "Acme"}, written)


def test_a_real_edit_after_the_write_is_not_an_echo() -> None:
    written = fingerprint({"name": "Acme"})

    assert not is_echo({"name": "Acme Ltd"}, written)


def test_nothing_is_an_echo_when_nothing_was_written() -> None:
    assert not is_echo({"name": "Acme"}, None)
