"""EDIFACT character sets: the syntax identifier table and the choice made from real bytes."""

from __future__ import annotations

import io

import pytest

from b2bbridge.core.edi.edifact.charsets import choose_codec, codec_for, is_single_byte
from b2bbridge.core.edi.edifact.reader import read_edifact_events
from b2bbridge.core.edi.events import Event, InterchangeStart
from b2bbridge.core.edi.options import CharsetPolicy, ReadOptions
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import Problem, Severity


@pytest.mark.parametrize(
    ("syntax_id", "codec"),
    [
        ("UNOA", "ascii"),
        ("UNOB", "ascii"),
        ("UNOC", "iso8859_1"),
        ("UNOD", "iso8859_2"),
        ("UNOE", "iso8859_5"),
        ("UNOF", "iso8859_7"),
        ("UNOL", "iso8859_15"),
        ("UNOW", "utf_8"),
        ("UNOY", "utf_8"),
        ("unoc", "iso8859_1"),
    ],
)
def test_syntax_identifier_maps_to_its_codec(syntax_id: str, codec: str) -> None:
    assert codec_for(syntax_id) == codec


def test_unknown_syntax_identifier_has_no_codec() -> None:
    assert codec_for("XXXX") is None


def test_single_byte_codecs_are_recognised() -> None:
    assert [is_single_byte(c) for c in ("ascii", "iso8859_1", "iso8859_5", "utf_8")] == [
        True,
        True,
        True,
        False,
    ]


def test_ascii_bytes_keep_the_declared_codec() -> None:
    assert choose_codec(b"NAD+BY+X'", "iso8859_1").codec == "iso8859_1"


def test_utf8_bytes_under_latin1_declaration_are_read_as_utf8() -> None:
    choice = choose_codec("NAD+München'".encode(), "iso8859_1")
    assert (choice.codec, choice.mismatch, choice.first_bad) == ("utf_8", True, 5)


def test_latin1_bytes_under_latin1_declaration_are_kept() -> None:
    choice = choose_codec("NAD+München'".encode("latin_1"), "iso8859_1")
    assert (choice.codec, choice.mismatch) == ("iso8859_1", False)


def test_latin1_bytes_under_unoa_fall_back_to_latin1() -> None:
    choice = choose_codec("NAD+München'".encode("latin_1"), "ascii")
    assert (choice.codec, choice.mismatch, choice.first_bad) == ("latin_1", True, 5)


def test_invalid_utf8_under_utf8_declaration_falls_back_to_latin1() -> None:
    choice = choose_codec(b"NAD+M\xfcnchen'", "utf_8")
    assert (choice.codec, choice.mismatch, choice.first_bad) == ("latin_1", True, 5)


def read(data: bytes, policy: CharsetPolicy = "lenient") -> list[Event]:
    return list(read_edifact_events(io.BytesIO(data), ReadOptions(charset_policy=policy)))


def interchange(syntax_id: bytes, text: bytes) -> bytes:
    return (
        b"UNB+" + syntax_id + b":3+S+R+240115:1200+IC1'UNH+1+ORDERS:D:96A:UN'"
        b"NAD+BY+++" + text + b"'UNT+3+1'UNZ+1+IC1'"
    )


def nad_name(events: list[Event]) -> str:
    return next(e for e in events if isinstance(e, Segment) and e.tag == "NAD").element(4)


def test_unoe_bytes_decode_as_cyrillic_without_problems() -> None:
    events = read(interchange(b"UNOE", "Москва".encode("iso8859_5")))
    assert nad_name(events) == "Москва"
    assert not any(isinstance(e, Problem) for e in events)


def test_unow_utf8_reads_without_problems_and_offsets_count_bytes() -> None:
    data = interchange(b"UNOW", "東京".encode())
    events = read(data)
    assert nad_name(events) == "東京"
    unt = next(e for e in events if isinstance(e, Segment) and e.tag == "NAD")
    assert unt.offset == data.index(b"NAD")
    assert not any(isinstance(e, Problem) for e in events)


def test_utf8_after_multibyte_text_keeps_byte_offsets_exact() -> None:
    data = (
        interchange(b"UNOW", "東京".encode())
        .replace(b"UNT", b"FTX+AAI+++x'UNT")
        .replace(b"UNT+3", b"UNT+4")
    )
    events = read(data)
    ftx = next(e for e in events if isinstance(e, Segment) and e.tag == "FTX")
    assert ftx.offset == data.index(b"FTX")


def test_strict_policy_reports_mismatch_as_an_error_and_still_reads() -> None:
    events = read(interchange(b"UNOA", "Grüße".encode()), policy="strict")
    [problem] = [e for e in events if isinstance(e, Problem)]
    assert (problem.code, problem.severity) == ("charset_mismatch", Severity.ERROR)
    assert nad_name(events) == "Grüße"


def test_unknown_syntax_identifier_is_reported_and_read() -> None:
    events = read(interchange(b"ZZZZ", b"PLAIN"))
    [problem] = [e for e in events if isinstance(e, Problem)]
    assert (problem.code, problem.severity) == ("charset_unsupported", Severity.WARNING)
    header = next(e.header for e in events if isinstance(e, InterchangeStart))
    assert (header.syntax_identifier, header.encoding) == ("ZZZZ", "ascii")
