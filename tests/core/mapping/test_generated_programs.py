"""Generated mapping programs give exactly what the reference closures give.

The closure program (``evaluation.compile_program``) defines what a mapping means; the
generated program is a faster rendering of it. These tests hold the two together on every
shipped EDI mapping, on the fixtures and the public corpus, on a mapping written to use
every rule shape, and on transactions mutated at random.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mapping_support import (
    CORPUS,
    FIXTURES,
    MAPPINGS,
    corpus_edifact,
    corpus_x12,
    edifact_segments,
    load,
    transactions,
    x12_segments,
)

from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import B2BError, ConfigError
from b2bbridge.core.mapping.access import SegmentAccess
from b2bbridge.core.mapping.evaluation import compile_program
from b2bbridge.core.mapping.failures import Run
from b2bbridge.core.mapping.generated import FallbackError, compile_generated, generate_source
from b2bbridge.core.mapping.loops import build_scopes
from b2bbridge.core.mapping.spec import MappingSpec
from b2bbridge.core.mapping.transforms import TransformValueError

Outcome = tuple[str, object]


def _edi_specs() -> dict[str, MappingSpec]:
    """Every shipped inbound X12 and EDIFACT mapping (outbound ones do not load here)."""
    specs = {}
    for path in sorted(MAPPINGS.glob("*/*.yaml")):
        name = str(path.relative_to(MAPPINGS))
        try:
            spec = load(name)
        except (ConfigError, ValueError):
            continue
        if spec.format in ("x12", "edifact"):
            specs[name] = spec
    return specs


SPECS = _edi_specs()


def _outcome(program: Callable[..., object], spec: MappingSpec, tx: list[Segment]) -> Outcome:
    try:
        return "value", program(build_scopes(tx, spec.loops), Run("P", "0001"))
    except B2BError as exc:
        return "error", (type(exc).__name__, exc.code, str(exc), exc.location)


def _agree(spec: MappingSpec, tx: list[Segment]) -> Outcome:
    """Assert the generated and the loaded programs agree with the reference; its outcome."""
    reference = compile_program(spec.root, SegmentAccess())
    expected = _outcome(reference, spec, tx)
    assert _outcome(spec.program, spec, tx) == expected
    scope = build_scopes(tx, spec.loops)
    if expected[0] == "value":
        assert compile_generated(spec.root)(scope, Run("P", "0001")) == expected[1]
    else:
        with pytest.raises((FallbackError, TransformValueError, B2BError)):
            compile_generated(spec.root)(scope, Run("P", "0001"))
    return expected


def _x12(path: Path) -> list[list[Segment]]:
    return transactions(x12_segments(path.read_text()), "ST", "SE")


def _edifact(path: Path) -> list[list[Segment]]:
    return transactions(edifact_segments(path.read_text("latin-1")), "UNH", "UNT")


X12_FIXTURES = [
    *_x12(FIXTURES / "gen_850_two_orders.edi"),
    *_x12(MAPPINGS / "tests" / "inbound" / "x12_850.x12"),
]
EDIFACT_FIXTURES = [
    *_edifact(FIXTURES / "gen_orders_two_messages.edi"),
    *_edifact(MAPPINGS / "tests" / "inbound" / "edifact_orders.edi"),
]


def test_the_shipped_edi_mappings_are_all_generated() -> None:
    assert {"x12/850.yaml", "edifact/ORDERS.yaml", "partners/example_ean010_orders.yaml"} <= set(
        SPECS
    )
    for spec in SPECS.values():
        source, _ = generate_source(spec.root)
        assert "def rule_" in source


@pytest.mark.parametrize("name", sorted(SPECS))
def test_generated_program_matches_the_reference_on_the_fixtures(name: str) -> None:
    spec = SPECS[name]
    fixtures = X12_FIXTURES if spec.format == "x12" else EDIFACT_FIXTURES
    outcomes = [_agree(spec, tx) for tx in fixtures]
    if spec.message in ("850", "ORDERS"):
        assert all(kind == "value" for kind, _ in outcomes)


@pytest.mark.skipif(not CORPUS.exists(), reason="the shared corpus is not beside the project")
def test_generated_program_matches_the_reference_on_the_public_corpus() -> None:
    x12 = [tx for p in sorted((CORPUS / "x12").glob("85*")) for tx in corpus_x12(p.name)]
    edifact = [
        tx for p in sorted((CORPUS / "edifact").glob("ord*")) for tx in corpus_edifact(p.name)
    ]
    assert x12
    assert edifact
    for tx in x12:
        _agree(SPECS["x12/850.yaml"], tx)
    for tx in edifact:
        _agree(SPECS["edifact/ORDERS.yaml"], tx)
        _agree(SPECS["partners/example_ean010_orders.yaml"], tx)


EVERY_SHAPE = """
format: x12
document: order
codes:
  uom: codes/uom.csv
  party_roles: codes/party_roles.csv
loops:
  N1:
    members: [N3, N4, PER]
  PO1:
    members: [PID, DTM]
fields:
  number: {path: [BEG.03, "REF[01=PO].02"], required: true}
  order_type: {value: SA}
  currency: {path: "CUR[01=BY,02=USD].02"}
  order_date: {path: "DTM[01=002|004].02", transform: [{date: auto}], default: "20240101"}
  references:
    each: "REF[01=DP|IA]"
    fields:
      qualifier: REF.01
      value: {path: [REF.02, REF.03]}
  parties:
    each: N1
    when: {path: N1.01, in: [ST, BT]}
    fields:
      role: {path: N1.01, transform: [{code: party_roles, default: other}]}
      name: {join: [N1.02, N3.01], separator: " / "}
      id: N1.04
      address:
        required: true
        fields:
          lines: {each: N3, join: [N3.01, N3.02], separator: ", "}
          city: N4.01
          country: {path: N4.04, default: US}
  notes:
    each: "N1[01=ST]/PER"
    fields:
      text: PER.02
  lines:
    each: PO1
    required: true
    fields:
      line_number: PO1.01
      quantity: {path: PO1.02, required: true}
      unit: {path: PO1.03, transform: [{code: uom}]}
      unit_price: PO1.04
      gtin: "PO1{06=UP|UK}"
      buyer_item: {path: "PO1[03=EA]{06=BP}"}
      description: {path: ["PID[01=F].05", PID.05]}
      requested_ship_date: {path: "DTM[01=010].02", when: {path: PO1.03, in: [EA]}}
  totals:
    when: {path: CTT.01, in: ["2"]}
    fields:
      line_count: CTT.01
      amount: "AMT[01=TT].02"
  carrier:
    when: {path: CTT.01, in: ["9"]}
    fields:
      name: {value: NEVER}
"""

EVERY_SHAPE_850 = (
    "ST*850*0001~BEG*00*SA*PO1**20240115~CUR*BY*USD~REF*DP*042~REF*IA**V1~REF*ZZ*9~"
    "DTM*004*20240110~N1*ST*DC ONE*92*0001~N3*1 MAIN ST*UNIT 2~N3*FLOOR 3~N4*COLUMBUS*OH*43215~"
    "PER*BD*ANN~N1*BT*AP*92*0002~N3*PO BOX 1~N4*CHICAGO*IL*60601*CA~N1*VN*SKIPPED~"
    "PO1*1*8*EA*2.00**BP*B1*UK*U1*UP*U2~PID*F****WIDGET~DTM*010*20240120~"
    "PO1*2*3*CA*1.5**BP*B2~PID*X****PLAIN~DTM*010*20240121~CTT*2~AMT*TT*20.50~SE*21*0001~"
)


def _every_shape() -> MappingSpec:
    return load("every_shape.yaml", {"every_shape.yaml": EVERY_SHAPE})


def test_every_rule_shape_maps_as_the_reference_maps_it() -> None:
    spec = _every_shape()
    (tx,) = transactions(x12_segments(EVERY_SHAPE_850), "ST", "SE")
    kind, value = _agree(spec, tx)
    assert kind == "value"
    assert isinstance(value, dict)
    assert value["currency"] == "USD"
    assert [p["name"] for p in value["parties"]] == ["DC ONE / 1 MAIN ST", "AP / PO BOX 1"]
    assert value["parties"][0]["address"]["lines"] == ["1 MAIN ST, UNIT 2", "FLOOR 3"]
    assert value["parties"][1]["address"]["country"] == "CA"
    assert value["notes"] == [{"text": "ANN"}]
    assert value["totals"] == {"line_count": 2, "amount": Decimal("20.50")}
    assert "carrier" not in value
    assert [ln.get("buyer_item") for ln in value["lines"]] == ["B1", None]
    assert [ln.get("gtin") for ln in value["lines"]] == ["U1", None]
    assert [ln.get("requested_ship_date") for ln in value["lines"]] == [date(2024, 1, 20), None]
    assert value["references"] == [
        {"qualifier": "DP", "value": "042"},
        {"qualifier": "IA", "value": "V1"},
    ]


def test_a_failing_rule_raises_the_reference_error_with_its_location() -> None:
    spec = _every_shape()
    broken = EVERY_SHAPE_850.replace("PO1*2*3*CA", "PO1*2**CA")
    (tx,) = transactions(x12_segments(broken), "ST", "SE")
    kind, error = _agree(spec, tx)
    assert kind == "error"
    assert isinstance(error, tuple)
    assert error[1] == "mapping_required_missing"
    assert "lines[].quantity" in error[2]


RELEASED_ORDERS = (
    "UNH+1+ORDERS:D:96A:UN'BGM+220+PO?+1+9'DTM+137:20240115:102'"
    "NAD+DP+5412345678908::9++ACME+1 MAIN ST+ST?. LOUIS?+EAST+MO??+63101+US'"
    "NAD+BY+5412345000013::9++B?:Y+PO BOX 1+??+++US'"
    "LIN+1?:2++4000862141401:EN'QTY+21:8:PCE'LIN+?+++4000862141402:EN'QTY+21:1?,5:PCE'"
    "UNS+S'CNT+2:2'UNT+12+1'"
)


def test_released_characters_read_as_the_reference_reads_them() -> None:
    (tx,) = transactions(edifact_segments(RELEASED_ORDERS), "UNH", "UNT")
    for name in ("edifact/ORDERS.yaml", "partners/example_ean010_orders.yaml"):
        kind, value = _agree(SPECS[name], tx)
        assert kind == "value"
        assert isinstance(value, dict)
        cities = [p["address"]["city"] for p in value["parties"] if "city" in p["address"]]
        assert cities == ["ST. LOUIS+EAST", "?"]
        assert [ln["line_number"] for ln in value["lines"]] == ["1:2", "+"]


ALPHABET = ["", " ", "?", ":", "?:", "A?+B", "A??", "A?", "?:X", ">", "002", "010", "137",
            "UP", "BP", "EN", "IN", "ST", "BY", "21", "20240230", "20240115", "12.5", "1,5",
            "x", "PCE", "EA"]  # fmt: skip


def _mutations(count: int) -> st.SearchStrategy[list[tuple[str, int, int, str]]]:
    mutation = st.tuples(
        st.sampled_from(["set", "drop", "twice"]),
        st.integers(0, count - 1),
        st.integers(1, 9),
        st.sampled_from(ALPHABET),
    )
    return st.lists(mutation, min_size=1, max_size=6)


def _mutate(tx: list[Segment], mutations: list[tuple[str, int, int, str]]) -> list[Segment]:
    segments = list(tx)
    for kind, at, element, text in mutations:
        at %= len(segments)
        seg = segments[at]
        if kind == "drop" and 0 < at < len(segments) - 1:
            del segments[at]
        elif kind == "twice":
            segments.insert(at, seg)
        elif kind == "set":
            elements = list(seg.elements)
            elements.extend([""] * (element + 1 - len(elements)))
            elements[element] = text
            segments[at] = Segment(elements, seg.delimiters, seg.offset, seg.line, seg.index)
    return segments


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(data=st.data())
def test_mutated_850s_map_alike(data: st.DataObject) -> None:
    tx = X12_FIXTURES[0]
    _agree(SPECS["x12/850.yaml"], _mutate(tx, data.draw(_mutations(len(tx)))))


@SETTINGS
@given(data=st.data(), name=st.sampled_from(["edifact/ORDERS.yaml",
                                              "partners/example_ean010_orders.yaml"]))  # fmt: skip
def test_mutated_orders_map_alike(data: st.DataObject, name: str) -> None:
    tx = EDIFACT_FIXTURES[0]
    _agree(SPECS[name], _mutate(tx, data.draw(_mutations(len(tx)))))


@SETTINGS
@given(data=st.data())
def test_mutated_transactions_of_every_shape_map_alike(data: st.DataObject) -> None:
    (tx,) = transactions(x12_segments(EVERY_SHAPE_850), "ST", "SE")
    _agree(_every_shape(), _mutate(tx, data.draw(_mutations(len(tx)))))
