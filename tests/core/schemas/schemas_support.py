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


Brief = list[tuple[str, str | None, int, int | None]]


def fixture(name: str) -> bytes:
    """A file under tests/fixtures/schemas."""
    return (FIXTURES / name).read_bytes()


def brief_of(data: bytes) -> Brief:
    """:func:`brief` of a file holding one transaction, positions from its ST/UNH."""
    [tx] = transactions(data)
    [found] = problems_of(data)
    return brief(found, tx.header.segment.index)


def check_clean_fixture(name: str, schema_file: str) -> None:
    """The fixture is read with ``schema_file`` and validates without a problem."""
    [tx] = transactions(fixture(name))
    assert CATALOG.file_for(tx.header.type, tx.header.version or "") == schema_file
    assert problems_of(fixture(name)) == [[]]


def broken_copy_brief(name: str, old: str, new: str) -> Brief:
    """The findings for the fixture with its first ``old`` replaced by ``new``."""
    data = fixture(name)
    assert old.encode() in data
    return brief_of(data.replace(old.encode(), new.encode(), 1))
