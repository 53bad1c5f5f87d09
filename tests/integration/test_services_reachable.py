"""The servers the integration suite relies on answer; when they do not, CI fails here first."""

from __future__ import annotations

from integration_urls import AMQP_URL, POSTGRES_URL
from kombu import Connection
from sqlalchemy import create_engine, text


def test_postgresql_answers_on_loopback() -> None:
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 5})
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar_one() == 1
    engine.dispose()


def test_rabbitmq_answers_on_loopback() -> None:
    with Connection(AMQP_URL, connect_timeout=5) as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.connected
