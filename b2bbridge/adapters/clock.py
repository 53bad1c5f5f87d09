"""The real clock, behind the Clock port, so the core and the services never read time."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """Aware UTC wall-clock time."""

    def now(self) -> datetime:
        return datetime.now(UTC)
