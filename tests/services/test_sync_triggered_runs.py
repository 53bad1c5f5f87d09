"""SyncTriggers (the worker's sync hook), replaying a dead-lettered run, due-flow isolation."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sync_fakes import MemorySystem, down, flow, make_context

from b2bbridge.core.errors import B2BError
from b2bbridge.ports import WorkItem
from b2bbridge.services.sync_deadletter import dead_letter_run
from b2bbridge.services.sync_replay import replay_sync_dead_letter
from b2bbridge.services.sync_schedule import run_due_flows
from b2bbridge.services.sync_triggers import SyncTriggers


class MemoryQueue:
    def __init__(self) -> None:
        self.items: list[tuple[str, int, dict[str, object] | None]] = []

    def enqueue(
        self,
        kind: str,
        message_id: int,
        *,
        payload: dict[str, object] | None = None,
        delay_seconds: float = 0,
    ) -> int:
        self.items.append((kind, message_id, payload))
        return len(self.items)


def _item(item_id: int, flow_name: str) -> WorkItem:
    return WorkItem(item_id, "sync", 9, {"flow": flow_name}, 0, None, None)


def test_triggers_queue_each_flow_of_the_stored_types_once_and_ignore_schedule_only_flows(
    tmp_path: Path,
) -> None:
    flows = [
        flow("partner-orders", source="pipeline", entity="order", trigger="order"),
        flow("invoices-out", source="erp", target="acme", entity="invoice", trigger="invoice"),
        flow("customers"),
    ]
    triggers = SyncTriggers(make_context(tmp_path, [], flows), remember=True)
    queue = MemoryQueue()

    ids = triggers.enqueue_triggered(queue, 9, ["order", "order", "shipment"])  # type: ignore[arg-type]

    assert triggers.trigger_types == frozenset({"order", "invoice"})
    assert queue.items == [("sync", 9, {"flow": "partner-orders"})]
    assert [triggers.queued[i].flow for i in ids] == ["partner-orders"]


def test_a_triggered_run_is_noted_with_its_report_and_a_failed_one_with_its_error(
    tmp_path: Path,
) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    triggers = SyncTriggers(
        make_context(tmp_path, [crm, erp], [flow(trigger="customer")]), remember=True
    )
    triggers.run_item(_item(1, "customers"))
    with pytest.raises(B2BError):
        triggers.run_item(_item(2, "nowhere"))

    done, failed = triggers.queued[1], triggers.queued[2]
    assert done.report is not None
    assert (done.report.written, done.error) == (1, None)
    assert failed.report is None
    assert failed.error is not None
    assert "nowhere" in failed.error


def test_a_long_running_worker_keeps_no_notes_of_its_runs(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    triggers = SyncTriggers(make_context(tmp_path, [crm, erp], [flow(trigger="customer")]))
    queue = MemoryQueue()

    triggers.enqueue_triggered(queue, 9, ["customer"])  # type: ignore[arg-type]
    triggers.run_item(_item(1, "customers"))

    assert (len(queue.items), erp.writes, triggers.queued) == (1, [["C1"]], {})


def test_the_guard_is_held_while_a_triggered_flow_runs(tmp_path: Path) -> None:
    lock = threading.Lock()
    held: list[bool] = []

    class Watching(MemorySystem):
        def upsert(self, entity: str, records: list[object]) -> list[str]:  # type: ignore[override]
            held.append(lock.locked())
            return super().upsert(entity, records)  # type: ignore[arg-type]

    crm, erp = MemorySystem("crm"), Watching("erp")
    crm.put("C1", {"name": "A"})
    triggers = SyncTriggers(make_context(tmp_path, [crm, erp], [flow()]), guard=lock)

    triggers.run_item(_item(1, "customers"))

    assert (held, lock.locked()) == ([True], False)


def test_replaying_a_dead_lettered_run_runs_the_flow_and_closes_the_dead_letter(
    tmp_path: Path,
) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    ctx = make_context(tmp_path, [crm, erp], [flow()])
    with ctx.uow() as uow:
        letter = dead_letter_run(
            uow, flow="customers", trigger_message_id=9, failure=down(), attempts=3
        )
        uow.commit()

    result = replay_sync_dead_letter(ctx, letter)

    assert result.ok
    assert result.report is not None
    assert (result.report.written, erp.writes) == (1, [["C1"]])
    with ctx.uow() as uow:
        assert uow.dead_letters.get(letter).status == "replayed"
    with pytest.raises(B2BError, match="not open"):
        replay_sync_dead_letter(ctx, letter)


def test_a_replayed_run_that_fails_again_leaves_a_new_dead_letter_pointing_back(
    tmp_path: Path,
) -> None:
    class DownCrm(MemorySystem):
        def read_changes(self, entity: str, since: object) -> object:  # type: ignore[override]
            raise down()

    ctx = make_context(tmp_path, [DownCrm("crm"), MemorySystem("erp")], [flow()])
    with ctx.uow() as uow:
        letter = dead_letter_run(
            uow, flow="customers", trigger_message_id=9, failure=down(), attempts=3
        )
        uow.commit()

    result = replay_sync_dead_letter(ctx, letter)

    assert not result.ok
    assert result.new_dead_letter_id is not None
    with ctx.uow() as uow:
        again = uow.dead_letters.get(result.new_dead_letter_id)
    assert (again.replay_of, again.location["file"]) == (letter, "sync:customers")


def test_a_due_flow_raising_an_unexpected_error_does_not_stop_the_next_one(
    tmp_path: Path,
) -> None:
    class Buggy(MemorySystem):
        def read_changes(self, entity: str, since: object) -> object:  # type: ignore[override]
            raise KeyError("write_date")

    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    ctx = make_context(
        tmp_path,
        [Buggy("broken"), crm, erp],
        [flow("a-broken", source="broken"), flow("b-customers")],
    )

    runs = run_due_flows(ctx)

    assert [(r.flow, r.report is not None) for r in runs] == [
        ("a-broken", False),
        ("b-customers", True),
    ]
    assert runs[0].error is not None
    assert "KeyError" in runs[0].error
    assert erp.writes == [["C1"]]


def test_due_flows_stop_between_flows_when_asked(tmp_path: Path) -> None:
    ctx = make_context(tmp_path, [MemorySystem("crm"), MemorySystem("erp")], [flow("a"), flow("b")])
    asked: list[int] = []

    def stop_after_first() -> bool:
        asked.append(1)
        return len(asked) > 1

    runs = run_due_flows(ctx, should_stop=stop_after_first)

    assert [r.flow for r in runs] == ["a"]
