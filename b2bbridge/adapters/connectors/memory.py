"""An in-process connector for tests and demos: an inbox and outbox held in dictionaries.

Features
    poll, fetch, confirm (moves to ``archived`` or ``failed``), send.
Connection
    none.
Options
    none; tests put payloads with :meth:`MemoryConnector.deliver` and read ``sent``.

It follows the same confirm semantics as the real connectors (an item stays in the inbox
until confirmed), so the services' crash-safety tests can run against it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from b2bbridge.adapters.connectors.base import ConnectorDefinition, parse_options, register_kind
from b2bbridge.core.errors import ConnectorError
from b2bbridge.ports import InboundFile


class MemoryOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MemoryConnector:
    """Dictionaries behind the Connector protocol."""

    kind = "memory"

    def __init__(self, name: str, partner: str | None = None) -> None:
        self.name = name
        self.partner = partner
        self.inbox: dict[str, bytes] = {}
        self.archived: dict[str, bytes] = {}
        self.failed: dict[str, bytes] = {}
        self.sent: dict[str, bytes] = {}
        self.closed = False

    def deliver(self, name: str, data: bytes) -> None:
        """What a partner does: put a file in the inbox."""
        self.inbox[name] = data

    def poll(self) -> Iterator[InboundFile]:
        for name in sorted(self.inbox):
            yield InboundFile(self.name, name, name, len(self.inbox[name]))

    def fetch(self, item: InboundFile) -> bytes:
        try:
            return self.inbox[item.ref]
        except KeyError as exc:
            raise ConnectorError(f"{item.ref} is no longer in the inbox") from exc

    def confirm(self, item: InboundFile, *, ok: bool) -> str | None:
        data = self.inbox.pop(item.ref, None)
        if data is None:
            return None
        (self.archived if ok else self.failed)[item.ref] = data
        return f"memory:{'archived' if ok else 'failed'}/{item.ref}"

    def send(self, name: str, data: bytes) -> str:
        self.sent[name] = data
        return f"memory:sent/{name}"

    def close(self) -> None:
        self.closed = True


def _create(definition: ConnectorDefinition, home: Path) -> MemoryConnector:
    parse_options(MemoryOptions, definition)
    return MemoryConnector(definition.name, definition.partner)


register_kind("memory", _create)
