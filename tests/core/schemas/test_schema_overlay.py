"""Partner overlays: the same file passes the base and fails the partner's rules, and back."""

from __future__ import annotations

import pytest
from schemas_support import CATALOG, FIXTURES, brief, problems_of, transactions

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.schemas.catalog import TextSchemaCatalog


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_file_without_a_contact_passes_the_base_and_fails_acme_per_rule() -> None:
    data = _fixture("850_no_contact.edi")
    [base] = problems_of(data)
    [retailer] = problems_of(data, partner="retailer")
    assert base == []
    assert brief(retailer, 3) == [("segment_missing", "PER", 3, None)]  # found at the DTM


def test_file_with_an_nte_fails_the_base_and_passes_acme_which_allows_it() -> None:
    data = _fixture("850_contact_and_note.edi")
    [base] = problems_of(data)
    [retailer] = problems_of(data, partner="retailer")
    assert brief(base, 3) == [("segment_unexpected", "NTE", 5, None)]
    assert retailer == []


def test_acme_restricts_the_order_type_code_list() -> None:
    data = _fixture("850_no_contact.edi").replace(b"BEG*00*SA*", b"BEG*00*RO*")
    [retailer] = problems_of(data, partner="retailer")
    assert ("element_invalid_code", "BEG", 2, 2) in brief(retailer, 3)


def test_acme_lowers_the_pid_loop_maximum_to_one() -> None:
    data = _fixture("850_contact_and_note.edi").replace(
        b"PID*F****WIDGET SMALL~", b"PID*F****WIDGET SMALL~PID*F****BLUE~"
    )
    [retailer] = problems_of(data, partner="retailer")
    assert brief(retailer, 3) == [("loop_over_max", "PID", 9, None)]


def test_overlay_leaves_the_compiled_base_schema_untouched() -> None:
    tx = transactions(_fixture("850_no_contact.edi"))[0]
    base = CATALOG.schema_for("850", tx.header.version or "")
    retailer = CATALOG.schema_for("850", tx.header.version or "", "retailer")
    assert base is not None
    assert retailer is not None
    assert base.root.slots[4].tag == "PER"
    assert base.root.slots[4].min_use == 0
    assert retailer.root.slots[4].min_use == 1


def _catalog_with(overlay: str) -> TextSchemaCatalog:
    texts = {"partners/bad/850.yaml": overlay}

    def resolve(name: str) -> str:
        return texts[name] if name in texts else CATALOG.resolve(name)

    return TextSchemaCatalog(resolve, [*CATALOG.names, *texts])


def test_overlay_naming_a_missing_segment_fails_with_its_line() -> None:
    catalog = _catalog_with('kind: overlay\nset: "850"\nchanges:\n  - {segment: XYZ, req: M}\n')
    with pytest.raises(ConfigError) as caught:
        catalog.schema_for("850", "004010", "bad")
    assert caught.value.code == "schema_invalid"
    assert str(caught.value).startswith("partners/bad/850.yaml, line 4, column")


def test_overlay_with_an_unknown_change_key_fails_with_its_line() -> None:
    catalog = _catalog_with('kind: overlay\nset: "850"\nchanges:\n  - {segmnt: PER}\n')
    with pytest.raises(ConfigError) as caught:
        catalog.schema_for("850", "004010", "bad")
    assert "unknown change key 'segmnt'" in str(caught.value)
    assert caught.value.location.line == 4
