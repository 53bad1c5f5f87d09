"""Sync configuration: system files, flow files, secrets from the environment, registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from b2bbridge.adapters.systems import build_system, load_sync_settings, system_kinds
from b2bbridge.adapters.systems.tryton import TrytonSystem
from b2bbridge.core.errors import ConfigError

REPO = Path(__file__).resolve().parents[3]


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


def test_the_shipped_flows_and_systems_load(tmp_path: Path) -> None:
    env = {f"B2BBRIDGE_{n}_PASSWORD": "x" for n in ("ERP", "WMS", "CRM", "STOREFRONT")}

    settings = load_sync_settings(REPO / "connectors", env)

    assert sorted(settings.systems) == ["acme", "crm", "erp", "storefront", "wms"]
    assert sorted(settings.flows) == [
        "acme-acks",
        "acme-asn",
        "acme-invoices",
        "acme-stock",
        "crm-customers",
        "crm-leads",
        "order-status",
        "partner-orders",
        "stock",
        "storefront-customers",
        "storefront-orders",
        "wms-shipment-requests",
        "wms-shipments-done",
    ]
    assert settings.flows["crm-customers"].ownership["contacts"] == "crm"


def test_a_password_is_read_from_the_named_environment_variable(tmp_path: Path) -> None:
    write(
        tmp_path,
        "systems/erp.yaml",
        "kind: tryton\nurl: http://x\ndatabase: erp\npassword_env: ERP_PW\n",
    )

    settings = load_sync_settings(tmp_path, {"ERP_PW": "s3cret"})

    assert settings.systems["erp"]["password"] == "s3cret"
    assert "password_env" not in settings.systems["erp"]


def test_a_missing_password_variable_stops_start_up(tmp_path: Path) -> None:
    write(tmp_path, "systems/erp.yaml", "kind: tryton\npassword_env: ERP_PW\n")

    with pytest.raises(ConfigError, match="ERP_PW is not set"):
        load_sync_settings(tmp_path, {})


def test_a_flow_naming_an_undefined_system_stops_start_up(tmp_path: Path) -> None:
    write(
        tmp_path,
        "flows/a.yaml",
        "name: a\nentity: order\nsource: shop\ntargets: [erp]\nschedule: '* * * * *'\n",
    )

    with pytest.raises(
        ConfigError, match=r"a.yaml: flow 'a' names undefined systems \['erp', 'shop'\]"
    ):
        load_sync_settings(tmp_path, {})


def test_an_invalid_flow_file_names_the_file_and_the_key(tmp_path: Path) -> None:
    write(
        tmp_path,
        "flows/bad.yaml",
        "name: bad\nentity: order\nsource: pipeline\ntargets: []\ntrigger: order\n",
    )

    with pytest.raises(ConfigError, match=r"bad.yaml: targets"):
        load_sync_settings(tmp_path, {})


def test_the_pipeline_system_needs_no_definition(tmp_path: Path) -> None:
    write(tmp_path, "systems/erp.yaml", "kind: tryton\nurl: http://x\ndatabase: erp\n")
    write(
        tmp_path,
        "flows/p.yaml",
        "name: p\nentity: order\nsource: pipeline\ntargets: [erp]\ntrigger: order\n",
    )

    assert list(load_sync_settings(tmp_path, {}).flows) == ["p"]


def test_an_unknown_system_kind_suggests_the_closest_one() -> None:
    with pytest.raises(ConfigError, match="did you mean 'tryton'"):
        build_system("erp", {"kind": "trytond"})


def test_tryton_and_oscar_are_registered_kinds() -> None:
    assert {"tryton", "oscar"} <= set(system_kinds())


def test_a_tryton_system_is_built_from_its_settings_without_connecting() -> None:
    system = build_system("erp", {"kind": "tryton", "url": "http://127.0.0.1:9", "database": "erp"})

    assert isinstance(system, TrytonSystem)
    assert system.name == "erp"
    system.close()
