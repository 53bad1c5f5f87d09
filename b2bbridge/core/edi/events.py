"""The event stream the envelope layer yields: headers, body segments, trailers, problems.

Readers stream; they never build a tree of the whole file. The envelope layer wraps the
flat segment stream with start and end events so that each consumer keeps only the state
it needs: ``inspect`` keeps counts, the validator keeps its place in the schema, and the
pipeline buffers one transaction at a time (see :func:`collect_transactions`).

Order, for one interchange::

    InterchangeStart
      GroupStart                   (EDIFACT without UNG: a GroupStart with header.segment None)
        TransactionStart           (carries the ST/UNH segment)
          Segment ...              (body segments, neither header nor trailer)
        TransactionEnd             (carries the SE/UNT segment, None when it was missing)
      GroupEnd
    InterchangeEnd
    Problem                        (anywhere, as soon as it is found)

Segments outside any transaction (TA1, ISB/ISE) come as bare Segments between the
interchange events. A file with several interchanges repeats the pattern.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from b2bbridge.core.edi.segments import Delimiters, Segment
from b2bbridge.core.errors import Problem
from b2bbridge.core.records import field_values


@dataclass(frozen=True, slots=True)
class PartyId:
    """An interchange or group sender/receiver: qualifier and id, both stripped."""

    qualifier: str | None
    id: str

    def as_dict(self) -> dict[str, str | None]:
        return {"qualifier": self.qualifier, "id": self.id}


@dataclass(frozen=True, slots=True)
class InterchangeHeader:
    """ISA or UNB, decoded.

    ``version`` is ISA12 (``00401``) or the UNB syntax version number (``3``);
    ``syntax_identifier`` is the EDIFACT character set (``UNOC``) and None in X12.
    ``time`` is ``HH:MM`` text; ``date`` is None when it would not parse (a Problem says so).
    """

    syntax: str  # "x12" | "edifact"
    control_number: str
    sender: PartyId
    receiver: PartyId
    date: date | None
    time: str | None
    version: str
    test: bool
    ack_requested: bool
    delimiters: Delimiters
    encoding: str
    segment: Segment
    syntax_identifier: str | None = None


@dataclass(frozen=True, slots=True)
class GroupHeader:
    """GS or UNG; for EDIFACT messages with no UNG, an implicit group with no segment."""

    control_number: str | None
    functional_id: str | None
    sender: PartyId | None
    receiver: PartyId | None
    version: str | None
    date: date | None
    time: str | None
    segment: Segment | None


@dataclass(frozen=True, slots=True)
class TransactionHeader:
    """ST or UNH. ``type`` is ``850`` or ``ORDERS``; ``version`` is ``004010`` or ``D:96A:UN``."""

    type: str
    control_number: str
    version: str | None
    segment: Segment
    interchange_control_number: str
    group_control_number: str | None

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickle as a constructor call, for spilled records (:mod:`b2bbridge.core.records`)."""
        return (TransactionHeader, _HEADER_FIELDS(self))


_HEADER_FIELDS = field_values(TransactionHeader)


@dataclass(frozen=True, slots=True)
class InterchangeStart:
    header: InterchangeHeader


@dataclass(frozen=True, slots=True)
class InterchangeEnd:
    header: InterchangeHeader
    trailer: Segment | None  # IEA/UNZ; None when the file ended without one
    group_count: int  # groups (or EDIFACT messages without UNG) actually read


@dataclass(frozen=True, slots=True)
class GroupStart:
    header: GroupHeader


@dataclass(frozen=True, slots=True)
class GroupEnd:
    header: GroupHeader
    trailer: Segment | None
    transaction_count: int


@dataclass(frozen=True, slots=True)
class TransactionStart:
    header: TransactionHeader


@dataclass(frozen=True, slots=True)
class TransactionEnd:
    header: TransactionHeader
    trailer: Segment | None
    segment_count: int  # ST..SE / UNH..UNT inclusive, as found in the file


Event = (
    InterchangeStart
    | InterchangeEnd
    | GroupStart
    | GroupEnd
    | TransactionStart
    | TransactionEnd
    | Segment
    | Problem
)


@dataclass(slots=True)
class Transaction:
    """One transaction set or message, buffered: header, every segment, its problems.

    ``segments`` runs from ST/UNH to SE/UNT inclusive, so that mapping and validation see
    exactly what the partner sent.
    """

    interchange: InterchangeHeader
    group: GroupHeader
    header: TransactionHeader
    segments: list[Segment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    segment_count: int = 0
    complete: bool = False

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickle as a constructor call, for spilled records (:mod:`b2bbridge.core.records`)."""
        return (Transaction, _TRANSACTION_FIELDS(self))


_TRANSACTION_FIELDS = field_values(Transaction)


def collect_transactions(events: Iterable[Event]) -> Iterator[Transaction | Event]:
    """Buffer each transaction's events into a :class:`Transaction`; pass others through.

    TransactionStart, its body segments and TransactionEnd are folded into the one
    Transaction value, which is yielded when the trailer arrives (or, unterminated, when
    the next envelope event shows the trailer is missing; ``complete`` is then False).

    Problems found inside a transaction are attached to it *and* passed through, so a
    consumer that only counts problems still sees every one.
    """
    interchange: InterchangeHeader | None = None
    group: GroupHeader | None = None
    current: Transaction | None = None
    for ev in events:
        if current is not None:
            if isinstance(ev, Segment):
                current.segments.append(ev)
                continue
            if isinstance(ev, Problem):
                current.problems.append(ev)
                yield ev
                continue
            if isinstance(ev, TransactionEnd):
                if ev.trailer is not None:
                    current.segments.append(ev.trailer)
                current.segment_count = ev.segment_count
                current.complete = ev.trailer is not None
                yield current
                current = None
                continue
            # Any other event closes an unterminated transaction first.
            yield current
            current = None
        if isinstance(ev, InterchangeStart):
            interchange = ev.header
        elif isinstance(ev, GroupStart):
            group = ev.header
        elif isinstance(ev, TransactionStart) and interchange is not None and group is not None:
            current = Transaction(interchange, group, ev.header, [ev.header.segment])
            continue
        yield ev
    if current is not None:
        yield current
