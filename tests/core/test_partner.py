import pytest

from b2bbridge.core.edi.events import PartyId
from b2bbridge.core.errors import ConfigError, UnknownPartnerError
from b2bbridge.core.partner import PartnerDirectory, PartnerProfile


def _profile(name: str, x12_id: str) -> PartnerProfile:
    return PartnerProfile.model_validate(
        {
            "partner": name,
            "x12": {
                "ids": [{"qualifier": "ZZ", "id": x12_id}],
                "our_id": {"id": "US"},
                "acks": ["997"],
            },
            "mappings": {"x12/850": "x12/850.yaml"},
        }
    )


def test_partner_is_identified_by_interchange_sender_id_and_qualifier() -> None:
    directory = PartnerDirectory([_profile("acme", "ACMEBUYER"), _profile("zeta", "ZETA")])
    assert directory.identify("x12", PartyId("ZZ", "ZETA")).partner == "zeta"


def test_wrong_qualifier_does_not_match() -> None:
    directory = PartnerDirectory([_profile("acme", "ACMEBUYER")])
    with pytest.raises(UnknownPartnerError, match="ACMEBUYER"):
        directory.identify("x12", PartyId("01", "ACMEBUYER"))


def test_unknown_partner_name_lists_the_known_ones() -> None:
    directory = PartnerDirectory([_profile("acme", "A")])
    with pytest.raises(UnknownPartnerError, match="known: acme"):
        directory.get("nobody")


def test_a_partner_defined_twice_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="defined twice"):
        PartnerDirectory([_profile("acme", "A"), _profile("acme", "B")])


def test_mapping_is_chosen_by_syntax_and_document_type() -> None:
    p = _profile("acme", "A")
    assert p.mapping_for("x12", "850") == "x12/850.yaml"
    assert p.mapping_for("edifact", "ORDERS") is None
