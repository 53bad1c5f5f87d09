"""The AMQP connector against the machine's RabbitMQ on 127.0.0.1:5672 (never skipped)."""

from __future__ import annotations

import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from integration_urls import AMQP_URL
from kombu.connection import Connection
from sshd_support import DroppingProxy

from b2bbridge.adapters.connectors.amqp import AmqpConnector
from b2bbridge.adapters.connectors.base import ConnectorDefinition, create_connector
from b2bbridge.adapters.connectors.errors import AuthenticationError
from b2bbridge.core.errors import ConnectorError

pytestmark = pytest.mark.integration


@pytest.fixture
def queue_name() -> Iterator[str]:
    name = f"b2b-test-{secrets.token_hex(4)}"
    yield name
    with Connection(AMQP_URL) as conn:
        conn.default_channel.queue_delete(name)


def _amqp(
    tmp_path: Path, queue: str, url: str = AMQP_URL, retry: dict[str, float] | None = None
) -> AmqpConnector:
    (tmp_path / "amqp_url").write_text(url)
    definition = ConnectorDefinition(
        name="acme-amqp",
        kind="amqp",
        partner="acme",
        retry=retry or {},
        options={
            "url": {"file": "amqp_url"},
            "inbound_queue": queue,
            "outbound_routing_key": queue,
            "prefetch": 10,
        },
    )
    connector = create_connector(definition, tmp_path)
    assert isinstance(connector, AmqpConnector)
    return connector


def test_a_published_payload_is_polled_with_its_file_name_and_acked_on_confirm(
    tmp_path: Path, queue_name: str
) -> None:
    c = _amqp(tmp_path, queue_name)
    assert c.send("po-1.edi", b"ISA*00*from the broker~") == f"amqp:(default)/{queue_name}"
    [item] = list(c.poll())
    assert (item.name, item.size) == ("po-1.edi", 23)
    assert c.fetch(item) == b"ISA*00*from the broker~"
    assert c.confirm(item, ok=True) == "amqp:acked"
    assert list(c.poll()) == []
    c.close()


def test_a_message_never_confirmed_is_delivered_again_after_a_crash(
    tmp_path: Path, queue_name: str
) -> None:
    first = _amqp(tmp_path, queue_name)
    first.send("po-2.edi", b"twice")
    [item] = list(first.poll())
    assert first.fetch(item) == b"twice"
    first.close()  # died before the payload was stored
    second = _amqp(tmp_path, queue_name)
    [again] = list(second.poll())
    assert (again.name, second.fetch(again)) == ("po-2.edi", b"twice")
    second.confirm(again, ok=True)
    second.close()


def test_a_rejected_message_is_not_requeued(tmp_path: Path, queue_name: str) -> None:
    c = _amqp(tmp_path, queue_name)
    c.send("bad.edi", b"junk")
    [item] = list(c.poll())
    assert c.confirm(item, ok=False) == "amqp:rejected"
    c.close()
    assert list(_amqp(tmp_path, queue_name).poll()) == []


def test_poll_takes_at_most_prefetch_messages_at_a_time(tmp_path: Path, queue_name: str) -> None:
    c = _amqp(tmp_path, queue_name)
    for n in range(12):
        c.send(f"f{n}.edi", b"x")
    first = list(c.poll())
    assert len(first) == 10
    for item in first:
        c.confirm(item, ok=True)
    assert [i.name for i in c.poll()] == ["f10.edi", "f11.edi"]
    c.close()


def test_refused_broker_credentials_are_a_clear_error_that_hides_the_password(
    tmp_path: Path, queue_name: str
) -> None:
    c = _amqp(tmp_path, queue_name, url="amqp://guest:not-the-password@127.0.0.1:5672//")
    with pytest.raises(AuthenticationError, match="refused connector 'acme-amqp'") as info:
        list(c.poll())
    assert "not-the-password" not in str(info.value)


def test_a_broker_connection_dropped_while_connecting_is_retried_and_the_publish_lands(
    tmp_path: Path, queue_name: str
) -> None:
    proxy = DroppingProxy(target=5672, cut_after=0).start()
    try:
        url = f"amqp://guest:guest@127.0.0.1:{proxy.port}//"
        c = _amqp(tmp_path, queue_name, url=url, retry={"attempts": 3, "base_seconds": 0.05})
        c.send("order.x12", b"ISA*payload~")
        c.close()
    finally:
        proxy.stop()
    assert proxy.connections == 2  # the dropped one, then one retry by the connector's policy
    with Connection(AMQP_URL) as conn:
        message = conn.SimpleQueue(queue_name).get(timeout=5)
        assert message.body == b"ISA*payload~"
        message.ack()


@dataclass
class ClosingServer:
    """Accepts each connection and closes it at once: a broker that is never there."""

    accepted: int = 0
    port: int = 0

    def start(self) -> ClosingServer:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._server.getsockname()[1])
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self.accepted += 1
            client.close()

    def stop(self) -> None:
        self._server.close()


def test_a_broker_that_stays_away_fails_after_the_configured_attempts(
    tmp_path: Path, queue_name: str
) -> None:
    server = ClosingServer().start()
    try:
        c = _amqp(
            tmp_path,
            queue_name,
            url=f"amqp://guest:guest@127.0.0.1:{server.port}//",
            retry={"attempts": 3, "base_seconds": 0.01},
        )
        with pytest.raises(ConnectorError, match="amqp connect failed"):
            c.send("order.x12", b"x")
    finally:
        server.stop()
    assert server.accepted == 3


def test_refused_credentials_are_tried_once_never_retried(tmp_path: Path, queue_name: str) -> None:
    proxy = DroppingProxy(target=5672, cut_after=1 << 30).start()
    try:
        url = f"amqp://guest:wrong@127.0.0.1:{proxy.port}//"
        c = _amqp(tmp_path, queue_name, url=url, retry={"attempts": 3, "base_seconds": 0.01})
        with pytest.raises(AuthenticationError):
            c.send("order.x12", b"x")
    finally:
        proxy.stop()
    assert proxy.connections == 1
