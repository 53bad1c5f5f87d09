"""RFC 9457 problem details: every 4xx and 5xx the API returns has this one shape.

``type`` is a stable URI per problem code (``https://b2bbridge.dev/problems/<code>``),
``title`` a fixed sentence for that code, ``detail`` what went wrong this time, and
``errors`` (an extension member) lists each bad field as a JSON pointer into the request
body, each bad EDI segment with its position, or the request header at fault, so a
partner's developer can fix the request without reading logs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import ValidationError as PydanticValidationError

from b2bbridge.core.errors import Problem as EdiProblem

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://b2bbridge.dev/problems/"

TITLES = {
    "unauthenticated": "Authentication required",
    "signature_invalid": "The request signature does not match",
    "timestamp_missing": "A signed request needs X-B2B-Timestamp",
    "timestamp_invalid": "X-B2B-Timestamp is malformed or outside the accepted window",
    "payload_too_large": "The request body is over the size limit",
    "unsupported_media_type": "This content type is not accepted here",
    "body_invalid": "The request body is not valid",
    "edi_invalid": "The EDI payload is not valid",
    "idempotency_key_reused": "The Idempotency-Key was used with a different body",
    "idempotency_key_in_flight": "A request with this Idempotency-Key is still being stored",
    "not_found": "No such resource",
    "forbidden": "This resource belongs to another partner",
    "unavailable": "The service cannot store the request now",
}


class ApiProblemError(Exception):
    """Raised by a route to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        errors: Sequence[dict[str, Any]] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}


def problem_response(problem: ApiProblemError, instance: str) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + problem.code,
        "title": TITLES.get(problem.code, problem.code.replace("_", " ")),
        "status": problem.status,
        "detail": problem.detail,
        "instance": instance,
    }
    if problem.errors:
        body["errors"] = problem.errors
    return JSONResponse(body, problem.status, headers=problem.headers, media_type=MEDIA_TYPE)


def field_errors(exc: PydanticValidationError) -> list[dict[str, Any]]:
    """Pydantic errors as ``{pointer, detail}`` pairs (never echoing the input value)."""
    out = []
    for err in exc.errors(include_input=False, include_url=False):
        pointer = "#/" + "/".join(str(p) for p in err["loc"]) if err["loc"] else "#"
        out.append({"pointer": pointer, "detail": err["msg"]})
    return out


def segment_errors(problems: Sequence[EdiProblem]) -> list[dict[str, Any]]:
    """Reader problems as ``{code, detail, segment, position, location}`` entries."""
    out = []
    for p in problems:
        loc = p.location
        out.append(
            {
                "code": p.code,
                "detail": p.message,
                "segment": loc.segment_id,
                "position": loc.segment_index,
                "location": loc.render(),
            }
        )
    return out
