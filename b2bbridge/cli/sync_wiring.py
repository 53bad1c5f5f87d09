"""Sync for the pipeline's commands: ``run``, ``worker`` and ``serve`` run triggered flows.

The worker service cannot build a sync context (only :mod:`b2bbridge.bootstrap_sync`
can, and services never import upward), so these commands build one next to their app
and hand the worker a :class:`~b2bbridge.services.sync_triggers.SyncTriggers` through
:attr:`ServiceContext.sync <b2bbridge.services.context.ServiceContext.sync>`.

A sync configuration that cannot be built (a password variable not set, a flow naming an
unknown system) does not stop the inbound pipeline: the command says so on stderr and in
the log (``sync_disabled``) and carries on without triggers. Flows' schedules then catch
up once the configuration is fixed, and a ``sync`` item that reaches such a worker is
dead-lettered as ``sync_not_configured``, to be replayed with ``b2bbridge sync replay``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace

import structlog

from b2bbridge.bootstrap import App
from b2bbridge.bootstrap_sync import build_sync_for
from b2bbridge.cli.console import err_console
from b2bbridge.core.errors import B2BError
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.sync_context import SyncContext
from b2bbridge.services.sync_triggers import SyncTriggers

log = structlog.get_logger("b2bbridge.cli")


@contextmanager
def opened_sync(app: App) -> Iterator[SyncContext | None]:
    """The sync context over ``app``'s store, or None (said out loud) when it cannot be built."""
    try:
        sync = build_sync_for(app)
    except B2BError as exc:
        log.warning("sync_disabled", code=exc.code, error=str(exc))
        err_console.print(f"[yellow]sync flows off:[/yellow] {exc}")
        yield None
        return
    try:
        yield sync
    finally:
        for system in sync.systems.values():
            system.close()


def with_triggers(
    ctx: ServiceContext,
    sync: SyncContext | None,
    guard: AbstractContextManager[object] | None = None,
    *,
    remember: bool = False,
) -> tuple[ServiceContext, SyncTriggers | None]:
    """``ctx`` with the sync hook set, and the hook (None when sync is off).

    ``remember`` keeps a note of each triggered run for a summary (``run``).
    """
    if sync is None:
        return ctx, None
    guarded = guard if guard is not None else nullcontext()
    triggers = SyncTriggers(sync, guard=guarded, remember=remember)
    return replace(ctx, sync=triggers), triggers
