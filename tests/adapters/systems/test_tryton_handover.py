"""The hand-over side of a Tryton database is a checked setting, and tracking is not a key."""

from __future__ import annotations

import pytest

from b2bbridge.adapters.systems.errors import SystemRejectedError
from b2bbridge.adapters.systems.tryton import build_tryton
from b2bbridge.adapters.systems.tryton_handover import done_values
from b2bbridge.ports import SyncRecord

SETTINGS = {"url": "http://127.0.0.1:9", "database": "erp", "user": "admin", "password": "x"}


def test_a_handover_setting_other_than_erp_or_wms_stops_start_up() -> None:
    with pytest.raises(SystemRejectedError, match="handover must be 'erp' or 'wms'"):
        build_tryton("erp", {**SETTINGS, "handover": "warehouse"})


def test_a_database_without_a_handover_side_refuses_shipment_requests() -> None:
    system = build_tryton("erp", SETTINGS)

    with pytest.raises(SystemRejectedError, match="cannot read 'shipment_request'"):
        system.read_changes("shipment_request", None)
    with pytest.raises(SystemRejectedError, match="cannot write 'shipment_request'"):
        system.upsert("shipment_request", [SyncRecord("shipment_request", "7", {})])


def test_a_wms_reference_still_holding_the_request_key_is_not_written_as_tracking() -> None:
    record = SyncRecord(
        "shipment_request", "7", {"tracking_numbers": ["7"], "ship_date": "2026-11-23"}
    )

    values = done_values(record)

    assert "reference" not in values
    assert values["effective_date"].isoformat() == "2026-11-23"  # type: ignore[attr-defined]


def test_the_first_tracking_number_becomes_the_erp_shipment_reference() -> None:
    record = SyncRecord("shipment_request", "7", {"tracking_numbers": ["1Z9", "1Z8"]})

    assert done_values(record) == {"reference": "1Z9"}
