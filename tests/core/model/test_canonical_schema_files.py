"""The checked-in ``schemas/canonical/*.json`` are what the models say today."""

from __future__ import annotations

from pathlib import Path

from b2bbridge.core.model.schemas import canonical_json_schemas

FOLDER = Path(__file__).resolve().parents[3] / "schemas" / "canonical"


def test_checked_in_canonical_schemas_match_the_models() -> None:
    expected = canonical_json_schemas()
    stale = [
        n
        for n, text in expected.items()
        if not (FOLDER / n).is_file() or (FOLDER / n).read_text(encoding="utf-8") != text
    ]
    assert stale == [], f"run `b2bbridge schemas export` to refresh: {stale}"


def test_no_schema_file_is_left_for_a_removed_document() -> None:
    on_disk = sorted(p.name for p in FOLDER.glob("*.schema.json"))
    assert on_disk == sorted(canonical_json_schemas())
    assert "order.schema.json" in on_disk
