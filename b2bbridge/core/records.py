"""Pickling a record as a call to its constructor, with every field in order.

Records that wait for an interchange's trailer (transaction headers, outcomes, mapped
units) are spilled to disk a block at a time once there are many. The default pickling of
a slotted dataclass goes through Python-level state functions and costs three times as
much as a constructor call with the fields as arguments; reading the fields with one
:func:`operator.attrgetter` built from the dataclass's own field list keeps that fast and
can never leave a field out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any


def field_values(cls: type[Any]) -> Callable[[object], tuple[object, ...]]:
    """A function giving a record's fields as a tuple, in constructor order.

    ``cls`` must be a dataclass of at least two fields whose fields are all ``__init__``
    arguments, which holds for every record that uses this.
    """
    names = [f.name for f in fields(cls)]
    if len(names) < 2 or not all(f.init for f in fields(cls)):
        raise TypeError(f"{cls.__name__} is not a record of two or more __init__ fields")
    getter: Callable[[object], tuple[object, ...]] = attrgetter(*names)
    return getter
