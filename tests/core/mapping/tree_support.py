"""Test support for maps of XML, JSON and sheet payloads: load a map, map a file."""

from __future__ import annotations

from mapping_support import CORPUS, FIXTURES, load

from b2bbridge.core.mapping.payload import map_payload
from b2bbridge.core.model.order import Order

XML_CORPUS = CORPUS / "xml"


def map_orders(mapping: str, data: bytes, format: str, partner: str = "acme") -> list[Order]:
    documents = map_payload(data, format=format, spec=load(mapping), partner=partner)
    orders = [d for d in documents if isinstance(d, Order)]
    assert len(orders) == len(documents)
    return orders


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
