"""Contact mechanisms become canonical contacts, in a stable order."""

from __future__ import annotations

from b2bbridge.adapters.systems.tryton_crm import contacts_from_mechanisms


def test_an_email_and_a_phone_with_one_name_make_one_contact() -> None:
    mechanisms = [
        {"type": "email", "value": "ann@x.test", "name": "Ann"},
        {"type": "phone", "value": "+32 475 12 34 56", "name": "Ann"},
    ]

    assert contacts_from_mechanisms(mechanisms) == [
        {"name": "Ann", "email": "ann@x.test", "phone": "+32 475 12 34 56"}
    ]


def test_contacts_come_out_sorted_whatever_the_mechanism_order() -> None:
    a = {"type": "email", "value": "a@x.test", "name": "Zed"}
    b = {"type": "email", "value": "b@x.test", "name": "Amy"}

    assert contacts_from_mechanisms([a, b]) == contacts_from_mechanisms([b, a])
    assert [c["name"] for c in contacts_from_mechanisms([a, b])] == ["Amy", "Zed"]


def test_websites_and_other_mechanisms_are_not_contacts() -> None:
    assert (
        contacts_from_mechanisms([{"type": "website", "value": "https://x.test", "name": ""}]) == []
    )
