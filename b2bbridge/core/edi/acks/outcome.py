"""What happened to each interchange, group and transaction: the input of every ack builder.

:class:`OutcomeBuilder` watches the reader's event stream and files each
:class:`~b2bbridge.core.errors.Problem` under the unit it condemns, using the problem's
level from :func:`~b2bbridge.core.edi.codes.lookup`: an element, segment or transaction
problem goes to the transaction, a group problem to the group, an interchange or file
problem to the interchange. When the unit of that level is already closed (a reader may
report a count mismatch just after the trailer), the most recent one is used; when the
problem's Location names a control number, the unit with that number is preferred. A
problem about an ST/UNH reported just before its TransactionStart (a duplicate control
number) waits for that transaction; if none opens, it goes to the group.

Problems found after the read (validation, mapping) join through :meth:`add_problem`.
Warnings are kept, so that an ack can say "accepted with errors", but they never reject.

A group's transactions are kept in whatever :class:`TransactionLog` the builder is given:
a plain list by default, or one that spills older records to disk, so that an interchange
of many thousand transactions does not hold them all on the heap until its trailer. The
builder changes only the transaction it is reading, and looks a transaction up by control
number among the :data:`RECENT` it read last, so a log may hand back copies of the rest.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from b2bbridge.core.edi.codes import lookup
from b2bbridge.core.edi.events import (
    Event,
    GroupEnd,
    GroupHeader,
    GroupStart,
    InterchangeHeader,
    InterchangeStart,
    TransactionEnd,
    TransactionHeader,
    TransactionStart,
)
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import Problem
from b2bbridge.core.records import field_values

_TRANSACTION_LEVELS = frozenset({"transaction", "segment", "element"})
_TRANSACTION_HEADERS = frozenset({"ST", "UNH"})
RECENT = 64
"""Transactions of the open group that a problem naming a control number is matched with.

Problems arrive while their transaction is read or just after (validation and mapping run
on the transaction the reader has just finished), so the newest few are all that is ever
named; looking further back would read a spilled log back from disk.
"""


@dataclass(slots=True)
class TransactionOutcome:
    """One ST/UNH: its problems, the segments read, and whether its trailer came."""

    header: TransactionHeader
    problems: list[Problem] = field(default_factory=list)
    segment_count: int = 1
    trailer_present: bool = False

    @property
    def accepted(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickle as a constructor call: a large group's outcomes spill to disk."""
        return (TransactionOutcome, _OUTCOME_FIELDS(self))


class TransactionLog(Protocol):
    """The transactions of one group in stream order: a list, or a log that spills.

    A log may hand back copies of its older records, but its newest :data:`RECENT` must be
    the very objects appended: the builder still files problems under them.
    """

    def append(self, outcome: TransactionOutcome, /) -> None: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[TransactionOutcome]: ...
    def __getitem__(self, index: int, /) -> TransactionOutcome: ...
    def __reversed__(self) -> Iterator[TransactionOutcome]: ...


_OUTCOME_FIELDS = field_values(TransactionOutcome)


def _plain_log() -> TransactionLog:
    log: list[TransactionOutcome] = []
    return log


@dataclass(slots=True)
class GroupOutcome:
    """One GS/UNG (or EDIFACT's implicit group); ``trailer_count`` is GE01/UNE01 as sent."""

    header: GroupHeader
    transactions: TransactionLog = field(default_factory=_plain_log)
    problems: list[Problem] = field(default_factory=list)
    trailer_count: int | None = None

    @property
    def accepted(self) -> bool:
        """No group-level error; each transaction is judged on its own."""
        return not any(p.is_error for p in self.problems)

    @property
    def accepted_transactions(self) -> int:
        return sum(1 for t in self.transactions if t.accepted)


@dataclass(slots=True)
class InterchangeOutcome:
    """One ISA/UNB with its groups and the problems of the envelope itself."""

    header: InterchangeHeader
    groups: list[GroupOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not any(p.is_error for p in self.problems)


def _count(trailer: Segment | None) -> int | None:
    if trailer is None:
        return None
    text = trailer.raw(1).strip()
    return int(text) if text.isdigit() else None


class OutcomeBuilder:
    """Folds an event stream into :class:`InterchangeOutcome` values.

    Problems seen before any interchange (level ``file``, or anything without an open
    envelope) are kept in :attr:`loose_problems`. ``transactions`` makes each group's
    :class:`TransactionLog` (a list unless given).
    """

    def __init__(self, transactions: Callable[[], TransactionLog] | None = None) -> None:
        self._new_log: Callable[[], TransactionLog] = transactions or _plain_log
        self._interchanges: list[InterchangeOutcome] = []
        self._group: GroupOutcome | None = None
        self._transaction: TransactionOutcome | None = None
        self._recent: deque[TransactionOutcome] = deque(maxlen=RECENT)
        self._open_transaction = False
        self._pending: list[Problem] = []
        self.loose_problems: list[Problem] = []

    def observe(self, event: Event) -> None:
        """Take one event from the reader, in stream order."""
        if isinstance(event, Problem):
            if self._about_next_header(event):
                self._pending.append(event)
            else:
                self._file(event, None)
            return
        if not isinstance(event, Segment | TransactionStart):
            self._flush_pending()
        if isinstance(event, Segment):
            if self._open_transaction and self._transaction is not None:
                self._transaction.segment_count += 1
        elif isinstance(event, InterchangeStart):
            self._interchanges.append(InterchangeOutcome(event.header))
            self._group = self._transaction = None
            self._recent.clear()
        elif isinstance(event, GroupStart):
            self._open_group(event.header)
        elif isinstance(event, GroupEnd):
            if self._group is not None:
                self._group.trailer_count = _count(event.trailer)
        elif isinstance(event, TransactionStart):
            self._open_transaction_outcome(event.header)
        elif isinstance(event, TransactionEnd):
            self._close_transaction(event)

    def add_problem(self, problem: Problem, *, transaction_control: str | None = None) -> None:
        """File a problem found after the read, e.g. by validation or mapping."""
        self._file(problem, transaction_control)

    def outcomes(self) -> list[InterchangeOutcome]:
        return list(self._interchanges)

    def forget_before(self, outcome: InterchangeOutcome) -> None:
        """Drop the interchanges before ``outcome``: the caller has stored and answered them.

        A payload of many interchanges is read one interchange at a time; keeping every
        finished one would make memory grow with the file. The latest stays, since a
        reader may still report a problem about it just after its trailer.
        """
        for position, kept in enumerate(self._interchanges):
            if kept is outcome:
                del self._interchanges[:position]
                return

    def _open_group(self, header: GroupHeader) -> None:
        if not self._interchanges:
            return
        self._group = GroupOutcome(header, transactions=self._new_log())
        self._interchanges[-1].groups.append(self._group)
        self._transaction = None
        self._recent.clear()

    def _open_transaction_outcome(self, header: TransactionHeader) -> None:
        if self._group is None:
            return
        self._transaction = TransactionOutcome(header, problems=self._pending)
        self._group.transactions.append(self._transaction)
        self._recent.append(self._transaction)
        self._open_transaction = True
        self._pending = []

    def _about_next_header(self, problem: Problem) -> bool:
        """A transaction problem about an ST/UNH that comes before its TransactionStart."""
        return (
            not self._open_transaction
            and problem.location.segment_id in _TRANSACTION_HEADERS
            and lookup(problem.code).level in _TRANSACTION_LEVELS
        )

    def _flush_pending(self) -> None:
        """Header problems whose transaction never opened belong to the group."""
        if not self._pending:
            return
        if self._group is not None:
            self._group.problems.extend(self._pending)
        elif self._interchanges:
            self._interchanges[-1].problems.extend(self._pending)
        else:
            self.loose_problems.extend(self._pending)
        self._pending = []

    def _close_transaction(self, event: TransactionEnd) -> None:
        outcome = self._transaction
        self._open_transaction = False
        if outcome is None:
            return
        outcome.trailer_present = event.trailer is not None
        outcome.segment_count = event.segment_count or (
            outcome.segment_count + (1 if event.trailer is not None else 0)
        )

    def _file(self, problem: Problem, transaction_control: str | None) -> None:
        level = lookup(problem.code).level
        interchange = self._find_interchange(problem.location.interchange)
        if interchange is None:
            self.loose_problems.append(problem)
            return
        if level in ("file", "interchange"):
            interchange.problems.append(problem)
            return
        group = self._find_group(interchange, problem.location.group)
        if group is None:
            interchange.problems.append(problem)
            return
        transaction = None
        if level in _TRANSACTION_LEVELS:
            control = transaction_control or problem.location.transaction
            transaction = self._find_transaction(group, control)
        if transaction is None:
            group.problems.append(problem)
        else:
            transaction.problems.append(problem)

    def _find_interchange(self, control: str | None) -> InterchangeOutcome | None:
        for outcome in reversed(self._interchanges):
            if control is None or outcome.header.control_number == control:
                return outcome
        return self._interchanges[-1] if self._interchanges else None

    def _find_group(
        self, interchange: InterchangeOutcome, control: str | None
    ) -> GroupOutcome | None:
        if control is not None:
            for group in reversed(interchange.groups):
                if group.header.control_number == control:
                    return group
        if any(g is self._group for g in interchange.groups):
            return self._group
        return interchange.groups[-1] if interchange.groups else None

    def _find_transaction(
        self, group: GroupOutcome, control: str | None
    ) -> TransactionOutcome | None:
        """By control number among the recent ones, else the one being read, else the last.

        The transaction being read belongs to the open group and to no other; an earlier
        group (a problem that names one) is searched whole, which is rare.
        """
        current = group is self._group
        if control is not None:
            candidates = reversed(self._recent) if current else reversed(group.transactions)
            for transaction in candidates:
                if transaction.header.control_number == control:
                    return transaction
        if current and self._transaction is not None:
            return self._transaction
        return group.transactions[-1] if len(group.transactions) else None
