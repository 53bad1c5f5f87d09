"""The composition root for synchronisation: systems, flows and sync state from settings.

Kept apart from :mod:`b2bbridge.bootstrap` so that the pipeline starts without the sync
configuration. Systems are built from ``connectors/systems/*.yaml`` (passwords from the
environment), flows from ``connectors/flows/*.yaml``; the ``pipeline`` system is always
there. A system of kind ``partner`` (``partner: acme``, optional ``syntax: edifact``) is
a :class:`~b2bbridge.services.sync_partner.PartnerOutbox` sending through the partner's
outbox connector with the partner's outbound maps.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

from b2bbridge.adapters.store import make_engine, sync_state_factory
from b2bbridge.adapters.systems import build_system, load_sync_settings
from b2bbridge.bootstrap import App, build_app, database_url
from b2bbridge.config import Settings
from b2bbridge.core.mapping.outbound_loader import load_outbound_mapping
from b2bbridge.core.mapping.outbound_plan import OutboundSpec
from b2bbridge.core.partner import PartnerProfile
from b2bbridge.ports import SystemAdapter
from b2bbridge.services.sync_context import SyncContext
from b2bbridge.services.sync_partner import MapLoader, PartnerOutbox
from b2bbridge.services.sync_pipeline import PipelineDocuments


def build_sync(settings: Settings, env: Mapping[str, str] | None = None) -> SyncContext:
    """A ready :class:`SyncContext` over the app's store, queue-free; the schema is upgraded."""
    return build_sync_for(build_app(settings), env)


def build_sync_for(app: App, env: Mapping[str, str] | None = None) -> SyncContext:
    """A :class:`SyncContext` sharing ``app``'s store, clock and retry policy.

    The worker, ``run`` and ``serve`` build their app first and then this, so that the
    sync runs they do and the pipeline's work go through the same store.
    """
    settings = app.settings
    config = load_sync_settings(
        settings.path(settings.connectors_dir), os.environ if env is None else env
    )
    systems: dict[str, SystemAdapter] = {}
    for name, values in config.systems.items():
        systems[name] = (
            _partner(app, name, values)
            if values.get("kind") == "partner"
            else build_system(name, values)
        )
    systems.setdefault("pipeline", PipelineDocuments(app.ctx.uow))
    return SyncContext(
        systems=systems,
        flows=config.flows,
        state=sync_state_factory(make_engine(database_url(settings)), app.ctx.clock),
        uow=app.ctx.uow,
        clock=app.ctx.clock,
        retry=app.ctx.retry,
        pause=time.sleep,
    )


def _partner(app: App, name: str, values: Mapping[str, object]) -> PartnerOutbox:
    profile = app.ctx.partners.get(str(values.get("partner", name)))
    outbox = app.connectors.get(profile.outbox_connector) if profile.outbox_connector else None
    return PartnerOutbox(
        name,
        profile=profile,
        load_map=outbound_maps(app.settings.path(app.settings.mappings_dir)),
        uow=app.ctx.uow,
        outbox=outbox,
        clock=app.ctx.clock,
        syntax=str(values.get("syntax", "x12")),
    )


def outbound_maps(root: Path) -> MapLoader:
    """Loads a partner's outbound map for a key (``x12/856``), else the base map."""

    def load(profile: PartnerProfile, key: str) -> OutboundSpec:
        folder, _, doc_type = key.partition("/")
        name = profile.mapping_for(folder, doc_type) or f"{key}.yaml"

        def read(ref: str) -> str:
            return (root / ref).read_text(encoding="utf-8")

        return load_outbound_mapping(read(name), source_name=name, resolve=read)

    return load
