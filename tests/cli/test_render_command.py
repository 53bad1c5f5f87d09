"""``b2bbridge render``: a canonical JSON document printed as the partner's EDI."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from e2e_support import REPO
from typer.testing import CliRunner

from b2bbridge.cli.app import root
from b2bbridge.cli.render import document_kind, render

runner = CliRunner()
cli = typer.Typer()
cli.callback()(root)
cli.command("render")(render)

PROFILE = """\
partner: acme
x12:
  ids: [{qualifier: ZZ, id: ACMEBUYER}]
  our_id: {qualifier: ZZ, id: B2BBRIDGE}
edifact:
  ids: [{qualifier: "14", id: "5412345000013"}]
  our_id: {qualifier: "14", id: "4012345500004"}
mappings:
  x12/856: x12/856.yaml
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "connectors" / "partners").mkdir(parents=True)
    (tmp_path / "connectors" / "partners" / "acme.yaml").write_text(PROFILE, encoding="utf-8")
    path = tmp_path / "b2bbridge.toml"
    path.write_text(
        f'[b2bbridge]\nmappings_dir = "{REPO / "mappings"}"\nlog_level = "error"\n',
        encoding="utf-8",
    )
    return path


def _run(config: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--config", str(config), "render", *args])
    return result.exit_code, result.stdout


def test_render_prints_an_856_from_the_partner_map_with_profile_ids(config: Path) -> None:
    doc = REPO / "mappings" / "tests" / "outbound" / "shipment.json"
    code, out = _run(config, str(doc), "--partner", "acme", "--type", "856", "--start", "70")
    assert code == 0, out
    isa = out.splitlines()[0].split("*")
    assert (isa[6].strip(), isa[8].strip(), isa[13]) == ("B2BBRIDGE", "ACMEBUYER", "000000070")
    assert "CTT*10~" in out


def test_render_desadv_uses_the_edifact_identities(config: Path) -> None:
    doc = REPO / "mappings" / "tests" / "outbound" / "shipment.json"
    code, out = _run(config, str(doc), "--partner", "acme", "--type", "DESADV")
    assert code == 0, out
    assert "UNB+UNOC:3+4012345500004:14+5412345000013:14+" in out
    assert "CNT+2:4'" in out


def test_render_with_store_numbers_counts_up_across_runs(config: Path) -> None:
    doc = REPO / "mappings" / "tests" / "outbound" / "stock_level.json"
    args = (str(doc), "--partner", "acme", "--type", "846", "--store")
    first, second = _run(config, *args), _run(config, *args)
    assert (first[0], second[0]) == (0, 0)
    assert first[1].split("*")[13] != second[1].split("*")[13]


def test_render_a_document_that_does_not_fit_the_map_exits_2(config: Path) -> None:
    doc = REPO / "mappings" / "tests" / "outbound" / "order.json"
    code, _ = _run(config, str(doc), "--partner", "acme", "--type", "856")
    assert code == 2


def test_unknown_partner_exits_2(config: Path) -> None:
    doc = REPO / "mappings" / "tests" / "outbound" / "shipment.json"
    code, _ = _run(config, str(doc), "--partner", "nobody", "--type", "856")
    assert code == 2


def test_document_kind_is_guessed_from_the_type() -> None:
    assert document_kind("856", None) == ("x12", "x12/856")
    assert document_kind("DESADV", None) == ("edifact", "edifact/DESADV")
    assert document_kind("ShipNoticeRequest", None) == ("xml", "cxml/ShipNoticeRequest")
