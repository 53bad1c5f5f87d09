"""Sniffing the standard from the first bytes of a file."""

from __future__ import annotations

import pytest

from b2bbridge.core.edi.detect import Sniffed, sniff
from tests.core.edi.x12_support import CORPUS

ISA = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *241104*0930*U"
UNB = b"UNB+UNOC:3+SENDER:14+RECEIVER:14+241104:0930+1'"


def test_x12_at_the_start() -> None:
    assert sniff(ISA) == Sniffed("x12", 0, bom=False)


def test_edifact_una_and_unb() -> None:
    assert sniff(b"UNA:+.? '" + UNB) == Sniffed("edifact", 0, bom=False)
    assert sniff(UNB) == Sniffed("edifact", 0, bom=False)


def test_bom_and_blank_lines_are_skipped_and_counted_in_the_offset() -> None:
    assert sniff(b"\xef\xbb\xbf\r\n  \t" + ISA) == Sniffed("x12", 8, bom=True)


def test_a_preamble_is_skipped_and_flagged() -> None:
    head = b"From: partner@example.com\r\nSubject: VISA order\r\n\r\n" + UNB
    assert sniff(head) == Sniffed("edifact", head.index(b"UNB"), bom=False, preamble=True)


def test_the_earliest_plausible_header_wins() -> None:
    head = b"banner\n" + ISA + b"\n" + UNB
    assert sniff(head) == Sniffed("x12", 7, bom=False, preamble=True)


def test_isa_without_a_repeating_separator_is_not_x12() -> None:
    assert sniff(b"ISA TRAINING NOTES: VISA* card").syntax == "unknown"


def test_unknown_input_and_empty_input() -> None:
    assert sniff(b"Tk9OIEVESSBGSUxFISAasadsdfs") == Sniffed("unknown", 0, bom=False)
    assert sniff(b"") == Sniffed("unknown", 0, bom=False)
    assert sniff(b"\xef\xbb\xbf") == Sniffed("unknown", 0, bom=True)


def test_xml_is_unknown() -> None:
    head = (CORPUS / "xml" / "cxml_orderrequest.xml").read_bytes()[:4096]
    assert sniff(head).syntax == "unknown"


@pytest.mark.parametrize(
    ("folder", "syntax"),
    [("x12", "x12"), ("edifact", "edifact")],
)
def test_every_corpus_file_is_sniffed_as_its_syntax(folder: str, syntax: str) -> None:
    found = {
        p.name: sniff(p.read_bytes()[:4096]).syntax
        for p in (CORPUS / folder).glob("*.edi")
        if not p.name.startswith("una_only")  # a bare UNA fragment, no interchange
    }
    assert set(found.values()) == {syntax}
    assert len(found) >= 15


def test_una_fragment_is_still_edifact() -> None:
    data = CORPUS / "edifact" / "una_only_custom_delims_pipe_dash_comma_bang_underscore.edi"
    assert sniff(data.read_bytes()) == Sniffed("edifact", 0, bom=False)


def test_malformed_samples_are_sniffed_by_their_header() -> None:
    folder = CORPUS / "malformed"
    preamble = sniff((folder / "infent_d00b_unol_ung_nonedi_preamble_truncated.edi").read_bytes())
    assert (preamble.syntax, preamble.preamble) == ("edifact", True)
    nbsp = sniff((folder / "850_4010_isa_nbsp_padding_bom_tabs.edi").read_bytes())
    assert nbsp == Sniffed("x12", 3, bom=True)
    assert sniff((folder / "not_edi_random_text.edi").read_bytes()).syntax == "unknown"
