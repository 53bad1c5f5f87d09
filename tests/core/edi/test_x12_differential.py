"""Differential test: the segments b2bbridge reads are the segments pyx12's X12Reader reads.

pyx12 reads only ISA versions 00401 and 00501 and no byte order mark, so both readers get
the same prepared bytes: BOM dropped, ISA12 set to 00401. Left out: the hard-wrapped sample
and the one with a multi-byte terminator, which pyx12 cannot read. pyx12 silently drops a
last segment that has no terminator; b2bbridge keeps it (and reports it), so it is the one
segment allowed to be extra.

Both sides are compared as pyx12 writes them back: trailing empty elements dropped, and an
element made only of component separators counted as empty.
"""

from __future__ import annotations

import io
import re

import pytest
from pyx12.x12file import X12Reader

from b2bbridge.core.edi.segments import Delimiters
from tests.core.edi.x12_support import CORPUS, FIXTURES, codes, read, segments

PYX12_CANNOT = {"210_4010_wrapped_80col.edi", "214_4010_unicode_ellipsis_segterm.edi"}
SAMPLES = sorted(p for p in (CORPUS / "x12").glob("*.edi") if p.name not in PYX12_CANNOT)
SAMPLES += [FIXTURES / "850_two_pos.edi", FIXTURES / "850_bad_se_count.edi"]


def prepare(data: bytes) -> bytes:
    data = data.removeprefix(b"\xef\xbb\xbf")
    return re.sub(rb"(ISA.{81})00[0-9]{3}", rb"\g<1>00401", data, flags=re.S)


def written(elements: list[str], d: Delimiters) -> str:
    if elements[0] == "ISA":  # ISA16 is the component separator itself
        return d.element.join(elements)
    els = ["" if not e.strip(d.component) else e for e in elements]
    while len(els) > 1 and not els[-1]:
        els.pop()
    return d.element.join(els)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_segments_match_pyx12(path: object) -> None:
    data = prepare(path.read_bytes())  # type: ignore[attr-defined]
    events = read(data)
    ours = [written(s.elements, s.delimiters) for s in segments(events)]
    d = segments(events)[0].delimiters
    text = io.StringIO(data.decode("latin-1"))
    theirs = [seg.format("", d.element, d.component) for seg in X12Reader(text)]
    extra = 1 if "segment_unterminated" in codes(events) else 0
    assert len(ours) == len(theirs) + extra
    assert ours[: len(theirs)] == theirs
