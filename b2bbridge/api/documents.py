"""The quick check of a pushed document before it is stored: right type, readable envelope.

The content type says what the partner claims to send; the first bytes must agree. An
X12 or EDIFACT body is read once through the streaming reader, and envelope or syntax
errors come back at once as a 422 naming each segment and its position, so the partner
fixes the file instead of waiting for a negative acknowledgement. Deeper checks (the
structure schema, the mapping) happen in the pipeline after the 202, and are visible at
``GET /v1/messages/{id}``.
"""

from __future__ import annotations

from b2bbridge.api.problems import ApiProblemError, segment_errors
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.reader import read_bytes_events
from b2bbridge.core.errors import Problem
from b2bbridge.core.mapping.formats import detect_format

ACCEPTED = {
    "application/edi-x12": "x12",
    "application/edifact": "edifact",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
}
MAX_LISTED = 20


def check_document(content_type: str, body: bytes) -> str:
    """The format of an acceptable body; raises a 415 or 422 problem otherwise."""
    media = content_type.split(";")[0].strip().lower()
    expected = ACCEPTED.get(media)
    if expected is None:
        raise ApiProblemError(
            415,
            "unsupported_media_type",
            f"content type {media or '(none)'!r} is not accepted; use one of "
            + ", ".join(sorted(ACCEPTED)),
        )
    found = detect_format(body, "upload.csv" if expected == "csv" else None)
    if found != expected:
        raise ApiProblemError(
            422,
            "body_invalid",
            f"the content type says {expected}, but the body reads as {found}",
            [{"pointer": "#", "detail": f"expected a {expected} document"}],
        )
    if expected in ("x12", "edifact"):
        problems = [
            ev
            for ev in read_bytes_events(body, ReadOptions(file="request body"))
            if isinstance(ev, Problem) and ev.is_error
        ]
        if problems:
            first = problems[0]
            raise ApiProblemError(
                422, "edi_invalid", first.render(), segment_errors(problems[:MAX_LISTED])
            )
    return expected
