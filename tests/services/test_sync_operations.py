"""Operating flows: status, reset, replay of dead letters, and event triggers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import pytest
from sync_fakes import T0, MemorySystem, down, flow, make_context

from b2bbridge.core.errors import B2BError
from b2bbridge.core.sync import FlowSpec
from b2bbridge.ports import WorkItem
from b2bbridge.services.sync import run_flow
from b2bbridge.services.sync_replay import replay_sync_dead_letter
from b2bbridge.services.sync_schedule import due_flows, run_due_flows
from b2bbridge.services.sync_status import flow_statuses, reset_watermark
from b2bbridge.services.sync_triggers import enqueue_triggered_flows, run_sync_item


def test_status_shows_the_watermark_lag_last_run_and_pending_dead_letters(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    erp.fail_next = [down(), down(), down()]
    ctx = make_context(tmp_path, [crm, erp], [flow()])
    run_flow(ctx, "customers")

    (status,) = flow_statuses(ctx)

    stamp = crm.records["C1"].stamp
    assert stamp is not None
    assert status.watermark == stamp
    assert status.lag == ctx.clock.now() - stamp
    assert status.last_run is not None
    assert (status.last_run.status, status.last_run.failed, status.pending) == ("failed", 1, 1)


def test_a_flow_that_never_ran_has_no_watermark_and_no_last_run(tmp_path: Path) -> None:
    (status,) = flow_statuses(make_context(tmp_path, [], [flow()]))

    assert (status.watermark, status.lag, status.last_run, status.pending) == (None, None, None, 0)


def test_reset_moves_the_watermark_back_and_the_id_map_prevents_duplicates(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    ctx = make_context(tmp_path, [crm, erp], [flow()])
    run_flow(ctx, "customers")

    reset_watermark(ctx, "customers", T0 - timedelta(days=1))
    again = run_flow(ctx, "customers")

    assert (again.read, again.written, again.skipped) == (1, 0, 1)


def test_a_replay_after_the_target_is_back_writes_the_record_once(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    erp.fail_next = [down(), down(), down()]
    ctx = make_context(tmp_path, [crm, erp], [flow()])
    (letter,) = run_flow(ctx, "customers").dead_letters

    result = replay_sync_dead_letter(ctx, letter)

    assert (result.ok, result.external_id, erp.writes) == (True, "erp-C1", [["C1"]])
    with ctx.uow() as uow:
        assert uow.dead_letters.get(letter).status == "replayed"
    with pytest.raises(B2BError, match="not open"):
        replay_sync_dead_letter(ctx, letter)


def test_a_replay_that_fails_again_leaves_a_new_dead_letter_pointing_back(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    erp.fail_next = [down(), down(), down(), down()]
    ctx = make_context(tmp_path, [crm, erp], [flow()])
    (letter,) = run_flow(ctx, "customers").dead_letters

    result = replay_sync_dead_letter(ctx, letter)

    assert not result.ok
    with ctx.uow() as uow:
        assert uow.dead_letters.get(result.new_dead_letter_id).replay_of == letter  # type: ignore[arg-type]


class RecordingQueue:
    def __init__(self) -> None:
        self.items: list[tuple[str, int, Mapping[str, object] | None]] = []

    def enqueue(
        self,
        kind: str,
        message_id: int,
        *,
        payload: Mapping[str, object] | None = None,
        delay_seconds: float = 0,
    ) -> int:
        self.items.append((kind, message_id, payload))
        return len(self.items)


def test_a_stored_order_enqueues_only_the_flows_it_triggers() -> None:
    queue = RecordingQueue()
    flows = [
        FlowSpec(
            name="partner-orders",
            entity="order",
            source="pipeline",
            targets=["erp"],
            trigger="order",
        ),
        FlowSpec(
            name="stock", entity="stock", source="wms", targets=["storefront"], schedule="* * * * *"
        ),
    ]

    ids = enqueue_triggered_flows(queue, flows, "order", message_id=7)  # type: ignore[arg-type]

    assert ids == [1]
    assert queue.items == [("sync", 7, {"flow": "partner-orders"})]


def test_a_sync_work_item_runs_the_flow_it_names(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    ctx = make_context(tmp_path, [crm, erp], [flow()])
    item = WorkItem(
        id=1,
        kind="sync",
        message_id=1,
        payload={"flow": "customers"},
        attempts=0,
        leased_by=None,
        lease_until=None,
    )

    report = run_sync_item(ctx, item)

    assert (report.flow, report.written) == ("customers", 1)


def test_a_scheduled_flow_that_never_ran_is_due_and_is_not_due_right_after_running(
    tmp_path: Path,
) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    events = FlowSpec(
        name="events-only", entity="customer", source="crm", targets=["erp"], trigger="customer"
    )
    ctx = make_context(tmp_path, [crm, erp], [flow(schedule="*/5 * * * *"), events])

    before = due_flows(ctx)
    runs = run_due_flows(ctx)
    after = due_flows(ctx)

    assert (before, [r.flow for r in runs], after) == (["customers"], ["customers"], [])


def test_a_flow_is_due_again_once_its_schedule_fires_after_the_last_run(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    ctx = make_context(tmp_path, [crm, erp], [flow(schedule="*/5 * * * *")])
    run_due_flows(ctx)
    ctx.clock.moment += timedelta(minutes=5)  # type: ignore[attr-defined]

    assert due_flows(ctx) == ["customers"]


def test_a_failing_flow_does_not_stop_the_other_due_flows(tmp_path: Path) -> None:
    erp = MemorySystem("erp")
    broken = flow(name="a-broken", source="nowhere")
    ctx = make_context(tmp_path, [MemorySystem("crm"), erp], [broken, flow(name="b-fine")])

    runs = run_due_flows(ctx)

    assert [(r.flow, r.error is None) for r in runs] == [("a-broken", False), ("b-fine", True)]
