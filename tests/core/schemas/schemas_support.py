"""Test support: the shipped schemas as a catalog, and reading a file's transactions."""

from __future__ import annotations

from pathlib import Path

from b2bbridge.core.edi.events import Transaction, collect_transactions
from b2bbridge.core.edi.reader import read_bytes_events
from b2bbridge.core.errors import Problem
from b2bbridge.core.schemas.catalog import TextSchemaCatalog
from b2bbridge.core.schemas.validator import validate_transaction

REPO = Path(__file__).resolve().parents[3]
SCHEMAS = REPO / "schemas"
CORPUS = REPO.parent / "shared" / "corpus"
FIXTURES = REPO / "tests" / "fixtures" / "schemas"


def shipped_catalog() -> TextSchemaCatalog:
    names = sorted(p.relative_to(SCHEMAS).as_posix() for p in SCHEMAS.rglob("*.yaml"))
    return TextSchemaCatalog(lambda n: (SCHEMAS / n).read_text(encoding="utf-8"), names)


CATALOG = shipped_catalog()


def transactions(data: bytes) -> list[Transaction]:
    return [t for t in collect_transactions(read_bytes_events(data)) if isinstance(t, Transaction)]


def problems_of(data: bytes, partner: str | None = None) -> list[list[Problem]]:
    """The validator's problems, one list per transaction of the file."""
    return [validate_transaction(t, CATALOG, partner) for t in transactions(data)]


def brief(problems: list[Problem], start: int = 0) -> list[tuple[str, str | None, int, int | None]]:
    """(code, segment, position in the transaction with ST/UNH = 1, element) per problem."""
    out = []
    for p in problems:
        where = p.location
        index = (where.segment_index or 0) - start + 1
        out.append((p.code, where.segment_id, index, where.element))
    return out
