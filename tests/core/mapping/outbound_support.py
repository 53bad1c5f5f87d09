"""Test support for the outbound tests: load outbound maps, render, read the result back.

Rendering uses a fixed envelope and a fresh in-memory allocator, so the output of a map
for a document is always the same text (the golden files depend on it).
"""

from __future__ import annotations

from datetime import datetime

import yaml
from mapping_support import MAPPINGS, REPO, resolver

from b2bbridge.core.edi.events import PartyId, Transaction, collect_transactions
from b2bbridge.core.edi.reader import read_bytes_events
from b2bbridge.core.errors import Problem
from b2bbridge.core.mapping.outbound import CountingAllocator, OutboundEnvelope, render_document
from b2bbridge.core.mapping.outbound_loader import load_outbound_mapping
from b2bbridge.core.mapping.outbound_plan import OutboundSpec
from b2bbridge.core.model.base import CanonicalDocument
from b2bbridge.core.schemas.catalog import TextSchemaCatalog
from b2bbridge.core.schemas.validator import validate_transaction

FIXTURES = REPO / "tests" / "fixtures" / "outbound"
GOLDEN = REPO / "mappings" / "tests" / "outbound"
CASES = GOLDEN / "cases.yaml"


def _envelope() -> OutboundEnvelope:
    """The fixed envelope the golden cases declare."""
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))["envelope"]
    return OutboundEnvelope(
        sender=PartyId(**data["sender"]),
        receiver=PartyId(**data["receiver"]),
        when=datetime.fromisoformat(data["when"]),
        partner="acme",
    )


ENVELOPE = _envelope()


def load_outbound(name: str, extra: dict[str, str] | None = None) -> OutboundSpec:
    """Load ``mappings/<name>``, or a text from ``extra`` under that name."""
    resolve = resolver(MAPPINGS, extra)
    return load_outbound_mapping(resolve(name), source_name=name, resolve=resolve)


def fixture(spec: OutboundSpec, name: str) -> CanonicalDocument:
    """The canonical document in ``mappings/tests/outbound/<name>.json``."""
    text = (GOLDEN / f"{name}.json").read_text(encoding="utf-8")
    return spec.document.model_validate_json(text)


def render(spec: OutboundSpec, doc: CanonicalDocument) -> str:
    return render_document(doc, spec=spec, envelope=ENVELOPE, allocator=CountingAllocator())


def read_back(text: str) -> tuple[list[Transaction], list[Problem]]:
    """The transactions of ``text`` read by the syntax layer, and any problems reported."""
    transactions: list[Transaction] = []
    problems: list[Problem] = []
    for item in collect_transactions(read_bytes_events(text.encode("utf-8"))):
        if isinstance(item, Transaction):
            transactions.append(item)
            problems.extend(item.problems)
        elif isinstance(item, Problem):
            problems.append(item)
    return transactions, problems


SCHEMAS = REPO / "schemas"
CATALOG = TextSchemaCatalog(
    lambda name: (SCHEMAS / name).read_text(encoding="utf-8"),
    [str(p.relative_to(SCHEMAS)) for p in SCHEMAS.rglob("*.yaml")],
)


def structure_problems(transaction: Transaction) -> list[Problem]:
    """What the shipped message schema says about ``transaction``."""
    return validate_transaction(transaction, CATALOG)


def tags(transaction: Transaction) -> list[str]:
    return [segment.tag for segment in transaction.segments]


def golden_cases() -> list[dict[str, str]]:
    """The cases of ``mappings/tests/outbound/cases.yaml``."""
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    return [dict(case) for case in data["cases"]]
