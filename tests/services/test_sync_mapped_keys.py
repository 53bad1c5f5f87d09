"""Flows with ``keys_from_id_map``: a record read back under another key finds its own."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sync_fakes import T0, MemorySystem, flow, make_context

from b2bbridge.ports import SyncRecord
from b2bbridge.services.sync import run_flow


def handed_over(tmp_path: Path, *, keys_from_id_map: bool) -> tuple[MemorySystem, MemorySystem]:
    """ERP request S1 sent to the WMS, which then reports it done under its own number."""
    erp, wms = MemorySystem("erp"), MemorySystem("wms")
    erp.put("S1", {"items": ["WIDGET-1"]}, entity="shipment_request")
    out = flow("requests", "erp", "wms", entity="shipment_request")
    back = flow("done", "wms", "erp", entity="shipment_request", keys_from_id_map=keys_from_id_map)
    ctx = make_context(tmp_path, [erp, wms], [out, back])
    run_flow(ctx, "requests")
    created = wms.records.pop("S1")
    wms.records["wms:7"] = SyncRecord(
        "shipment_request",
        "wms:7",
        {"state": "done", "tracking_numbers": ["1Z1"]},
        external_id=created.external_id,
        stamp=T0 + timedelta(minutes=5),
    )
    run_flow(ctx, "done")
    return erp, wms


def test_a_record_read_under_another_key_is_written_under_the_key_its_external_id_maps_to(
    tmp_path: Path,
) -> None:
    erp, _ = handed_over(tmp_path, keys_from_id_map=True)

    assert erp.writes == [["S1"]]
    assert erp.records["S1"].fields["tracking_numbers"] == ["1Z1"]


def test_without_the_setting_the_record_keeps_the_key_the_source_gave_it(tmp_path: Path) -> None:
    erp, _ = handed_over(tmp_path, keys_from_id_map=False)

    assert erp.writes == [["wms:7"]]
