"""Outbound cXML documents parse as XML and carry the document's values."""

from __future__ import annotations

from lxml import etree
from outbound_support import fixture, load_outbound, render


def _tree(map_name: str, doc_name: str) -> etree._Element:
    spec = load_outbound(map_name)
    text = render(spec, fixture(spec, doc_name))
    return etree.fromstring(text.encode("utf-8"))


def test_confirmation_request_header_names_us_as_sender_and_the_partner_as_receiver() -> None:
    root = _tree("cxml/ConfirmationRequest.yaml", "acknowledgement")
    assert root.findtext("Header/From/Credential/Identity") == "B2BBRIDGE"
    assert root.findtext("Header/To/Credential/Identity") == "ACMEBUYER"
    assert root.get("payloadID") == "1.ACK-3001@B2BBRIDGE"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"


def test_confirmation_items_carry_status_quantity_and_delivery_date() -> None:
    root = _tree("cxml/ConfirmationRequest.yaml", "acknowledgement")
    statuses = root.findall("Request/ConfirmationRequest/ConfirmationItem/ConfirmationStatus")
    assert [(s.get("type"), s.get("quantity")) for s in statuses] == [
        ("accept", "12"), ("detail", "3"), ("reject", "0"),
    ]  # fmt: skip
    assert statuses[1].get("deliveryDate") == "2026-12-01"
    assert statuses[0].find("Comments") is None


def test_confirmation_header_type_is_detail_for_a_changed_order() -> None:
    root = _tree("cxml/ConfirmationRequest.yaml", "acknowledgement")
    header = root.find("Request/ConfirmationRequest/ConfirmationHeader")
    assert header is not None
    assert (header.get("type"), header.get("confirmID")) == ("detail", "ACK-3001")


def test_ship_notice_has_one_portion_per_order_with_all_its_pack_items() -> None:
    root = _tree("cxml/ShipNoticeRequest.yaml", "shipment")
    portions = root.findall("Request/ShipNoticeRequest/ShipNoticePortion")
    assert [p.find("OrderReference").get("orderID") for p in portions] == ["PO-1001", "PO-1002"]
    assert [len(p.findall("ShipNoticeItem")) for p in portions] == [3, 1]
    item = portions[1].find("ShipNoticeItem")
    assert (item.get("quantity"), item.findtext("UnitOfMeasure")) == ("1.5", "KGM")


def test_ship_notice_control_carries_scac_and_first_tracking_number() -> None:
    root = _tree("cxml/ShipNoticeRequest.yaml", "shipment")
    control = root.find("Request/ShipNoticeRequest/ShipControl")
    assert control is not None
    assert control.findtext("CarrierIdentifier[@domain='SCAC']") == "UPSN"
    assert control.findtext("ShipmentIdentifier") == "1Z999AA10123456784"


def test_document_reference_keeps_its_empty_constant_payload_id() -> None:
    root = _tree("cxml/ShipNoticeRequest.yaml", "shipment")
    refs = root.findall(".//OrderReference/DocumentReference")
    assert [r.get("payloadID") for r in refs] == ["", ""]
