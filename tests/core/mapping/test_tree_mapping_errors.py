from __future__ import annotations

import pytest
from mapping_support import load
from tree_support import fixture, map_orders

from b2bbridge.core.errors import ConfigError, MappingError
from b2bbridge.core.mapping.failures import MappingRuleError
from b2bbridge.core.mapping.inbound import map_transaction
from b2bbridge.core.mapping.payload import map_payload


def test_unknown_unit_in_xml_names_the_rule_xpath_and_source_line() -> None:
    data = fixture("cxml_order.xml").replace(b"<UnitOfMeasure>BX", b"<UnitOfMeasure>ZZ")
    with pytest.raises(MappingRuleError) as caught:
        map_orders("xml/cxml_order.yaml", data, "xml")
    error = caught.value
    assert error.code == "mapping_unknown_code"
    assert error.rule == "lines[].unit"
    assert error.mapping_file.startswith("xml/cxml_order.yaml, line ")
    assert "(at /cXML/Request/OrderRequest/ItemOut[2]/ItemDetail/UnitOfMeasure)" in str(error)
    assert error.location.line == 28


def test_bad_quantity_in_csv_names_the_row_and_column() -> None:
    data = fixture("reorder.csv").replace(b",100,,0.02", b",lots,,0.02")
    with pytest.raises(MappingRuleError) as caught:
        map_orders("csv/reorder.yaml", data, "csv")
    assert caught.value.code == "mapping_bad_value"
    assert "(at row 4, column Quantity)" in str(caught.value)
    assert (caught.value.location.line, caught.value.location.element) == (4, 9)


def test_bad_xpath_in_a_map_names_file_line_and_column() -> None:
    text = "format: xml\ndocument: order\nfields:\n  number: {path: 'Order/[@id'}\n"
    with pytest.raises(ConfigError) as caught:
        load("xml/broken.yaml", {"xml/broken.yaml": text})
    assert str(caught.value).startswith("xml/broken.yaml, line 4, column 12: bad path 'Order/[@id'")


def test_bad_json_path_in_a_map_names_file_line_and_column() -> None:
    text = "format: json\ndocument: order\nfields:\n  number: po..number\n"
    with pytest.raises(ConfigError) as caught:
        load("json/broken.yaml", {"json/broken.yaml": text})
    assert str(caught.value).startswith("json/broken.yaml, line 4, column 3: bad path 'po..number'")


def test_an_xml_map_refuses_edi_transactions() -> None:
    with pytest.raises(MappingError) as caught:
        map_transaction([], load("xml/cxml_order.yaml"), partner="acme")
    assert caught.value.code == "mapping_wrong_format"


def test_an_edi_map_refuses_a_json_payload() -> None:
    with pytest.raises(MappingError) as caught:
        map_payload(b"{}", format="json", spec=load("x12/850.yaml"), partner="acme")
    assert caught.value.code == "mapping_wrong_format"
