"""Build the CONTRL syntax and service report we send for an inbound EDIFACT interchange.

The CONTRL goes out in the syntax of the interchange it answers: the UNB syntax identifier
and version are echoed, and the message is ``CONTRL:2:2:UN`` up to syntax version 3 and
``CONTRL:4:1:UN`` in version 4. Sender and recipient are swapped.

Layout: UCI answers the interchange (action 7 acknowledged, 4 rejected, with the ISO 9735
syntax error code 0085 from the catalogue). Each message gets a UCM; segment problems with
a known position add a UCS (position counted from UNH, which is 1), and element problems a
UCD under it. Messages inside a UNG group are reported under that group's UCF; messages
without UNG come right after the UCI.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime

from b2bbridge.core.edi.acks.outcome import GroupOutcome, InterchangeOutcome, TransactionOutcome
from b2bbridge.core.edi.codes import lookup
from b2bbridge.core.edi.edifact.writer import EdifactWriter
from b2bbridge.core.edi.events import InterchangeHeader, PartyId
from b2bbridge.core.edi.segments import EDIFACT_DEFAULT, Delimiters
from b2bbridge.core.errors import Problem

ACKNOWLEDGED = "7"
REJECTED = "4"
_SERVICE_TAGS = frozenset({"UNA", "UNB", "UNZ", "UNG", "UNE", "UNH", "UNT"})


def build_contrl(
    outcome: InterchangeOutcome,
    *,
    control_reference: str,
    message_reference: str,
    when: datetime,
) -> str:
    """A CONTRL interchange acknowledging or rejecting ``outcome`` at every level."""
    header = outcome.header
    out = io.StringIO()
    writer = EdifactWriter(out, _delimiters(outcome))
    version = _start_interchange(writer, header, control_reference, when)
    message_version = ("4", "1") if version >= "4" else ("2", "2")
    writer.start_message(
        "CONTRL", message_reference, version=message_version[0], release=message_version[1]
    )
    writer.segment(
        "UCI",
        header.control_number,
        _party(header.sender),
        _party(header.receiver),
        *_verdict(outcome.problems),
    )
    for group in outcome.groups:
        if group.header.segment is not None:
            _write_group(writer, group)
        for transaction in group.transactions:
            _write_message(writer, transaction)
    writer.end_message()
    writer.end_interchange()
    return out.getvalue()


def _start_interchange(
    writer: EdifactWriter, header: InterchangeHeader, control_reference: str, when: datetime
) -> str:
    """Write UNA/UNB back to the sender in its own syntax; returns the syntax version."""
    version = header.version if header.syntax == "edifact" else "3"
    writer.start_interchange(
        syntax_identifier=header.syntax_identifier or "UNOC",
        syntax_version=version,
        sender=PartyId(header.receiver.qualifier, header.receiver.id),
        receiver=PartyId(header.sender.qualifier, header.sender.id),
        control_number=control_reference,
        date=when.date(),
        time=when.strftime("%H%M"),
        test=header.test,
    )
    return version


def _delimiters(outcome: InterchangeOutcome) -> Delimiters:
    """The inbound EDIFACT delimiters, with a release character so any value can be sent."""
    header = outcome.header
    d = header.delimiters if header.syntax == "edifact" else EDIFACT_DEFAULT
    return d if d.release is not None else replace(d, release="?")


def _party(party: PartyId | None) -> list[str]:
    return [party.id, party.qualifier or ""] if party else []


def _verdict(problems: list[Problem], *, accepted: bool = True) -> list[str]:
    """0083, 0085 and 0013 for one level: acknowledged, or rejected with the first error."""
    errors = [p for p in problems if p.is_error]
    if not errors and accepted:
        return [ACKNOWLEDGED]
    if not errors:
        return [REJECTED]
    first = errors[0]
    tag = first.location.segment_id or ""
    return [REJECTED, lookup(first.code).contrl or "18", tag if tag in _SERVICE_TAGS else ""]


def _write_group(writer: EdifactWriter, group: GroupOutcome) -> None:
    header = group.header
    writer.segment(
        "UCF",
        header.control_number or "",
        _party(header.sender),
        _party(header.receiver),
        *_verdict(group.problems),
    )


def _write_message(writer: EdifactWriter, transaction: TransactionOutcome) -> None:
    header = transaction.header
    own = [p for p in transaction.problems if lookup(p.code).level == "transaction"]
    if not transaction.trailer_present and not own:
        own = [Problem("transaction_trailer_missing", "UNT is missing")]
    accepted = transaction.accepted and transaction.trailer_present
    writer.segment(
        "UCM",
        header.control_number,
        header.segment.components(2),
        *_verdict(own, accepted=accepted),
    )
    for position, problems in _by_segment(transaction).items():
        _write_segment_note(writer, position, problems)


def _by_segment(transaction: TransactionOutcome) -> dict[int, list[Problem]]:
    """Segment and element errors with a known position, by position from UNH."""
    found: dict[int, list[Problem]] = {}
    start = transaction.header.segment.index
    for problem in transaction.problems:
        index = problem.location.segment_index
        if not problem.is_error or index is None:
            continue
        if lookup(problem.code).level in ("segment", "element"):
            found.setdefault(index - start + 1, []).append(problem)
    return dict(sorted(found.items()))


def _write_segment_note(writer: EdifactWriter, position: int, problems: list[Problem]) -> None:
    """UCS for one segment (with its own error code if it has one), then a UCD per element."""
    own = [lookup(p.code).contrl for p in problems if lookup(p.code).level == "segment"]
    writer.segment("UCS", str(position), next((c for c in own if c), ""))
    for problem in problems:
        where = problem.location
        if lookup(problem.code).level != "element" or where.element is None:
            continue
        element = [str(where.element)]
        if where.component is not None:
            element.append(str(where.component))
        writer.segment("UCD", lookup(problem.code).contrl or "12", element)
