"""Loading outbound maps: partner overrides, and errors that name file, line and column."""

from __future__ import annotations

import pytest
from mapping_support import MAPPINGS
from outbound_support import (
    FIXTURES,
    fixture,
    load_outbound,
    read_back,
    render,
)

from b2bbridge.core.errors import ConfigError


def _partner_856() -> dict[str, str]:
    return {
        "partners/acme-856.yaml": (FIXTURES / "partner-856.yaml").read_text(encoding="utf-8"),
        "codes/acme_units.csv": (FIXTURES / "acme_units.csv").read_text(encoding="utf-8"),
    }


def _error(text: str, name: str = "bad.yaml") -> str:
    with pytest.raises(ConfigError) as caught:
        load_outbound(name, {name: text})
    assert caught.value.code == "mapping_invalid"
    return str(caught.value)


HEAD = 'direction: outbound\nformat: x12\ndocument: shipment\nmessage: "856"\n'


def test_partner_map_replaces_a_block_by_id_and_removes_another() -> None:
    spec = load_outbound("partners/acme-856.yaml", _partner_856())
    transactions, problems = read_back(render(spec, fixture(spec, "shipment")))
    segments = transactions[0].segments
    assert problems == []
    assert [s.values()[0] for s in segments if s.tag == "MAN"] == ["UC", "UC", "UC"]
    assert not any(s.tag == "REF" and s.values()[0] == "LT" for s in segments)


def test_partner_map_uses_its_own_code_table_and_version() -> None:
    spec = load_outbound("partners/acme-856.yaml", _partner_856())
    text = render(spec, fixture(spec, "shipment"))
    transactions, _ = read_back(text)
    sn1 = [s.values() for s in transactions[0].segments if s.tag == "SN1"]
    assert [v[2] for v in sn1] == ["PC", "CX", "PC", "KI"]
    assert transactions[0].group.version == "005010"
    assert transactions[0].interchange.version == "00501"


def test_partner_map_keeps_the_base_hierarchy_and_counts() -> None:
    spec = load_outbound("partners/acme-856.yaml", _partner_856())
    transactions, _ = read_back(render(spec, fixture(spec, "shipment")))
    segments = transactions[0].segments
    assert sum(1 for s in segments if s.tag == "HL") == 10
    assert [s.values() for s in segments if s.tag == "CTT"] == [["10"]]
    assert spec.chain == ("partners/acme-856.yaml", "x12/856.yaml")


def test_unknown_canonical_field_is_named_with_file_line_and_column() -> None:
    message = _error(HEAD + "body:\n  - segment: BSN\n    elements: ['00', {path: numbr}]\n")
    assert message.startswith("bad.yaml, line 7, column")
    assert "unknown field 'numbr' of Shipment" in message


def test_unknown_field_inside_a_repeat_is_checked_against_the_item_type() -> None:
    body = "body:\n  - each: orders\n    body:\n      - {segment: PRF, elements: [{path: sscc}]}\n"
    message = _error(HEAD + body)
    assert "line 8" in message
    assert "unknown field 'sscc' of ShippedOrder" in message


def test_unknown_transform_is_an_error_at_its_position() -> None:
    body = "body:\n  - segment: BSN\n    elements: [{path: number, transform: [reverse]}]\n"
    message = _error(HEAD + body)
    assert message.startswith("bad.yaml, line 7, column")
    assert "unknown outbound transform 'reverse'" in message


def test_code_table_not_declared_is_an_error() -> None:
    body = "body:\n  - segment: BSN\n    elements: [{path: number, transform: [{code: uom}]}]\n"
    assert "code table 'uom' is not declared" in _error(HEAD + body)


def test_unquoted_yes_no_constant_is_refused_rather_than_written_as_true() -> None:
    message = _error(HEAD + "body:\n  - segment: RFF\n    elements: [[ON, {path: number}]]\n")
    assert "line 7" in message
    assert "valid string" in message


def test_misspelt_key_is_refused() -> None:
    message = _error(HEAD + "body:\n  - segment: BSN\n    elemnts: []\n")
    assert "line 7, column 5" in message
    assert "elemnts" in message


def test_replace_of_an_unknown_id_names_the_partner_file() -> None:
    text = "extends: x12/856.yaml\nreplace:\n  NOPE: null\n"
    message = _error(text, "partners/p.yaml")
    assert message.startswith("partners/p.yaml, line 3, column 3")
    assert "no block or element has id 'NOPE'" in message


def test_inbound_map_is_not_taken_for_an_outbound_one() -> None:
    message = _error("format: x12\ndocument: order\nfields: {number: BEG.03}\n")
    assert "fields" in message


def test_value_with_two_sources_is_an_error() -> None:
    body = "body:\n  - segment: BSN\n    elements: [{path: number, value: X}]\n"
    assert "exactly one of" in _error(HEAD + body)


def test_extends_loop_is_an_error() -> None:
    extra = {"a.yaml": "extends: b.yaml\n", "b.yaml": "extends: a.yaml\n"}
    with pytest.raises(ConfigError, match="extends loops back"):
        load_outbound("a.yaml", extra)


def test_readme_outbound_example_loads_and_renders_hl_levels() -> None:
    readme = (MAPPINGS / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Outbound maps", 1)[1]
    example = next(b for b in section.split("```\n") if b.startswith("direction: outbound"))
    spec = load_outbound("example.yaml", {"example.yaml": example})
    transactions, problems = read_back(render(spec, fixture(spec, "shipment")))
    assert problems == []
    assert [s.values() for s in transactions[0].segments if s.tag == "HL"] == [
        ["1", "", "O", "0"], ["2", "", "O", "0"],
    ]  # fmt: skip
    assert [s.values() for s in transactions[0].segments if s.tag == "CTT"] == [["2"]]


def test_unquoted_yes_no_value_or_default_is_refused() -> None:
    body = "body:\n  - segment: BSN\n    elements: [{path: number, default: NO}]\n"
    message = _error(HEAD + body)
    assert "line 7" in message
    assert "quote it" in message
