"""Evaluating segment paths against loop instances: the hot loop of the mapping engine.

Everything here works on the per-instance tag index built by
:func:`~b2bbridge.core.mapping.loops.build_scopes`, so a lookup costs the handful of
segments with one tag in one loop instance, never a scan of the transaction. Empty
elements count as absent: a path whose first match is empty moves on to the next match.
"""

from __future__ import annotations

from collections.abc import Callable

from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.mapping.loops import Scope
from b2bbridge.core.mapping.paths import Match, SegmentPath, Step


class Found:
    """A value and exactly where it was read, for error messages."""

    __slots__ = ("component", "element", "segment", "text")

    def __init__(self, text: str, segment: Segment, element: int, component: int | None) -> None:
        self.text = text
        self.segment = segment
        self.element = element
        self.component = component


def _unescape(raw: str, rel: str) -> str | None:
    """Drop release characters the quick way, or None when only the slow way is exact."""
    if rel + rel in raw or raw.endswith(rel):
        return None
    return raw.replace(rel, "")


def _components(seg: Segment, element: int) -> list[str]:
    """The unescaped components of an element, as :meth:`Segment.components` gives them,
    using C-level string methods unless an escaped release character needs the slow way."""
    els = seg.elements
    if element >= len(els):
        return []
    raw = els[element]
    delims = seg.delimiters
    rel, sep = delims.release, delims.component
    if rel is None or rel not in raw:
        return raw.split(sep)
    if rel + rel in raw or raw.endswith(rel) or "\x00" in raw:
        return seg.components(element)
    guarded = raw.replace(rel + sep, "\x00")
    return [part.replace(rel, "").replace("\x00", sep) for part in guarded.split(sep)]


def read_text(seg: Segment, element: int, component: int | None) -> str:
    """Element (or component) text, unescaped, or '' when the segment is shorter.

    Fast when there is nothing to unescape; the generated programs
    (:mod:`~b2bbridge.core.mapping.generated`) call it wherever they do not inline it.
    """
    els = seg.elements
    if element >= len(els):
        return ""
    raw = els[element]
    delims = seg.delimiters
    if delims.release is not None and delims.release in raw:
        if component is None:
            quick = _unescape(raw, delims.release)
            return quick if quick is not None else seg.element(element)
        parts = _components(seg, element)
        return parts[component - 1] if component <= len(parts) else ""
    if component is None:
        return raw
    if delims.component not in raw:
        return raw if component == 1 else ""
    parts = raw.split(delims.component)
    return parts[component - 1] if component <= len(parts) else ""


def passes(seg: Segment, test: Match) -> bool:
    return read_text(seg, test.element, test.component).strip() in test.values


def _matches(seg: Segment, step: Step) -> bool:
    return all(passes(seg, t) for t in step.conditions)


def _step_scopes(scope: Scope, step: Step) -> list[Scope]:
    found = scope.loops.get(step.tag)
    if found is None:
        return [Scope.of_segment(s) for s in _step_segments(scope, step)]
    if not step.conditions:
        return found
    return [s for s in found if s.start is not None and _matches(s.start, step)]


def _step_segments(scope: Scope, step: Step) -> list[Segment]:
    segs = scope.by_tag.get(step.tag, [])
    if not step.conditions:
        return segs
    return [s for s in segs if _matches(s, step)]


def select_scopes(path: SegmentPath, scope: Scope) -> list[Scope]:
    """Every loop instance (or single-segment scope) the path names, in message order."""
    current = [scope]
    for step in path.steps:
        current = [found for sc in current for found in _step_scopes(sc, step)]
    return current


def _pick(seg: Segment, pick: Match, component: int | None) -> Found | None:
    els = seg.elements
    if pick.component is None:  # X12 qualifier/value pairs
        for i in range(pick.element, len(els) - 1, 2):
            if els[i].strip() in pick.values and els[i + 1]:
                return Found(seg.element(i + 1), seg, i + 1, None)
        return None
    for i in range(pick.element, len(els)):
        if read_text(seg, i, pick.component).strip() in pick.values:
            text = read_text(seg, i, component)
            if text:
                return Found(text, seg, i, component)
    return None


def find_value(path: SegmentPath, scope: Scope) -> Found | None:
    """The first non-empty value the path names under ``scope``, or None."""
    scopes = [scope]
    for step in path.head:
        scopes = [found for sc in scopes for found in _step_scopes(sc, step)]
    last, pick, element, component = path.last, path.pick, path.element, path.component
    for sc in scopes:
        for seg in _step_segments(sc, last):
            if pick is not None:
                hit = _pick(seg, pick, component)
                if hit is not None:
                    return hit
            elif element is not None:
                text = read_text(seg, element, component)
                if text:
                    return Found(text, seg, element, component)
    return None


Reader = Callable[[Scope], str | None]


def _compile_test(tests: tuple[Match, ...]) -> Callable[[Segment], bool] | None:
    if not tests:
        return None
    if len(tests) > 1:
        return lambda seg: all(passes(seg, t) for t in tests)
    element, component, values = tests[0].element, tests[0].component, tests[0].values
    if component is not None:
        return lambda seg: read_text(seg, element, component).strip() in values

    def simple(seg: Segment) -> bool:
        els = seg.elements
        return element < len(els) and els[element].strip() in values

    return simple


def _pick_pairs(start: int, values: frozenset[str]) -> Callable[[Segment], str | None]:
    """An X12 qualifier pick reading text only (the hot case: PO1{06=UP})."""

    def pick(seg: Segment) -> str | None:
        els = seg.elements
        for i in range(start, len(els) - 1, 2):
            if els[i + 1] and els[i].strip() in values:
                return seg.element(i + 1)
        return None

    return pick


def _compile_extract(path: SegmentPath) -> Callable[[Segment], str | None]:
    pick, element, component = path.pick, path.element, path.component
    if pick is not None and pick.component is None:
        return _pick_pairs(pick.element, pick.values)
    if pick is not None:
        return lambda seg: _text(_pick(seg, pick, component))
    if element is None:
        return lambda seg: None
    return lambda seg: read_text(seg, element, component)


def _fused_reader(path: SegmentPath) -> Reader | None:
    """``DTM[01.1=137].01.2``: test and read components of one element, split once."""
    conds = path.last.conditions
    if len(conds) != 1 or path.pick is not None or path.component is None:
        return None
    test = conds[0]
    if test.component is None or test.element != path.element:
        return None
    tag, element, values = path.last.tag, test.element, test.values
    at, want = test.component - 1, path.component - 1
    need = max(at, want)

    def read(scope: Scope) -> str | None:
        for seg in scope.by_tag.get(tag, ()):
            parts = _components(seg, element)
            if len(parts) > need and parts[at].strip() in values and parts[want]:
                return parts[want]
        return None

    return read


def compile_reader(path: SegmentPath) -> Reader:
    """A function reading the path's value text (or None) from a scope.

    Paths of one step (most of them) get a closure that reads the tag index directly; the
    position of the value (a Found) is built only when an error needs it, by calling
    :func:`find_value` again.
    """
    if path.head:
        return lambda scope: _text(find_value(path, scope))
    tag = path.last.tag
    test = _compile_test(path.last.conditions)
    element, component = path.element, path.component
    if test is None and path.pick is None and element is not None:

        def read_plain(scope: Scope) -> str | None:
            for seg in scope.by_tag.get(tag, ()):
                text = read_text(seg, element, component)
                if text:
                    return text
            return None

        return read_plain
    fused = _fused_reader(path)
    if fused is not None:
        return fused
    extract = _compile_extract(path)

    def read(scope: Scope) -> str | None:
        for seg in scope.by_tag.get(tag, ()):
            if test is None or test(seg):
                text = extract(seg)
                if text:
                    return text
        return None

    return read


def _text(found: Found | None) -> str | None:
    return found.text if found is not None else None


def condition_holds(path: SegmentPath, values: frozenset[str], scope: Scope) -> bool:
    """A ``when:`` test: the value at ``path`` is one of ``values`` (empty never is)."""
    hit = find_value(path, scope)
    return hit is not None and hit.text.strip() in values
