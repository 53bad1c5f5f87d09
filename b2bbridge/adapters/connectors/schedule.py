"""When a connector is polled: every N seconds, or on a cron expression (croniter).

``serve`` asks each connector's schedule for its next due time after the last poll; the
schedule itself never sleeps or reads a clock, so it is tested with plain datetimes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    interval_seconds: float | None = Field(None, gt=0)
    cron: str | None = None

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is not None and not croniter.is_valid(value):
            raise ValueError(f"not a cron expression: {value!r}")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Schedule:
        if self.interval_seconds is not None and self.cron is not None:
            raise ValueError("a schedule is either interval_seconds or cron, not both")
        return self

    def next_after(self, moment: datetime) -> datetime:
        """The first due time strictly after ``moment`` (default: every 10 seconds)."""
        if self.cron is not None:
            nxt: datetime = croniter(self.cron, moment).get_next(datetime)
            return nxt
        return moment + timedelta(seconds=self.interval_seconds or 10.0)
