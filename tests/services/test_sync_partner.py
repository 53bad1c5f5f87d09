"""Which ERP and WMS records become a partner's 855, 846, 856 and 810, and with what."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from b2bbridge.core.errors import B2BError
from b2bbridge.ports import SyncRecord
from b2bbridge.services.sync_partner import document_fields

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
OURS = {"PO-1"}


def status(key: str, state: str) -> SyncRecord:
    return SyncRecord(
        "order_status", key, {"number": "S7", "state": state, "sale_date": "2026-11-20"}
    )


def test_a_confirmed_sale_of_our_order_is_an_accepted_acknowledgement() -> None:
    assert document_fields("order_status", status("PO-1", "processing"), OURS, NOW) == {
        "number": "S7",
        "order_number": "PO-1",
        "order_date": "2026-11-20",
        "acknowledgement_date": "2026-11-22",
        "status": "accepted",
    }


def test_a_cancelled_sale_is_a_rejection() -> None:
    fields = document_fields("order_status", status("PO-1", "cancelled"), OURS, NOW)

    assert fields is not None
    assert fields["status"] == "rejected"


@pytest.mark.parametrize("state", ["draft", "quotation", "done"])
def test_a_sale_not_yet_confirmed_or_already_done_is_not_acknowledged(state: str) -> None:
    assert document_fields("order_status", status("PO-1", state), OURS, NOW) is None


def test_another_partners_order_is_not_acknowledged() -> None:
    assert document_fields("order_status", status("WEB-100001", "processing"), OURS, NOW) is None


def test_a_shipment_keeps_only_the_orders_of_this_partner() -> None:
    orders = [{"order_number": "PO-1", "packs": []}, {"order_number": "WEB-9", "packs": []}]
    record = SyncRecord("shipment", "SH1", {"number": "SH1", "orders": orders})

    fields = document_fields("shipment", record, OURS, NOW)

    assert fields is not None
    assert fields["orders"] == [{"order_number": "PO-1", "packs": []}]


def test_a_shipment_for_other_partners_only_is_not_sent() -> None:
    record = SyncRecord("shipment", "SH2", {"orders": [{"order_number": "WEB-9"}]})

    assert document_fields("shipment", record, OURS, NOW) is None


def test_an_invoice_goes_only_for_our_orders() -> None:
    ours = SyncRecord("invoice", "I1", {"order_number": "PO-1"})
    theirs = SyncRecord("invoice", "I2", {"order_number": "PO-2"})

    assert document_fields("invoice", ours, OURS, NOW) == {"order_number": "PO-1"}
    assert document_fields("invoice", theirs, OURS, NOW) is None


def test_stock_goes_to_every_partner_of_the_flow() -> None:
    record = SyncRecord("stock", "W-1", {"sku": "W-1", "on_hand": "5"})

    assert document_fields("stock", record, set(), NOW) == {"sku": "W-1", "on_hand": "5"}


def test_an_order_cannot_be_sent_to_a_partner_this_way() -> None:
    with pytest.raises(B2BError, match="cannot take 'order'"):
        document_fields("order", SyncRecord("order", "PO-1", {}), OURS, NOW)
