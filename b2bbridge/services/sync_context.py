"""What the sync services need, as one value: systems, flows, the stores and a pause.

The composition root (or a test) builds a :class:`SyncContext`. ``pause`` is how a retry
waits between attempts inside one run; services never sleep on their own, so tests pass
a recorder and the CLI passes ``time.sleep``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.sync import FlowSpec
from b2bbridge.ports import Clock, SyncStateFactory, SystemAdapter, UnitOfWorkFactory
from b2bbridge.services.context import RetryPolicy


def _no_pause(seconds: float) -> None:
    """The default pause: none, so that unit tests never wait."""


@dataclass(frozen=True, slots=True)
class SyncContext:
    systems: Mapping[str, SystemAdapter]
    flows: Mapping[str, FlowSpec]
    state: SyncStateFactory
    uow: UnitOfWorkFactory
    clock: Clock
    retry: RetryPolicy = field(
        default_factory=lambda: RetryPolicy(max_attempts=3, base_seconds=0.5)
    )
    pause: Callable[[float], None] = _no_pause

    def flow(self, name: str) -> FlowSpec:
        try:
            return self.flows[name]
        except KeyError:
            raise ConfigError(f"no sync flow named {name!r}; known: {sorted(self.flows)}") from None

    def system(self, name: str) -> SystemAdapter:
        try:
            return self.systems[name]
        except KeyError:
            raise ConfigError(
                f"no sync system named {name!r}; known: {sorted(self.systems)}"
            ) from None
