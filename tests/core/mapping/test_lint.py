from __future__ import annotations

from mapping_support import MAPPINGS, resolver

from b2bbridge.core.mapping.lint import LintProblem, lint_mapping

BROKEN = """\
format: x12
document: order
codes:
  uom: codes/uom.csv
  carriers: codes/no_such_table.csv
fields:
  number: {path: BEG.03, required: true}
  colour: BEG.04
  order_date: {path: "BEG..05"}
  currency: {path: CUR.02, transform: [shout]}
  lines:
    each: PO1
    fields:
      quantity: {path: PO1.02, transform: [{date: CCYYMMDD}]}
      unit: {path: PO1.03, transform: [{code: units}]}
"""


def _lint(text: str, name: str = "x12/broken.yaml") -> list[LintProblem]:
    resolve = resolver(MAPPINGS, {name: text})
    return lint_mapping(text, source_name=name, resolve=resolve)


def test_lint_reports_every_broken_rule_with_file_line_and_column() -> None:
    rendered = [p.render().split(": ")[0] for p in _lint(BROKEN)]
    assert rendered == [
        "x12/broken.yaml:5:3",
        "x12/broken.yaml:8:3",
        "x12/broken.yaml:9:16",
        "x12/broken.yaml:10:40",
        "x12/broken.yaml:14:32",
        "x12/broken.yaml:15:40",
    ]
    by_line = {p.line: p for p in _lint(BROKEN)}
    assert set(by_line) == {5, 8, 9, 10, 14, 15}
    assert by_line[8].render().startswith("x12/broken.yaml:8:3: unknown canonical field 'colour'")
    assert by_line[9].message.startswith("bad path 'BEG..05'")
    assert "unknown transform 'shout'" in by_line[10].message
    assert by_line[14].message.startswith("type mismatch: field 'quantity' holds a decimal")
    assert "code table 'units' is not declared" in by_line[15].message


def test_lint_reports_a_missing_code_table_at_its_declaration() -> None:
    [problem] = [p for p in _lint(BROKEN) if p.line == 5]
    assert (problem.file, problem.column) == ("x12/broken.yaml", 3)
    assert "no_such_table.csv" in problem.message


def test_lint_reports_shape_errors_at_the_offending_key() -> None:
    text = "format: x12\ndocument: order\nfields:\n  number: {path: BEG.03, requried: true}\n"
    [problem] = _lint(text)
    assert (problem.line, problem.column) == (4, 26)
    assert "requried" in problem.message


def test_lint_reports_yaml_syntax_errors_with_their_place() -> None:
    [problem] = _lint("format: x12\nfields: {number: [BEG.03\n")
    assert problem.file == "x12/broken.yaml"
    assert problem.line == 3


def test_lint_checks_xml_paths_and_the_documents_path() -> None:
    text = "format: xml\ndocument: order\ndocuments: '//['\nfields:\n  number: 'a/@'\n"
    problems = _lint(text, "xml/broken.yaml")
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (3, "bad path '//['"),
        (5, "bad path 'a/@'"),
    ]


def test_every_shipped_inbound_map_lints_clean() -> None:
    resolve = resolver(MAPPINGS)
    names = [
        "x12/850.yaml",
        "edifact/ORDERS.yaml",
        "partners/example_ean010_orders.yaml",
        "xml/cxml_order.yaml",
        "xml/ubl_order.yaml",
        "json/order.yaml",
        "csv/reorder.yaml",
    ]
    found = {n: lint_mapping(resolve(n), source_name=n, resolve=resolve) for n in names}
    assert found == {n: [] for n in names}
