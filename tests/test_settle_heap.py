"""Settling the heap: start-up objects leave the cyclic collector's walks, garbage does not."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from b2bbridge.bootstrap import settle_heap


class Node:
    """An object that can sit in a reference cycle and be watched with a weak reference."""

    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> weakref.ref[Node]:
    """Two nodes that refer to each other, unreachable once this returns."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """Each test starts and ends with nothing frozen, so the rest of the suite is as before."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_first_settle_freezes_the_heap_and_later_ones_do_nothing() -> None:
    assert settle_heap() is True
    assert gc.get_freeze_count() > 0
    a, b = Node(), Node()
    a.other, b.other = b, a
    watched = weakref.ref(a)
    assert settle_heap() is False  # a second freeze would keep the live pair forever
    del a, b
    gc.collect()
    assert watched() is None


def test_garbage_left_by_start_up_is_collected_before_the_freeze() -> None:
    was_enabled = gc.isenabled()
    gc.disable()  # keep an automatic collection from reclaiming the cycle first
    try:
        watched = cycle()
        assert watched() is not None
        settle_heap()
        gc.collect()
        assert watched() is None
    finally:
        if was_enabled:
            gc.enable()


def test_cycles_made_after_settling_are_still_collected() -> None:
    settle_heap()
    watched = cycle()
    gc.collect()
    assert watched() is None
