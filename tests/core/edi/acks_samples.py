"""Test support for the ack and writer tests: small, trusting envelope parsing of sample text.

It turns well-formed X12 or EDIFACT text into the reader's event stream, so the ack
builders and readers can be tested on real samples without depending on the streaming
readers. It checks nothing; problems are injected by the tests themselves.
"""

from __future__ import annotations

from datetime import date, datetime

from b2bbridge.core.edi.events import (
    Event,
    GroupEnd,
    GroupHeader,
    GroupStart,
    InterchangeEnd,
    InterchangeHeader,
    InterchangeStart,
    PartyId,
    Transaction,
    TransactionEnd,
    TransactionHeader,
    TransactionStart,
    collect_transactions,
)
from b2bbridge.core.edi.segments import Delimiters, Segment


def split_x12(text: str) -> list[Segment]:
    text = text.lstrip("\ufeff \r\n\t")
    element = text[3]
    fields = text.split(element, 16)
    component = fields[16][0]
    terminator = fields[16][1]
    repetition = fields[11] if fields[12] >= "00402" else None
    d = Delimiters(element=element, component=component, segment=terminator, repetition=repetition)
    raws = [r.strip("\r\n\t ") for r in text.split(terminator)]
    return [
        Segment(raw.split(element), d, index=n)
        for n, raw in enumerate((r for r in raws if r), start=1)
    ]


def split_edifact(text: str) -> list[Segment]:
    text = text.lstrip("\ufeff \r\n\t")
    d = Delimiters(element="+", component=":", segment="'", release="?")
    if text.startswith("UNA"):
        una = text[3:9]
        rep = una[4] if una[4] != " " else None
        d = Delimiters(una[1], una[0], una[5], repetition=rep, release=una[3], decimal=una[2])
        text = text[9:]
    raws = [r.strip("\r\n\t ") for r in d.split(text, d.segment)]
    return [
        Segment(d.split(raw, d.element), d, index=n)
        for n, raw in enumerate((r for r in raws if r), start=1)
    ]


def _x12_date(text: str) -> date | None:
    for fmt in ("%Y%m%d", "%y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _party(seg: Segment, n: int) -> PartyId:
    return PartyId(seg.component(n, 2) or None, seg.component(n, 1))


def _interchange(seg: Segment) -> InterchangeHeader:
    if seg.tag == "ISA":
        return InterchangeHeader(
            syntax="x12",
            control_number=seg.element(13),
            sender=PartyId(seg.element(5).strip(), seg.element(6).strip()),
            receiver=PartyId(seg.element(7).strip(), seg.element(8).strip()),
            date=_x12_date(seg.element(9)),
            time=seg.element(10),
            version=seg.element(12),
            test=seg.element(15) == "T",
            ack_requested=seg.element(14) == "1",
            delimiters=seg.delimiters,
            encoding="ascii",
            segment=seg,
        )
    return InterchangeHeader(
        syntax="edifact",
        control_number=seg.element(5),
        sender=_party(seg, 2),
        receiver=_party(seg, 3),
        date=_x12_date(seg.component(4, 1)),
        time=seg.component(4, 2),
        version=seg.component(1, 2),
        test=seg.element(11) == "1",
        ack_requested=seg.element(9) == "1",
        delimiters=seg.delimiters,
        encoding="latin-1",
        segment=seg,
        syntax_identifier=seg.component(1, 1),
    )


def _group(seg: Segment | None) -> GroupHeader:
    if seg is None:
        return GroupHeader(None, None, None, None, None, None, None, None)
    if seg.tag == "GS":
        return GroupHeader(
            control_number=seg.element(6),
            functional_id=seg.element(1),
            sender=PartyId(None, seg.element(2)),
            receiver=PartyId(None, seg.element(3)),
            version=seg.element(8),
            date=_x12_date(seg.element(4)),
            time=seg.element(5),
            segment=seg,
        )
    return GroupHeader(
        control_number=seg.element(5),
        functional_id=seg.element(1),
        sender=_party(seg, 2),
        receiver=_party(seg, 3),
        version=":".join(seg.components(7)),
        date=None,
        time=None,
        segment=seg,
    )


class _Walk:
    """The envelope state while turning segments into events."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.interchange: InterchangeHeader | None = None
        self.group: GroupHeader | None = None
        self.transaction: TransactionHeader | None = None
        self.counts = [0, 0, 0]  # groups, transactions, segments

    def open_implicit_group(self) -> None:
        if self.group is None:
            self.group = _group(None)
            self.events.append(GroupStart(self.group))

    def step(self, seg: Segment) -> None:
        tag = seg.tag
        if tag in ("ISA", "UNB"):
            self.interchange = _interchange(seg)
            self.events.append(InterchangeStart(self.interchange))
            self.counts = [0, 0, 0]
        elif tag in ("GS", "UNG"):
            self.group = _group(seg)
            self.events.append(GroupStart(self.group))
            self.counts[1] = 0
        elif tag in ("ST", "UNH"):
            self._start_transaction(seg)
        elif tag in ("SE", "UNT") and self.transaction is not None:
            self.counts[2] += 1
            self.events.append(TransactionEnd(self.transaction, seg, self.counts[2]))
            self.transaction = None
            self.counts[1] += 1
        elif tag in ("GE", "UNE") and self.group is not None:
            self._end_group(seg)
        elif tag in ("IEA", "UNZ") and self.interchange is not None:
            if self.group is not None and self.group.segment is None:
                self._end_group(None)
            self.events.append(InterchangeEnd(self.interchange, seg, self.counts[0]))
        else:
            self.counts[2] += 1
            self.events.append(seg)

    def _start_transaction(self, seg: Segment) -> None:
        assert self.interchange is not None
        self.open_implicit_group()
        assert self.group is not None
        version = ":".join(seg.components(2)[1:]) if seg.tag == "UNH" else seg.element(3)
        type_ = seg.component(2, 1) if seg.tag == "UNH" else seg.element(1)
        self.transaction = TransactionHeader(
            type=type_,
            control_number=seg.element(1 if seg.tag == "UNH" else 2),
            version=version or None,
            segment=seg,
            interchange_control_number=self.interchange.control_number,
            group_control_number=self.group.control_number,
        )
        self.events.append(TransactionStart(self.transaction))
        self.counts[2] = 1

    def _end_group(self, seg: Segment | None) -> None:
        assert self.group is not None
        self.events.append(GroupEnd(self.group, seg, self.counts[1]))
        self.group = None
        self.counts[0] += 1


def events_of(segments: list[Segment]) -> list[Event]:
    walk = _Walk()
    for seg in segments:
        walk.step(seg)
    return walk.events


def x12_events(text: str) -> list[Event]:
    return events_of(split_x12(text))


def edifact_events(text: str) -> list[Event]:
    return events_of(split_edifact(text))


def transactions_of(events: list[Event]) -> list[Transaction]:
    return [t for t in collect_transactions(events) if isinstance(t, Transaction)]
