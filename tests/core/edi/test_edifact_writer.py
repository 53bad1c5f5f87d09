"""The EDIFACT writer: UNA/UNB by syntax version, escaping, computed counts."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2bbridge.core.edi.edifact.writer import EdifactWriter
from b2bbridge.core.edi.events import PartyId
from b2bbridge.core.edi.segments import EDIFACT_DEFAULT, Delimiters
from b2bbridge.core.errors import EdiError, EnvelopeError

DAY = date(2024, 3, 5)
SYNTAX4 = Delimiters(element="+", component=":", segment="'", repetition="*", release="?")


def _open(out: io.StringIO, version: str = "3", d: Delimiters = EDIFACT_DEFAULT) -> EdifactWriter:
    writer = EdifactWriter(out, d, line_break="\n")
    writer.start_interchange(
        syntax_version=version,
        sender=PartyId("14", "5412345000013"),
        receiver=PartyId(None, "SUPPLIER"),
        control_number="REF42",
        date=DAY,
        time="0930",
    )
    return writer


def test_syntax_3_writes_una_with_reserved_space_and_yymmdd() -> None:
    out = io.StringIO()
    _open(out)
    assert out.getvalue().splitlines() == [
        "UNA:+.? '",
        "UNB+UNOC:3+5412345000013:14+SUPPLIER+240305:0930+REF42'",
    ]


def test_syntax_4_declares_the_repetition_separator_and_a_century_date() -> None:
    out = io.StringIO()
    _open(out, version="4", d=SYNTAX4)
    lines = out.getvalue().splitlines()
    assert lines[0] == "UNA:+.?*'"
    assert lines[1].split("+")[4] == "20240305:0930"


def test_message_and_interchange_counts_are_computed() -> None:
    out = io.StringIO()
    writer = _open(out)
    for ref in ("1", "2"):
        writer.start_message("ORDERS", ref)
        writer.segment("BGM", "220", f"PO{ref}", "9")
        assert writer.end_message() == 3
    writer.end_interchange()
    lines = out.getvalue().splitlines()
    assert lines[2] == "UNH+1+ORDERS:D:96A:UN'"
    assert lines[4] == "UNT+3+1'"
    assert lines[-1] == "UNZ+2+REF42'"


def test_group_trailer_counts_messages_and_unz_counts_groups() -> None:
    out = io.StringIO()
    writer = _open(out)
    writer.start_group(
        functional_id="ORDERS",
        sender=PartyId("14", "A"),
        receiver=PartyId("14", "B"),
        reference="G1",
        date=DAY,
        time="0930",
    )
    writer.start_message("ORDERS", "1", association="EAN008")
    writer.end_message()
    writer.end_group()
    writer.end_interchange()
    lines = out.getvalue().splitlines()
    assert lines[2] == "UNG+ORDERS+A:14+B:14+240305:0930+G1+UN+D:96A'"
    assert lines[3] == "UNH+1+ORDERS:D:96A:UN:EAN008'"
    assert lines[-2:] == ["UNE+1+G1'", "UNZ+1+REF42'"]


def test_separators_and_release_inside_values_are_escaped() -> None:
    out = io.StringIO()
    writer = _open(out)
    writer.start_message("ORDERS", "1")
    writer.segment("FTX", "AAI", "", "", ["It's 5+5=10? yes: sure"])
    assert out.getvalue().splitlines()[3] == "FTX+AAI+++It?'s 5?+5=10?? yes?: sure'"


def test_without_a_release_character_a_delimiter_in_a_value_is_refused() -> None:
    bare = Delimiters(element="+", component=":", segment="'")
    writer = _open(io.StringIO(), d=bare)
    writer.start_message("ORDERS", "1")
    with pytest.raises(EdiError) as caught:
        writer.segment("NAD", "BY", "A+B")
    assert caught.value.code == "value_contains_delimiter"
    assert caught.value.location.segment_id == "NAD"
    assert caught.value.location.element == 2


def test_a_segment_outside_a_message_is_out_of_order() -> None:
    writer = _open(io.StringIO())
    with pytest.raises(EnvelopeError) as caught:
        writer.segment("BGM", "220")
    assert caught.value.code == "writer_out_of_order"


_TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x17F), max_size=12)


@given(
    st.lists(st.one_of(_TEXT, st.lists(_TEXT, min_size=1, max_size=3)), max_size=6),
    st.sampled_from([("3", EDIFACT_DEFAULT), ("4", SYNTAX4)]),
)
def test_any_value_written_splits_and_unescapes_back_to_itself(
    elements: list[str | list[str]], syntax: tuple[str, Delimiters]
) -> None:
    version, d = syntax
    out = io.StringIO()
    writer = _open(out, version=version, d=d)
    writer.start_message("ORDERS", "1")
    writer.segment("FTX", *elements)
    writer.end_message()
    body = out.getvalue().split("\n")[2:]
    raw_segments = d.split("".join(body), d.segment)
    fields = d.split(raw_segments[1], d.element)
    assert fields[0] == "FTX"
    got = [[d.unescape(c) for c in d.split(f, d.component)] for f in fields[1:]]
    expected = [[e] if isinstance(e, str) else list(e) for e in elements]
    expected = [_trim(e) or [""] for e in expected]
    while expected and expected[-1] == [""]:
        expected.pop()
    assert got == expected


def _trim(values: list[str]) -> list[str]:
    while values and values[-1] == "":
        values = values[:-1]
    return values


def test_the_repetition_separator_is_escaped_only_where_the_syntax_has_one() -> None:
    out3, out4 = io.StringIO(), io.StringIO()
    for out, version, d in ((out3, "3", EDIFACT_DEFAULT), (out4, "4", SYNTAX4)):
        writer = _open(out, version=version, d=d)
        writer.start_message("ORDERS", "1")
        writer.segment("FTX", "AAI", "", "", "2*3")
    assert out3.getvalue().splitlines()[-1] == "FTX+AAI+++2*3'"
    assert out4.getvalue().splitlines()[-1] == "FTX+AAI+++2?*3'"


def test_ack_request_and_test_indicator_go_to_unb09_and_unb11() -> None:
    out = io.StringIO()
    writer = EdifactWriter(out, EDIFACT_DEFAULT, una=False)
    writer.start_interchange(
        sender=PartyId(None, "A"), receiver=PartyId(None, "B"), control_number="7",
        date=DAY, time="0930", ack_requested=True, test=True,
    )  # fmt: skip
    assert out.getvalue() == "UNB+UNOC:3+A+B+240305:0930+7++++1++1'"
