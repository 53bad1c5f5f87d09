from __future__ import annotations

from pathlib import Path

import pytest
from tree_support import XML_CORPUS, fixture

from b2bbridge.core.mapping.formats import detect_format
from b2bbridge.core.mapping.payload import read_kind

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "inbox"


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"ISA*00*          *00*", None, "x12"),
        (b"\xef\xbb\xbf\r\n  ISA*00*", None, "x12"),
        (b"UNA:+.? 'UNB+UNOC:3", None, "edifact"),
        (b"UNB+UNOA:1+SENDER", None, "edifact"),
        (b'<?xml version="1.0"?><Order/>', None, "xml"),
        ('<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"), None, "xml"),
        (b'  {"po_number": "1"}', None, "json"),
        (b"[1, 2]", None, "json"),
        (b"PO Number,SKU\nA,1\n", None, "csv"),
        (b"PO Number;SKU\n", "reorder.CSV", "csv"),
        (b"PK\x03\x04rest", "sheet.xlsx", "xlsx"),
        (b"PK\x03\x04rest", "archive.zip", "unknown"),
        (b"hello", None, "unknown"),
        (b"", None, "unknown"),
    ],
)
def test_detect_format_sniffs_the_payload(data: bytes, name: str | None, expected: str) -> None:
    assert detect_format(data, name) == expected


def test_example_inbox_files_are_detected_as_edi() -> None:
    found = {p.name: detect_format(p.read_bytes(), p.name) for p in sorted(EXAMPLES.iterdir())}
    assert found == {"acme_850_20241104.x12": "x12", "acme_orders_20241104.edi": "edifact"}


def test_cxml_kind_is_the_request_inside_the_envelope() -> None:
    data = (XML_CORPUS / "cxml_orderrequest.xml").read_bytes()
    assert read_kind(data, "xml") == "OrderRequest"
    assert read_kind((XML_CORPUS / "cxml_shipnoticerequest.xml").read_bytes(), "xml") == (
        "ShipNoticeRequest"
    )


def test_ubl_kind_is_the_root_element() -> None:
    assert read_kind(fixture("ubl_order.xml"), "xml") == "Order"


def test_json_and_sheet_kinds() -> None:
    assert read_kind(b'{"po_number": "1"}', "json") == "order"
    assert read_kind(b'{"document_type": "stock_level"}', "json") == "stock_level"
    assert read_kind(fixture("reorder.csv"), "csv") == "reorder"
