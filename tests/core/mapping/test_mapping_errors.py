from __future__ import annotations

import pytest
from mapping_support import CORPUS, load, read_transactions, x12_segments

from b2bbridge.core.errors import Disposition, MappingError
from b2bbridge.core.mapping.failures import MappingRuleError
from b2bbridge.core.mapping.inbound import map_order

SPEC = load("x12/850.yaml")
GOOD = "ST*850*0007~BEG*00*SA*PO7**20240115~PO1*1*5*EA*2.5~SE*4*0007~"


def _fail(text: str) -> MappingRuleError:
    with pytest.raises(MappingRuleError) as info:
        map_order(x12_segments(text), SPEC, partner="ACME")
    return info.value


def test_good_order_maps() -> None:
    assert map_order(x12_segments(GOOD), SPEC, partner="ACME").number == "PO7"


def test_bad_quantity_names_rule_file_and_position() -> None:
    error = _fail(GOOD.replace("PO1*1*5*", "PO1*1*5O*"))
    assert isinstance(error, MappingError)
    assert error.code == "mapping_bad_value"
    assert error.rule == "lines[].quantity"
    assert error.mapping_file.startswith("x12/850.yaml, line ")
    loc = error.location
    assert (loc.partner, loc.transaction) == ("ACME", "0007")
    assert (loc.segment_id, loc.segment_index, loc.element) == ("PO1", 3, 2)
    assert "'5O' is not a number" in str(error)
    assert "segment PO1 at position 3, element 2" in str(error)
    assert error.disposition is Disposition.REJECT


def test_missing_po_number_is_required_missing() -> None:
    error = _fail(GOOD.replace("BEG*00*SA*PO7*", "BEG*00*SA**"))
    assert (error.code, error.rule) == ("mapping_required_missing", "number")
    assert "no value at BEG.03" in str(error)


def test_missing_line_quantity_points_at_the_line() -> None:
    error = _fail(GOOD.replace("PO1*1*5*EA", "PO1*1**EA"))
    assert (error.code, error.rule) == ("mapping_required_missing", "lines[].quantity")
    assert (error.location.segment_id, error.location.segment_index) == ("PO1", 3)


def test_order_without_lines_is_required_missing() -> None:
    error = _fail("ST*850*0007~BEG*00*SA*PO7**20240115~SE*3*0007~")
    assert (error.code, error.rule) == ("mapping_required_missing", "lines[]")


def test_impossible_date_is_a_bad_value_at_its_element() -> None:
    error = _fail(GOOD.replace("20240115", "20241315"))
    assert (error.code, error.rule) == ("mapping_bad_value", "order_date")
    assert (error.location.segment_id, error.location.element) == ("BEG", 5)


def test_unknown_unit_is_an_unknown_code() -> None:
    error = _fail(GOOD.replace("*EA*", "*XX*"))
    assert (error.code, error.rule) == ("mapping_unknown_code", "lines[].unit")
    assert error.location.element == 3


def test_value_refused_by_the_model_names_the_field() -> None:
    partner = (
        "extends: x12/850.yaml\nfields:\n  parties:\n    each: N1\n    fields:\n      role: N1.01\n"
    )
    spec = load("p.yaml", {"p.yaml": partner})
    text = GOOD.replace("PO1*", "N1*ZZ*X~PO1*")
    with pytest.raises(MappingRuleError) as info:
        map_order(x12_segments(text), spec, partner="ACME")
    assert (info.value.code, info.value.rule) == ("mapping_bad_value", "parties.0.role")


def test_edifact_unknown_partner_unit_in_the_base_map() -> None:
    (transaction,) = read_transactions(
        CORPUS / "edifact" / "orders_d01b_ean010_unoc_latin1_release_char.edi"
    )
    with pytest.raises(MappingRuleError) as info:
        map_order(transaction, load("edifact/ORDERS.yaml"), partner="EAN")
    loc = info.value.location
    assert info.value.code == "mapping_unknown_code"
    assert (loc.segment_id, loc.element, loc.component) == ("QTY", 1, 3)
    assert loc.transaction == "2019265563"
    assert "'GBND'" in str(info.value)
