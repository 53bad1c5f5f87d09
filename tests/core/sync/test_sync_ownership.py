"""Field ownership first, then last-writer-wins; every refusal is a visible conflict."""

from __future__ import annotations

from datetime import UTC, datetime

from b2bbridge.core.sync import Conflict, Offer, merge_change

OWNERS = {"contacts": "crm", "credit_limit": "erp"}
EARLY = datetime(2026, 1, 1, tzinfo=UTC)
LATE = datetime(2026, 6, 1, tzinfo=UTC)


def test_the_owner_of_a_field_may_overwrite_it() -> None:
    offer = Offer("c1", "crm", LATE, {"contacts": ["ann"]})

    merged = merge_change(offer, {"contacts": ["bob"]}, EARLY, OWNERS)

    assert (merged.writes, merged.conflicts) == ({"contacts": ["ann"]}, [])


def test_another_system_cannot_overwrite_an_owned_field_and_that_is_a_conflict() -> None:
    offer = Offer("c1", "storefront", LATE, {"contacts": ["eve"]})

    merged = merge_change(offer, {"contacts": ["bob"]}, EARLY, OWNERS)

    assert merged.writes == {}
    assert merged.conflicts == [
        Conflict("c1", "contacts", "storefront", "owned_by_crm", ["eve"], ["bob"])
    ]


def test_an_unchanged_field_is_neither_written_nor_a_conflict() -> None:
    offer = Offer("c1", "storefront", LATE, {"contacts": ["bob"], "name": "Acme"})

    merged = merge_change(offer, {"contacts": ["bob"], "name": "Acme"}, EARLY, OWNERS)

    assert (merged.writes, merged.conflicts) == ({}, [])


def test_an_unowned_field_goes_to_the_newer_write() -> None:
    merged = merge_change(Offer("c1", "erp", LATE, {"name": "New"}), {"name": "Old"}, EARLY, OWNERS)

    assert merged.writes == {"name": "New"}


def test_an_older_write_to_an_unowned_field_loses_and_is_a_conflict() -> None:
    merged = merge_change(Offer("c1", "erp", EARLY, {"name": "Old"}), {"name": "New"}, LATE, OWNERS)

    assert merged.writes == {}
    assert [c.reason for c in merged.conflicts] == ["older_than_target"]


def test_a_tie_on_the_timestamp_goes_to_the_incoming_change() -> None:
    merged = merge_change(Offer("c1", "erp", LATE, {"name": "B"}), {"name": "A"}, LATE, OWNERS)

    assert merged.writes == {"name": "B"}


def test_a_field_the_target_never_had_is_written() -> None:
    merged = merge_change(Offer("c1", "crm", None, {"contacts": []}), {}, None, OWNERS)

    assert merged.writes == {"contacts": []}


def test_keys_a_system_does_not_hold_are_not_a_change() -> None:
    shop = Offer("c1", "storefront", LATE, {"contacts": [{"name": "Ann", "email": "a@x"}]})
    held = {"contacts": [{"name": "Ann", "email": "a@x", "phone": "+32 1"}]}

    merged = merge_change(shop, held, EARLY, OWNERS)

    assert (merged.writes, merged.conflicts) == ({}, [])


def test_a_different_value_under_a_key_both_hold_is_still_a_change() -> None:
    shop = Offer("c1", "storefront", LATE, {"contacts": [{"name": "Ann Smith", "email": "a@x"}]})
    held = {"contacts": [{"name": "Ann", "email": "a@x", "phone": "+32 1"}]}

    merged = merge_change(shop, held, EARLY, OWNERS)

    assert [(c.field, c.reason) for c in merged.conflicts] == [("contacts", "owned_by_crm")]


def test_a_cleared_value_and_an_extra_list_element_are_changes() -> None:
    cleared = Offer("c1", "crm", LATE, {"contacts": [{"name": "Ann", "phone": None}]})
    longer = Offer("c1", "crm", LATE, {"contacts": [{"name": "Ann"}, {"name": "Bob"}]})
    held = {"contacts": [{"name": "Ann", "phone": "+32 1"}]}

    assert merge_change(cleared, held, EARLY, OWNERS).writes == cleared.fields
    assert merge_change(longer, held, EARLY, OWNERS).writes == longer.fields


def test_mappings_with_no_key_in_common_are_different_unless_both_are_empty() -> None:
    other = Offer("c1", "crm", LATE, {"address": {"city": "Ghent"}})
    empty = Offer("c1", "crm", LATE, {"address": {}})

    assert merge_change(other, {"address": {"zip": "9000"}}, EARLY, OWNERS).writes == {
        "address": {"city": "Ghent"}
    }
    assert merge_change(empty, {"address": {}}, EARLY, OWNERS).writes == {}
