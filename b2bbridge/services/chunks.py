"""Cutting a long run of work into fixed-size lists, for statements and polls that batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Successive lists of up to ``size`` items, in order; an iterator is read lazily."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
