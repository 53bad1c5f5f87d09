"""The API's routes; each one authenticates, checks its input, and calls one service."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool

from b2bbridge.api.accept import accept, accepted, request_digest
from b2bbridge.api.auth import Caller
from b2bbridge.api.documents import check_document
from b2bbridge.api.idempotency import Answer, Attempt, claim_then_store
from b2bbridge.api.orders import PARTNER_JSON, read_canonical_order, read_partner_orders
from b2bbridge.api.problems import ApiProblemError
from b2bbridge.api.state import ApiState, api_state
from b2bbridge.api.writer import order_answer
from b2bbridge.ports import IdempotencyRecord, NotFoundError
from b2bbridge.services.intake import OrderSubmission, message_lineage, receive_pushed

router = APIRouter()
State = Annotated[ApiState, Depends(api_state)]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200, description="makes a retry safe"),
]
PROBLEM: dict[int | str, dict[str, Any]] = {
    code: {"content": {"application/problem+json": {}}, "description": text}
    for code, text in {
        401: "no or bad credentials",
        409: "a request with this Idempotency-Key is still being stored; retry",
        413: "body over the size limit",
        415: "content type not accepted",
        422: "invalid body; errors name each field or segment",
    }.items()
}


async def caller(request: Request, state: State) -> Caller:
    """The authenticated partner; the body is read once here (it is signed)."""
    body = await request.body()
    who = state.auth.authenticate(request.headers, body)
    if len(body) > who.max_body_bytes:
        raise ApiProblemError(413, "payload_too_large", f"over {who.max_body_bytes} bytes")
    return who


Authenticated = Annotated[Caller, Depends(caller)]


@router.post(
    "/v1/orders",
    status_code=202,
    responses=PROBLEM,
    tags=["intake"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Order"}},
                PARTNER_JSON: {
                    "schema": {
                        "type": "object",
                        "description": "the partner's own JSON, read by its json/order mapping",
                    }
                },
            },
        }
    },
)
async def post_order(
    request: Request, who: Authenticated, state: State, key: IdempotencyKey = None
) -> JSONResponse:
    """Submit an order, canonical or in the partner's JSON; 202 once durably stored."""
    body = await request.body()
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == PARTNER_JSON:
        orders = await run_in_threadpool(read_partner_orders, state, who, body)
    elif media == "application/json":
        orders = [read_canonical_order(body, who)]
    else:
        raise ApiProblemError(
            415,
            "unsupported_media_type",
            f"send application/json (a canonical order) or {PARTNER_JSON}",
        )

    submission = OrderSubmission(who.connector, who.partner, body, tuple(orders))
    if key is None:
        return accepted(state, who, body, order_answer(await state.writer.stored(submission)))

    def attempt() -> Answer | IdempotencyRecord:
        got = state.writer.submit(submission, key)
        return got if isinstance(got, IdempotencyRecord) else (202, order_answer(got))

    return await run_in_threadpool(accept, state, who, body, key, attempt)


@router.post(
    "/v1/documents",
    status_code=202,
    responses=PROBLEM,
    tags=["intake"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in (
                    "application/edi-x12",
                    "application/edifact",
                    "application/xml",
                    "text/csv",
                )
            },
        }
    },
)
async def post_document(
    request: Request,
    who: Authenticated,
    state: State,
    key: IdempotencyKey = None,
    filename: str | None = None,
) -> JSONResponse:
    """Submit a raw EDI, XML or CSV document; 202 once stored, then processed in order."""
    body = await request.body()
    check_document(request.headers.get("content-type", ""), body)

    def store() -> Answer:
        got = receive_pushed(
            state.ctx, connector=who.connector, partner=who.partner, filename=filename, data=body
        )
        answer: dict[str, Any] = {"message_id": got.message_id, "status": "queued"}
        if got.duplicate_of is not None:
            answer.update(status="duplicate", duplicate_of=got.duplicate_of)
        return 202, answer

    attempt: Attempt = store
    if key is not None:
        digest = request_digest(body)
        attempt = claim_then_store(state.idempotency, who.partner, key, digest, store)
    return await run_in_threadpool(accept, state, who, body, key, attempt)


@router.get("/v1/messages/{message_id}", responses=PROBLEM, tags=["status"])
async def get_message(message_id: int, who: Authenticated, state: State) -> dict[str, Any]:
    """Status, lineage (envelopes, transactions, documents), acks and events of a message."""
    try:
        view = await run_in_threadpool(message_lineage, state.ctx, message_id)
    except NotFoundError:
        view = None
    if view is None or view["partner"] != who.partner:
        raise ApiProblemError(404, "not_found", f"message {message_id} is not one of yours")
    return view


@router.get("/v1/healthz", tags=["operations"])
async def healthz(state: State) -> JSONResponse:
    """200 when the store answers; 503 (problem+json) when it does not."""
    try:
        pending = await run_in_threadpool(state.ctx.queue.pending_count)
    except Exception as exc:  # noqa: BLE001 - any store failure means unhealthy
        raise ApiProblemError(
            503, "unavailable", f"the store does not answer: {type(exc).__name__}"
        ) from None
    return JSONResponse({"status": "ok", "queue_pending": pending})


@router.get("/metrics", tags=["operations"], response_class=Response)
async def metrics(state: State) -> Response:
    """Prometheus text exposition."""
    return Response(state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
