"""A whole-message regular expression that recognises clean messages at C speed.

Reading is fast enough that checking each segment in Python would cost several times
the read. Almost all traffic is clean, so each schema is also compiled into one regular
expression over the message's text (segments ended by ``\\x1e``, elements separated as
read): loops and use counts become possessive repeats, which walk the message as the
:mod:`structure` walker does (greedy, never backing out of a loop), element types,
lengths and code lists become character classes and alternations, and X12 syntax notes
become branches on which of their elements are present.

The pattern is conservative: it accepts only what the detailed validator would find no
fault with, and refuses what it cannot express exactly (February 29th, decimal commas,
release characters outside text, composites with syntax notes), so a refusal only means "look
closer": the caller then runs the detailed validator, which alone reports problems.

Python's regular expression engine charges per instruction, so the pattern is written for
it: text classes are Latin-1 ranges, one bitmap test per character (a message with wider
text gets a second pattern with negated classes); optional parts are empty alternatives
rather than ``?``, which allocates a repeat context per use; syntax notes are branches on
which elements are present rather than lookaheads that scan the elements again; and a run
of optional slots is passed at once when the next tag starts none of them.

The text is the segments' own text as the reader kept it (:attr:`Segment.text`), joined
by ``\x1e``: one join per message, where joining every segment's elements again would
cost a third of the read. It keeps the file's element separator, and a released separator
stays in its value, where the pattern reads it as text. Segments built from elements have
no such text; theirs are joined with ``\x1f`` between elements, and a message whose
component, repetition or release character is ``\x1e`` or ``\x1f`` (EDIFACT level B uses
``\x1f`` for components) is then left to the detailed validator. Either way a value
holding ``\x1e`` would be read as two: a control character outside the character sets of
both standards, which the detailed validator (it does not check character sets) reads as
one value and the pattern may not. That case is the one this module leaves open (counting
the separators of every message to close it costs about a tenth of the read).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import attrgetter

from b2bbridge.core.edi.segments import Delimiters, Segment
from b2bbridge.core.schemas.elements import note_violations
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
# Month and day of a date: any month to the 28th, the 29th and 30th outside February, the
# 31st in the seven long months. February 29th depends on the year and is left to the
# detailed validator.
_MONTH_DAY = (
    "(?:(?:0[1-9]|1[0-2])(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])(?:29|30)|(?:0[13578]|1[02])31)"
)
_TIMES = {4: "{hm}", 6: "{hm}[0-5][0-9]", 7: "{hm}[0-5][0-9][0-9]", 8: "{hm}[0-5][0-9][0-9]{{2}}"}
_TEXT_TYPES = frozenset({"AN", "ID", "an"})
# Past this many characters, a segment's notes are checked by lookaheads instead of
# branches (see _Elements), widest first, so that no schema's pattern explodes.
SEGMENT_LIMIT = 4_000
# Runs of at least RUN optional slots get a guard on the next tag, in groups of GROUP.
RUN = 3
GROUP = 3


class _TooBigError(Exception):
    """The branches for a segment's notes outgrew SEGMENT_LIMIT."""


def _latin1_outside(chars: set[str]) -> str:
    """A class of every Latin-1 character but ``chars``, as ranges (a bitmap in ``re``)."""
    ranges: list[str] = []
    low = 0
    for code in sorted(ord(c) for c in chars if c <= "\xff"):
        if code > low:
            ranges.append(f"\\x{low:02x}-\\x{code - 1:02x}" if code - 1 > low else f"\\x{low:02x}")
        low = code + 1
    if low <= 0xFF:
        ranges.append(f"\\x{low:02x}-\\xff")
    return "[" + "".join(ranges) + "]"


class _Builder:
    """Pattern text for one schema under one set of delimiters."""

    def __init__(self, d: Delimiters, wide: bool, el: str) -> None:
        specials = {el, SEG, d.component, d.repetition or "", d.release or ""} - {""}
        self.el = re.escape(el)
        if wide:
            self.plain = "[^" + "".join(re.escape(c) for c in sorted(specials)) + "]"
        else:
            self.plain = _latin1_outside(specials)
        self.release = re.escape(d.release) if d.release else None
        self.comp = re.escape(d.component)
        self.rep = re.escape(d.repetition) if d.repetition else None

    def loop(self, loop: LoopDef) -> str:
        """The slots in order; a run of optional slots is guarded by a test of the next tag.

        Passing an absent slot costs the engine a repeat set up and torn down; a long run
        of them (the tail of an 850's PO1 loop has twenty) is passed at once when the next
        segment's tag is none that could start one of them, and otherwise tried in groups.
        """
        out: list[str] = []
        run: list[Slot] = []
        for slot in [*loop.slots, None]:
            if slot is not None and slot.min_use == 0:
                run.append(slot)
                continue
            out.append(self.optional_run(run) if len(run) >= RUN else "".join(map(self.slot, run)))
            run = []
            if slot is not None:
                out.append(self.slot(slot))
        return "".join(out)

    def optional_run(self, run: list[Slot]) -> str:
        """``run`` behind a guard on the next tag; its tail after GROUP slots likewise.

        The group is atomic, as the possessive slots inside it are: the walk never backs
        out of a segment it placed, so neither may the pattern.
        """
        if not run:
            return ""
        head = "".join(map(self.slot, run[:GROUP]))
        tags = sorted({t for s in run for t in _first_tags(s)})
        guard = f"(?={_trie(tags)}[{self.el}{SEG}])"
        return f"(?>{guard}{head}{self.optional_run(run[GROUP:])}|)"

    def slot(self, slot: Slot) -> str:
        if slot.loop is not None:
            body = self.loop(slot.loop)
        else:
            assert slot.segment is not None
            body = self.segment(slot.segment)
        if slot.min_use == slot.max_use == 1:
            # Atomic like the possessive repeats: nothing is ever matched twice over.
            return f"(?:{body})"
        return f"(?:{body}){_count(slot.min_use, slot.max_use)}"

    def segment(self, sdef: SegmentDef) -> str:
        branched = list(sdef.notes)
        ahead: list[SyntaxNote] = []
        while True:
            try:
                body = _Elements(self, sdef, branched, ahead).pattern()
                break
            except _TooBigError:
                widest = max(branched, key=lambda n: max(n.positions) - min(n.positions))
                branched.remove(widest)
                ahead.append(widest)
        # No lookahead after the tag: whatever follows it must be a separator anyway.
        return re.escape(sdef.tag) + body + SEG

    def optional(self, use: ElementUse) -> str:
        """A value or nothing: one possessive class where a text may be one character."""
        e = use.element
        if (
            e is not None
            and e.codes is None
            and e.type in _TEXT_TYPES
            and e.min_length <= 1
            and self.release is None
            and (use.repeat == 1 or self.rep is None)
        ):
            return f"{self.plain}{{0,{e.max_length}}}+"
        return f"(?:{self.element(use)}|)"

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
            item = value if comp.mandatory else f"(?:{value}|)"
            sep = "" if i == 0 else self.comp
            rest_optional = all(not p.mandatory for p in parts[i:])
            tail = f"(?:{sep}{item}{tail}|)" if rest_optional and i else f"{sep}{item}{tail}"
        return f"(?=[^{self.el}{SEG}]){tail}"

    def value(self, e: ElementDef) -> str:
        low, high = max(e.min_length, 1), e.max_length
        if e.codes is not None:
            fits = sorted((c for c in e.codes if low <= len(c) <= high), key=len, reverse=True)
            return "(?:" + "|".join(re.escape(c) for c in fits) + ")" if fits else _NEVER
        kind = e.type
        if kind in _TEXT_TYPES:
            return self.text(low, high)
        if kind in NUMERIC_TYPES:
            return f"-?[0-9]{{{low},{high}}}+"
        if kind in ("R", "n"):
            decimal = f"(?=[0-9.]{{{low + 1},{high + 1}}}+(?![0-9.]))[0-9]++\\.[0-9]++"
            return f"-?(?:[0-9]{{{low},{high}}}+(?![0-9.])|{decimal})"
        if kind == "DT":
            forms = [f"[0-9]{{{n - 4}}}{_MONTH_DAY}" for n in (6, 8) if low <= n <= high]
            return "(?:" + "|".join(forms) + ")" if forms else _NEVER
        if kind == "TM":
            hm = "(?:[01][0-9]|2[0-3])[0-5][0-9]"
            forms = [f.format(hm=hm) for n, f in _TIMES.items() if low <= n <= high]
            return "(?:" + "|".join(forms) + ")" if forms else _NEVER
        return _NEVER

    def text(self, low: int, high: int) -> str:
        """``low`` to ``high`` characters of text; a released character counts as one."""
        plain, rel = self.plain, self.release
        if rel is None:
            return f"{plain}{{{low},{high}}}+"
        # Most values hold no release character: one class scan, and only a value that
        # does pays for the alternation. Atomic, since both branches match plain text:
        # were they tried again on every failure further on, the work would double per
        # value.
        mixed = f"(?:{plain}|{rel}.){{{low},{high}}}+"
        return f"(?>{plain}{{{low},{high}}}+(?!{rel})|{mixed})"

    def note(self, note: SyntaxNote, anchor: int) -> str:
        """Lookaheads from the start of element ``anchor``, the note's first position.

        Each scans only as far as the note's last element, so a paired note on two
        neighbours costs two elements' worth of matching.
        """
        has = [_present(p - anchor, self.el, self.release) for p in note.positions]
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


State = frozenset[int]


class _Elements:
    """The element sequence of one segment, with its syntax notes written as branches.

    Whether an element is present is known from its first character, so a note can be
    checked by walking the elements as an automaton whose state is the set of present
    elements that a later note still needs. Each element is then a branch (present or
    empty, or one pattern for both when the state does not care) and the segment may end
    after any element where nothing mandatory and no note is left unsatisfied. Where the
    states fork they are written out as separate branches up to the next element at which
    every branch is back in one state, and the rest of the segment follows once; the
    verdict on each note comes from :func:`note_violations`, the detailed validator's own
    rule. Notes in ``ahead`` are lookaheads at their first element instead, which scan
    the elements again on every match but cannot multiply the branches; they are used only
    when the branches would grow past SEGMENT_LIMIT.
    """

    def __init__(
        self, b: _Builder, sdef: SegmentDef, notes: list[SyntaxNote], ahead: list[SyntaxNote]
    ) -> None:
        self.b = b
        self.uses = sdef.elements
        self.n = n = len(sdef.elements)
        self.need = [0] * (n + 2)  # last position of a note naming this one
        self.ends: dict[int, list[SyntaxNote]] = {}
        for note in notes:
            last = max(note.positions)
            self.ends.setdefault(last, []).append(note)
            for p in note.positions:
                self.need[p] = max(self.need[p], last)
        self.later = list(notes)  # for the checks at an early end
        self.checks: dict[int, str] = {}
        self.reach = 0  # an R lookahead needs an element up to here to be written
        for note in ahead:
            anchor = min(note.positions)
            self.checks[anchor] = self.checks.get(anchor, "") + b.note(note, anchor)
            if note.kind == "R":
                self.reach = max(self.reach, anchor)
        self.last_mandatory = max((u.position for u in self.uses if u.mandatory), default=0)
        self.size = 0
        self._live: dict[tuple[int, State], bool] = {}

    def pattern(self) -> str:
        root: State = frozenset()
        if not self.live(1, root):
            return _NEVER
        return self.rest(1, root)

    def _grow(self, size: int) -> None:
        """Count pattern text written; only forked notes can make it grow past the limit."""
        self.size += size
        if self.size > SEGMENT_LIMIT and self.ends:
            raise _TooBigError

    def step(self, i: int, s: State, present: bool) -> State | None:
        """The state after element ``i``, or None if that choice breaks a rule."""
        if not present and self.uses[i - 1].mandatory:
            return None
        known = s | {i} if present else s
        for note in self.ends.get(i, ()):
            have = [p for p in note.positions if p in known]
            if note_violations(note, have):
                return None
        return frozenset(p for p in known if self.need[p] > i)

    def can_stop(self, i: int, s: State) -> bool:
        """May the segment end before element ``i`` (all the rest absent)?"""
        if i <= self.last_mandatory or i <= self.reach:
            return False
        for note in self.later:
            if max(note.positions) >= i:
                have = [p for p in note.positions if p in s]
                if note_violations(note, have):
                    return False
        return True

    def live(self, i: int, s: State) -> bool:
        """Can a segment in state ``s`` before element ``i`` still end well?"""
        key = (i, s)
        found = self._live.get(key)
        if found is None:
            found = i > self.n or self.can_stop(i, s)
            if not found:
                found = any(
                    t is not None and self.live(i + 1, t)
                    for t in (self.step(i, s, True), self.step(i, s, False))
                )
            self._live[key] = found
        return found

    def moves(self, i: int, s: State) -> tuple[State | None, State | None]:
        present, empty = self.step(i, s, True), self.step(i, s, False)
        return (
            present if present is not None and self.live(i + 1, present) else None,
            empty if empty is not None and self.live(i + 1, empty) else None,
        )

    def rest(self, i: int, s: State) -> str:
        """Elements ``i`` to the end from state ``s``; ``s`` is live."""
        if i > self.n:
            return f"{self.b.el}*+"  # empty elements past the last defined are harmless
        layer, j = {s}, i
        while len(layer) > 1 or j == i:
            layer = {t for u in layer for t in self.moves(j, u) if t is not None}
            j += 1
        [t] = layer
        body = self.paths(i, s, j, t, True) + self.rest(j, t)
        return f"(?:{body}|)" if self.can_stop(i, s) else body

    def paths(self, i: int, s: State, j: int, t: State, first: bool) -> str:
        """Every way from element ``i`` in state ``s`` to element ``j`` in state ``t``.

        An early end inside the span is a lookahead for the segment's end: the pattern of
        element ``j`` on then matches nothing, since an end allowed here is allowed there.
        """
        if i == j:
            return ""
        head = self.b.el + self.checks.get(i, "")
        present, empty = self.moves(i, s)
        use = self.uses[i - 1]
        value = self.b.element(use)
        if present is not None and present == empty:
            step = self.b.optional(use) + self.paths(i + 1, present, j, t, False)
        else:  # the separator is written before the branch, so that each starts with it
            forks: list[str] = []
            if present is not None:
                forks.append(value + self.paths(i + 1, present, j, t, False))
            if empty is not None:
                forks.append(self.paths(i + 1, empty, j, t, False))
            step = forks[0] if len(forks) == 1 else "(?:" + "|".join(forks) + ")"
        self._grow(len(head) + len(value))
        if not first and self.can_stop(i, s):
            return f"(?:{head}{step}|(?={SEG}))"
        return head + step


def _first_tags(slot: Slot) -> set[str]:
    """Every tag a segment that starts ``slot`` can have."""
    if slot.loop is None:
        return {slot.tag}
    found: set[str] = set()
    for inner in slot.loop.slots:
        found |= _first_tags(inner)
        if inner.min_use > 0:
            break
    return found


def _trie(words: list[str]) -> str:
    """An alternation of ``words`` that branches on one character at a time."""
    heads: dict[str, list[str]] = {}
    for w in words:
        heads.setdefault(w[:1], []).append(w[1:])
    alts = []
    for head, tails in heads.items():
        if head == "":
            continue
        rest = _trie(tails) if tails != [""] else ""
        alts.append(re.escape(head) + rest)
    if "" in heads:
        alts.append("")
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _present(distance: int, el: str, release: str | None) -> str:
    """A lookahead, from the start of one element, that the element ``distance`` on is set.

    ``el`` is the element separator and ``release`` the release character, escaped: in a
    text that holds the file's own separators, a released one belongs to its value.
    """
    body = f"[^{el}{SEG}]"
    skip = f"{body}*+" if release is None else f"(?:[^{el}{SEG}{release}]|{release}.)*+"
    return "(?=" + f"{skip}{el}" * distance + f"{body})"


def _count(low: int, high: int) -> str:
    if low == high == 1:
        return ""
    if high >= UNBOUNDED:
        return f"{{{low},}}+"
    return f"{{{low},{high}}}+"


def message_pattern(
    schema: MessageSchema, d: Delimiters, wide: bool = False, el: str = EL, released: bool = True
) -> re.Pattern[str]:
    """The compiled pattern of ``schema`` for messages written with ``d`` (kept on it).

    The usual pattern admits Latin-1 text only, whose character classes are bitmaps that
    compile and match fast; ``wide`` is the one for text beyond Latin-1. ``el`` is the
    element separator of the text. ``released`` False is for a text with no release
    character in it, which then needs none of the alternations that read one.
    """
    release = d.release if released else None
    key = (el, d.component, d.repetition, release, wide)
    found = schema.patterns.get(key)
    if found is None:
        plain = Delimiters(d.element, d.component, d.segment, d.repetition, release, d.decimal)
        found = re.compile(_Builder(plain, wide, el).loop(schema.root))
        schema.patterns[key] = found
    return found


_ELEMENTS = attrgetter("elements")
_TEXT = attrgetter("text")
_SEPARATORS = (EL, SEG)


def _message_text(segments: Sequence[Segment], d: Delimiters) -> tuple[str, str] | None:
    """The message as one text, and the element separator it uses; None if none is exact.

    Segments from a reader carry their text, and joining those costs one join per message
    instead of one per segment; that text keeps the file's element separator (a released
    one stays in its value, as the pattern reads it). It is used when every segment has
    one and the separators are all distinct. Otherwise the elements are joined with
    ``EL``, unless a component, repetition or release character is ``EL`` or ``SEG``
    itself: then values hold that character and the text would not say where they end.
    """
    specials = [d.element, SEG, d.component, d.repetition, d.release]
    if len(set(specials) - {None}) == len(specials) - specials.count(None):
        try:
            text = SEG.join(map(_TEXT, segments))
        except TypeError:  # a segment built from elements has no text
            pass
        else:
            return text + SEG, d.element
    if d.component in _SEPARATORS or d.repetition in _SEPARATORS or d.release in _SEPARATORS:
        return None
    return SEG.join(map(EL.join, map(_ELEMENTS, segments))) + SEG, EL


def looks_clean(schema: MessageSchema, segments: Sequence[Segment]) -> bool:
    """True only if the detailed validator would find nothing structural to report."""
    if not segments:
        return False
    d = segments[0].delimiters
    found = _message_text(segments, d)
    if found is None:
        return False
    text, el = found
    wide = False
    if not text.isascii():
        try:
            text.encode("latin-1")
        except UnicodeEncodeError:
            wide = True
    released = d.release is not None and d.release in text
    return message_pattern(schema, d, wide, el, released).fullmatch(text) is not None
