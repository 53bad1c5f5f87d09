"""The outbound engine: envelopes, control numbers from the allocator, run-time errors."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from outbound_support import (
    ENVELOPE,
    fixture,
    load_outbound,
    read_back,
    render,
)

from b2bbridge.core.errors import ConfigError, MappingError
from b2bbridge.core.mapping.failures import MappingRuleError
from b2bbridge.core.mapping.outbound import CountingAllocator, envelope_for, render_document
from b2bbridge.core.model import Pack, Shipment, ShippedItem, ShippedOrder
from b2bbridge.core.partner import PartnerProfile

PROFILE = PartnerProfile.model_validate(
    {
        "partner": "acme",
        "x12": {
            "ids": [{"qualifier": "ZZ", "id": "ACMEBUYER"}, {"id": "ACMEOLD"}],
            "our_id": {"qualifier": "ZZ", "id": "B2BBRIDGE"},
            "group_id": "ACMEGS",
        },
        "mappings": {"x12/856": "x12/856.yaml"},
    }
)


class RecordingAllocator:
    """Hands out fixed numbers and remembers which kinds were asked for."""

    def __init__(self) -> None:
        self.kinds: list[str] = []

    def allocate(self, kind: str) -> int:
        self.kinds.append(kind)
        return {"isa": 4711, "gs": 815, "st": 42, "unb": 900, "unh": 7}[kind]


def _shipment(**item: object) -> Shipment:
    fields = {"quantity": Decimal(3), **item}
    return Shipment.model_validate(
        {
            "number": "S-1",
            "ship_date": "2026-11-21",
            "orders": [
                ShippedOrder(
                    order_number="PO-1", packs=[Pack(items=[ShippedItem.model_validate(fields)])]
                )
            ],
        }
    )


def test_x12_control_numbers_come_from_the_allocator() -> None:
    spec = load_outbound("x12/855.yaml")
    allocator = RecordingAllocator()
    text = render_document(fixture(spec, "acknowledgement"), spec=spec, envelope=ENVELOPE,
                           allocator=allocator)  # fmt: skip
    transactions, _ = read_back(text)
    tx = transactions[0]
    assert allocator.kinds == ["isa", "gs", "st"]
    assert (tx.interchange.control_number, tx.group.control_number) == ("000004711", "815")
    assert tx.header.control_number == "0042"


def test_edifact_control_references_come_from_the_allocator() -> None:
    spec = load_outbound("edifact/ORDRSP.yaml")
    allocator = RecordingAllocator()
    text = render_document(fixture(spec, "acknowledgement"), spec=spec, envelope=ENVELOPE,
                           allocator=allocator)  # fmt: skip
    transactions, _ = read_back(text)
    assert allocator.kinds == ["unb", "unh"]
    assert transactions[0].interchange.control_number == "900"
    assert transactions[0].header.control_number == "7"


def test_counting_allocator_counts_each_kind_separately() -> None:
    allocator = CountingAllocator(start=10)
    assert [allocator.allocate("isa"), allocator.allocate("isa"), allocator.allocate("gs")] == [
        10, 11, 10,
    ]  # fmt: skip


def test_envelope_from_profile_sends_as_our_id_to_the_first_partner_id() -> None:
    when = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    env = envelope_for(PROFILE, "x12", when)
    assert (env.sender.qualifier, env.sender.id) == ("ZZ", "B2BBRIDGE")
    assert (env.receiver.qualifier, env.receiver.id) == ("ZZ", "ACMEBUYER")
    assert (env.group_receiver, env.partner) == ("ACMEGS", "acme")


def test_envelope_for_a_syntax_the_partner_lacks_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        envelope_for(PROFILE, "edifact", datetime(2026, 1, 1, tzinfo=UTC))
    assert caught.value.code == "partner_syntax_missing"


def test_profile_group_id_becomes_gs03() -> None:
    spec = load_outbound("x12/855.yaml")
    env = envelope_for(PROFILE, "x12", datetime(2026, 11, 21, 8, 0, tzinfo=UTC))
    text = render_document(fixture(spec, "acknowledgement"), spec=spec, envelope=env,
                           allocator=CountingAllocator())  # fmt: skip
    transactions, _ = read_back(text)
    assert transactions[0].group.receiver is not None
    assert transactions[0].group.receiver.id == "ACMEGS"


def test_unknown_unit_is_a_mapping_error_naming_map_line_and_rule() -> None:
    spec = load_outbound("x12/856.yaml")
    with pytest.raises(MappingRuleError) as caught:
        render(spec, _shipment(unit="furlong"))
    error = caught.value
    assert error.code == "mapping_unknown_code"
    assert error.rule == "orders[].packs[].items[].SN1.03"
    assert error.mapping_file.startswith("x12/856.yaml, line ")
    assert error.location.partner == "acme"


def test_missing_required_value_is_a_mapping_error() -> None:
    spec = load_outbound("x12/846.yaml")
    doc = fixture(spec, "stock_level").model_copy(update={"location": ""})
    with pytest.raises(MappingRuleError) as caught:
        render(spec, doc)
    assert caught.value.code == "mapping_required_missing"
    assert caught.value.rule == "N1.04"


def test_map_for_another_document_is_refused() -> None:
    spec = load_outbound("x12/856.yaml")
    other = fixture(load_outbound("x12/846.yaml"), "stock_level")
    with pytest.raises(MappingError) as caught:
        render(spec, other)
    assert caught.value.code == "mapping_wrong_document"


def test_segment_with_no_document_values_is_left_out() -> None:
    spec = load_outbound("x12/856.yaml")
    transactions, _ = read_back(render(spec, _shipment()))
    dtm = [s.values() for s in transactions[0].segments if s.tag == "DTM"]
    assert dtm == [["011", "20261121"]]
    assert not any(s.tag in ("TD5", "MAN", "N1") for s in transactions[0].segments)


def test_hl_child_code_is_zero_for_an_order_without_packs() -> None:
    spec = load_outbound("x12/856.yaml")
    doc = Shipment.model_validate(
        {"number": "S-2", "ship_date": "2026-11-21", "orders": [{"order_number": "PO-9"}]}
    )
    transactions, _ = read_back(render(spec, doc))
    hls = [s.values() for s in transactions[0].segments if s.tag == "HL"]
    assert hls == [["1", "", "S", "1"], ["2", "1", "O", "0"]]


COMPUTED = """\
direction: outbound
format: x12
document: shipment
message: "856"
functional_id: SH
body:
  - each: parties
    where: {role: ship_to}
    body:
      - {segment: N1, elements: [ST, {path: name}]}
  - each: orders
    level: O
    body:
      - segment: PRF
        elements: [{path: order_number}, {index: true}, {level: id}, {level: parent}]
      - each: packs
        level: P
        body:
          - {segment: MAN, elements: [GM, {index: true}, {level: parent}]}
"""


def _computed() -> list[list[str]]:
    spec = load_outbound("computed.yaml", {"computed.yaml": COMPUTED})
    transactions, _ = read_back(render(spec, fixture(spec, "shipment")))
    return [[s.tag, *s.values()] for s in transactions[0].segments if s.tag in ("N1", "PRF", "MAN")]


def test_where_keeps_only_the_items_with_that_field_value() -> None:
    assert [row for row in _computed() if row[0] == "N1"] == [["N1", "ST", "ACME Store 12"]]


def test_index_and_level_values_give_positions_and_hierarchy_ids() -> None:
    assert [row for row in _computed() if row[0] != "N1"] == [
        ["PRF", "PO-1001", "1", "1"],
        ["MAN", "GM", "1", "1"],
        ["MAN", "GM", "2", "1"],
        ["PRF", "PO-1002", "2", "4"],
        ["MAN", "GM", "1", "4"],
    ]


def test_empty_line_break_writes_the_interchange_on_one_line() -> None:
    spec = load_outbound("edifact/INVRPT.yaml")
    envelope = replace(ENVELOPE, line_break="")
    text = render_document(fixture(spec, "stock_level"), spec=spec, envelope=envelope,
                           allocator=CountingAllocator())  # fmt: skip
    assert "\n" not in text
    assert text.count("'") == 13


def test_mapping_error_names_the_transaction_control_number() -> None:
    spec = load_outbound("x12/856.yaml")
    with pytest.raises(MappingRuleError) as caught:
        render(spec, _shipment(unit="furlong"))
    assert caught.value.location.transaction == "0001"
