from datetime import UTC, datetime

import pytest

from b2bbridge.adapters.connectors.schedule import Schedule

T0 = datetime(2026, 3, 1, 12, 7, 30, tzinfo=UTC)


def test_an_interval_schedule_is_due_that_many_seconds_later() -> None:
    assert Schedule(interval_seconds=30).next_after(T0) == datetime(2026, 3, 1, 12, 8, tzinfo=UTC)


def test_a_cron_schedule_is_due_at_the_next_matching_minute() -> None:
    assert Schedule(cron="*/15 * * * *").next_after(T0) == datetime(2026, 3, 1, 12, 15, tzinfo=UTC)


def test_the_default_schedule_polls_every_ten_seconds() -> None:
    assert (Schedule().next_after(T0) - T0).total_seconds() == 10


def test_interval_and_cron_together_are_refused() -> None:
    with pytest.raises(ValueError, match="not both"):
        Schedule(interval_seconds=5, cron="* * * * *")
