from __future__ import annotations

import pytest

from b2bbridge.core.mapping.jsonsource import JsonAddress, JsonNode, parse_json
from b2bbridge.core.mapping.paths import PathSyntaxError

DOC = parse_json(
    b'{"a": {"b": [1, 2]}, "parties": [{"role": "buyer", "name": "B"},'
    b' {"role": "ship_to", "name": "S"}], "ship to": {"city": "X"}, "flag": false, "none": null}'
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a.b", "1"),
        ("$.a.b[1]", "2"),
        ("a.b[-1]", "2"),
        ("parties[?role=ship_to].name", "S"),
        ("parties[?role=seller|buyer].name", "B"),
        ('["ship to"].city', "X"),
        ("parties[*].name", "B"),
        ("flag", "false"),
        ("none", None),
        ("a", None),
        ("missing.key", None),
    ],
)
def test_json_path_reads_the_first_value(path: str, expected: str | None) -> None:
    assert JsonAddress(path).read(DOC) == expected


def test_json_path_selects_list_items_with_their_places() -> None:
    nodes = JsonAddress("parties").select(DOC)
    assert [n.where for n in nodes if isinstance(n, JsonNode)] == ["$.parties[0]", "$.parties[1]"]


def test_dollar_alone_is_the_context_value() -> None:
    assert JsonAddress("$").read(JsonNode("text", "$.notes[0]")) == "text"


@pytest.mark.parametrize("bad", ["a..b", "a[", "a[x]", "a b"])
def test_malformed_json_paths_are_refused(bad: str) -> None:
    with pytest.raises(PathSyntaxError):
        JsonAddress(bad)
