"""Watermarks: where a flow's next poll starts, safe against late commits and replays.

Systems such as Tryton stamp ``write_date`` when a row is written, not when its
transaction commits, so a row stamped 10:00:00.100 can become visible after a poll that
already moved the watermark to 10:00:00.200. Each poll therefore starts ``overlap``
before the watermark, and the watermark remembers the (key, stamp) pairs it has already
passed inside that window, so the overlap never yields the same version twice. A newer
version of a record (same key, later stamp) is always fresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class ChangeStamp:
    """One version of one record: its key in the source system and its write stamp."""

    key: str
    stamp: datetime


@dataclass(frozen=True, slots=True)
class Watermark:
    """The newest stamp a flow has taken in, and the versions seen in the overlap window."""

    since: datetime | None = None
    seen: frozenset[ChangeStamp] = field(default_factory=frozenset)


def poll_start(mark: Watermark, overlap: timedelta) -> datetime | None:
    """Where to poll from: the watermark less the overlap (None means from the beginning)."""
    return None if mark.since is None else mark.since - overlap


def select_fresh(mark: Watermark, stamps: Iterable[ChangeStamp]) -> list[ChangeStamp]:
    """The versions not taken in before, in the given order, each version at most once."""
    fresh: list[ChangeStamp] = []
    taken = set(mark.seen)
    for stamp in stamps:
        if stamp in taken:
            continue
        taken.add(stamp)
        fresh.append(stamp)
    return fresh


def advance(mark: Watermark, taken: Sequence[ChangeStamp], overlap: timedelta) -> Watermark:
    """The watermark after ``taken`` were processed; it never moves backwards.

    Only versions that a later poll's overlap window can still return are remembered,
    so the ``seen`` set stays as small as the overlap allows.
    """
    stamps = [change.stamp for change in taken]
    if mark.since is not None:
        stamps.append(mark.since)
    if not stamps:
        return mark
    since = max(stamps)
    floor = since - overlap
    seen = {change for change in (*mark.seen, *taken) if change.stamp >= floor}
    return Watermark(since=since, seen=frozenset(seen))
