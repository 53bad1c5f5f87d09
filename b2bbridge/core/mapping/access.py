"""How compiled rules reach into a source: segment scopes for EDI, nodes for tree payloads.

The evaluation closures (:mod:`~b2bbridge.core.mapping.evaluation`) are written once and
bound at load time to an :class:`Access`: :class:`SegmentAccess` reads loop instances of
X12/EDIFACT segments through the fast segment readers, :class:`TreeAccess` reads XML
elements, JSON values or spreadsheet rows through tree paths
(:class:`~b2bbridge.core.mapping.addresses.TreePath`).
The choice is made per mapping when it is compiled, so a run does no dispatch on format.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from b2bbridge.core.location import Location
from b2bbridge.core.mapping.addresses import SourcePath, Spot, TreePath
from b2bbridge.core.mapping.failures import MappingRuleError, Run
from b2bbridge.core.mapping.loops import Scope
from b2bbridge.core.mapping.paths import SegmentPath
from b2bbridge.core.mapping.selection import (
    compile_reader,
    condition_holds,
    find_value,
    select_scopes,
)

N = TypeVar("N")


class Access(Protocol[N]):
    """Readers over context nodes of type ``N``, and the error a failing rule raises."""

    def reader(self, path: SourcePath) -> Callable[[N], str | None]: ...

    def selector(self, path: SourcePath) -> Callable[[N], list[N]]: ...

    def holds(self, path: SourcePath, values: frozenset[str]) -> Callable[[N], bool]: ...

    def fail(
        self, run: Run, code: str, origin: str, rule: str, why: str,
        paths: tuple[SourcePath, ...], node: N,
    ) -> MappingRuleError: ...  # fmt: skip


def _segment(path: SourcePath) -> SegmentPath:
    assert isinstance(path, SegmentPath), f"{path!r} is not a segment path"
    return path


def _tree(path: SourcePath) -> TreePath:
    assert isinstance(path, TreePath), f"{path!r} is not a tree path"
    return path


class SegmentAccess:
    """X12 and EDIFACT: context nodes are loop instances (:class:`Scope`)."""

    def reader(self, path: SourcePath) -> Callable[[Scope], str | None]:
        return compile_reader(_segment(path))

    def selector(self, path: SourcePath) -> Callable[[Scope], list[Scope]]:
        segment_path = _segment(path)
        return lambda scope: select_scopes(segment_path, scope)

    def holds(self, path: SourcePath, values: frozenset[str]) -> Callable[[Scope], bool]:
        segment_path = _segment(path)
        return lambda scope: condition_holds(segment_path, values, scope)

    def fail(
        self, run: Run, code: str, origin: str, rule: str, why: str,
        paths: tuple[SourcePath, ...], node: Scope,
    ) -> MappingRuleError:  # fmt: skip
        hits = (find_value(_segment(p), node) for p in paths)
        found = next((f for f in hits if f is not None), None)
        return run.fail(code, origin, rule, why, found, node)


class TreeAccess:
    """XML, JSON, CSV and XLSX: context nodes are whatever the format's tree paths take."""

    def __init__(self, describe: Callable[[object], Spot]) -> None:
        self.describe = describe

    def reader(self, path: SourcePath) -> Callable[[object], str | None]:
        return _tree(path).read

    def selector(self, path: SourcePath) -> Callable[[object], list[object]]:
        return _tree(path).select

    def holds(self, path: SourcePath, values: frozenset[str]) -> Callable[[object], bool]:
        tree_path = _tree(path)

        def test(node: object) -> bool:
            hit = tree_path.first(node)
            return hit is not None and hit.text.strip() in values

        return test

    def fail(
        self, run: Run, code: str, origin: str, rule: str, why: str,
        paths: tuple[SourcePath, ...], node: object,
    ) -> MappingRuleError:  # fmt: skip
        hits = (_tree(p).first(node) for p in paths)
        hit = next((h for h in hits if h is not None), None)
        spot = hit.spot if hit is not None else self.describe(node)
        location = Location(
            partner=run.partner, transaction=run.transaction, line=spot.line, element=spot.column
        )
        message = f"mapping {origin}, rule {rule}: {why} (at {spot.where})"
        return MappingRuleError(
            message, code=code, location=location, mapping_file=origin, rule=rule
        )
