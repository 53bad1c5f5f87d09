from __future__ import annotations

from decimal import Decimal

from mapping_support import load
from tree_support import fixture

from b2bbridge.core.mapping.payload import map_payload
from b2bbridge.core.model.order import Order

PARTNER_MAP = """\
extends: xml/cxml_order.yaml
codes:
  items: codes/shop_items.csv
fields:
  lines:
    fields:
      sku: {path: ItemID/BuyerPartID, transform: [{code: items, unknown: drop}]}
      unit: {path: ItemDetail/UnitOfMeasure, transform: [{map: {BX: case}, unknown: keep}]}
"""
ITEMS = "code,value\n778,SKU-0778\n"


def _orders(extra: dict[str, str]) -> list[Order]:
    spec = load("partners/shop_cxml.yaml", {"partners/shop_cxml.yaml": PARTNER_MAP, **extra})
    docs = map_payload(fixture("cxml_order.xml"), format="xml", spec=spec, partner="shop")
    return [d for d in docs if isinstance(d, Order)]


def test_partner_xml_map_overrides_only_the_rules_it_names() -> None:
    [order] = _orders({"codes/shop_items.csv": ITEMS})
    # a rule given in the partner map replaces the base rule whole: EA is kept as sent
    assert [(ln.sku, ln.unit) for ln in order.lines] == [("SKU-0778", "EA"), (None, "case")]
    assert [ln.quantity for ln in order.lines] == [Decimal(5), Decimal(2)]  # from the base
    assert order.number == "CX-500"


def test_partner_xml_map_reads_its_item_table_by_buyer_part_number() -> None:
    [order] = _orders({"codes/shop_items.csv": "code,value\n778,OTHER\n"})
    assert order.lines[0].sku == "OTHER"
