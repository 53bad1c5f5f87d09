"""The 004010 warehouse and change segments carry the standard's own data elements.

Each case edits one element of a valid fixture or corpus file so that the verdict
depends on which data element stands at that position (its type, length, code list or
syntax note), so a wrong element in the dictionary shows up as a wrong finding here.
Positions count as in a 997 AK302: the ST segment is 1.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from schemas_support import CORPUS, FIXTURES, brief, problems_of, transactions

Brief = list[tuple[str, str | None, int, int | None]]


def _brief(data: bytes) -> Brief:
    [tx] = transactions(data)
    [found] = problems_of(data)
    return brief(found, tx.header.segment.index)


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _receipt() -> bytes:
    return (CORPUS / "x12" / "944_4010_warehouse_stock_receipt.edi").read_bytes()


CASES: list[tuple[str, bytes, bytes, Brief]] = [
    # W1701 is the Reporting Code (514), a one-letter code from a closed list.
    ("944", b"W17*F*", b"W17*Q*", [("element_invalid_code", "W17", 2, 1)]),
    # W1703 is the Warehouse Receipt Number (394, AN 1/12).
    ("944", b"*WR12345*", b"*WR1234567890X*", [("element_too_long", "W17", 2, 3)]),
    # W1706/W1707 are Time Qualifier and Time, paired (P0607).
    ("944", b"*DO12345", b"*DO12345**01", [("element_conditional_missing", "W17", 2, 7)]),
    # W0701 is the Quantity Received (413, R 1/7).
    ("944", b"W07*100*", b"W07*12345678*", [("element_too_long", "W07", 5, 1)]),
    # W0709 is the Warehouse Detail Adjustment Identifier (893, ID 1/1).
    ("944", b"***LOT456", b"***LOT456*AB", [("element_too_long", "W07", 5, 9)]),
    # W0601 is the Reporting Code (514); W0607/W0608 link number and sequence (P0708).
    ("943", b"W06*N*", b"W06*Q*", [("element_invalid_code", "W06", 2, 1)]),
    (
        "943",
        b"*SHP-77*REF-1~",
        b"*SHP-77*REF-1**MASTER-1~",
        [("element_conditional_missing", "W06", 2, 8)],
    ),
    # W2705 is the Equipment Description Code (40, ID 2/2); W2706 the Equipment Initial.
    ("943", b"*ROUTE 66*PP~", b"*ROUTE 66*PP*TLX~", [("element_too_long", "W27", 7, 5)]),
    ("943", b"*ROUTE 66*PP~", b"*ROUTE 66*PP*TL*ABCD*1234567~", []),
    # W0408 is the Freight Class Code (59, AN 2/5), W0412 the Pallet Block and Tiers
    # (416, N0 6/6).
    ("943", b"*LOT-9~", b"*LOT-99~", [("element_too_long", "W04", 10, 8)]),
    ("943", b"*LOT-9~", b"*LOT-9****12~", [("element_too_short", "W04", 10, 12)]),
    # BCH09 is a Reference Identification (127), not a date; BCH12 a Contract Type Code.
    ("860", b"*1*20260301~", b"*1*20260301***SO-77~", []),
    ("860", b"*1*20260301~", b"*1*20260301******ABC~", [("element_too_long", "BCH", 2, 12)]),
]

SOURCES: dict[str, Callable[[], bytes]] = {
    "944": _receipt,
    "943": lambda: _fixture("943_4010_stock_transfer_shipment.edi"),
    "860": lambda: _fixture("860_change.edi"),
}


@pytest.mark.parametrize(("kind", "old", "new", "expected"), CASES)
def test_an_element_is_checked_as_the_standard_defines_it(
    kind: str, old: bytes, new: bytes, expected: Brief
) -> None:
    data = SOURCES[kind]()
    assert _brief(data) == []
    assert old in data
    assert _brief(data.replace(old, new, 1)) == expected


def test_the_w05_link_sequence_number_is_six_digits_paired_with_the_master_reference() -> None:
    data = (CORPUS / "x12" / "940_4010_two_isa_two_gs_each.edi").read_bytes()
    assert all(found == [] for found in problems_of(data))
    bad = data.replace(b"W05*N*538686**001001*538686", b"W05*N*538686**1001*538686", 1)
    assert b"W05*N*538686**1001*" in bad
    findings = [brief(found) for found in problems_of(bad)]
    assert [[f[0] for f in tx if f[1] == "W05"] for tx in findings if tx] == [["element_too_short"]]
    unpaired = data.replace(b"W05*N*538686**001001*538686", b"W05*N*538686**001001", 1)
    codes = [f[0] for tx in problems_of(unpaired) for f in brief(tx) if f[1] == "W05"]
    assert codes == ["element_conditional_missing"]
