"""AMQP: an inbound queue consumer and an outbound publisher on a broker (kombu, RabbitMQ).

Features
    poll (``basic.get`` up to ``prefetch`` messages), fetch, confirm (ack, or reject
    without requeue so a dead-letter exchange catches it), send (persistent publish with
    publisher confirms).
Connection
    one kombu connection and channel per connector, opened on first use and reused;
    connecting and publishing are retried by the connector's ``retry`` policy. A
    message polled but not yet confirmed stays unacknowledged on that channel: if the
    process dies the broker redelivers it, and the content-hash dedupe in the store turns
    a second copy into a recorded duplicate, never a second order.
Options
    ``url`` (by reference: it carries credentials), ``inbound_queue`` (durable; declared
    on first poll), ``outbound_exchange`` (``""``: the default exchange) and
    ``outbound_routing_key``, ``prefetch`` (50), ``timeout_seconds`` (10).

A message's file name comes from its ``filename`` header, else ``amqp-<delivery tag>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from amqp.exceptions import AccessRefused  # type: ignore[import-untyped]
from kombu.connection import Connection
from kombu.entity import Queue
from kombu.message import Message
from pydantic import BaseModel, ConfigDict, Field

from b2bbridge.adapters.connectors.base import (
    ConnectorDefinition,
    ConnectorRetry,
    parse_options,
    register_kind,
)
from b2bbridge.adapters.connectors.errors import AuthenticationError
from b2bbridge.adapters.connectors.retrying import with_retries
from b2bbridge.adapters.connectors.secrets import Secret, SecretOption
from b2bbridge.core.errors import ConnectorError
from b2bbridge.ports import InboundFile

T = TypeVar("T")


class AmqpOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: SecretOption
    inbound_queue: str | None = None
    outbound_exchange: str = ""
    outbound_routing_key: str | None = None
    prefetch: int = Field(50, ge=1)
    timeout_seconds: float = Field(10.0, gt=0)


class AmqpConnector:
    """A broker queue (in) and exchange (out) behind the Connector protocol."""

    kind = "amqp"

    def __init__(
        self,
        name: str,
        partner: str | None,
        options: AmqpOptions,
        url: Secret,
        retry: ConnectorRetry | None = None,
    ) -> None:
        self.name = name
        self.partner = partner
        self.options = options
        self.retry = retry or ConnectorRetry()
        self._url = url
        self._conn: Connection | None = None
        self._pending: dict[str, Message] = {}

    def _connection(self) -> Connection:
        """The open connection, or a new one (one try: callers decide about retrying)."""
        if self._conn is None:
            conn = Connection(  # type: ignore[no-untyped-call]
                self._url.reveal(),
                connect_timeout=self.options.timeout_seconds,
                transport_options={"confirm_publish": True},
            )
            # kombu's own connect() retries once after a 2 s sleep; the connector's retry
            # policy is the one place that decides, so kombu gets no retries here.
            self._call(
                "connect",
                lambda: conn.ensure_connection(max_retries=0, reraise_as_library_errors=False),  # type: ignore[no-untyped-call]
                conn,
            )
            self._conn = conn
        return self._conn

    def _call(self, what: str, op: Callable[[], T], conn: Connection | None = None) -> T:
        conn = conn or self._connection()
        try:
            return op()
        except AccessRefused:
            self._drop()
            raise AuthenticationError(
                f"the broker refused connector {self.name!r}'s credentials; not retrying "
                "(check the url reference)"
            ) from None
        except (*conn.connection_errors, *conn.channel_errors) as exc:
            self._drop()
            raise ConnectorError(
                f"amqp {what} failed for connector {self.name!r}: {type(exc).__name__}: {exc}",
                code="amqp_failed",
            ) from None

    def poll(self) -> Iterator[InboundFile]:
        """Messages waiting in the inbound queue, left unacknowledged until confirmed."""
        queue_name = self.options.inbound_queue
        if queue_name is None:
            return
        conn = with_retries(self.retry, self.name, "connect", self._connection)
        queue = Queue(queue_name, durable=True, channel=conn.default_channel)  # type: ignore[no-untyped-call]
        self._call("declare", queue.declare)
        for _ in range(self.options.prefetch):
            message = self._call("get", lambda: queue.get(no_ack=False, accept=None))  # type: ignore[no-untyped-call]
            if message is None:
                return
            tag = str(message.delivery_tag)
            self._pending[tag] = message
            name = str((message.headers or {}).get("filename") or f"amqp-{tag}")
            yield InboundFile(self.name, tag, name, len(message.body))

    def fetch(self, item: InboundFile) -> bytes:
        message = self._pending.get(item.ref)
        if message is None:
            raise ConnectorError(
                f"amqp message {item.ref} is no longer held (the channel was reopened); "
                "the broker will deliver it again",
                code="amqp_message_lost_channel",
            )
        body = message.body
        return body if isinstance(body, bytes) else str(body).encode("utf-8")

    def confirm(self, item: InboundFile, *, ok: bool) -> str | None:
        """Ack a stored message; reject a refused one (dead-lettered if the queue says so)."""
        message = self._pending.pop(item.ref, None)
        if message is None:
            return None
        self._call("ack" if ok else "reject", message.ack if ok else message.reject)
        return f"amqp:{'acked' if ok else 'rejected'}"

    def send(self, name: str, data: bytes) -> str:
        """Publish persistently and wait for the broker's confirm; reconnect and retry.

        A publish that failed is not confirmed, so sending it again cannot lose it; at
        worst the broker holds two copies, which the receiving side's dedupe absorbs.
        """
        return with_retries(self.retry, self.name, "publish", lambda: self._publish(name, data))

    def _publish(self, name: str, data: bytes) -> str:
        key = self.options.outbound_routing_key or name
        exchange = self.options.outbound_exchange
        conn = self._connection()
        declare = [Queue(key, durable=True)] if exchange == "" else []  # type: ignore[no-untyped-call]
        producer = conn.Producer(serializer=None)  # type: ignore[no-untyped-call]
        self._call(
            "publish",
            lambda: producer.publish(
                data,
                exchange=exchange,
                routing_key=key,
                headers={"filename": name},
                delivery_mode=2,
                content_type="application/octet-stream",
                content_encoding="binary",
                declare=declare,
                retry=False,
            ),
        )
        return f"amqp:{exchange or '(default)'}/{key}"

    def _drop(self) -> None:
        self._pending.clear()
        if self._conn is not None:
            self._conn.release()  # type: ignore[no-untyped-call]
        self._conn = None

    def close(self) -> None:
        self._drop()


def _create(definition: ConnectorDefinition, home: Path) -> AmqpConnector:
    options = parse_options(AmqpOptions, definition)
    return AmqpConnector(
        definition.name, definition.partner, options, options.url.resolve(home), definition.retry
    )


register_kind("amqp", _create)
