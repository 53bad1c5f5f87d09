"""Differential check: on valid corpus files the reader agrees with pydifact, segment by segment.

pydifact is an independent EDIFACT parser. Where it reads a file, both must give the same
segment tags and the same element values after unescaping (pydifact's composites are
lists, its simple elements strings). Each side decodes the file with the codec the
reader chose, so the comparison is about structure and escaping, not character sets.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from b2bbridge.core.edi.edifact.reader import read_edifact_events
from b2bbridge.core.edi.events import (
    Event,
    GroupEnd,
    GroupStart,
    InterchangeEnd,
    InterchangeStart,
    TransactionEnd,
    TransactionStart,
)
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.segments import Segment

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pydifact.parser import Parser

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"

Shape = tuple[str, list[str | list[str]]]


def all_segments(events: list[Event]) -> list[Segment]:
    """Every segment in file order, headers and trailers included."""
    out: list[Segment] = []
    for e in events:
        if isinstance(e, Segment):
            out.append(e)
        elif isinstance(e, InterchangeStart | TransactionStart | GroupStart):
            if e.header.segment is not None:  # an implicit group has none
                out.append(e.header.segment)
        elif isinstance(e, InterchangeEnd | GroupEnd | TransactionEnd) and e.trailer is not None:
            out.append(e.trailer)
    return out


def shape(seg: Segment) -> Shape:
    values: list[str | list[str]] = []
    for n in range(1, len(seg) + 1):
        comps = seg.components(n)
        values.append(comps if len(comps) > 1 else comps[0])
    return seg.tag, values


def pydifact_shapes(text: str) -> list[Shape]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [(s.tag, list(s.elements)) for s in Parser().parse(text) if s.tag != "UNA"]


# Files pydifact reads. Left out: the wrapped files, the BOM and newline-terminated ones
# (pydifact rejects them) and the FTX with a raw line break (pydifact keeps it as data).
AGREED = [
    "desadv_d96a_unoc1_no_una_version0.edi",
    "invoic_d93a_una_decimal_comma_umlaut.edi",
    "invoic_d97a_unoa1_no_una.edi",
    "invoic_d97b_no_una_unoa3.edi",
    "invoic_d97b_una_caret_star_dollar.edi",
    "invoic_d97b_una_custom_delims_eq_star_tilde.edi",
    "invoic_d97b_unb_all_optional_fields.edi",
    "orders_d01b_ean010_unoc_latin1_release_char.edi",
    "orders_d03b_ean008_syntax4_ccyymmdd_unb.edi",
    "orders_d96a_minimal_unoc.edi",
    "ordrsp_d01b_ean008_unoc_latin1_long.edi",
    "ordrsp_d01b_unoe_iso8859_5_cyrillic.edi",
    "paores_two_messages_one_interchange.edi",
    "recadv_d01b_ean007_unoa_with_utf8_chinese.edi",
]
AGREED_MALFORMED = [
    "aperak_d96a_accepted_unt_count_wrong.edi",
    "aperak_d96a_rejected_syntax4_unt_count_wrong.edi",
    "desadv_d96a_unoc_declared_utf8_bytes.edi",
    "edifact_custom_msg_with_x12_iea_segment.edi",
    "infent_d00b_unol_ung_nonedi_preamble_truncated.edi",
    "invoic_d03b_unoc4_una_repetition_star_unt_off_by_one.edi",
    "invoic_d97b_bad_qualifier_nonnumeric_dup_uns.edi",
    "orders_d01b_ean010_unescaped_colon_in_text.edi",
    "orders_d03b_dtm_repeated_beyond_max.edi",
    "orders_d96a_ean008_missing_unz.edi",
    "orders_d96b_ean008_ung_group_unt_count_wrong.edi",
    "ordrsp_d10a_single_line_unt_ref_mismatch.edi",
    "paores_93_release_char_escapes_unt_count_wrong.edi",
]
PATHS = [CORPUS / "edifact" / n for n in AGREED] + [
    CORPUS / "malformed" / n for n in AGREED_MALFORMED
]


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_reader_agrees_with_pydifact_on_every_segment(path: Path) -> None:
    data = path.read_bytes()
    with path.open("rb") as source:
        events = list(read_edifact_events(source, ReadOptions(file=path.name)))
    header = next(e.header for e in events if isinstance(e, InterchangeStart))
    ours = [shape(s) for s in all_segments(events)]
    theirs = pydifact_shapes(data.decode(header.encoding))
    assert len(ours) == len(theirs)
    assert ours == theirs
