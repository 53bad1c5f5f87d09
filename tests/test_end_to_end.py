"""The walking skeleton, end to end: the real CLI over a copy of the bundled example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from e2e_support import (
    FIXTURES,
    REPO,
    Deployment,
    check_997,
    check_contrl,
    check_example_results,
    make_deployment,
    stored_orders,
    transactions_in,
)

from b2bbridge.bootstrap import build_app
from b2bbridge.config import load_settings

EXAMPLES = REPO / "examples" / "inbox"


@pytest.fixture
def deployment(tmp_path: Path) -> Deployment:
    return make_deployment(tmp_path)


def test_example_files_become_orders_acks_and_archived_sources(deployment: Deployment) -> None:
    deployment.drop(*EXAMPLES.iterdir())
    result = deployment.cli("run", "--once")
    assert result.returncode == 0, result.stdout + result.stderr
    check_example_results(deployment, result.stdout)
    check_997(deployment)
    check_contrl(deployment)


def test_messages_list_shows_the_stored_documents(deployment: Deployment) -> None:
    deployment.drop(*EXAMPLES.iterdir())
    assert deployment.cli("run", "--once").returncode == 0
    listed = deployment.cli("messages", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines() if line.strip().startswith("{")]
    numbers = sorted(d["number"] for r in rows for d in r["documents"])
    assert numbers == ["4500012345", "4500012346", "PO-77120"]
    shown = deployment.cli("messages", "show", str(rows[0]["id"]))
    assert shown.returncode == 0
    assert "acknowledged" in shown.stdout


def test_bad_files_go_to_error_folder_with_dead_letters_and_good_files_still_pass(
    deployment: Deployment,
) -> None:
    deployment.drop(
        *EXAMPLES.iterdir(),
        FIXTURES / "inbound" / "not_edi.txt",
        FIXTURES / "inbound" / "acme_850_bad_se_count.x12",
    )
    result = deployment.cli("run", "--once")
    assert result.returncode == 1, result.stdout + result.stderr
    assert sorted(deployment.files("error")) == ["acme_850_bad_se_count.x12", "not_edi.txt"]
    assert sorted(deployment.files("archive")) == [
        "acme_850_20241104.x12",
        "acme_orders_20241104.edi",
    ]
    orders = stored_orders(deployment)
    # The bad file's first transaction is sound and stands; its second is rejected.
    assert sorted(orders) == ["4500012345", "4500012346", "4500022345", "PO-77120"]
    app = build_app(load_settings(deployment.root / "b2bbridge.toml", env={}), migrate=False)
    with app.ctx.uow() as uow:
        dead = {d.code: d for d in uow.dead_letters.list(limit=100)}
    assert set(dead) == {"not_edi", "segment_count_mismatch"}
    se = dead["segment_count_mismatch"]
    assert se.location["segment_id"] == "SE"
    assert se.location["transaction"] == "0002"
    assert se.location["line"] == 46
    assert dead["not_edi"].location["file"] == "not_edi.txt"


def test_running_again_with_nothing_new_is_a_clean_no_op(deployment: Deployment) -> None:
    deployment.drop(*EXAMPLES.iterdir())
    assert deployment.cli("run", "--once").returncode == 0
    again = deployment.cli("run", "--once")
    assert again.returncode == 0
    assert "nothing to do" in again.stdout


def test_the_same_file_dropped_twice_is_a_duplicate_not_a_second_order(
    deployment: Deployment,
) -> None:
    deployment.drop(EXAMPLES / "acme_850_20241104.x12")
    assert deployment.cli("run", "--once").returncode == 0
    deployment.drop(EXAMPLES / "acme_850_20241104.x12")
    again = deployment.cli("run", "--once")
    assert again.returncode == 0, again.stdout
    assert "duplicate" in again.stdout
    assert sorted(stored_orders(deployment)) == ["4500012345", "4500012346"]


def test_logs_are_json_events_with_a_correlation_id_per_message(deployment: Deployment) -> None:
    deployment.drop(*EXAMPLES.iterdir(), FIXTURES / "inbound" / "not_edi.txt")
    deployment.env["B2BBRIDGE_LOG_LEVEL"] = "info"
    result = deployment.cli("run", "--once")
    events = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    received = [e for e in events if e["event"] == "message_received"]
    assert len(received) == 3
    assert len({e["correlation_id"] for e in received}) == 3
    by_corr = {e["correlation_id"]: e["file"] for e in received}
    processed = [e for e in events if e["event"] in ("message_processed", "message_failed")]
    assert {by_corr[e["correlation_id"]] for e in processed} == set(by_corr.values())
    (dead,) = [e for e in events if e["event"] == "dead_lettered"]
    assert dead["code"] == "not_edi"
    assert by_corr[dead["correlation_id"]] == "not_edi.txt"
    assert {e["event"] for e in events} >= {"interchange_stored", "ack_sent", "source_confirmed"}


def _ack_for(dep: Deployment, transaction: str) -> dict[str, list[list[str]]]:
    """The AK2 block for one ST02 of the 997 in the outbox: tag -> element lists."""
    (name,) = [f for f in dep.files("outbox") if "_997_" in f]
    (ack,) = transactions_in(dep.partner_dir / "outbox" / name)
    block: dict[str, list[list[str]]] = {}
    inside = False
    for seg in ack.segments:
        if seg.tag == "AK2":
            inside = seg.element(2) == transaction
        if inside and seg.tag in ("AK2", "AK3", "AK4", "AK5"):
            block.setdefault(seg.tag, []).append(seg.values())
    return block


def test_a_structurally_invalid_transaction_is_rejected_with_ak3_ak4_and_a_dead_letter(
    deployment: Deployment,
) -> None:
    deployment.drop(FIXTURES / "inbound" / "acme_850_non_numeric_quantity.x12")
    result = deployment.cli("run", "--once")
    assert result.returncode == 1, result.stdout + result.stderr
    assert sorted(stored_orders(deployment)) == ["4500032345"]
    block = _ack_for(deployment, "0002")
    assert block["AK3"] == [["PO1", "16", "", "8"]]
    assert block["AK4"][0][:3] == ["2", "", "6"]
    assert block["AK5"][0][0] == "R"
    assert _ack_for(deployment, "0001")["AK5"] == [["A"]]
    app = build_app(load_settings(deployment.root / "b2bbridge.toml", env={}), migrate=False)
    with app.ctx.uow() as uow:
        (dead,) = uow.dead_letters.list(limit=10)
    assert dead.code == "element_not_numeric"
    assert (dead.location["segment_id"], dead.location["element"]) == ("PO1", 2)
    assert deployment.files("error") == ["acme_850_non_numeric_quantity.x12"]


def test_partner_policy_can_accept_with_errors_reported_as_ak5_e(deployment: Deployment) -> None:
    profile = deployment.root / "connectors" / "partners" / "acme.yaml"
    profile.write_text(
        profile.read_text().replace(
            "duplicates: reject", "validation: accept_with_errors\nduplicates: reject"
        )
    )
    deployment.drop(FIXTURES / "inbound" / "acme_850_non_numeric_quantity.x12")
    deployment.cli("run", "--once")
    block = _ack_for(deployment, "0002")
    assert block["AK5"][0][0] == "E"
    assert block["AK3"] == [["PO1", "16", "", "8"]]


def test_xml_json_and_csv_orders_from_the_drop_folder_are_mapped_and_stored(
    deployment: Deployment,
) -> None:
    files = ["cxml_order.xml", "ubl_order.xml", "api_order.json", "reorder.csv"]
    deployment.drop(*(FIXTURES / "mapping" / name for name in files))
    result = deployment.cli("run", "--once")
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(deployment.files("archive")) == sorted(files)
    app = build_app(load_settings(deployment.root / "b2bbridge.toml", env={}), migrate=False)
    with app.ctx.uow() as uow:
        by_file = {
            m.filename: [d.doc_number for d in uow.documents.for_message(m.id)]
            for m in uow.messages.list(limit=10)
        }
    assert all(by_file[name] for name in files), by_file
    assert sum(len(v) for v in by_file.values()) == len(stored_orders(deployment))


def test_a_document_file_that_does_not_map_is_dead_lettered_with_its_place(
    deployment: Deployment, tmp_path: Path
) -> None:
    broken = tmp_path / "broken_order.json"
    broken.write_text('{"lines": [{"quantity": "many"}]}')
    deployment.drop(broken)
    result = deployment.cli("run", "--once")
    assert result.returncode == 1
    assert deployment.files("error") == ["broken_order.json"]
    app = build_app(load_settings(deployment.root / "b2bbridge.toml", env={}), migrate=False)
    with app.ctx.uow() as uow:
        (dead,) = uow.dead_letters.list(limit=10)
    assert dead.code.startswith("mapping_")
    assert dead.location["file"] == "broken_order.json"
