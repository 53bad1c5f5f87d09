"""What the routes share: the service context, the authenticator, idempotency and metrics."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from b2bbridge.api.auth import Authenticator
from b2bbridge.api.metrics import ApiMetrics
from b2bbridge.api.writer import OrderWriter
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.idempotency import IdempotencyLedger


@dataclass
class ApiState:
    ctx: ServiceContext
    auth: Authenticator
    idempotency: IdempotencyLedger
    metrics: ApiMetrics
    writer: OrderWriter


async def api_state(request: Request) -> ApiState:
    """The shared state; ``async`` so that FastAPI does not run it on a worker thread."""
    state: ApiState = request.app.state.b2b
    return state
