"""A repeated ISA13/UNB5 with different content: refused by the partner's duplicate policy."""

from __future__ import annotations

from pathlib import Path

from e2e_support import REPO, Deployment, transactions_in
from pipeline_support import open_app, order_850, receive

from b2bbridge.bootstrap import App
from b2bbridge.services.worker import drain

EXAMPLE_ORDERS = REPO / "examples" / "inbox" / "acme_orders_20241104.edi"


def _outbox(dep: Deployment) -> list[str]:
    return dep.files("outbox")


def _set_policy(dep: Deployment, policy: str) -> None:
    path = dep.root / "connectors" / "partners" / "acme.yaml"
    text = path.read_text(encoding="utf-8")
    lines = [
        f"duplicates: {policy}" if ln.startswith("duplicates:") else ln for ln in text.splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _documents(app: App) -> list[str]:
    with app.ctx.uow() as uow:
        return sorted(d.doc_number for d in uow.documents.list())


def _status(app: App, message_id: int) -> str:
    with app.ctx.uow() as uow:
        return uow.messages.get(message_id).status


def test_a_resent_x12_control_number_is_refused_with_a_ta1_025_and_no_997(
    deployment: Deployment, app: App
) -> None:
    receive(app, order_850(4711, "PO-FIRST"), name="first.x12")
    drain(app.ctx)
    again = receive(app, order_850(4711, "PO-SECOND"), name="second.x12")
    drain(app.ctx)

    assert _documents(app) == ["PO-FIRST"]
    assert _status(app, again) == "duplicate"
    ta1s = [f for f in _outbox(deployment) if "_TA1_" in f]
    assert len([f for f in _outbox(deployment) if "_997_" in f]) == 1  # the first one's only
    (ta1_file,) = ta1s
    text = (deployment.partner_dir / "outbox" / ta1_file).read_text(encoding="latin-1")
    ta1 = next(s for s in text.split("~") if s.strip().startswith("TA1"))
    fields = ta1.strip().split("*")
    assert (fields[1], fields[4], fields[5]) == ("000004711", "R", "025")


def test_with_the_ignore_policy_a_resent_control_number_is_kept_as_a_duplicate_unanswered(
    deployment: Deployment,
) -> None:
    _set_policy(deployment, "ignore")
    app = open_app(deployment)
    try:
        receive(app, order_850(4712, "PO-ONE"), name="one.x12")
        drain(app.ctx)
        again = receive(app, order_850(4712, "PO-TWO"), name="two.x12")
        drain(app.ctx)
        assert _status(app, again) == "duplicate"
        assert _documents(app) == ["PO-ONE"]
        assert [f for f in _outbox(deployment) if "_TA1_" in f] == []
        assert len([f for f in _outbox(deployment) if "_997_" in f]) == 1
    finally:
        app.close()


def test_a_resent_unb_reference_is_refused_with_a_contrl_naming_error_26(
    deployment: Deployment, app: App, tmp_path: Path
) -> None:
    first = EXAMPLE_ORDERS.read_bytes()
    second = first.replace(b"PO-77120", b"PO-77121")
    receive(app, first, name="first.edi")
    drain(app.ctx)
    again = receive(app, second, name="second.edi")
    drain(app.ctx)

    assert _status(app, again) == "duplicate"
    assert _documents(app) == ["PO-77120"]
    contrls = sorted(f for f in _outbox(deployment) if "_CONTRL_" in f)
    assert len(contrls) == 2
    verdicts = []
    for name in contrls:
        (msg,) = transactions_in(deployment.partner_dir / "outbox" / name)
        (uci,) = [s for s in msg.segments if s.tag == "UCI"]
        verdicts.append((uci.element(1), uci.element(4), uci.element(5)))
    assert sorted(verdicts) == [("ACME0000042", "4", "26"), ("ACME0000042", "7", "")]
