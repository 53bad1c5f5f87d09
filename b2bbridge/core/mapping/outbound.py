"""The outbound engine: a canonical document and an outbound map in, EDI or XML text out.

:func:`render_document` writes one interchange holding one message: ISA/GS/ST or UNB/UNH
around the body the map describes. The writers compute the trailer counts (SE, GE, IEA,
UNT, UNZ); the map computes the business counts (CTT, CNT) with ``count:`` values. Control
numbers come from the caller's :class:`ControlNumberAllocator`, so the core never decides
how they are stored: the services pass the store's sequence for the partner, the CLI an
in-memory :class:`CountingAllocator`. Kinds asked for: ``isa``, ``gs``, ``st`` in X12,
``unb``, ``unh`` in EDIFACT and ``xml`` (the payload id) in XML.

Envelope identities come from the partner profile (:func:`envelope_for`): we are the
sender (``our_id``), the partner's first listed id is the receiver. The date and time
are the caller's, taken from its Clock.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from b2bbridge.core.edi.edifact.writer import EdifactWriter
from b2bbridge.core.edi.events import PartyId
from b2bbridge.core.edi.segments import EDIFACT_DEFAULT, X12_DEFAULT, Delimiters
from b2bbridge.core.edi.x12.writer import X12Writer
from b2bbridge.core.errors import ConfigError, MappingError
from b2bbridge.core.location import Location
from b2bbridge.core.mapping.outbound_body import BodyWalk, Emit
from b2bbridge.core.mapping.outbound_eval import OutRun
from b2bbridge.core.mapping.outbound_plan import OutboundSpec
from b2bbridge.core.mapping.outbound_values import Frame
from b2bbridge.core.mapping.outbound_xml import render_xml
from b2bbridge.core.model.base import CanonicalDocument
from b2bbridge.core.partner import PartnerProfile


class ControlNumberAllocator(Protocol):
    """Hands out the next control number of a kind (``isa``, ``gs``, ``st``, ``unb``…)."""

    def allocate(self, kind: str) -> int: ...


@dataclass
class CountingAllocator:
    """An in-memory allocator: every kind counts up from ``start``. For tests and the CLI."""

    start: int = 1
    issued: dict[str, int] = field(default_factory=dict)

    def allocate(self, kind: str) -> int:
        number = self.issued.get(kind, self.start - 1) + 1
        self.issued[kind] = number
        return number


@dataclass(frozen=True, slots=True)
class OutboundEnvelope:
    """What the writers need around a message.

    ``group_sender``/``group_receiver`` are GS02/GS03 (default: the interchange ids);
    ``version`` is ISA12 (default from the map's GS08: ``00401`` or ``00501``) or the UNB
    syntax version (default ``3``). ``line_break`` follows each segment terminator (``""``
    writes the whole interchange on one line, as some partners require).
    """

    sender: PartyId
    receiver: PartyId
    when: datetime
    partner: str | None = None
    group_sender: str | None = None
    group_receiver: str | None = None
    version: str | None = None
    delimiters: Delimiters | None = None
    test: bool = False
    ack_requested: bool = False
    line_break: str = "\n"


def envelope_for(
    profile: PartnerProfile, syntax: str, when: datetime, *, test: bool = False
) -> OutboundEnvelope:
    """The envelope for a document to ``profile``: we send as ``our_id`` to ``ids[0]``.

    ``syntax`` is ``x12``, ``edifact`` or ``xml``; XML uses the X12 identities, or the
    EDIFACT ones when the profile has no X12 section.
    """
    section = profile.syntax(syntax) or (
        (profile.x12 or profile.edifact) if syntax == "xml" else None
    )
    if section is None or not section.ids:
        raise ConfigError(
            f"partner {profile.partner} has no {syntax} identities to send to",
            code="partner_syntax_missing",
            location=Location(partner=profile.partner),
        )
    ours, theirs = section.our_id, section.ids[0]
    group = section.group_id
    return OutboundEnvelope(
        sender=PartyId(ours.qualifier, ours.id),
        receiver=PartyId(theirs.qualifier, theirs.id),
        when=when,
        partner=profile.partner,
        group_receiver=group,
        version=section.version,
        test=test,
    )


def _frame(doc: CanonicalDocument, envelope: OutboundEnvelope, control: int) -> Frame:
    names = {"doc": doc, "envelope": envelope, "control": control}
    return Frame(doc, names)


def _x12(doc: CanonicalDocument, spec: OutboundSpec, env: OutboundEnvelope,
         allocator: ControlNumberAllocator) -> str:  # fmt: skip
    out = io.StringIO()
    writer = X12Writer(out, env.delimiters or X12_DEFAULT, line_break=env.line_break)
    header = spec.header
    gs_version = header.version or "004010"
    hhmm = env.when.strftime("%H%M")
    writer.start_interchange(
        sender=env.sender, receiver=env.receiver, control_number=allocator.allocate("isa"),
        date=env.when.date(), time=hhmm, version=env.version or gs_version[:5],
        ack_requested=env.ack_requested, test=env.test,
    )  # fmt: skip
    writer.start_group(
        functional_id=header.functional_id or "", sender=env.group_sender or env.sender.id,
        receiver=env.group_receiver or env.receiver.id, control_number=allocator.allocate("gs"),
        date=env.when.date(), time=hhmm, version=gs_version,
    )  # fmt: skip
    st = allocator.allocate("st")
    writer.start_transaction(header.message, st)
    _walk(doc, spec, env, (st, f"{st:04d}"), lambda tag, values: writer.segment(tag, *values))
    writer.end_transaction()
    writer.end_group()
    writer.end_interchange()
    return out.getvalue()


def _edifact(doc: CanonicalDocument, spec: OutboundSpec, env: OutboundEnvelope,
             allocator: ControlNumberAllocator) -> str:  # fmt: skip
    out = io.StringIO()
    writer = EdifactWriter(out, env.delimiters or EDIFACT_DEFAULT, line_break=env.line_break)
    header = spec.header
    writer.start_interchange(
        syntax_identifier=header.syntax_identifier or "UNOC", syntax_version=env.version or "3",
        sender=env.sender, receiver=env.receiver, control_number=str(allocator.allocate("unb")),
        date=env.when.date(), time=env.when.strftime("%H%M"),
        ack_requested=env.ack_requested, test=env.test,
    )  # fmt: skip
    unh = allocator.allocate("unh")
    writer.start_message(
        header.message, str(unh), version=header.version or "D",
        release=header.release or "96A", agency=header.agency or "UN",
        association=header.association,
    )  # fmt: skip
    _walk(doc, spec, env, (unh, str(unh)), lambda tag, values: writer.segment(tag, *values))
    writer.end_message()
    writer.end_interchange()
    return out.getvalue()


def _walk(doc: CanonicalDocument, spec: OutboundSpec, env: OutboundEnvelope,
          control: tuple[int, str], emit: Emit) -> None:  # fmt: skip
    """Run the body; ``control`` is the message's control number and its written form."""
    label = f"{doc.document_type} {' '.join(doc.natural_key()[1:])}"
    run = OutRun(env.partner, label, transaction=control[1])
    BodyWalk(run, emit, spec.hierarchy_segment, spec.child_code).blocks(
        spec.body, _frame(doc, env, control[0])
    )


def render_document(
    doc: CanonicalDocument,
    *,
    spec: OutboundSpec,
    envelope: OutboundEnvelope,
    allocator: ControlNumberAllocator,
) -> str:
    """``doc`` written as ``spec`` says, in one interchange (or one XML document).

    Raises :class:`~b2bbridge.core.mapping.failures.MappingRuleError` when a required value
    is missing or a value has no code, and ``MappingError`` (``mapping_wrong_document``)
    when the map is for another kind of document.
    """
    if not isinstance(doc, spec.document):
        raise MappingError(
            f"map {spec.name} writes {spec.document.document_type} documents, "
            f"not {doc.document_type}",
            code="mapping_wrong_document",
            location=Location(partner=envelope.partner),
        )
    if spec.format == "x12":
        return _x12(doc, spec, envelope, allocator)
    if spec.format == "edifact":
        return _edifact(doc, spec, envelope, allocator)
    frame = _frame(doc, envelope, allocator.allocate("xml"))
    run = OutRun(envelope.partner, doc.document_type)
    return render_xml(spec, frame, run)
