"""The API as a deployable ASGI application, built from settings like every other entry point.

``b2bbridge serve`` hosts it through uvicorn's import string
(``b2bbridge.api.asgi:create_app``, a factory), and a deployment can run it the same way
under any ASGI server. Settings come from ``B2BBRIDGE_SETTINGS_JSON`` (what ``serve``
hands over: the exact settings it was started with), else from the file named by
``B2BBRIDGE_CONFIG`` or ``./b2bbridge.toml``, with the usual ``B2BBRIDGE_*`` overrides.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from b2bbridge.api.app import create_api
from b2bbridge.bootstrap import build_app
from b2bbridge.config import Settings, load_settings

SETTINGS_VARIABLE = "B2BBRIDGE_SETTINGS_JSON"


def settings_from_environment() -> Settings:
    handed_over = os.environ.get(SETTINGS_VARIABLE)
    if handed_over:
        return Settings.model_validate_json(handed_over)
    named = os.environ.get("B2BBRIDGE_CONFIG")
    path = Path(named) if named else Path("b2bbridge.toml")
    return load_settings(path if named or path.exists() else None)


def create_app() -> FastAPI:
    """Build the store, connectors and API; the schema must already be migrated."""
    built = build_app(settings_from_environment(), migrate=False)
    return create_api(built.ctx, on_shutdown=built.close)
