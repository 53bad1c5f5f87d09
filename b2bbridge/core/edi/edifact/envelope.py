"""EDIFACT envelope segments: UNA service advice, and UNB, UNG and UNH decoded into headers.

Delimiters come from UNA, or from the defaults of the syntax level when there is none:
level A (``:+.? '``) for every syntax identifier but UNOB, whose defaults are the
information separators IS1, IS3 and IS4. The repetition separator exists only in syntax
version 4, so it is settled once UNB1 has been read (:func:`with_syntax_version`).

UNB checks that belong to the header alone live here: mandatory elements, the date
(YYMMDD, or CCYYMMDD from syntax version 4) and the time (HHMM). Counts and references
across segments are the tracker's (``edifact.tracker``).
"""

from __future__ import annotations

from datetime import date

from b2bbridge.core.edi.events import (
    GroupHeader,
    InterchangeHeader,
    PartyId,
    TransactionHeader,
)
from b2bbridge.core.edi.segments import Delimiters, Segment
from b2bbridge.core.errors import Problem, Severity
from b2bbridge.core.location import Location

#: Level A defaults (``:+.? '``), used by every syntax identifier except UNOB.
LEVEL_A = Delimiters(element="+", component=":", segment="'", release="?", decimal=".")
#: Level B (UNOB) defaults: the information separators IS1, IS3 and IS4; no release char.
LEVEL_B = Delimiters(element="\x1d", component="\x1f", segment="\x1c", release=None)
#: Default repetition separators for syntax version 4, by level.
REPETITION_A = "*"
REPETITION_B = "\x1e"

#: Service segments the tracker must see; every other tag inside a message is body.
SERVICE_TAGS = frozenset({"UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"})


def parse_una(una: bytes) -> Delimiters | None:
    """Delimiters from a 9-byte UNA service string advice, or None when it is not one.

    UNA1 component, UNA2 element, UNA3 decimal mark, UNA4 release (a space: none), UNA5
    repetition (kept here; the reader drops it below syntax version 4), UNA6 terminator.
    """
    if len(una) < 9 or not una.startswith(b"UNA"):
        return None
    advice = una[3:9].decode("latin_1")
    comp, elem, dec, rel, rep, term = (advice[i] for i in range(6))
    return Delimiters(
        element=elem,
        component=comp,
        segment=term,
        repetition=None if rep == " " else rep,
        release=None if rel == " " else rel,
        decimal=dec if dec in ".," else ".",
    )


def with_syntax_version(delims: Delimiters, version: str, from_una: bool) -> Delimiters:
    """Settle the repetition separator once UNB1:2 is known: syntax 4 only."""
    if not version.startswith("4"):
        rep = None
    elif from_una:
        rep = delims.repetition
    else:
        rep = REPETITION_B if delims.element == LEVEL_B.element else REPETITION_A
    if rep == delims.repetition:
        return delims
    return Delimiters(
        element=delims.element,
        component=delims.component,
        segment=delims.segment,
        repetition=rep,
        release=delims.release,
        decimal=delims.decimal,
    )


def segment_location(base: Location, seg: Segment, element: int | None = None) -> Location:
    """Where ``seg`` is, on top of the envelope references in ``base``."""
    return base.with_(
        byte_offset=seg.offset,
        line=seg.line,
        segment_index=seg.index,
        segment_id=seg.tag,
        element=element,
    )


def parse_date(text: str, allow_century: bool) -> date | None:
    """YYMMDD (or CCYYMMDD when ``allow_century``) as a date; None when it is not one.

    Two-digit years from 70 up are read as 19xx, the rest as 20xx.
    """
    if not (text.isascii() and text.isdigit()) or len(text) not in (
        (6, 8) if allow_century else (6,)
    ):
        return None
    if len(text) == 6:
        yy = int(text[:2])
        year = 1900 + yy if yy >= 70 else 2000 + yy
    else:
        year = int(text[:4])
    try:
        return date(year, int(text[-4:-2]), int(text[-2:]))
    except ValueError:
        return None


def parse_time(text: str) -> str | None:
    """HHMM as ``HH:MM`` text; None when it is not a valid time of day."""
    if (
        len(text) != 4
        or not (text.isascii() and text.isdigit())
        or int(text[:2]) > 23
        or int(text[2:]) > 59
    ):
        return None
    return f"{text[:2]}:{text[2:]}"


def _party(seg: Segment, n: int) -> PartyId:
    qualifier = seg.component(n, 2).strip()
    return PartyId(qualifier=qualifier or None, id=seg.component(n, 1).strip())


def read_interchange_header(
    unb: Segment, encoding: str, base: Location
) -> tuple[InterchangeHeader, list[Problem]]:
    """Decode UNB and check what the envelope layer owns: presence, date and time."""
    version = unb.component(1, 2)
    header = InterchangeHeader(
        syntax="edifact",
        control_number=unb.element(5),
        sender=_party(unb, 2),
        receiver=_party(unb, 3),
        date=parse_date(unb.component(4, 1), version.startswith("4")),
        time=parse_time(unb.component(4, 2)),
        version=version,
        test=unb.element(11) == "1",
        ack_requested=unb.element(9) == "1",
        delimiters=unb.delimiters,
        encoding=encoding,
        segment=unb,
        syntax_identifier=unb.component(1, 1),
    )
    return header, _check_unb(unb, header, base.with_(interchange=header.control_number or None))


def _check_unb(unb: Segment, header: InterchangeHeader, base: Location) -> list[Problem]:
    """Mandatory elements present, date and time well formed."""
    problems: list[Problem] = []
    for n, what in (
        (1, "syntax identifier"),
        (2, "sender"),
        (3, "recipient"),
        (5, "control reference"),
    ):
        if not unb.raw(n):
            problems.append(
                envelope_error("interchange_header_invalid", f"UNB has no {what}", base, unb, n)
            )
    if header.date is None:
        wanted = "YYMMDD or CCYYMMDD" if header.version.startswith("4") else "YYMMDD"
        text = unb.component(4, 1)
        problems.append(
            envelope_error(
                "interchange_date_invalid", f"UNB date {text!r} is not {wanted}", base, unb, 4
            )
        )
    if header.time is None:
        text = unb.component(4, 2)
        problems.append(
            envelope_error(
                "interchange_time_invalid", f"UNB time {text!r} is not HHMM", base, unb, 4
            )
        )
    return problems


def read_group_header(ung: Segment) -> GroupHeader:
    """Decode UNG: functional id, parties, date/time, reference and message version."""
    version = ":".join(c for c in ung.components(7)[:3] if c)  # S008: version, release, association
    return GroupHeader(
        control_number=ung.element(5),
        functional_id=ung.component(1, 1) or None,
        sender=_party(ung, 2),
        receiver=_party(ung, 3),
        version=version or None,
        date=parse_date(ung.component(4, 1), True),
        time=parse_time(ung.component(4, 2)),
        segment=ung,
    )


def read_transaction_header(unh: Segment, interchange: str, group: str | None) -> TransactionHeader:
    """Decode UNH: type UNH2:1, reference UNH1, version ``D:96A:UN[:association]``."""
    comps = unh.components(2)
    parts = comps[1:4]
    version = ":".join(parts) if any(parts) else None
    if version is not None and len(comps) > 4 and comps[4]:
        version += ":" + comps[4]
    return TransactionHeader(
        type=comps[0],
        control_number=unh.element(1),
        version=version,
        segment=unh,
        interchange_control_number=interchange,
        group_control_number=group,
    )


def envelope_error(
    code: str, message: str, base: Location, seg: Segment, element: int | None = None
) -> Problem:
    return Problem(code, message, segment_location(base, seg, element), Severity.ERROR)


IMPLICIT_GROUP = GroupHeader(None, None, None, None, None, None, None, None)
