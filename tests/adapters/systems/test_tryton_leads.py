"""Leads read with the later of their two stamps, and written once per CRM number."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from b2bbridge.adapters.systems.tryton_leads import read_leads, upsert_leads
from b2bbridge.ports import SyncRecord

CREATED = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
EDITED = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


class FakeTryton:
    """Answers searches from canned rows and records creates and writes."""

    def __init__(self, leads: list[dict[str, object]], known: dict[str, int]) -> None:
        self.leads = leads
        self.known = known
        self.calls: list[tuple[str, str, object]] = []

    def model(self, name: str, method: str, *args: object) -> object:
        if (name, method) == ("sale.opportunity", "search_read") and args[-1] == ["reference"]:
            return [{"id": i, "reference": ref} for ref, i in self.known.items()]
        if (name, method) == ("sale.opportunity", "search_read"):
            return self.leads
        if (name, method) == ("party.party", "search_read"):
            return [{"id": 7, "addresses": []}]
        self.calls.append((name, method, args))
        return [99] if method == "create" else None


def test_a_lead_never_edited_is_stamped_with_its_creation_and_ordered_by_change() -> None:
    client = FakeTryton(
        [
            {"id": 1, "number": "2", "write_date": EDITED, "create_date": CREATED, "state": "lead"},
            {"id": 2, "number": "3", "write_date": None, "create_date": CREATED, "amount": None},
        ],
        {},
    )

    batch = read_leads(client, None)  # type: ignore[arg-type]

    assert [(r.key, r.stamp) for r in batch.records] == [("3", CREATED), ("2", EDITED)]
    assert batch.watermark == EDITED


def test_a_known_lead_is_written_by_reference_and_a_new_one_created_with_its_party() -> None:
    client = FakeTryton([], {"5": 41})
    fields = {"party": "C-1", "party_name": "Co", "description": "d", "amount": "12.50"}
    records = [
        SyncRecord("lead", "5", {**fields, "start_date": "2026-11-01"}),
        SyncRecord("lead", "6", fields),
    ]

    ids = upsert_leads(client, records)  # type: ignore[arg-type]

    values = {"reference": "5", "description": "d", "amount": Decimal("12.50"), "party": 7}
    assert ids == ["41", "99"]
    assert client.calls == [
        ("sale.opportunity", "write", ([41], {**values, "start_date": date(2026, 11, 1)})),
        ("sale.opportunity", "create", ([{**values, "reference": "6"}],)),
    ]
