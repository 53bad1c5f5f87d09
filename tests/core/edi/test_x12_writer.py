"""The X12 writer: fixed-width ISA, computed trailer counts, refused delimiters."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2bbridge.core.edi.events import PartyId
from b2bbridge.core.edi.segments import X12_DEFAULT, Delimiters
from b2bbridge.core.edi.x12.writer import X12Writer
from b2bbridge.core.errors import EdiError, EnvelopeError

DAY = date(2024, 3, 5)


def _open(out: io.StringIO, version: str = "00401", d: Delimiters = X12_DEFAULT) -> X12Writer:
    writer = X12Writer(out, d)
    writer.start_interchange(
        sender=PartyId("ZZ", "BUYER"),
        receiver=PartyId("01", "123456789"),
        control_number=42,
        date=DAY,
        time="0930",
        version=version,
    )
    return writer


def _group(writer: X12Writer) -> None:
    writer.start_group(
        functional_id="PO",
        sender="BUYERAPP",
        receiver="SELLERAPP",
        control_number=7,
        date=DAY,
        time="0930",
    )


def test_isa_is_106_characters_with_padded_fields() -> None:
    out = io.StringIO()
    _open(out)
    isa = out.getvalue().rstrip("\n")
    assert len(isa) == 106
    fields = isa[:-1].split("*")
    assert fields[2] == " " * 10
    assert fields[6] == "BUYER          "
    assert fields[8] == "123456789      "
    assert fields[9:14] == ["240305", "0930", "U", "00401", "000000042"]
    assert fields[16] == ">"


def test_isa11_is_the_repetition_separator_from_version_00402() -> None:
    out = io.StringIO()
    _open(out, version="00501")
    assert out.getvalue().split("*")[11] == "^"


def test_trailers_carry_computed_counts_and_control_numbers() -> None:
    out = io.StringIO()
    writer = _open(out)
    _group(writer)
    for control in (1, 2):
        writer.start_transaction("850", control)
        writer.segment("BEG", "00", "SA", f"PO{control}", "", "20240305")
        writer.segment("PO1", "1", "10", "EA")
        assert writer.end_transaction() == 4
    writer.end_group()
    writer.end_interchange()
    lines = out.getvalue().splitlines()
    assert lines[2] == "ST*850*0001~"
    assert lines[5] == "SE*4*0001~"
    assert lines[-2:] == ["GE*2*7~", "IEA*1*000000042~"]


def test_trailing_empty_elements_and_components_are_trimmed() -> None:
    out = io.StringIO()
    writer = _open(out)
    _group(writer)
    writer.start_transaction("850", "0001", convention="005010X220")
    writer.segment("PO1", "1", "", ["UP", "123", ""], "", "")
    lines = out.getvalue().splitlines()
    assert lines[2] == "ST*850*0001*005010X220~"
    assert lines[3] == "PO1*1**UP>123~"


@pytest.mark.parametrize(("value", "delimiter"), [("A*B", "*"), ("A~B", "~"), ("A>B", ">")])
def test_a_value_holding_a_delimiter_is_refused_with_its_place(value: str, delimiter: str) -> None:
    writer = _open(io.StringIO())
    _group(writer)
    writer.start_transaction("850", 1)
    with pytest.raises(EdiError) as caught:
        writer.segment("N1", "ST", value)
    assert caught.value.code == "value_contains_delimiter"
    assert caught.value.location.segment_id == "N1"
    assert caught.value.location.element == 2
    assert repr(delimiter) in caught.value.message


def test_sender_id_longer_than_15_is_refused() -> None:
    writer = X12Writer(io.StringIO(), X12_DEFAULT)
    with pytest.raises(EnvelopeError) as caught:
        writer.start_interchange(
            sender=PartyId("ZZ", "X" * 16),
            receiver=PartyId("ZZ", "Y"),
            control_number=1,
            date=DAY,
            time="0000",
        )
    assert caught.value.code == "isa_field_too_long"


def test_ending_a_group_inside_a_transaction_is_out_of_order() -> None:
    writer = _open(io.StringIO())
    _group(writer)
    writer.start_transaction("850", 1)
    with pytest.raises(EnvelopeError) as caught:
        writer.end_group()
    assert caught.value.code == "writer_out_of_order"


def test_ta1_only_interchange_has_no_group_and_iea_counts_zero() -> None:
    out = io.StringIO()
    writer = _open(out)
    writer.ta1(control_number=123, date=DAY, time="1200", ack_code="R", note_code="022")
    writer.end_interchange()
    lines = out.getvalue().splitlines()
    assert lines[1:] == ["TA1*000000123*240305*1200*R*022~", "IEA*0*000000042~"]


_TEXT = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126, exclude_characters="*~>^"),
    max_size=12,
)


@given(st.lists(st.one_of(_TEXT, st.lists(_TEXT, min_size=1, max_size=3)), max_size=6))
def test_written_values_split_back_to_the_same_values(
    elements: list[str | list[str]],
) -> None:
    out = io.StringIO()
    writer = _open(out)
    _group(writer)
    writer.start_transaction("850", 1)
    writer.segment("REF", *elements)
    line = out.getvalue().split("\n")[3]
    assert line.endswith("~")
    parts = X12_DEFAULT.split(line[:-1], "*")[1:]
    expected = [e if isinstance(e, str) else ">".join(e).rstrip(">") for e in elements]
    while expected and expected[-1] == "":
        expected.pop()
    assert parts == expected


def test_a_line_break_terminator_gets_no_extra_line_break() -> None:
    out = io.StringIO()
    writer = _open(out, d=Delimiters(element="*", component=">", segment="\n"))
    writer.end_interchange()
    assert out.getvalue().split("\n")[1:] == ["IEA*0*000000042", ""]


@pytest.mark.parametrize(("control", "time"), [(1234567890, "0930"), ("12A", "0930"), (1, "9:30")])
def test_a_bad_control_number_or_time_is_refused(control: int | str, time: str) -> None:
    writer = X12Writer(io.StringIO(), X12_DEFAULT)
    with pytest.raises(EnvelopeError) as caught:
        writer.start_interchange(
            sender=PartyId("ZZ", "A"), receiver=PartyId("ZZ", "B"), control_number=control,
            date=DAY, time=time,
        )  # fmt: skip
    assert caught.value.code == ("time_invalid" if time == "9:30" else "control_number_invalid")


def test_version_00501_without_a_repetition_separator_is_refused() -> None:
    bare = Delimiters(element="*", component=">", segment="~")
    with pytest.raises(EnvelopeError) as caught:
        _open(io.StringIO(), version="00501", d=bare)
    assert caught.value.code == "repetition_separator_missing"


def test_ack_requested_and_test_flags_fill_isa14_and_isa15() -> None:
    out = io.StringIO()
    X12Writer(out, X12_DEFAULT).start_interchange(
        sender=PartyId("ZZ", "A"), receiver=PartyId("ZZ", "B"), control_number=1,
        date=DAY, time="0930", ack_requested=True, test=True,
    )  # fmt: skip
    assert out.getvalue().split("*")[14:16] == ["1", "T"]


def test_a_segment_between_gs_and_st_is_out_of_order() -> None:
    writer = _open(io.StringIO())
    _group(writer)
    with pytest.raises(EnvelopeError) as caught:
        writer.segment("BEG", "00")
    assert caught.value.code == "writer_out_of_order"
