"""Receiving a poll in groups: many files under one commit, each undone alone if it fails."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from pipeline_support import order_850

from b2bbridge.adapters.store.batch import SqlBatchScope
from b2bbridge.bootstrap import App
from b2bbridge.ports import BatchScope, InboundFile
from b2bbridge.services import receive as receive_module
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.receive import receive_from


class ListConnector:
    """An inbox of named payloads; ``broken`` names fail to read, ``flaky`` ones fail once."""

    def __init__(
        self,
        files: dict[str, bytes],
        *,
        broken: set[str] = frozenset(),
        flaky: set[str] = frozenset(),
    ) -> None:
        self.name, self.partner = "acme-folder", "acme"
        self.files = files
        self.broken, self.flaky = set(broken), set(flaky)
        self.reads: list[str] = []

    def poll(self) -> Iterator[InboundFile]:
        for name, data in self.files.items():
            yield InboundFile(connector=self.name, ref=name, name=name, size=len(data))

    def fetch(self, item: InboundFile) -> bytes:
        self.reads.append(item.name)
        if item.name in self.broken:
            raise OSError(5, "Input/output error", item.name)
        if item.name in self.flaky:
            self.flaky.discard(item.name)
            raise OSError(104, "Connection reset by peer", item.name)
        return self.files[item.name]

    def confirm(self, item: InboundFile, *, ok: bool) -> str | None:
        return None

    def send(self, name: str, data: bytes) -> str:
        raise NotImplementedError

    def close(self) -> None:
        pass


class CountingScopes:
    """A batch scope factory that counts the groups opened through it."""

    def __init__(self, app: App) -> None:
        assert app.ctx.batches is not None
        self._inner = app.ctx.batches
        self.opened = 0

    def __call__(self) -> BatchScope:
        self.opened += 1
        return self._inner()


def _orders(count: int, prefix: str = "G") -> dict[str, bytes]:
    return {f"{prefix}{n:03d}.x12": order_850(n, f"PO-{prefix}-{n}") for n in range(1, count + 1)}


def _stored(app: App) -> dict[str, tuple[str, int]]:
    """Every received message: file name to (status, work items queued for it)."""
    with app.ctx.uow() as uow:
        messages = uow.messages.list(limit=1000)
    queued = app.ctx.queue.pending_count()
    assert queued == sum(1 for m in messages if m.status == "received")
    return {m.filename or "": (m.status, m.id) for m in messages}


def _counted(app: App) -> tuple[ServiceContext, CountingScopes]:
    scopes = CountingScopes(app)
    return replace(app.ctx, batches=scopes), scopes


def test_a_poll_is_received_in_groups_of_fifty_files_in_the_order_polled(grouped: App) -> None:
    ctx, scopes = _counted(grouped)
    files = _orders(120)

    received = receive_from(ctx, ListConnector(files))

    assert [r.item.name for r in received] == list(files)
    assert scopes.opened == 3  # 50 + 50 + 20
    stored = _stored(grouped)
    assert sorted(stored) == sorted(files)
    assert {status for status, _id in stored.values()} == {"received"}
    assert grouped.ctx.queue.pending_count() == 120
    assert [r.message_id for r in received] == [stored[name][1] for name in files]


def test_a_group_ends_early_once_its_files_pass_the_byte_limit(
    grouped: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _orders(10)
    monkeypatch.setattr(receive_module, "GROUP_BYTES", 3 * len(files["G001.x12"]))
    ctx, scopes = _counted(grouped)

    receive_from(ctx, ListConnector(files))

    assert scopes.opened == 4  # 3 + 3 + 3 + 1
    assert len(_stored(grouped)) == 10


def test_a_file_that_fails_inside_a_group_is_undone_alone_and_received_again_after(
    grouped: App,
) -> None:
    files = _orders(5)
    connector = ListConnector(files, flaky={"G003.x12"})

    received = receive_from(grouped.ctx, connector)

    assert [r.item.name for r in received] == list(files)
    assert connector.reads.count("G003.x12") == 2
    stored = _stored(grouped)
    assert sorted(stored) == sorted(files)
    assert grouped.ctx.queue.pending_count() == 5


def test_a_file_that_cannot_be_read_raises_after_the_rest_of_its_group_is_committed(
    grouped: App,
) -> None:
    files = _orders(4)
    connector = ListConnector(files, broken={"G002.x12"})

    with pytest.raises(OSError, match="Input/output error"):
        receive_from(grouped.ctx, connector)

    # Nothing was half-stored: the unreadable file left no rows, the others are queued.
    stored = _stored(grouped)
    assert sorted(stored) == ["G001.x12", "G003.x12", "G004.x12"]
    assert grouped.ctx.queue.pending_count() == 3


def test_the_same_bytes_twice_in_one_group_are_a_duplicate_of_the_first(grouped: App) -> None:
    data = order_850(7, "PO-TWICE")
    received = receive_from(grouped.ctx, ListConnector({"a.x12": data, "b.x12": data}))

    assert (received[0].duplicate_of, received[1].duplicate_of) == (None, received[0].message_id)
    assert _stored(grouped)["b.x12"][0] == "duplicate"
    assert grouped.ctx.queue.pending_count() == 1


def test_a_group_whose_commit_fails_is_received_again_one_file_at_a_time(
    grouped: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: SqlBatchScope) -> None:
        raise OSError("database or disk is full")

    monkeypatch.setattr(SqlBatchScope, "commit", refuse)
    files = _orders(3)

    received = receive_from(grouped.ctx, ListConnector(files))

    assert [r.duplicate_of for r in received] == [None, None, None]
    assert sorted(_stored(grouped)) == sorted(files)
    assert grouped.ctx.queue.pending_count() == 3


def test_without_group_commit_each_file_is_received_in_a_transaction_of_its_own(
    app: App,
) -> None:
    files = _orders(3)
    ctx = replace(app.ctx, batches=None)

    received = receive_from(ctx, ListConnector(files))

    assert [r.item.name for r in received] == list(files)
    assert sorted(_stored(app)) == sorted(files)


class BrokenListing(ListConnector):
    """An inbox whose listing fails part-way, as a remote directory read can."""

    def poll(self) -> Iterator[InboundFile]:
        yield from super().poll()
        raise OSError(104, "Connection reset by peer", "listing")


def test_a_listing_that_fails_part_way_raises_after_the_groups_before_it_committed(
    grouped: App,
) -> None:
    files = _orders(60)

    with pytest.raises(OSError, match="Connection reset"):
        receive_from(grouped.ctx, BrokenListing(files))

    # The first group was complete before the listing failed; the ten after it wait for
    # the next pass, which lists them again.
    assert sorted(_stored(grouped)) == sorted(files)[:50]
    assert grouped.ctx.queue.pending_count() == 50
