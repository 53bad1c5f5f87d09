from b2bbridge.core.location import Location


def test_location_renders_most_general_context_first() -> None:
    loc = Location(
        partner="ACME",
        interchange="000000123",
        transaction="0001",
        segment_id="DTM",
        segment_index=7,
        element=2,
    )
    assert loc.render() == (
        "partner ACME, interchange 000000123, transaction 0001: "
        "segment DTM at position 7, element 2"
    )


def test_with_keeps_existing_fields_when_given_none() -> None:
    loc = Location(file="a.edi", line=3).with_(line=None, partner="acme")
    assert (loc.file, loc.line, loc.partner) == ("a.edi", 3, "acme")


def test_merged_fills_only_missing_fields_from_the_outer_location() -> None:
    inner = Location(segment_id="SE", line=9)
    outer = Location(file="x.edi", line=1, interchange="42")
    merged = inner.merged(outer)
    assert (merged.file, merged.line, merged.interchange, merged.segment_id) == (
        "x.edi",
        9,
        "42",
        "SE",
    )


def test_empty_location_says_it_is_unknown() -> None:
    assert Location().render() == "unknown location"
