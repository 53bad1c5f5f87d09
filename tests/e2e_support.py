"""Shared set-up for end-to-end tests: a copy of the example deployment in a temp folder."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from b2bbridge.bootstrap import build_app
from b2bbridge.config import load_settings
from b2bbridge.core.edi.events import Transaction, collect_transactions
from b2bbridge.core.edi.reader import read_events
from b2bbridge.core.model.order import Order

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


@dataclass
class Deployment:
    root: Path
    env: dict[str, str]

    @property
    def partner_dir(self) -> Path:
        return self.root / "var" / "partners" / "acme"

    def drop(self, *files: Path) -> None:
        """Put files in the example partner's inbox, aged past the read lock."""
        inbox = self.partner_dir / "inbox"
        inbox.mkdir(parents=True, exist_ok=True)
        past = time.time() - 120
        for f in files:
            dest = inbox / f.name
            shutil.copyfile(f, dest)
            os.utime(dest, (past, past))

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "b2bbridge",
                "--config",
                str(self.root / "b2bbridge.toml"),
                *args,
            ],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def files(self, folder: str) -> list[str]:
        path = self.partner_dir / folder
        return sorted(p.name for p in path.iterdir()) if path.is_dir() else []


def make_deployment(root: Path, *, database_url: str = "") -> Deployment:
    """Copy the bundled example configuration (settings, connectors, mappings) into ``root``."""
    shutil.copyfile(REPO / "b2bbridge.toml", root / "b2bbridge.toml")
    shutil.copytree(REPO / "connectors", root / "connectors")
    shutil.copytree(REPO / "mappings", root / "mappings")
    shutil.copytree(REPO / "schemas", root / "schemas")
    env = {k: v for k, v in os.environ.items() if not k.startswith("B2BBRIDGE_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["B2BBRIDGE_LOG_FORMAT"] = "json"
    if database_url:
        env["B2BBRIDGE_DATABASE_URL"] = database_url
    return Deployment(root, env)


def stored_orders(dep: Deployment, database_url: str = "") -> dict[str, Order]:
    env = {"B2BBRIDGE_DATABASE_URL": database_url} if database_url else {}
    app = build_app(load_settings(dep.root / "b2bbridge.toml", env=env), migrate=False)
    with app.ctx.uow() as uow:
        docs = uow.documents.list(limit=1000)
    return {d.doc_number: Order.model_validate_json(d.body) for d in docs}


def transactions_in(path: Path) -> list[Transaction]:
    events = read_events(io.BytesIO(path.read_bytes()))
    return [t for t in collect_transactions(events) if isinstance(t, Transaction)]


def check_example_results(dep: Deployment, result_stdout: str, database_url: str = "") -> None:
    assert "acme_850_20241104.x12" in result_stdout
    assert "acme_orders_20241104.edi" in result_stdout
    orders = stored_orders(dep, database_url)
    assert sorted(orders) == ["4500012345", "4500012346", "PO-77120"]
    first = orders["4500012345"]
    assert len(first.lines) == 3
    assert [line.quantity for line in first.lines] == [Decimal("24"), Decimal("6"), Decimal("100")]
    assert [line.unit_price for line in first.lines] == [
        Decimal("12.50"),
        Decimal("48.00"),
        Decimal("0.35"),
    ]
    ship_to = next(p for p in first.parties if p.role == "ship_to")
    assert ship_to.name == "ACME DISTRIBUTION CENTER 4"
    assert ship_to.address is not None
    assert ship_to.address.city == "COLUMBUS"
    assert len(orders["4500012346"].lines) == 2
    edi = orders["PO-77120"]
    assert [line.quantity for line in edi.lines] == [Decimal("48"), Decimal("200")]
    assert [line.unit_price for line in edi.lines] == [Decimal("2.45"), Decimal("0.18")]
    assert sorted(dep.files("archive")) == ["acme_850_20241104.x12", "acme_orders_20241104.edi"]
    assert dep.files("inbox") == []


def check_997(dep: Deployment) -> None:
    acks = [f for f in dep.files("outbox") if "_997_" in f]
    assert len(acks) == 1
    (ack,) = transactions_in(dep.partner_dir / "outbox" / acks[0])
    assert ack.header.type == "997"
    tags = [s.tag for s in ack.segments]
    ak2 = [s for s in ack.segments if s.tag == "AK2"]
    ak5 = [s for s in ack.segments if s.tag == "AK5"]
    (ak9,) = [s for s in ack.segments if s.tag == "AK9"]
    assert [(s.element(1), s.element(2)) for s in ak2] == [("850", "0001"), ("850", "0002")]
    assert [s.element(1) for s in ak5] == ["A", "A"]
    assert [ak9.element(i) for i in range(1, 5)] == ["A", "2", "2", "2"]
    assert tags[1] == "AK1"
    assert ack.segments[1].element(2) == "101"
    assert ack.interchange.sender.id == "B2BBRIDGE"
    assert ack.interchange.receiver.id == "ACMEBUYER"


def check_contrl(dep: Deployment) -> None:
    contrls = [f for f in dep.files("outbox") if "_CONTRL_" in f]
    assert len(contrls) == 1
    (msg,) = transactions_in(dep.partner_dir / "outbox" / contrls[0])
    assert msg.header.type == "CONTRL"
    (uci,) = [s for s in msg.segments if s.tag == "UCI"]
    assert uci.element(1) == "ACME0000042"
    assert uci.element(4) == "7"  # interchange acknowledged
