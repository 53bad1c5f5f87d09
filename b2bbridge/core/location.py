"""Where a problem is: the one value every error and log line carries.

A Location is built up as a message moves through the layers: the connector knows the
file, the reader adds byte offset, line and segment, the envelope tracker adds control
numbers, and the partner is known once the envelope is matched to a profile. Each layer
adds what it knows with :meth:`Location.with_`, so nothing is threaded through calls.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Location:
    """A point in an inbound or outbound message, as precise as is known.

    Every field is optional: an error found before the envelope is read has only a file
    and an offset; a mapping error inside a transaction has all of them.
    """

    file: str | None = None
    byte_offset: int | None = None
    line: int | None = None
    partner: str | None = None
    interchange: str | None = None
    group: str | None = None
    transaction: str | None = None
    segment_index: int | None = None
    segment_id: str | None = None
    element: int | None = None
    component: int | None = None

    def with_(self, **changes: Any) -> Location:
        """Return a copy with the given fields set; ``None`` values leave a field as it is."""
        kept = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **kept) if kept else self

    def merged(self, outer: Location) -> Location:
        """Fill the fields this location lacks from a wider one (an envelope's)."""
        mine = asdict(self)
        theirs = asdict(outer)
        return Location(**{k: mine[k] if mine[k] is not None else theirs[k] for k in mine})

    def as_dict(self) -> dict[str, Any]:
        """The non-empty fields, for JSON output and structured logs."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def render(self) -> str:
        """Human form, most general first.

        >>> Location(partner="ACME", transaction="0001",
        ...          segment_id="DTM", segment_index=7, element=2).render()
        'partner ACME, transaction 0001: segment DTM at position 7, element 2'
        """
        head: list[str] = []
        if self.file:
            head.append(f"file {self.file}")
        if self.partner:
            head.append(f"partner {self.partner}")
        if self.interchange:
            head.append(f"interchange {self.interchange}")
        if self.group:
            head.append(f"group {self.group}")
        if self.transaction:
            head.append(f"transaction {self.transaction}")
        tail: list[str] = []
        if self.segment_id:
            where = f"segment {self.segment_id}"
            if self.segment_index is not None:
                where += f" at position {self.segment_index}"
            tail.append(where)
        elif self.segment_index is not None:
            tail.append(f"segment position {self.segment_index}")
        if self.element is not None:
            tail.append(f"element {self.element}")
        if self.component is not None:
            tail.append(f"component {self.component}")
        if self.line is not None:
            tail.append(f"line {self.line}")
        if self.byte_offset is not None:
            tail.append(f"byte {self.byte_offset}")
        text = ", ".join(head)
        if tail:
            text = f"{text}: {', '.join(tail)}" if text else ", ".join(tail)
        return text or "unknown location"
