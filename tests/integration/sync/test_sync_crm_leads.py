"""Leads (Tryton sale opportunities) go from the CRM to the ERP once, and follow edits."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from shop_client import rpc
from sync_servers import Server
from sync_support import MakeContext, tryton_system

from b2bbridge.adapters.systems.settings import load_sync_settings
from b2bbridge.services.sync import run_flow

pytestmark = pytest.mark.integration
CONNECTORS = Path(__file__).resolve().parents[3] / "connectors"


def _erp_leads(url: str, number: str) -> list[dict[str, Any]]:
    found = rpc(url, "erp").model(
        "sale.opportunity",
        "search_read",
        [("reference", "=", number)],
        0,
        None,
        None,
        ["state", "description", "amount", "party.code"],
    )
    assert isinstance(found, list)
    return found


def test_a_crm_lead_reaches_the_erp_once_and_an_edit_updates_it(
    tryton: Server, make_context: MakeContext
) -> None:
    env = {f"B2BBRIDGE_{n}_PASSWORD": "x" for n in ("ERP", "WMS", "CRM", "STOREFRONT")}
    flow = load_sync_settings(CONNECTORS, env).flows["crm-leads"]
    crm_client = rpc(tryton.url, "crm")
    code = f"LEAD-{uuid.uuid4().hex[:8]}"
    (party,) = crm_client.model("party.party", "create", [{"code": code, "name": "Lead Co"}])  # type: ignore[misc]
    (lead,) = crm_client.model(  # type: ignore[misc]
        "sale.opportunity",
        "create",
        [{"party": party, "description": "200 widgets", "amount": Decimal("1500.00")}],
    )
    (row,) = crm_client.model("sale.opportunity", "read", [lead], ["number", "create_date"])  # type: ignore[misc]
    ctx = make_context(
        {"crm": tryton_system(tryton, "crm"), "erp": tryton_system(tryton, "erp")}, [flow]
    )

    first = run_flow(ctx, flow.name, since=row["create_date"])
    again = run_flow(ctx, flow.name)
    crm_client.model("sale.opportunity", "write", [lead], {"amount": Decimal("1750.00")})
    edited = run_flow(ctx, flow.name)

    assert (first.written, again.written, edited.written) == (1, 0, 1)
    (copy,) = _erp_leads(tryton.url, str(row["number"]))
    assert (copy["state"], copy["description"], copy["party."]["code"]) == (
        "lead",
        "200 widgets",
        code,
    )
    assert copy["amount"] == Decimal("1750.00")
