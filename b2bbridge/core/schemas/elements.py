"""Element checks: presence, repeats, components, type, length, code list and syntax notes.

This is the validator's hot path, run once per segment, so it works on the raw element
text the reader kept and only splits or unescapes when the text shows a separator or a
release character. Findings come back as :class:`Finding` tuples; the caller adds the
Location, because only it knows the transaction around the segment.

Lengths follow the standards: for numeric types (X12 N0-N9 and R, EDIFACT n) the sign and
the decimal mark do not count; for everything else every character counts.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from b2bbridge.core.edi.segments import Delimiters, Segment
from b2bbridge.core.schemas.model import NUMERIC_TYPES, ElementDef, ElementUse, SegmentDef
from b2bbridge.core.schemas.model import SyntaxNote as Note

_DECIMAL_TYPES = frozenset({"R", "n"})


class Finding(NamedTuple):
    code: str
    message: str
    element: int
    component: int | None = None


def check_segment(seg: Segment, sdef: SegmentDef) -> list[Finding]:
    """Every element finding for one segment placed at a known position."""
    els = seg.elements
    count = len(els) - 1
    out: list[Finding] = []
    d = seg.delimiters
    tag = sdef.tag
    for use in sdef.elements:
        pos = use.position
        raw = els[pos] if pos <= count else ""
        if not raw:
            if use.mandatory:
                out.append(Finding("element_missing", f"{tag}{pos:02d} is mandatory", pos))
            continue
        if use.repeat > 1 and d.repetition is not None and d.repetition in raw:
            _check_repeats(raw, use, d, tag, out)
        elif use.element is None:
            _check_composite(raw, use, d, tag, out)
        else:
            _check_simple(raw, use.element, d, f"{tag}{pos:02d}", pos, None, out)
    if count > len(sdef.elements):
        for pos in range(len(sdef.elements) + 1, count + 1):
            if els[pos]:
                out.append(Finding("element_too_many", f"{tag} has no element {pos:02d}", pos))
    if sdef.notes:
        present = [False] + [bool(e) for e in els[1:]]
        _check_notes(sdef.notes, present, tag, None, out)
    return out


def _check_repeats(raw: str, use: ElementUse, d: Delimiters, tag: str, out: list[Finding]) -> None:
    reps = d.split(raw, d.repetition or "")
    pos = use.position
    if len(reps) > use.repeat:
        out.append(
            Finding(
                "element_too_many_repetitions", f"{tag}{pos:02d} repeats {len(reps)} times", pos
            )
        )
    for rep in reps:
        if not rep:
            continue
        if use.element is None:
            _check_composite(rep, use, d, tag, out)
        else:
            _check_simple(rep, use.element, d, f"{tag}{pos:02d}", pos, None, out)


def _check_composite(
    raw: str, use: ElementUse, d: Delimiters, tag: str, out: list[Finding]
) -> None:
    pos = use.position
    parts = d.split(raw, d.component) if d.component in raw else [raw]
    comps = use.components
    if len(parts) > len(comps):
        extra = len(comps) + 1
        msg = f"{tag}{pos:02d} has {len(parts)} components, at most {len(comps)}"
        out.append(Finding("element_too_many_components", msg, pos, extra))
    for comp in comps:
        i = comp.position
        value = parts[i - 1] if i <= len(parts) else ""
        name = f"{tag}{pos:02d}-{i:02d}"
        if not value:
            if comp.mandatory:
                out.append(Finding("element_missing", f"{name} is mandatory", pos, i))
        elif comp.element is not None:
            _check_simple(value, comp.element, d, name, pos, i, out)
    if use.notes:
        present = [False] + [bool(p) for p in parts]
        _check_notes(use.notes, present, f"{tag}{pos:02d}", pos, out)


def _check_simple(
    raw: str,
    edef: ElementDef,
    d: Delimiters,
    name: str,
    pos: int,
    comp: int | None,
    out: list[Finding],
) -> None:
    rel = d.release
    value = d.unescape(raw) if rel is not None and rel in raw else raw
    if comp is None and d.component in raw and len(d.split(raw, d.component)) > 1:
        msg = f"{name} is a simple element but holds components"
        out.append(Finding("element_too_many_components", msg, pos, 2))
        return
    found = _value_problem(value, edef, d.decimal)
    if found is not None:
        code, why = found
        out.append(Finding(code, f"{name} {why}", pos, comp))


def _value_problem(value: str, edef: ElementDef, decimal: str) -> tuple[str, str] | None:
    kind = edef.type
    size = len(value)
    if kind in NUMERIC_TYPES or kind in _DECIMAL_TYPES:
        digits = _digits(value, kind in _DECIMAL_TYPES, decimal)
        if digits is None:
            return "element_not_numeric", f"{value!r} is not numeric"
        size = len(digits)
    elif kind == "DT" and not _is_date(value):
        return "element_invalid_date", f"{value!r} is not a date"
    elif kind == "TM" and not _is_time(value):
        return "element_invalid_time", f"{value!r} is not a time"
    if size > edef.max_length:
        return "element_too_long", f"{value!r} is longer than {edef.max_length}"
    if size < edef.min_length:
        return "element_too_short", f"{value!r} is shorter than {edef.min_length}"
    if edef.codes is not None and value not in edef.codes:
        return "element_invalid_code", f"{value!r} is not a code of element {edef.id}"
    return None


def _digits(value: str, decimal_ok: bool, decimal: str) -> str | None:
    """The digits of a number, without sign or decimal mark; None when it is not one."""
    body = value[1:] if value[:1] == "-" else value
    if decimal_ok:
        for mark in {".", decimal}:
            if body.count(mark) == 1:
                body = body.replace(mark, "")
                break
    return body if body.isascii() and body.isdigit() else None


def _is_date(value: str) -> bool:
    if not (value.isascii() and value.isdigit() and len(value) in (6, 8)):
        return False
    year = int(value[:-4]) + (2000 if len(value) == 6 else 0)
    try:
        date(year, int(value[-4:-2]), int(value[-2:]))
    except ValueError:
        return False
    return True


def _is_time(value: str) -> bool:
    if not (value.isascii() and value.isdigit() and 4 <= len(value) <= 8):
        return False
    return int(value[:2]) < 24 and int(value[2:4]) < 60 and (len(value) < 6 or int(value[4:6]) < 60)


def _check_notes(
    notes: tuple[Note, ...], present: list[bool], name: str, pos: int | None, out: list[Finding]
) -> None:
    size = len(present)
    for note in notes:
        have = [p for p in note.positions if p < size and present[p]]
        for code, missing in note_violations(note, have):
            where = (pos, missing) if pos is not None else (missing, None)
            which = f"{name}{missing:02d}" if pos is None else f"{name}-{missing:02d}"
            out.append(Finding(code, f"syntax note {note.render(name)}: {which}", *where))


def note_violations(note: Note, have: list[int]) -> list[tuple[str, int]]:
    """(code, position) for each way ``note`` fails when only ``have`` are present.

    The fast path builds its branches for syntax notes from this same rule, so that the
    two can never disagree on what a note allows.
    """
    ps = note.positions
    if not have:
        return [("element_conditional_missing", ps[0])] if note.kind == "R" else []
    missing = [p for p in ps if p not in have]
    kind = note.kind
    if kind == "P" and missing:
        return [("element_conditional_missing", p) for p in missing]
    if kind == "E" and len(have) > 1:
        return [("element_exclusion_violated", p) for p in have[1:]]
    if ps[0] not in have:
        return []
    if kind == "C" and missing:
        return [("element_conditional_missing", p) for p in missing]
    if kind == "L" and len(have) == 1:
        return [("element_conditional_missing", ps[1])]
    return []
