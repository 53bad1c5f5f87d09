"""Build the X12 acknowledgments we send: 997, 999 and TA1.

One 997 (or 999) interchange answers one inbound interchange. It holds one FA group, and
in it one transaction set per inbound group (AK1 … AK9), with one AK2/AK5 (IK5) per
inbound transaction echoing ST01 and ST02. Segment and element problems whose position is
known become AK3/AK4 (IK3/IK4); AK302 is the segment's position in its transaction set,
where ST is position 1. Sender and receiver are swapped relative to the inbound
interchange and group. An interchange with no group at all has nothing a 997 can say;
it is answered with a TA1.

Control numbers are never invented here: :class:`AckControl` carries the ones the store
allocated. When the inbound interchange has several groups, the ack's transaction sets
are numbered consecutively from ``AckControl.transaction``, so the caller reserves one
number per inbound group.

Positions assume that ``Location.segment_index`` counts like ``Segment.index``: from the
interchange header, which is 1.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from b2bbridge.core.edi.acks import status
from b2bbridge.core.edi.acks.outcome import GroupOutcome, InterchangeOutcome, TransactionOutcome
from b2bbridge.core.edi.codes import lookup
from b2bbridge.core.edi.events import GroupHeader, PartyId, TransactionHeader
from b2bbridge.core.edi.segments import X12_DEFAULT, Delimiters, Segment
from b2bbridge.core.edi.x12.writer import X12Writer
from b2bbridge.core.errors import EdiError, Problem

IMPLEMENTATION_999 = "005010X231A1"


@dataclass(frozen=True, slots=True)
class AckControl:
    """Control numbers allocated by the caller: ISA13, GS06 and the first ST02."""

    interchange: int
    group: int
    transaction: int


@dataclass(frozen=True, slots=True)
class _Flavor:
    """What differs between a 997 and a 999."""

    kind: str  # "997" | "999"
    prefix: str  # "AK" | "IK" for segments 3, 4 and 5
    contexts: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def is_999(self) -> bool:
        return self.kind == "999"


_997 = _Flavor("997", "AK")
_999 = _Flavor("999", "IK")


def transaction_position(segment: Segment, header: TransactionHeader) -> int:
    """The position of ``segment`` in its transaction set, ST being 1 (AK302/IK302)."""
    return segment.index - header.segment.index + 1


def build_997(
    outcome: InterchangeOutcome,
    *,
    control: AckControl,
    when: datetime,
    delimiters: Delimiters | None = None,
    line_break: str = "\n",
) -> str:
    """A 997 interchange acknowledging every group and transaction of ``outcome``."""
    return _build(outcome, _997, control, when, delimiters, line_break)


def build_999(
    outcome: InterchangeOutcome,
    *,
    control: AckControl,
    when: datetime,
    delimiters: Delimiters | None = None,
    line_break: str = "\n",
    contexts: Mapping[str, tuple[str, str]] | None = None,
) -> str:
    """A 999 (005010X231A1) interchange; always version 00501, whatever the inbound one.

    ``contexts`` maps an inbound ST02 to the business unit that transaction carries, as
    (element name, value) such as ``("BEG03", "PO-1002")``; it is written as a CTX after
    that transaction's AK2 so the partner can find the document without our numbers.
    """
    flavor = replace(_999, contexts=dict(contexts or {}))
    return _build(outcome, flavor, control, when, delimiters, line_break)


def build_ta1(
    outcome: InterchangeOutcome,
    *,
    note_code: str | None = None,
    when: datetime,
    control: int | None = None,
    delimiters: Delimiters | None = None,
    line_break: str = "\n",
) -> str:
    """A TA1 answering the inbound interchange's envelope.

    With ``control`` (an allocated ISA13), a TA1-only interchange; without it, the TA1
    segment alone, to embed between ISA and GS of another interchange. TA101..TA103 echo
    the inbound ISA13, ISA09 and ISA10. TA104 is A, E or R; TA105 comes from the catalogue
    for the first interchange problem unless ``note_code`` is given.
    """
    header = outcome.header
    ack_code, note = status.interchange_note(outcome.problems)
    d = _delimiters(outcome, delimiters, header.version)
    out = io.StringIO()
    writer = X12Writer(out, d, line_break=line_break)
    if control is not None:
        _start_interchange(writer, outcome, control, when, header.version)
    inbound = header.segment
    writer.ta1(
        control_number=header.control_number,
        date=_isa_date(inbound.raw(9).strip(), header.date, when.date()),
        time=inbound.raw(10).strip() or when.strftime("%H%M"),
        ack_code=ack_code,
        note_code=note_code or note,
    )
    if control is not None:
        writer.end_interchange()
    return out.getvalue()


def _isa_date(text: str, parsed: date | None, fallback: date) -> date:
    if parsed is not None:
        return parsed
    try:
        return datetime.strptime(text, "%y%m%d").date()
    except ValueError:
        return fallback


def _delimiters(outcome: InterchangeOutcome, given: Delimiters | None, version: str) -> Delimiters:
    """The caller's delimiters, else the inbound ones (X12) or the defaults."""
    inbound = outcome.header.delimiters
    d = given or (inbound if outcome.header.syntax == "x12" else X12_DEFAULT)
    if version >= "00402" and d.repetition is None:
        used = {d.element, d.component, d.segment}
        d = replace(d, repetition=next(c for c in "^{|!" if c not in used))
    return d


def _start_interchange(
    writer: X12Writer, outcome: InterchangeOutcome, isa13: int, when: datetime, version: str
) -> None:
    header = outcome.header
    writer.start_interchange(
        sender=PartyId(header.receiver.qualifier, header.receiver.id),
        receiver=PartyId(header.sender.qualifier, header.sender.id),
        control_number=isa13,
        date=when.date(),
        time=when.strftime("%H%M"),
        version=version,
        test=header.test,
    )


def _build(
    outcome: InterchangeOutcome,
    flavor: _Flavor,
    control: AckControl,
    when: datetime,
    delimiters: Delimiters | None,
    line_break: str,
) -> str:
    if not outcome.groups:
        raise EdiError(
            f"interchange {outcome.header.control_number} has no group to acknowledge; "
            "answer it with a TA1",
            code="ack_without_groups",
        )
    version = _isa_version(outcome, flavor)
    out = io.StringIO()
    writer = X12Writer(out, _delimiters(outcome, delimiters, version), line_break=line_break)
    _start_interchange(writer, outcome, control.interchange, when, version)
    first = outcome.groups[0].header if outcome.groups else None
    writer.start_group(
        functional_id="FA",
        sender=(first.receiver.id if first and first.receiver else outcome.header.receiver.id),
        receiver=(first.sender.id if first and first.sender else outcome.header.sender.id),
        control_number=control.group,
        date=when.date(),
        time=when.strftime("%H%M"),
        version=IMPLEMENTATION_999 if flavor.is_999 else _group_version(first, version),
    )
    for n, group in enumerate(outcome.groups):
        _write_group_ack(writer, flavor, group, control.transaction + n)
    writer.end_group()
    writer.end_interchange()
    return out.getvalue()


def _group_version(inbound: GroupHeader | None, isa_version: str) -> str:
    """GS08 of a 997: the inbound group's version without its suffix (``004010VICS``)."""
    text = (inbound.version or "") if inbound else ""
    return text[:6] if len(text) >= 6 and text[:6].isdigit() else isa_version + "0"


def _isa_version(outcome: InterchangeOutcome, flavor: _Flavor) -> str:
    """00501 for a 999; for a 997 the inbound ISA12 when it is X12, else 00401."""
    if flavor.is_999:
        return "00501"
    version = outcome.header.version
    return version if outcome.header.syntax == "x12" and len(version) == 5 else "00401"


def _write_group_ack(writer: X12Writer, flavor: _Flavor, group: GroupOutcome, st02: int) -> None:
    header = group.header
    writer.start_transaction(
        flavor.kind, st02, convention=IMPLEMENTATION_999 if flavor.is_999 else None
    )
    ak103 = (header.version or "") if flavor.is_999 else ""
    writer.segment("AK1", header.functional_id or "", header.control_number or "", ak103)
    for transaction in group.transactions:
        _write_transaction_ack(writer, flavor, transaction)
    included = group.trailer_count if group.trailer_count is not None else len(group.transactions)
    writer.segment(
        "AK9",
        status.group_status(group),
        str(included),
        str(len(group.transactions)),
        str(group.accepted_transactions),
        *status.group_codes(group),
    )
    writer.end_transaction()


def _write_transaction_ack(
    writer: X12Writer, flavor: _Flavor, transaction: TransactionOutcome
) -> None:
    header = transaction.header
    convention = header.segment.raw(3) if flavor.is_999 else ""
    writer.segment("AK2", header.type, header.control_number, convention)
    context = flavor.contexts.get(header.control_number)
    if context is not None:
        writer.segment("CTX", list(context))
    for (position, tag), problems in _by_segment(transaction).items():
        _write_segment_note(writer, flavor, position, tag, problems)
    p = flavor.prefix
    writer.segment(
        f"{p}5", status.transaction_status(transaction), *status.transaction_codes(transaction)
    )


def _by_segment(transaction: TransactionOutcome) -> dict[tuple[int, str], list[Problem]]:
    """Segment and element problems with a known position, by (position, tag), in order."""
    found: dict[tuple[int, str], list[Problem]] = {}
    start = transaction.header.segment.index
    for problem in transaction.problems:
        where = problem.location
        if lookup(problem.code).level not in ("segment", "element"):
            continue
        if where.segment_index is None or not where.segment_id:
            continue
        key = (where.segment_index - start + 1, where.segment_id)
        found.setdefault(key, []).append(problem)
    return dict(sorted(found.items()))


def _write_segment_note(
    writer: X12Writer, flavor: _Flavor, position: int, tag: str, problems: list[Problem]
) -> None:
    """AK3 (IK3) for one segment, then AK4 (IK4) per element problem, by position."""
    p = flavor.prefix
    own = [lookup(x.code).ak3 for x in problems if lookup(x.code).level == "segment"]
    code = next((c for c in own if c), "8")
    writer.segment(f"{p}3", tag, str(position), "", code)
    for problem in sorted(problems, key=_element_order):
        entry = lookup(problem.code)
        where = problem.location
        if entry.level != "element" or where.element is None:
            continue
        pos = [str(where.element)]
        if where.component is not None:
            pos.append(str(where.component))
        writer.segment(f"{p}4", pos, "", entry.ak4 or "1")


def _element_order(problem: Problem) -> tuple[int, int]:
    where = problem.location
    return (where.element or 0, where.component or 0)
