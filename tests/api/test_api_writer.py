import asyncio
import threading

from b2bbridge.api.writer import OrderWriter, Pending, order_answer
from b2bbridge.bootstrap import App
from b2bbridge.core.model.order import Order
from b2bbridge.ports import IdempotencyRecord
from b2bbridge.services.idempotency import KeyRequest
from b2bbridge.services.intake import OrderIntake, OrderSubmission


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
    assert len({r.message_id for r in results if isinstance(r, OrderIntake)}) == 20
    assert 1 <= writer.batches <= 20
    with app.ctx.uow() as uow:
        assert len(uow.documents.list(partner="acme", limit=100)) == 20


def test_awaited_orders_are_answered_after_their_commit_without_a_thread_each(app: App) -> None:
    writer = OrderWriter(app.ctx)

    async def post_all() -> list[OrderIntake]:
        return list(
            await asyncio.gather(*(writer.stored(_submission(f"PO-A{n}")) for n in range(30)))
        )

    before = threading.active_count()
    results = asyncio.run(post_all())
    after = threading.active_count()
    writer.close()
    assert len({r.message_id for r in results}) == 30
    assert after - before <= 1  # only the writer thread itself
    with app.ctx.uow() as uow:
        numbers = {d.doc_number for d in uow.documents.list(partner="acme", limit=100)}
    assert numbers == {f"PO-A{n}" for n in range(30)}


def test_an_awaited_order_that_fails_raises_in_its_request(app: App) -> None:
    writer = OrderWriter(app.ctx)
    bad = OrderSubmission("acme-http", "acme", b"{}", (Order(number="X"),))
    object.__setattr__(bad, "partner", None)  # breaks the NOT NULL document partner

    async def post() -> OrderIntake:
        return await writer.stored(bad)

    try:
        asyncio.run(post())
    except Exception as exc:  # noqa: BLE001 - any store error is what the request must see
        raised: BaseException | None = exc
    else:
        raised = None
    writer.close()
    assert raised is not None


def test_an_order_that_fails_to_store_fails_alone(app: App) -> None:
    writer = OrderWriter(app.ctx)
    bad = OrderSubmission("acme-http", "acme", b"{}", (Order(number="X"),))
    object.__setattr__(bad, "partner", None)  # breaks the NOT NULL document partner
    batch = [Pending(bad, None), Pending(_submission("PO-OK"), None)]
    writer._commit(batch)
    assert batch[0].done.exception() is not None
    good = batch[1].done.result()
    assert isinstance(good, OrderIntake)
    assert good.new_documents == 1


def test_keyed_orders_of_one_batch_share_the_claim_and_the_answer_transactions(app: App) -> None:
    writer = OrderWriter(app.ctx)
    batch = [
        Pending(_submission(f"PO-K{n}"), KeyRequest("acme", f"k{n}", f"{n:064x}")) for n in range(5)
    ]
    writer._commit(batch)
    with app.ctx.uow() as uow:
        for n, pending in enumerate(batch):
            got = pending.done.result()
            assert isinstance(got, OrderIntake)
            seen = uow.idempotency.claim("acme", f"k{n}", f"{n:064x}")
            assert seen is not None
            assert (seen.state, seen.answer) == ("done", order_answer(got))


def test_a_key_given_twice_in_one_batch_stores_one_order(app: App) -> None:
    writer = OrderWriter(app.ctx)
    twice = KeyRequest("acme", "same", "0" * 64)
    batch = [Pending(_submission("PO-SAME"), twice), Pending(_submission("PO-SAME"), twice)]
    writer._commit(batch)
    first, second = (p.done.result() for p in batch)
    assert isinstance(first, OrderIntake)
    assert isinstance(second, IdempotencyRecord)
    assert second.state == "pending"  # answered in this batch's settle, after the claim
    with app.ctx.uow() as uow:
        assert len(uow.messages.list()) == 1
