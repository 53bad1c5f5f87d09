"""Read locks: how a polling connector knows a file is complete before it picks it up.

Three strategies, one per connector, chosen in its file:

``stable`` (default)
    The file's size and mtime have not changed for ``seconds``. A file seen for the first
    time counts as settled only if its mtime is already that old; otherwise the connector
    remembers it and takes it on a later poll, once size and mtime held still that long.
``done_file``
    The sender writes ``NAME`` and then an empty ``NAME<suffix>`` (``.done`` by default);
    ``NAME`` is ready once the marker exists. Markers are never picked up themselves and
    are removed with their file.
``rename``
    The sender uploads under a temporary name and renames it in place when finished, so
    anything not under a temporary name is complete. The connector also claims a file by
    renaming it to ``NAME<suffix>`` (``.claimed`` by default) before reading, so two
    pollers never take the same file.

Temporary names (leading ``.``, or ending in ``.tmp``/``.part``/``.filepart``) are never
picked up under any strategy. The decisions here take the clock as an argument.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TEMP_SUFFIXES = (".tmp", ".part", ".filepart")


class ReadLock(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    strategy: Literal["stable", "done_file", "rename"] = "stable"
    seconds: float = Field(2.0, ge=0, description="stable: how long size and mtime must hold")
    suffix: str | None = Field(None, min_length=1, description="marker or claim suffix")

    @property
    def marker(self) -> str:
        """The done-file suffix, or the claim suffix of ``rename`` (``.claimed``)."""
        if self.suffix:
            return self.suffix
        return ".claimed" if self.strategy == "rename" else ".done"


def is_temporary(name: str, lock: ReadLock) -> bool:
    """A writer's in-progress name, or one of our own markers: never a payload."""
    if name.startswith(".") or name.endswith(TEMP_SUFFIXES):
        return True
    return lock.strategy == "done_file" and name.endswith(lock.marker)


@dataclass
class StabilityTracker:
    """Remembers each candidate's (size, mtime) and when it was first seen that way."""

    seconds: float
    _seen: dict[str, tuple[int, float, float]] = field(default_factory=dict)

    def settled(self, name: str, size: int, mtime: float, now: float) -> bool:
        """True once ``name`` has held still for ``seconds``; call on every poll."""
        if mtime <= now - self.seconds:
            self._seen.pop(name, None)
            return True
        before = self._seen.get(name)
        if before is None or before[:2] != (size, mtime):
            self._seen[name] = (size, mtime, now)
            return False
        return now - before[2] >= self.seconds

    def forget_missing(self, present: set[str]) -> None:
        """Drop names no longer listed, so the memory stays bounded by the inbox."""
        for name in [n for n in self._seen if n not in present]:
            del self._seen[name]


def ready_names(
    listing: dict[str, tuple[int, float]],
    lock: ReadLock,
    tracker: StabilityTracker,
    now: float,
) -> list[str]:
    """Which names in a listing (name → size, mtime) are complete, oldest first."""
    candidates = {n: v for n, v in listing.items() if not is_temporary(n, lock)}
    if lock.strategy == "done_file":
        ready = [n for n in candidates if n + lock.marker in listing]
    elif lock.strategy == "rename":
        ready = list(candidates)
    else:
        tracker.forget_missing(set(candidates))
        ready = [
            n for n, (size, mtime) in candidates.items() if tracker.settled(n, size, mtime, now)
        ]
    return sorted(ready, key=lambda n: (listing[n][1], n))


def claimed_leftovers(
    listing: dict[str, tuple[int, float]], marker: str, claims: dict[str, str]
) -> Iterator[tuple[str, int]]:
    """Files claimed by renaming before a crash, as (original name, size), oldest name first.

    Each is noted in ``claims`` (original -> claimed name) so that fetch and confirm find
    it under its claimed name; the connector reads it again under its original one.
    """
    for claimed in sorted(n for n in listing if n.endswith(marker)):
        original = claimed.removesuffix(marker)
        claims[original] = claimed
        yield original, listing[claimed][0]
