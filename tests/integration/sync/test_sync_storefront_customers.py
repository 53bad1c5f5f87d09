"""Storefront -> CRM customers: the shop's own field travels, the CRM's fields do not, no echo.

The flows are the bundled ``crm-customers`` (to the storefront here) and
``storefront-customers``, as ``connectors/flows/`` declares them. Each test has a shop of
its own: ``storefront-customers`` reads every linked login of a shop, and logins left
by other tests would add their own first-time writes to the counts.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from shop_client import rpc, shop_users
from sync_servers import Server, ServerStartError, start_oscar
from sync_support import MakeContext, oscar_system, tryton_system

from b2bbridge.adapters.systems.settings import load_sync_settings
from b2bbridge.adapters.systems.tryton import TrytonSystem
from b2bbridge.core.sync import FlowSpec
from b2bbridge.ports import SyncRecord
from b2bbridge.services.sync import run_flow

pytestmark = pytest.mark.integration
CONNECTORS = Path(__file__).resolve().parents[3] / "connectors"


@pytest.fixture
def own_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    try:
        server = start_oscar(tmp_path_factory.mktemp("own-shop"))
    except ServerStartError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


def _bundled(name: str, **changes: object) -> FlowSpec:
    env = {f"B2BBRIDGE_{n}_PASSWORD": "x" for n in ("ERP", "WMS", "CRM", "STOREFRONT")}
    flow = load_sync_settings(CONNECTORS, env).flows[name]
    return flow.model_copy(update={"overlap_seconds": 0, **changes})


def _in_crm(crm: TrytonSystem, code: str) -> dict[str, object]:
    return next(r.fields for r in crm.read_changes("customer", None).records if r.key == code)


def _edit_shop_user(shop_url: str, email: str, **values: object) -> None:
    (user,) = shop_users(shop_url, email)
    path = "/" + str(user["url"]).split("://", 1)[-1].split("/", 1)[-1]
    with httpx.Client(base_url=shop_url, auth=("admin", "admin"), timeout=30) as admin:
        admin.patch(path, json=values).raise_for_status()


def test_a_shop_edit_to_a_crm_owned_name_stays_out_of_the_crm_while_the_login_state_travels(
    tryton: Server, own_shop: Server, make_context: MakeContext
) -> None:
    oscar = own_shop
    code = f"WEB-{uuid.uuid4().hex[:8]}"
    email = f"ann-{code.lower()}@example.com"
    contact = {"name": "Ann Buyer", "email": email, "phone": "+32 475 12 34 56"}
    crm = tryton_system(tryton, "crm")
    crm.upsert(
        "customer",
        [
            SyncRecord(
                "customer", code, {"account_number": code, "name": "Web Co", "contacts": [contact]}
            )
        ],
    )
    written = next(r.stamp for r in crm.read_changes("customer", None).records if r.key == code)
    out = _bundled("crm-customers", targets=["storefront"])
    back = _bundled("storefront-customers")
    ctx = make_context({"crm": crm, "storefront": oscar_system(oscar)}, [out, back])

    run_flow(ctx, out.name, since=written)
    run_flow(ctx, back.name)
    (login,) = shop_users(oscar.url, email)
    assert login["username"] == f"{code}+{email}"
    assert _in_crm(crm, code)["web_logins"] == [email]  # the shop's login reached the CRM

    _edit_shop_user(oscar.url, email, last_name="Smith", is_active=False)
    edited = run_flow(ctx, back.name)
    rounds = [run_flow(ctx, flow.name).written for _ in range(3) for flow in (out, back)]

    assert [(c.field, c.reason) for c in edited.conflicts if c.key == code] == [
        ("contacts", "owned_by_crm")
    ]
    held = _in_crm(crm, code)
    assert held["contacts"] == [contact]  # the CRM owns the name: not overwritten
    assert held["web_logins"] == []  # the storefront owns the login: its deactivation travels
    assert rounds == [0, 0, 0, 0, 0, 0]


def test_a_party_deactivated_in_the_crm_switches_off_its_shop_login_and_its_erp_party(
    tryton: Server, own_shop: Server, make_context: MakeContext
) -> None:
    code = f"OFF-{uuid.uuid4().hex[:8]}"
    email = f"cy-{code.lower()}@example.com"
    crm, erp = tryton_system(tryton, "crm"), tryton_system(tryton, "erp")
    contacts = [{"name": "Cy Buyer", "email": email, "phone": None}]
    crm.upsert(
        "customer",
        [
            SyncRecord(
                "customer", code, {"account_number": code, "name": "Off Co", "contacts": contacts}
            )
        ],
    )
    written = next(r.stamp for r in crm.read_changes("customer", None).records if r.key == code)
    out, back = _bundled("crm-customers"), _bundled("storefront-customers")
    shop = oscar_system(own_shop)
    ctx = make_context({"crm": crm, "erp": erp, "storefront": shop}, [out, back])
    run_flow(ctx, out.name, since=written)
    run_flow(ctx, back.name)
    assert [u["is_active"] for u in shop_users(own_shop.url, email)] == [True]

    client = rpc(tryton.url, "crm")
    party = client.model("party.party", "search", [("code", "=", code)], 0, None, None)
    client.model("party.party", "write", party, {"active": False})
    off = run_flow(ctx, out.name)
    back_off = run_flow(ctx, back.name)
    rounds = [run_flow(ctx, flow.name).written for _ in range(3) for flow in (out, back)]

    assert (off.written, back_off.written) == (2, 1)  # erp and shop; then the CRM's logins
    assert [u["is_active"] for u in shop_users(own_shop.url, email)] == [False]
    erp_party = rpc(tryton.url, "erp").call(
        "model.party.party.search_read",
        [("code", "=", code)],
        0,
        None,
        None,
        ["active"],
        extra={"active_test": False},
    )
    assert [row["active"] for row in erp_party] == [False]  # type: ignore[union-attr]
    held = _in_crm(crm, code)
    assert (held["active"], held["web_logins"]) == (False, [])
    assert rounds == [0, 0, 0, 0, 0, 0]
