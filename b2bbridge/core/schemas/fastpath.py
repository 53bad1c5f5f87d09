"""A whole-message regular expression that recognises clean messages at C speed.

Reading is fast enough that checking each segment in Python would cost several times
the read. Almost all traffic is clean, so each schema is also compiled into one regular
expression over the message's text (elements joined by ``\\x1f``, segments ended by
``\\x1e``): loops and use counts become possessive repeats, which walk the message as the
:mod:`structure` walker does (greedy, never backing out of a loop), element types,
lengths and code lists become character classes and alternations, and X12 syntax notes
become lookaheads at the start of the segment.

The pattern is conservative: it accepts only what the detailed validator would find no
fault with, and refuses what it cannot express exactly (February 29th, decimal commas,
release characters outside text, composites with syntax notes), so a refusal only means "look
closer": the caller then runs the detailed validator, which alone reports problems.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from b2bbridge.core.edi.segments import Delimiters, Segment
from b2bbridge.core.schemas.model import (
    NUMERIC_TYPES,
    UNBOUNDED,
    ElementDef,
    ElementUse,
    LoopDef,
    MessageSchema,
    SegmentDef,
    Slot,
    SyntaxNote,
)

EL = "\x1f"
SEG = "\x1e"
_NEVER = "(?!)"
_DAY = "(?:0[1-9]|1[0-9]|2[0-8])"
_MONTH = "(?:0[1-9]|1[0-2])"
_TIMES = {4: "{hm}", 6: "{hm}[0-5][0-9]", 7: "{hm}[0-5][0-9][0-9]", 8: "{hm}[0-5][0-9][0-9]{{2}}"}


class _Builder:
    """Pattern text for one schema under one set of delimiters."""

    def __init__(self, d: Delimiters) -> None:
        specials = {EL, SEG, d.component, d.repetition or "", d.release or ""} - {""}
        free = "[^" + "".join(re.escape(c) for c in sorted(specials)) + "]"
        # A released character is one character of text, whatever it is.
        self.free = f"(?:{free}|{re.escape(d.release)}.)" if d.release else free
        self.comp = re.escape(d.component)
        self.rep = re.escape(d.repetition) if d.repetition else None

    def loop(self, loop: LoopDef) -> str:
        return "".join(self.slot(s) for s in loop.slots)

    def slot(self, slot: Slot) -> str:
        if slot.loop is not None:
            body = self.loop(slot.loop)
        else:
            assert slot.segment is not None
            body = self.segment(slot.segment)
        return f"(?:{body}){_count(slot.min_use, slot.max_use)}"

    def segment(self, sdef: SegmentDef) -> str:
        uses = sdef.elements
        pairs = _adjacent_rules(sdef)
        checks: dict[int, str] = {}
        reach = 0  # elements up to here must be written (an R note needs one of them)
        for note in sdef.notes:
            anchor = min(note.positions)
            if anchor in pairs and _inline(note):
                continue  # written into the element sequence below
            checks[anchor] = checks.get(anchor, "") + self.note(note, anchor)
            if note.kind == "R":
                reach = max(reach, anchor)

        def skippable(i: int) -> bool:  # may the segment end before element i + 1?
            return i + 1 > reach and all(not u.mandatory for u in uses[i:])

        tails = [f"(?:{EL})*"]  # trailing empty elements are harmless
        for i in range(len(uses) - 1, -1, -1):
            head = EL + checks.get(i + 1, "")
            if i + 1 in pairs:  # a note on i+1, i+2 written as the combinations it allows
                after, head2 = tails[-2], EL + checks.get(i + 2, "")
                ends = f"(?=(?:{EL})*{SEG})" if skippable(i + 1) else None
                x, y = self.element(uses[i]), self.element(uses[i + 1])
                forms = {
                    (1, 1): [x + head2 + y],
                    (1, 0): [x + head2, *([x + ends] if ends else [])],
                    (0, 1): [head2 + y],
                    (0, 0): [head2, *([ends] if ends else [])],
                }
                alts = [f for combo in sorted(pairs[i + 1], reverse=True) for f in forms[combo]]
                item = f"{head}(?:{'|'.join(alts)})"
                tail = f"(?:{item}{after})?" if skippable(i) else item + after
            else:
                item = head + self.optional(uses[i])
                tail = f"(?:{item}{tails[-1]})?" if skippable(i) else item + tails[-1]
            tails.append(tail)
        return re.escape(sdef.tag) + f"(?={EL}|{SEG})" + tails[-1] + SEG

    def optional(self, use: ElementUse) -> str:
        value = self.element(use)
        return value if use.mandatory else f"(?:{value})?"

    def element(self, use: ElementUse) -> str:
        """The pattern of a present value (repeats included), as if the element were mandatory."""
        value = self.composite(use) if use.element is None else self.value(use.element)
        if use.repeat > 1 and self.rep is not None:
            more = "*" if use.repeat >= UNBOUNDED else f"{{0,{use.repeat - 1}}}"
            value = f"{value}(?:{self.rep}{value}){more}"
        return value

    def composite(self, use: ElementUse) -> str:
        if use.notes:
            return _NEVER
        parts = use.components
        tail = ""
        for i in range(len(parts) - 1, -1, -1):
            comp = parts[i]
            assert comp.element is not None
            value = self.value(comp.element)
            item = value if comp.mandatory else f"(?:{value})?"
            sep = "" if i == 0 else self.comp
            rest_optional = all(not p.mandatory for p in parts[i:])
            tail = f"(?:{sep}{item}{tail})?" if rest_optional and i else f"{sep}{item}{tail}"
        return f"(?=[^{EL}{SEG}]){tail}"

    def value(self, e: ElementDef) -> str:
        low, high = max(e.min_length, 1), e.max_length
        if e.codes is not None:
            fits = sorted((c for c in e.codes if low <= len(c) <= high), key=len, reverse=True)
            return "(?:" + "|".join(re.escape(c) for c in fits) + ")" if fits else _NEVER
        kind = e.type
        if kind in ("AN", "ID", "an"):
            return f"{self.free}{{{low},{high}}}+"
        if kind in NUMERIC_TYPES:
            return f"-?[0-9]{{{low},{high}}}+"
        if kind in ("R", "n"):
            decimal = f"(?=[0-9.]{{{low + 1},{high + 1}}}+(?![0-9.]))[0-9]++\\.[0-9]++"
            return f"-?(?:[0-9]{{{low},{high}}}+(?![0-9.])|{decimal})"
        if kind == "DT":
            forms = [f"[0-9]{{{n - 4}}}{_MONTH}{_DAY}" for n in (6, 8) if low <= n <= high]
            return "(?:" + "|".join(forms) + ")" if forms else _NEVER
        if kind == "TM":
            hm = "(?:[01][0-9]|2[0-3])[0-5][0-9]"
            forms = [f.format(hm=hm) for n, f in _TIMES.items() if low <= n <= high]
            return "(?:" + "|".join(forms) + ")" if forms else _NEVER
        return _NEVER

    def note(self, note: SyntaxNote, anchor: int) -> str:
        """Lookaheads from the start of element ``anchor``, the note's first position.

        Each scans only as far as the note's last element, so a paired note on two
        neighbours costs two elements' worth of matching.
        """
        has = [_present(p - anchor) for p in note.positions]
        lacks = [f"(?!{h[3:-1]})" for h in has]
        first, rest = has[0], has[1:]
        if note.kind == "P":
            return f"(?:{''.join(has)}|{''.join(lacks)})"
        if note.kind == "R":
            return f"(?:{'|'.join(has)})"
        if note.kind == "E":
            return "".join(f"(?!{a}{b})" for i, a in enumerate(has) for b in has[i + 1 :])
        # The others first: when they are present the note holds without a scan for the
        # first, which usually stands further on.
        if note.kind == "C":
            return f"(?:{''.join(rest)}|{lacks[0]})"
        return f"(?:{'|'.join(rest)}|{lacks[0]})" if rest else first


_ALL = frozenset({(1, 1), (1, 0), (0, 1), (0, 0)})


def _inline(note: SyntaxNote) -> bool:
    """A P or C note on two neighbouring elements, which the element sequence can express."""
    ps = note.positions
    return note.kind in ("P", "C") and len(ps) == 2 and abs(ps[0] - ps[1]) == 1


def _adjacent_rules(sdef: SegmentDef) -> dict[int, frozenset[tuple[int, int]]]:
    """For each first position x of a noted neighbour pair, the (x, x+1) presences allowed.

    Pairs that overlap another pair, or touch a mandatory element, are left to lookaheads.
    """
    rules: dict[int, frozenset[tuple[int, int]]] = {}
    for note in sdef.notes:
        if not _inline(note):
            continue
        a, b = note.positions
        x = min(a, b)
        if note.kind == "P":
            allowed = frozenset({(1, 1), (0, 0)})
        elif a < b:  # if x then x+1
            allowed = frozenset({(1, 1), (0, 1), (0, 0)})
        else:  # if x+1 then x
            allowed = frozenset({(1, 1), (1, 0), (0, 0)})
        rules[x] = rules.get(x, _ALL) & allowed
    uses = sdef.elements
    return {
        x: allowed
        for x, allowed in rules.items()
        if x - 1 not in rules
        and x + 1 not in rules
        and not uses[x - 1].mandatory
        and not uses[x].mandatory
    }


def _present(distance: int) -> str:
    """A lookahead, from the start of one element, that the element ``distance`` on is set."""
    body = f"[^{EL}{SEG}]"
    if distance == 0:
        return f"(?={body})"
    return f"(?={body}*+(?:{EL}{body}*+){{{distance - 1}}}{EL}{body})"


def _count(low: int, high: int) -> str:
    if low == high == 1:
        return ""
    if high >= UNBOUNDED:
        return f"{{{low},}}+"
    return f"{{{low},{high}}}+"


_CACHE: dict[tuple[int, str, str | None, str | None], re.Pattern[str]] = {}


def message_pattern(schema: MessageSchema, d: Delimiters) -> re.Pattern[str]:
    """The compiled pattern of ``schema`` for messages written with ``d``."""
    key = (id(schema.root), d.component, d.repetition, d.release)
    found = _CACHE.get(key)
    if found is None:
        found = re.compile(_Builder(d).loop(schema.root))
        _CACHE[key] = found
    return found


def looks_clean(schema: MessageSchema, segments: Sequence[Segment]) -> bool:
    """True only if the detailed validator would find nothing structural to report."""
    if not segments:
        return False
    text = SEG.join([EL.join(s.elements) for s in segments]) + SEG
    return message_pattern(schema, segments[0].delimiters).fullmatch(text) is not None
