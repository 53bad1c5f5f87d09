"""The one exception tree of b2bbridge, and the Problem value for non-fatal findings.

Every error has a stable ``code`` (snake_case, part of the public contract: it appears in
dead letters, ``inspect --json`` and logs), a :class:`Location`, and a
:class:`Disposition` that tells the pipeline what to do with the work that raised it::

    B2BError                      code, location, disposition
    ├── ConfigError               a bad setting, profile, connector or mapping file   STOP
    ├── EdiError                  bytes that are not well-formed EDI                  REJECT
    │   ├── EnvelopeError         ISA/GS/ST, UNB/UNG/UNH counts, control numbers
    │   └── EncodingError         bytes that do not decode under the declared charset
    ├── ValidationError           a message that breaks its structure schema         REJECT
    ├── MappingError              a mapping rule that cannot produce a value         REJECT
    ├── DuplicateError            an interchange or document already received        REJECT
    ├── UnknownPartnerError       no profile matches the envelope's ids              REJECT
    └── TransientError            the outside world failed; try again later          RETRY
        └── ConnectorError        a connector could not reach or talk to its peer

Readers never raise for bad input: they report :class:`Problem` values and carry on, so a
file with one bad transaction still yields the good ones. Services turn the problems that
matter into errors, and errors into dead letters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from b2bbridge.core.location import Location


class Disposition(Enum):
    """What the pipeline does with work that raised an error."""

    REJECT = "reject"  # permanent: dead-letter now, retrying cannot help
    RETRY = "retry"  # transient: retry with backoff, dead-letter after the last attempt
    STOP = "stop"  # the process cannot go on safely (bad configuration)


class Severity(Enum):
    """How bad a Problem is. Errors reject the enclosing unit; warnings are recorded."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding about input, reported without interrupting the read.

    ``code`` is stable; ``location`` says where. The acknowledgement code for each
    ``code`` is looked up by the ack builders, so that the mapping lives in one table.
    """

    code: str
    message: str
    location: Location = field(default_factory=Location)
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def render(self) -> str:
        return f"{self.severity.value} {self.code}: {self.message} ({self.location.render()})"


class B2BError(Exception):
    """Base of every error b2bbridge raises on purpose."""

    default_code = "error"
    disposition = Disposition.REJECT

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        location: Location | None = None,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.location = location or Location()
        self.problems = problems

    def with_location(self, **changes: str | int | None) -> B2BError:
        """Add context known at an outer boundary; returns self, for ``raise e.with_location()``."""
        self.location = self.location.with_(**changes)
        return self

    def __str__(self) -> str:
        where = self.location.render()
        return self.message if where == "unknown location" else f"{self.message} ({where})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by state, not by ``__init__``, which subclasses extend with keywords.

        A mapped unit that failed waits for its interchange's trailer with its error, and
        a large interchange spills those units to disk; the default exception pickling
        calls ``cls(*args)``, which a subclass with required keywords refuses.
        """
        return (_restore_error, (type(self), self.args, dict(self.__dict__)))


def _restore_error(cls: type[B2BError], args: tuple[Any, ...], state: dict[str, Any]) -> B2BError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ConfigError(B2BError):
    default_code = "config_invalid"
    disposition = Disposition.STOP


class EdiError(B2BError):
    default_code = "edi_malformed"


class EnvelopeError(EdiError):
    default_code = "envelope_invalid"


class EncodingError(EdiError):
    default_code = "encoding_invalid"


class ValidationError(B2BError):
    default_code = "validation_failed"


class MappingError(B2BError):
    default_code = "mapping_failed"


class DuplicateError(B2BError):
    default_code = "duplicate"


class UnknownPartnerError(B2BError):
    default_code = "unknown_partner"


class TransientError(B2BError):
    default_code = "transient"
    disposition = Disposition.RETRY


class ConnectorError(TransientError):
    default_code = "connector_failed"
