from __future__ import annotations

from datetime import date
from decimal import Decimal

import pydantic
import pytest

from b2bbridge.core.model import Order, OrderLine, Party, PartyRole


def _order(**changes: object) -> Order:
    fields: dict[str, object] = {
        "number": "PO123",
        "order_date": date(2024, 1, 15),
        "lines": [OrderLine(quantity=Decimal("2"), unit="each", unit_price=Decimal("1.25"))],
    }
    fields.update(changes)
    return Order.model_validate(fields)


def test_order_natural_key_is_type_number_and_date() -> None:
    assert _order().natural_key() == ("order", "PO123", "2024-01-15")


def test_order_natural_key_ignores_the_partner() -> None:
    assert _order(partner="ACME").natural_key() == _order(partner="OTHER").natural_key()


def test_order_is_frozen() -> None:
    order = _order()
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        order.number = "X"  # type: ignore[misc]


def test_unknown_field_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="Extra inputs are not permitted"):
        _order(colour="blue")


def test_quantities_and_prices_are_decimals_from_text() -> None:
    line = OrderLine.model_validate({"quantity": "12.50", "unit_price": "0.10"})
    assert line.quantity == Decimal("12.50")
    assert isinstance(line.unit_price, Decimal)


def test_party_role_outside_the_list_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="role"):
        Party.model_validate({"role": "shipto"})


def test_party_role_reads_canonical_names() -> None:
    assert Party.model_validate({"role": "ship_to"}).role is PartyRole.SHIP_TO


def test_schema_version_is_set_by_default() -> None:
    assert _order().schema_version == "1.0"


def test_empty_order_number_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="number"):
        _order(number="")
