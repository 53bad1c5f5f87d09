"""Golden pairs: inputs with the exact output their map must give, run by ``mappings test``.

Two suites live under ``mappings/tests/``, each described by a ``cases.yaml``:

- ``inbound/``: an input file (EDI, XML, JSON, CSV, XLSX) and the canonical JSON its map
  gives (a list: one entry per transaction or document). Both sides are compared as
  normalised JSON (sorted keys, no ``null`` fields or empty lists), so layout never fails
  a case.
- ``outbound/``: a canonical document (JSON) and the exact EDI or XML text its outbound
  map writes, with the envelope the suite declares and control numbers counting from 1.

A failing case carries a unified diff, expected first, so an ops engineer sees which value
changed. The core reads nothing: the caller passes functions that read a case's files and
load maps by name.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import yaml
from pydantic import BaseModel, ConfigDict, Field

from b2bbridge.core.edi.events import PartyId, Transaction, collect_transactions
from b2bbridge.core.edi.reader import read_bytes_events
from b2bbridge.core.errors import B2BError
from b2bbridge.core.mapping.formats import detect_format
from b2bbridge.core.mapping.inbound import map_transaction
from b2bbridge.core.mapping.payload import map_payload
from b2bbridge.core.mapping.spec import MappingSpec
from b2bbridge.core.model.base import CanonicalDocument

Read = Callable[[str], bytes]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldenCase(_Strict):
    map: str
    input: str
    expected: str
    partner: str | None = None


class GoldenEnvelope(_Strict):
    sender: dict[str, str]
    receiver: dict[str, str]
    when: datetime


class GoldenSuite(_Strict):
    """A ``cases.yaml``: the cases, a default partner, and (outbound) the envelope."""

    partner: str = "golden"
    envelope: GoldenEnvelope | None = None
    cases: list[GoldenCase] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GoldenOutcome:
    """One case's result; ``detail`` is the diff or the error when it failed."""

    case: GoldenCase
    passed: bool
    detail: str = ""
    actual: str = ""


def read_suite(text: str) -> GoldenSuite:
    return GoldenSuite.model_validate(yaml.safe_load(text) or {})


def _pruned(value: object) -> object:
    """Drop ``null`` values and empty lists, which say nothing and make long diffs."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def _dumps(value: object) -> str:
    return json.dumps(_pruned(value), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def canonical_json(documents: Sequence[CanonicalDocument]) -> str:
    """Documents as the normalised JSON golden files hold (no nulls, no empty lists)."""
    return _dumps([d.model_dump(mode="json") for d in documents])


def _normalised(text: str) -> str:
    return _dumps(json.loads(text))


def text_diff(expected: str, actual: str, *, name: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True),
        fromfile=f"{name} (expected)", tofile=f"{name} (actual)",
    )  # fmt: skip
    return "".join(lines)


def map_input(
    data: bytes, filename: str, spec: MappingSpec, partner: str
) -> list[CanonicalDocument]:
    """Map a file of any inbound format with one map: every transaction or document."""
    format = detect_format(data, filename)
    if format not in ("x12", "edifact"):
        return map_payload(data, format=format, spec=spec, partner=partner)
    items = collect_transactions(read_bytes_events(data))
    return [map_transaction(t, spec, partner=partner) for t in items if isinstance(t, Transaction)]


def _outcome(case: GoldenCase, expected: str, actual: str) -> GoldenOutcome:
    if expected == actual:
        return GoldenOutcome(case, True, actual=actual)
    return GoldenOutcome(case, False, text_diff(expected, actual, name=case.expected), actual)


def check_inbound(
    case: GoldenCase, suite: GoldenSuite, read: Read, load: Callable[[str], MappingSpec]
) -> GoldenOutcome:
    try:
        documents = map_input(
            read(case.input), case.input, load(case.map), case.partner or suite.partner
        )
        actual = canonical_json(documents)
        expected = _normalised(read(case.expected).decode("utf-8"))
    except (B2BError, OSError, LookupError, ValueError) as exc:
        return GoldenOutcome(case, False, f"{type(exc).__name__}: {exc}")
    return _outcome(case, expected, actual)


def check_outbound(
    case: GoldenCase, suite: GoldenSuite, read: Read, load: Callable[[str], object]
) -> GoldenOutcome:
    """Render the case's document with its outbound map (loaded by ``load``)."""
    from b2bbridge.core.mapping.outbound import (
        CountingAllocator,
        OutboundEnvelope,
        render_document,
    )
    from b2bbridge.core.mapping.outbound_plan import OutboundSpec

    if suite.envelope is None:
        return GoldenOutcome(case, False, "the outbound suite declares no envelope:")
    env = suite.envelope
    envelope = OutboundEnvelope(
        sender=PartyId(env.sender.get("qualifier"), env.sender["id"]),
        receiver=PartyId(env.receiver.get("qualifier"), env.receiver["id"]),
        when=env.when,
        partner=case.partner or suite.partner,
    )
    try:
        spec = load(case.map)
        assert isinstance(spec, OutboundSpec)
        document = spec.document.model_validate_json(read(case.input))
        actual = render_document(
            document, spec=spec, envelope=envelope, allocator=CountingAllocator()
        )
        expected = read(case.expected).decode("utf-8")
    except (B2BError, OSError, LookupError, ValueError) as exc:
        return GoldenOutcome(case, False, f"{type(exc).__name__}: {exc}")
    return _outcome(case, expected, actual)
