"""``b2bbridge translate FILE --partner P``: any inbound format, as canonical JSON."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import typer
from e2e_support import REPO
from openpyxl import Workbook
from typer.testing import CliRunner

from b2bbridge.cli.translate import translate

runner = CliRunner()
cli = typer.Typer()
cli.callback()(lambda: None)
cli.command("translate")(translate)

CORPUS_XML = REPO.parent / "shared" / "corpus" / "xml"
FIXTURES = REPO / "tests" / "fixtures" / "mapping"
PROFILE = """\
partner: shop
mappings:
  x12/850: x12/850.yaml
  xml/OrderRequest: xml/cxml_order.yaml
  csv/reorder: csv/reorder.yaml
"""


def _invoke(tmp_path: Path, file: Path, partner: str = "shop") -> tuple[int, str, str]:
    (tmp_path / "partners").mkdir(exist_ok=True)
    (tmp_path / "partners" / "shop.yaml").write_text(PROFILE)
    args = [
        "translate",
        str(file),
        "--partner",
        partner,
        "--mappings",
        str(REPO / "mappings"),
        "--connectors",
        str(tmp_path),
    ]
    result = runner.invoke(cli, args)
    return result.exit_code, result.stdout, result.stderr


def test_cxml_order_prints_canonical_json(tmp_path: Path) -> None:
    code, out, _ = _invoke(tmp_path, CORPUS_XML / "cxml_orderrequest.xml")
    assert code == 0
    [order] = json.loads(out)
    assert (order["number"], order["partner"], len(order["lines"])) == ("DO1234", "shop", 2)
    assert order["lines"][0]["unit_price"] == "2.10"


def test_x12_file_maps_each_transaction_with_the_profiles_850_map(tmp_path: Path) -> None:
    code, out, _ = _invoke(tmp_path, REPO / "examples" / "inbox" / "acme_850_20241104.x12")
    assert code == 0
    orders = json.loads(out)
    assert [(o["number"], len(o["lines"])) for o in orders] == [
        ("4500012345", 3),
        ("4500012346", 2),
    ]
    assert orders[0]["lines"][0]["quantity"] == "24"


def test_xlsx_sheet_uses_the_partners_csv_mapping(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["PO Number", "SKU", "Quantity"])
    sheet.append(["X-1", "A", 4])
    buffer = BytesIO()
    book.save(buffer)
    path = tmp_path / "reorder.xlsx"
    path.write_bytes(buffer.getvalue())
    code, out, _ = _invoke(tmp_path, path)
    assert code == 0
    assert [(o["number"], o["lines"][0]["quantity"]) for o in json.loads(out)] == [("X-1", "4")]


def test_a_kind_the_profile_does_not_map_exits_1_naming_it(tmp_path: Path) -> None:
    code, out, err = _invoke(tmp_path, CORPUS_XML / "cxml_shipnoticerequest.xml")
    assert (code, out) == (1, "")
    assert "mapping_not_configured" in err
    assert "xml/ShipNoticeRequest" in err


def test_an_unknown_partner_exits_2(tmp_path: Path) -> None:
    code, _, err = _invoke(tmp_path, FIXTURES / "reorder.csv", partner="nobody")
    assert code == 2
    assert "no partner profile named 'nobody'" in err


def test_an_unsafe_xml_file_exits_1_with_its_code(tmp_path: Path) -> None:
    path = tmp_path / "evil.xml"
    path.write_text('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')
    code, out, err = _invoke(tmp_path, path)
    assert (code, out) == (1, "")
    assert "xml_entity_declared" in err
