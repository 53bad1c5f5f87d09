"""Sets that the shared corpus has no sample of, checked on fixtures written for them."""

from __future__ import annotations

from schemas_support import FIXTURES, brief, problems_of


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_860_change_with_quantity_changes_is_clean() -> None:
    assert problems_of(_fixture("860_change.edi")) == [[]]


def test_860_line_change_without_its_change_type_is_reported() -> None:
    data = _fixture("860_change.edi").replace(b"POC*1*QI*", b"POC*1**")
    [found] = problems_of(data)
    assert brief(found, 3) == [("element_missing", "POC", 4, 2)]
