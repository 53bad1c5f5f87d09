import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from b2bbridge.adapters.connectors.memory import MemoryConnector
from b2bbridge.adapters.connectors.schedule import Schedule
from b2bbridge.cli.serve import Scheduler, flow_loop
from b2bbridge.core.sync import FlowSpec
from b2bbridge.services.sync_context import SyncContext

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from sync_fakes import MemorySystem, down, flow, make_context

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.moment = T0

    def now(self) -> datetime:
        return self.moment


def test_every_connector_is_due_at_start_then_on_its_own_schedule() -> None:
    clock = Clock()
    fast, slow = MemoryConnector("fast"), MemoryConnector("slow")
    s = Scheduler(
        clock, [(fast, Schedule(interval_seconds=5)), (slow, Schedule(cron="*/1 * * * *"))]
    )
    assert [c.name for c in s.take_due()] == ["fast", "slow"]
    assert s.take_due() == []
    assert s.seconds_to_next() == 5
    clock.moment += timedelta(seconds=5)
    assert [c.name for c in s.take_due()] == ["fast"]
    clock.moment = T0 + timedelta(minutes=1)
    assert [c.name for c in s.take_due()] == ["fast", "slow"]


def test_with_nothing_scheduled_the_scheduler_sleeps_a_minute() -> None:
    assert Scheduler(Clock(), []).seconds_to_next() == 60.0


def _flow_context(tmp_path: Path, *systems: MemorySystem, flows: list[FlowSpec]) -> SyncContext:
    return make_context(tmp_path, list(systems), flows)


def test_the_flow_scheduler_runs_a_due_flow_even_after_another_flow_fails(
    tmp_path: Path,
) -> None:
    class Unreachable(MemorySystem):
        def read_changes(self, entity: str, since: object) -> object:  # type: ignore[override]
            raise down()

    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    sync = _flow_context(
        tmp_path,
        Unreachable("broken"),
        crm,
        erp,
        flows=[flow("a-broken", source="broken"), flow("b-customers")],
    )
    stop, guard = threading.Event(), threading.Lock()
    thread = threading.Thread(target=flow_loop, args=(sync, stop, guard), daemon=True)
    thread.start()
    try:
        for _ in range(600):
            if erp.writes:
                break
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(60)
    assert not thread.is_alive()
    assert erp.writes == [["C1"]]
    with sync.state() as state:
        broken, ran = state.runs.last("a-broken"), state.runs.last("b-customers")
    assert broken is not None
    assert ran is not None
    assert (broken.status, ran.status) == ("error", "ok")


def test_the_flow_scheduler_runs_nothing_once_stopped(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    sync = _flow_context(tmp_path, crm, erp, flows=[flow()])
    stop = threading.Event()
    stop.set()

    flow_loop(sync, stop, threading.Lock(), poll_seconds=0.01)

    assert erp.writes == []
