from __future__ import annotations

import pytest
from mapping_support import MAPPINGS, load, x12_segments

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.mapping.inbound import map_order
from b2bbridge.core.model import Order

BASE = """\
format: x12
document: order
codes:
  uom: codes/uom.csv
loops:
  PO1: {members: [PID]}
fields:
  number: {path: BEG.03, required: true}
  lines:
    each: PO1
    fields:
      quantity: PO1.02
      unit: {path: PO1.03, transform: [{code: uom}]}
      description: PID.05
"""
PO = "ST*850*1~BEG*00*SA*PO9**20240115~PO1*1*3*ZZ*1.5~PID*F****BOLT~SE*5*1~"


def _error(text: str, extra: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load("test.yaml", {"test.yaml": text, **(extra or {})})
    assert info.value.code == "mapping_invalid"
    return info.value


def test_unknown_canonical_field_names_file_line_and_column() -> None:
    error = _error(BASE.replace("      description: PID.05", "      colour: PID.05"))
    assert str(error).startswith("test.yaml, line 14, column 7: unknown canonical field 'colour'")
    assert error.location.file == "test.yaml"
    assert error.location.line == 14


def test_bad_path_names_its_line() -> None:
    error = _error(BASE.replace("quantity: PO1.02", "quantity: PO1..02"))
    assert "test.yaml, line 12, column 7" in str(error)
    assert "bad path 'PO1..02'" in str(error)


def test_path_to_a_segment_for_a_value_is_refused() -> None:
    error = _error(BASE.replace("quantity: PO1.02", "quantity: PO1"))
    assert "names a segment" in str(error)


def test_unknown_key_in_a_rule_is_refused_with_its_line() -> None:
    error = _error(BASE.replace("{path: BEG.03, required: true}", "{pth: BEG.03}"))
    assert "test.yaml, line 8" in str(error)
    assert "Extra inputs are not permitted" in str(error)


def test_list_field_without_each_is_refused() -> None:
    error = _error(BASE.replace("    each: PO1\n", ""))
    assert "line 9, column 3" in str(error)
    assert "is a list: give each:" in str(error)


def test_unknown_transform_names_the_step_line() -> None:
    error = _error(BASE.replace("{code: uom}", "reverse"))
    assert "line 13" in str(error)
    assert "unknown transform 'reverse'" in str(error)


def test_yaml_syntax_error_names_its_line() -> None:
    error = _error(BASE + "  oops: [unclosed\n")
    assert "test.yaml, line" in str(error)
    assert "not valid YAML" in str(error)


def test_missing_code_table_file_is_reported_at_its_declaration() -> None:
    error = _error(BASE.replace("codes/uom.csv", "codes/nope.csv"))
    assert "test.yaml, line 4" in str(error)
    assert "cannot read 'codes/nope.csv'" in str(error)


def test_unknown_document_is_refused() -> None:
    error = _error(BASE.replace("document: order", "document: quote"))
    assert "line 2" in str(error)
    assert "unknown document 'quote'" in str(error)


def test_partner_map_overrides_one_rule_and_keeps_the_rest() -> None:
    partner = """\
extends: base.yaml
codes:
  partner_units: units.csv
fields:
  lines:
    fields:
      unit: {path: PO1.03, transform: [{code: partner_units}]}
"""
    spec = load("partner.yaml", {"partner.yaml": partner, "base.yaml": BASE,
                                 "units.csv": "code,value\nZZ,bundle\n"})  # fmt: skip
    order = map_order(x12_segments(PO), spec, partner="P")
    assert isinstance(order, Order)
    assert order.number == "PO9"
    assert [(ln.unit, ln.description, str(ln.quantity)) for ln in order.lines] == [
        ("bundle", "BOLT", "3")]  # fmt: skip
    assert spec.chain == ("partner.yaml", "base.yaml")


def test_partner_map_can_remove_a_rule_with_null() -> None:
    partner = "extends: base.yaml\nfields:\n  lines:\n    fields:\n      unit: null\n"
    spec = load("partner.yaml", {"partner.yaml": partner, "base.yaml": BASE})
    assert map_order(x12_segments(PO), spec, partner="P").lines[0].unit is None


def test_error_in_an_inherited_rule_names_the_base_file() -> None:
    base = BASE.replace("quantity: PO1.02", "quantity: PO1.x")
    with pytest.raises(ConfigError, match=r"^base\.yaml, line 12"):
        load("partner.yaml", {"partner.yaml": "extends: base.yaml\n", "base.yaml": base})


def test_extends_cycle_is_refused() -> None:
    texts = {"a.yaml": "extends: b.yaml\n", "b.yaml": "extends: a.yaml\n"}
    with pytest.raises(ConfigError, match="extends loops back"):
        load("a.yaml", texts)


def test_missing_extends_target_is_reported_at_the_extends_line() -> None:
    error = _error("format: x12\nextends: nowhere.yaml\n")
    assert "test.yaml, line 2, column 1: cannot read 'nowhere.yaml'" in str(error)


def test_shipped_maps_load() -> None:
    x12 = load("x12/850.yaml")
    edifact = load("edifact/ORDERS.yaml")
    partner = load("partners/example_ean010_orders.yaml")
    assert (x12.format, edifact.format, partner.format) == ("x12", "edifact", "edifact")
    assert x12.document is Order
    assert set(partner.tables) == {"uom", "party_roles", "carriers", "order_purposes",
                                   "partner_units", "partner_items"}  # fmt: skip


def test_default_that_does_not_fit_the_field_is_refused_at_load() -> None:
    error = _error(BASE.replace("quantity: PO1.02", "quantity: {path: PO1.02, default: many}"))
    assert "line 12" in str(error)
    assert "default of 'quantity'" in str(error)


def test_readme_examples_load() -> None:
    readme = (MAPPINGS / "README.md").read_text()
    blocks = [b.split("```", 1)[0] for b in readme.split("```yaml\n")[1:]]
    assert len(blocks) == 2
    example = load("example.yaml", {"example.yaml": blocks[0]})
    assert [r.name for r in example.root.rules] == ["number", "order_date", "lines"]
    partner = load("partner.yaml", {"partner.yaml": blocks[1]})
    assert partner.chain == ("partner.yaml", "edifact/ORDERS.yaml")
