import threading

from b2bbridge.api.writer import OrderWriter
from b2bbridge.bootstrap import App
from b2bbridge.core.model.order import Order
from b2bbridge.services.intake import OrderSubmission


def _submission(number: str) -> OrderSubmission:
    data = f'{{"number": "{number}"}}'.encode()
    return OrderSubmission("acme-http", "acme", data, (Order.model_validate_json(data),))


def test_concurrent_orders_are_all_committed_in_fewer_transactions(app: App) -> None:
    writer = OrderWriter(app.ctx)
    results = []
    gate = threading.Barrier(20)

    def post(n: int) -> None:
        gate.wait()
        results.append(writer.submit(_submission(f"PO-{n}")))

    threads = [threading.Thread(target=post, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    writer.close()
    assert len({r.message_id for r in results}) == 20
    assert 1 <= writer.batches <= 20
    with app.ctx.uow() as uow:
        assert len(uow.documents.list(partner="acme", limit=100)) == 20


def test_an_order_that_fails_to_store_fails_alone(app: App) -> None:
    writer = OrderWriter(app.ctx)
    bad = OrderSubmission("acme-http", "acme", b"{}", (Order(number="X"),))
    object.__setattr__(bad, "partner", None)  # breaks the NOT NULL document partner
    batch = [(bad, _future()), (_submission("PO-OK"), _future())]
    writer._commit(batch)  # type: ignore[arg-type]
    assert batch[0][1].exception() is not None
    assert batch[1][1].result().new_documents == 1


def _future():  # type: ignore[no-untyped-def]
    from concurrent.futures import Future

    return Future()
