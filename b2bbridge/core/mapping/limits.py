"""Bounds on inbound payloads that are not EDI: how big and how deeply nested they may be.

EDI readers stream, so a large file costs time, not memory. XML, JSON and spreadsheets
are read whole, so their size is bounded before reading starts, and their nesting while
reading, so that a hostile or broken document is refused instead of filling memory.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PayloadLimits:
    """``max_bytes`` of input, ``max_depth`` of element or object nesting, ``max_rows``."""

    max_bytes: int = 32 * 1024 * 1024
    max_depth: int = 64
    max_rows: int = 200_000


DEFAULT_LIMITS = PayloadLimits()
