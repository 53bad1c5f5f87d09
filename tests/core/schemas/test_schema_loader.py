"""Schema files: compiled from text, and every mistake named by file, line and column."""

from __future__ import annotations

import pytest

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.schemas.dictionary import load_dictionary
from b2bbridge.core.schemas.loader import load_schema
from b2bbridge.core.schemas.model import UNBOUNDED

DICT = """\
kind: dictionary
standard: x12
elements:
  "1": AN 1 5 Text
  "2": ID 2 2 Code
segments:
  ST: {elements: ["2 M", "1 M"]}
  SE: {elements: ["1 M", "1 M"]}
  AA: {elements: ["1 M", "2 O"], notes: [P0102]}
"""


def _load(message: str, dictionary: str = DICT) -> object:
    texts = {"d.yaml": dictionary, "m.yaml": message}
    return load_schema(message, "m.yaml", texts.__getitem__)


def _error(message: str, dictionary: str = DICT) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        _load(message, dictionary)
    assert caught.value.code == "schema_invalid"
    return caught.value


HEAD = 'kind: message\nstandard: x12\nversion: "004010"\nset: "900"\ndictionary: d.yaml\n'


def test_structure_compiles_to_slots_with_uses_and_an_index() -> None:
    schema = _load(
        HEAD + "structure: [ST M 1, AA O >1, {loop: L1, max: 3, body: [AA M 1]}, SE M 1]\n"
    )
    root = schema.root  # type: ignore[attr-defined]
    assert [(s.tag, s.min_use, s.max_use) for s in root.slots] == [
        ("ST", 1, 1),
        ("AA", 0, UNBOUNDED),
        ("AA", 0, 3),
        ("SE", 1, 1),
    ]
    assert root.index["AA"] == (1, 2)
    assert root.slots[1].segment.notes[0].positions == (1, 2)


def test_unknown_segment_in_structure_names_file_line_and_column() -> None:
    err = _error(HEAD + "structure:\n  - ST M 1\n  - ZZ M 1\n")
    assert str(err).startswith("m.yaml, line 8, column 5: segment ZZ is not in dictionary d.yaml")


def test_bad_structure_item_names_its_line() -> None:
    err = _error(HEAD + "structure:\n  - ST M 1\n  - AA sometimes\n")
    assert "m.yaml, line 8" in str(err)
    assert "'TAG REQ MAX'" in str(err)


def test_unknown_element_in_a_segment_names_the_dictionary_line() -> None:
    bad = DICT.replace('AA: {elements: ["1 M", "2 O"]', 'AA: {elements: ["1 M", "9 O"]')
    err = _error(HEAD + "structure: [ST M 1, AA M 1, SE M 1]\n", bad)
    assert str(err).startswith("d.yaml, line 9")
    assert "element 9 is not in dictionary" in str(err)


def test_syntax_note_beyond_the_segment_is_rejected() -> None:
    bad = DICT.replace("notes: [P0102]", "notes: [P0103]")
    err = _error(HEAD + "structure: [ST M 1, AA M 1, SE M 1]\n", bad)
    assert "syntax note P0103 names a missing element" in str(err)


def test_malformed_element_definition_is_rejected_with_its_line() -> None:
    bad = DICT.replace('"2": ID 2 2 Code', '"2": ID two 2 Code')
    err = _error(HEAD + "structure: [ST M 1, AA M 1, SE M 1]\n", bad)
    assert str(err).startswith("d.yaml, line 5")


def test_invalid_yaml_is_reported_as_a_schema_error_with_its_position() -> None:
    err = _error(HEAD + "structure: [ST M 1\n")
    assert str(err).startswith("m.yaml, line")
    assert "not valid YAML" in str(err)


def test_unknown_top_level_key_is_rejected() -> None:
    err = _error(HEAD + "structure: [ST M 1]\nstructur: []\n")
    assert "unknown key 'structur'" in str(err)


def test_loop_must_start_with_a_segment() -> None:
    text = HEAD + "structure: [{loop: L1, body: [{loop: L2, body: [AA M 1]}]}]\n"
    assert "must start with a segment" in str(_error(text))


def test_message_extends_another_and_replaces_its_version_and_dictionary() -> None:
    texts = {
        "d.yaml": DICT,
        "d2.yaml": 'kind: dictionary\nextends: d.yaml\nelements:\n  "1": AN 1 9 Wider\n',
        "base.yaml": HEAD + "structure: [ST M 1, AA M 1, SE M 1]\n",
    }
    child = 'kind: message\nextends: base.yaml\nversion: "005010"\ndictionary: d2.yaml\n'
    schema = load_schema(child, "child.yaml", texts.__getitem__)
    assert schema.version == "005010"
    element = schema.root.slots[1].segment
    assert element is not None
    assert element.elements[0].element is not None
    assert element.elements[0].element.max_length == 9


def test_dictionary_extends_loop_is_cut_off() -> None:
    texts = {"a.yaml": "kind: dictionary\nextends: a.yaml\n"}
    with pytest.raises(ConfigError) as caught:
        load_dictionary(texts["a.yaml"], "a.yaml", texts.__getitem__)
    assert "too deep" in str(caught.value)


def test_every_shipped_schema_file_follows_the_editor_json_schema() -> None:
    import json

    import jsonschema
    import yaml
    from schemas_support import SCHEMAS

    checker = jsonschema.Draft202012Validator(
        json.loads((SCHEMAS / "edi-schema.schema.json").read_text())
    )
    files = sorted(SCHEMAS.rglob("*.yaml"))
    assert len(files) >= 25
    for path in files:
        errors = [e.message for e in checker.iter_errors(yaml.safe_load(path.read_text()))]
        assert errors == [], path


def test_json_schema_rejects_a_structure_item_with_a_bad_requirement() -> None:
    import json

    import jsonschema
    from schemas_support import SCHEMAS

    checker = jsonschema.Draft202012Validator(
        json.loads((SCHEMAS / "edi-schema.schema.json").read_text())
    )
    doc = {"kind": "message", "structure": ["REF Q 1"]}
    assert not checker.is_valid(doc)
