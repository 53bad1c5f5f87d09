from datetime import UTC, datetime, timedelta

from b2bbridge.adapters.connectors.memory import MemoryConnector
from b2bbridge.adapters.connectors.schedule import Schedule
from b2bbridge.cli.serve import Scheduler

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
