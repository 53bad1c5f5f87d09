"""The API as a deployable ASGI application, built from settings like every other entry point.

``b2bbridge serve`` hosts it through uvicorn's import string
(``b2bbridge.api.asgi:create_app``, a factory), and a deployment can run it the same way
under any ASGI server. Settings come from ``B2BBRIDGE_SETTINGS_JSON`` (what ``serve``
hands over: the exact settings it was started with), else from the file named by
``B2BBRIDGE_CONFIG`` or ``./b2bbridge.toml``, with the usual ``B2BBRIDGE_*`` overrides.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import structlog
from fastapi import FastAPI

from b2bbridge.api.app import create_api
from b2bbridge.bootstrap import build_app, settle_heap
from b2bbridge.bootstrap_sync import build_sync_for
from b2bbridge.config import Settings, load_settings
from b2bbridge.core.errors import B2BError
from b2bbridge.services.sync_triggers import SyncTriggers

log = structlog.get_logger("b2bbridge.api")

SETTINGS_VARIABLE = "B2BBRIDGE_SETTINGS_JSON"


def settings_from_environment() -> Settings:
    handed_over = os.environ.get(SETTINGS_VARIABLE)
    if handed_over:
        return Settings.model_validate_json(handed_over)
    named = os.environ.get("B2BBRIDGE_CONFIG")
    path = Path(named) if named else Path("b2bbridge.toml")
    return load_settings(path if named or path.exists() else None)


def create_app() -> FastAPI:
    """Build the store, connectors and API; the schema must already be migrated.

    An order stored through the API queues the sync flows it triggers, as one received
    by the pipeline does; the workers run them. When the sync configuration cannot be
    built, orders are still taken and the flows' schedules pick them up.
    """
    built = build_app(settings_from_environment(), migrate=False)
    try:
        sync = build_sync_for(built)
    except B2BError as exc:
        log.warning("sync_disabled", code=exc.code, error=str(exc))
        api = create_api(built.ctx, settings=built.settings.api, on_shutdown=built.close)
    else:

        def close() -> None:
            for system in sync.systems.values():
                system.close()
            built.close()

        ctx = replace(built.ctx, sync=SyncTriggers(sync))
        api = create_api(ctx, settings=built.settings.api, on_shutdown=close)
    settle_heap()
    return api
