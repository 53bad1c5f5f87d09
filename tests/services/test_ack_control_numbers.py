"""The acks we send take their ISA13, GS06 and ST02 from the partner's counters, together."""

from __future__ import annotations

from pipeline_support import order_850, receive

from b2bbridge.bootstrap import App
from b2bbridge.services.worker import drain


def test_each_997_takes_the_next_interchange_group_and_transaction_numbers_and_is_sent(
    app: App,
) -> None:
    with app.ctx.uow() as uow:
        uow.control_numbers.allocate("acme", "isa")  # the ISA counter is ahead of the others
        uow.commit()
    ids = [receive(app, order_850(n, f"PO-ACK-{n}")) for n in range(1, 4)]

    results = drain(app.ctx)

    assert [r.status for r in results] == ["acknowledged"] * 3
    with app.ctx.uow() as uow:
        acks = [a for m in ids for a in uow.outbound.for_message(m) if a.kind == "997"]
    numbered = sorted(
        (a.interchange_control_number, a.group_control_number, a.transaction_control_number)
        for a in acks
    )
    assert numbered == [
        ("000000002", "1", "0001"),
        ("000000003", "2", "0002"),
        ("000000004", "3", "0003"),
    ]
    assert [a.status for a in acks] == ["sent"] * 3
