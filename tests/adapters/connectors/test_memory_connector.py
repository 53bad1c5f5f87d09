from b2bbridge.adapters.connectors.memory import MemoryConnector


def test_an_item_stays_in_the_inbox_until_confirmed() -> None:
    c = MemoryConnector("mem", "acme")
    c.deliver("a.edi", b"A")
    [item] = list(c.poll())
    assert c.fetch(item) == b"A"
    assert list(c.inbox) == ["a.edi"]
    assert c.confirm(item, ok=True) == "memory:archived/a.edi"
    assert (c.inbox, c.archived) == ({}, {"a.edi": b"A"})


def test_a_rejected_item_is_kept_apart_and_sending_records_the_payload() -> None:
    c = MemoryConnector("mem")
    c.deliver("b.edi", b"B")
    c.confirm(next(c.poll()), ok=False)
    assert c.failed == {"b.edi": b"B"}
    assert c.send("ack.x12", b"ACK") == "memory:sent/ack.x12"
    assert c.sent == {"ack.x12": b"ACK"}
