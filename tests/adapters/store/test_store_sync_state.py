"""The sync tables: id map upserts, watermarks with their seen set, and run records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import Engine

from b2bbridge.adapters.store import sync_state_factory
from b2bbridge.core.sync import fingerprint

T = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


class FixedClock(Protocol):
    def now(self) -> datetime: ...
    def advance(self, seconds: float) -> None: ...


def test_the_id_map_finds_an_external_id_by_key_and_a_key_by_external_id(
    engine: Engine, clock: FixedClock
) -> None:
    state = sync_state_factory(engine, clock)
    with state() as s:
        s.id_map.put("order", "PO-1", "erp", "17", known_fields={"number": "PO-1"})
        s.commit()
    with state() as s:
        record = s.id_map.get("order", "PO-1", "erp")
        key = s.id_map.find_key("order", "erp", "17")

    assert record is not None
    assert (record.external_id, record.known_fields, key) == ("17", {"number": "PO-1"}, "PO-1")
    assert record.written_fingerprint == fingerprint({"number": "PO-1"})


def test_putting_the_same_key_again_updates_instead_of_adding(
    engine: Engine, clock: FixedClock
) -> None:
    state = sync_state_factory(engine, clock)
    with state() as s:
        s.id_map.put("customer", "C1", "crm", "5", known_fields={"name": "A"})
        s.id_map.put("customer", "C1", "crm", "5", known_fields={"name": "B"})
        s.commit()
    with state() as s:
        record = s.id_map.get("customer", "C1", "crm")

    assert record is not None
    assert record.known_fields == {"name": "B"}


def test_the_same_key_in_two_systems_is_two_mappings(engine: Engine, clock: FixedClock) -> None:
    state = sync_state_factory(engine, clock)
    with state() as s:
        s.id_map.put("order", "PO-1", "erp", "17")
        s.id_map.put("order", "PO-1", "storefront", "100001")
        s.commit()
    with state() as s:
        ids = [s.id_map.get("order", "PO-1", name).external_id for name in ("erp", "storefront")]  # type: ignore[union-attr]

    assert ids == ["17", "100001"]


def test_an_uncommitted_mapping_is_rolled_back(engine: Engine, clock: FixedClock) -> None:
    state = sync_state_factory(engine, clock)
    with state() as s:
        s.id_map.put("order", "PO-9", "erp", "1")
    with state() as s:
        assert s.id_map.get("order", "PO-9", "erp") is None


def test_a_watermark_keeps_its_time_and_seen_versions(engine: Engine, clock: FixedClock) -> None:
    state = sync_state_factory(engine, clock)
    with state() as s:
        s.watermarks.put("stock", T, [("WIDGET-1", T)])
        s.commit()
    with state() as s:
        mark = s.watermarks.get("stock")
        marks = s.watermarks.list()

    assert mark is not None
    assert (mark.since, mark.seen, mark.updated_at) == (T, [("WIDGET-1", T)], clock.now())
    assert [m.flow for m in marks] == ["stock"]


def test_a_run_is_started_then_finished_with_its_counts(engine: Engine, clock: FixedClock) -> None:
    state = sync_state_factory(engine, clock)
    with state() as s:
        run_id = s.runs.start("orders")
        clock.advance(3)
        s.runs.finish(run_id, status="ok", read=4, written=3, skipped=1, failed=0, conflicts=2)
        s.commit()
    with state() as s:
        last = s.runs.last("orders")

    assert last is not None
    assert (last.status, last.read, last.written, last.skipped, last.conflicts) == (
        "ok",
        4,
        3,
        1,
        2,
    )
    assert last.finished_at is not None
    assert (last.finished_at - last.started_at).total_seconds() == 3
