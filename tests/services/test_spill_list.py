"""What an interchange's transactions leave until its trailer waits in a list that spills.

The list behaves as an append-only sequence whatever its block size: every record comes
back in order, by index from either end, by iteration and reversed, while only the newest
records stay live objects, and the newest one can still be changed in place.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2bbridge.core.edi.events import (
    GroupHeader,
    InterchangeHeader,
    PartyId,
    Transaction,
    TransactionHeader,
)
from b2bbridge.core.edi.segments import Delimiters, Segment
from b2bbridge.core.errors import MappingError
from b2bbridge.core.location import Location
from b2bbridge.core.mapping.failures import MappingRuleError
from b2bbridge.services.interchange import MappedUnit
from b2bbridge.services.spool import SpillList, Spooled

T = TypeVar("T")


@dataclass
class Record:
    number: int
    note: str = ""


@given(
    count=st.integers(min_value=0, max_value=60),
    chunk=st.integers(min_value=1, max_value=7),
)
@settings(max_examples=80, deadline=None)
def test_records_come_back_in_order_by_index_iteration_and_reversed(count: int, chunk: int) -> None:
    records = [Record(n, "é" * (n % 5)) for n in range(count)]
    spill = SpillList[Record](chunk=chunk, memory_bytes=256)
    for record in records:
        spill.append(record)

    assert len(spill) == count
    assert bool(spill) == (count > 0)
    assert list(spill) == records
    assert list(reversed(spill)) == records[::-1]
    assert [spill[n] for n in range(count)] == records
    assert [spill[-n] for n in range(1, count + 1)] == records[::-1]
    assert spill.live <= 2 * chunk
    spill.close()


def test_only_the_newest_records_stay_live_and_the_rest_reach_disk() -> None:
    spill = SpillList[Record](chunk=10, memory_bytes=512)
    for n in range(1000):
        spill.append(Record(n, "x" * 20))

    assert 10 <= spill.live <= 20
    assert spill.on_disk
    assert spill[0] == Record(0, "x" * 20)
    assert spill[999] == Record(999, "x" * 20)
    spill.close()


def test_the_newest_record_can_be_changed_in_place() -> None:
    spill = SpillList[Record](chunk=1)
    for n in range(5):
        spill.append(Record(n))
        spill[-1].note = f"seen {n}"  # as the outcome builder files a late problem

    assert [r.note for r in spill] == [f"seen {n}" for n in range(5)]
    spill.close()


def test_the_newest_records_it_is_told_to_keep_stay_the_very_objects_appended() -> None:
    spill = SpillList[Record](chunk=1, keep_live=5)
    records = [Record(n) for n in range(20)]
    for record in records:
        spill.append(record)

    assert 5 <= spill.live <= 6
    assert all(spill[n] is records[n] for n in range(-5, 0))
    assert spill[0] is not records[0]
    assert spill[0] == records[0]
    spill.close()


def test_an_index_out_of_range_is_an_index_error_and_a_closed_list_is_empty() -> None:
    spill = SpillList[Record](chunk=1)
    for n in range(4):
        spill.append(Record(n))
    with pytest.raises(IndexError):
        spill[4]
    with pytest.raises(IndexError):
        spill[-5]

    spill.close()

    assert (len(spill), list(spill)) == (0, [])


def test_a_block_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        SpillList[Record](chunk=0)


# The records that actually spill pickle themselves as constructor calls; each such
# reduction must carry every field, or a spilled record would come back changed.

DAY = date(2024, 11, 4)
DELIMITERS = Delimiters("*", ">", "~", "^")
ST = Segment(["ST", "850", "0042", "005010X"], DELIMITERS, 1234, 7, 9, "ST*850*0042*005010X")
PARTY = PartyId("ZZ", "ACMEBUYER")
INTERCHANGE = InterchangeHeader(
    "x12", "000000001", PARTY, PARTY, date(2024, 11, 4), "09:30", "00401", True, True,
    DELIMITERS, "latin-1", ST, None,
)  # fmt: skip
GROUP = GroupHeader("7", "PO", PARTY, PARTY, "004010", date(2024, 11, 4), "09:30", ST)
HEADER = TransactionHeader("850", "0042", "005010X", ST, "000000001", "7")
PROBLEM_LOCATION = Location(partner="acme", transaction="0042", segment_id="BEG", element=3)


def _same(a: object, b: object) -> bool:
    """Equal field by field; segments (which compare by identity) by every attribute."""
    if isinstance(a, Segment) and isinstance(b, Segment):
        keys = ("elements", "delimiters", "offset", "line", "index", "text")
        return all(getattr(a, k) == getattr(b, k) for k in keys)
    if is_dataclass(a) and type(a) is type(b):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _round_trip(value: T) -> T:
    restored: T = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return restored


def test_a_segment_survives_pickling_with_every_attribute() -> None:
    assert _same(_round_trip(ST), ST)


def test_a_transaction_and_its_header_survive_pickling_with_every_field() -> None:
    tx = Transaction(INTERCHANGE, GROUP, HEADER, [ST, ST], [], segment_count=2, complete=True)

    restored = _round_trip(tx)

    assert _same(restored, tx)
    assert _same(_round_trip(HEADER), HEADER)
    assert len(tx.__reduce__()[1]) == len(fields(Transaction))
    assert len(HEADER.__reduce__()[1]) == len(fields(TransactionHeader))


def test_a_mapped_unit_with_its_error_survives_pickling_with_every_field() -> None:
    tx = Transaction(INTERCHANGE, GROUP, HEADER, [], [], segment_count=5, complete=True)
    error = MappingRuleError(
        "BEG03 is required",
        code="mapping_required_missing",
        location=PROBLEM_LOCATION,
        mapping_file="mappings/x12/850.yaml:12",
        rule="number",
    )
    unit = MappedUnit(tx, "order", "PO-1", DAY, Spooled(10, 20), "1", error, True)

    restored = _round_trip(unit)

    assert len(unit.__reduce__()[1]) == len(fields(MappedUnit))
    assert _same(restored.transaction, tx)
    assert (restored.doc_type, restored.number, restored.doc_date) == (
        "order",
        "PO-1",
        unit.doc_date,
    )
    assert (restored.body, restored.schema_version, restored.is_ack) == (Spooled(10, 20), "1", True)
    assert isinstance(restored.error, MappingRuleError)
    assert (restored.error.code, restored.error.location, restored.error.rule) == (
        "mapping_required_missing",
        PROBLEM_LOCATION,
        "number",
    )
    assert str(restored.error) == str(error)


def test_an_error_whose_constructor_takes_keywords_survives_pickling() -> None:
    error = MappingError("no mapping", code="transaction_unsupported", location=PROBLEM_LOCATION)

    restored = _round_trip(error)

    assert (type(restored), restored.args, restored.code) == (
        MappingError,
        ("no mapping",),
        "transaction_unsupported",
    )
