"""structlog set-up: key-value events, JSON when not on a terminal, a correlation id per message.

Only services and adapters log. Each state change is one event named in snake_case
(``interchange_rejected``) with key-value pairs; the correlation id, partner and control
number are bound once per message with :func:`bind_message` so every line of that
message's work carries them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import structlog


def configure_logging(
    *, level: str = "info", fmt: str = "auto", stream: TextIO | None = None
) -> None:
    """Set up structlog once per process; ``fmt='auto'`` picks console on a TTY, else JSON."""
    out = stream or sys.stderr
    use_json = fmt == "json" or (fmt == "auto" and not out.isatty())
    renderer: Any = (
        structlog.processors.JSONRenderer(sort_keys=False)
        if use_json
        else structlog.dev.ConsoleRenderer(colors=out.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=(
            structlog.PrintLoggerFactory(file=stream) if stream is not None else _current_stderr
        ),
        cache_logger_on_first_use=False,
    )


def _current_stderr(*_args: Any) -> structlog.PrintLogger:
    """A logger on whatever ``sys.stderr`` is now, not the one at set-up time.

    Loggers are not cached, so a stream swapped in later (a test runner capturing
    output, a daemon redirecting stderr) is honoured, and a stream closed since set-up
    is never written to.
    """
    return structlog.PrintLogger(sys.stderr)


@contextmanager
def bind_message(**values: Any) -> Iterator[None]:
    """Bind correlation_id, partner, icn ... for the work on one message, then unbind."""
    kept = {k: v for k, v in values.items() if v is not None}
    tokens = structlog.contextvars.bind_contextvars(**kept)
    try:
        yield
    finally:
        structlog.contextvars.reset_contextvars(**tokens)
