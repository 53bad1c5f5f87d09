"""Ack reconciliation: inbound 997/TA1/CONTRL matched to what we sent, by control numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pipeline_support import receive

from b2bbridge.bootstrap import App
from b2bbridge.services.reconcile import expect_ack, overdue_acks
from b2bbridge.services.worker import drain

ISA = (
    "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*B2BBRIDGE      "
    "*241105*1015*U*00401*{icn}*0*P*>~\n"
)


def _sent(app: App, *, icn: str, gcn: str | None, due_hours: float = 24) -> int:
    """An 856 we sent to ACME, expecting an ack; returns the expectation id."""
    with app.ctx.uow() as uow:
        sha = uow.payloads.put(f"856 {icn}".encode())
        out_id = uow.outbound.add(
            message_id=None,
            partner="acme",
            kind="856",
            interchange_control_number=icn,
            group_control_number=gcn,
            transaction_control_number="0001",
            payload_sha256=sha,
            destination="acme-folder",
            status="sent",
        )
        due = app.ctx.clock.now() + timedelta(hours=due_hours)
        exp = expect_ack(uow, uow.outbound.get(out_id), syntax="x12", due_at=due)
        uow.commit()
    return exp


def _997(group: str, verdict: str) -> bytes:
    text = (
        ISA.format(icn="000000901")
        + "GS*FA*ACMEBUYER*B2BBRIDGE*20241105*1015*901*X*004010~\n"
        + "ST*997*0001~\n"
        + f"AK1*SH*{group}~\n"
        + "AK2*856*0001~\n"
        + f"AK5*{verdict}~\n"
        + f"AK9*{verdict}*1*1*{1 if verdict == 'A' else 0}~\n"
        + "SE*6*0001~\nGE*1*901~\nIEA*1*000000901~\n"
    )
    return text.encode("ascii")


def _expectation(app: App, exp_id: int) -> tuple[str, str | None, int | None]:
    with app.ctx.uow() as uow:
        (found,) = [e for e in uow.ack_expectations.find(partner="acme") if e.id == exp_id]
    return found.status, found.ack_kind, found.ack_message_id


def test_997_resolves_the_expectation_of_the_group_it_names(app: App) -> None:
    other = _sent(app, icn="000000040", gcn="40")
    wanted = _sent(app, icn="000000041", gcn="41")
    ack_message = receive(app, _997("41", "A"), "whatever_name.x12")
    (result,) = drain(app.ctx)
    assert (result.status, result.reconciled, result.acks) == ("reconciled", 1, 0)
    assert _expectation(app, wanted) == ("accepted", "997", ack_message)
    assert _expectation(app, other) == ("waiting", None, None)


def test_rejecting_997_records_the_rejection(app: App) -> None:
    wanted = _sent(app, icn="000000042", gcn="42")
    receive(app, _997("42", "R"))
    drain(app.ctx)
    assert _expectation(app, wanted)[0] == "rejected"


def test_ta1_resolves_the_interchange_it_names(app: App) -> None:
    wanted = _sent(app, icn="000001234", gcn="55")
    ta1 = ISA.format(icn="000000902") + "TA1*000001234*241105*1015*A*000~\nIEA*0*000000902~\n"
    ack_message = receive(app, ta1.encode("ascii"))
    drain(app.ctx)
    assert _expectation(app, wanted) == ("accepted", "TA1", ack_message)


def test_unmatched_ack_is_recorded_on_its_message(app: App) -> None:
    message_id = receive(app, _997("77", "A"))
    drain(app.ctx)
    with app.ctx.uow() as uow:
        events = [(e.state, e.detail) for e in uow.events.for_message(message_id)]
    assert ("ack_unmatched", {"kind": "997", "group": "77", "status": "accepted"}) in events


class LaterClock:
    def __init__(self, hours: float) -> None:
        self.offset = timedelta(hours=hours)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def test_overdue_lists_expectations_past_due_and_not_answered(app: App) -> None:
    _sent(app, icn="000000060", gcn="60", due_hours=1)  # answered below
    late = _sent(app, icn="000000061", gcn="61", due_hours=1)
    _sent(app, icn="000000062", gcn="62", due_hours=48)
    receive(app, _997("60", "A"))
    drain(app.ctx)
    later = replace(app.ctx, clock=LaterClock(hours=2))
    assert [e.id for e in overdue_acks(later)] == [late]
