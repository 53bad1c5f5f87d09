"""JSON payloads (the HTTP API's order): a bounded parse, and JSON paths into the values.

Numbers are read as exact decimals, never floats, so ``2.10`` stays ``2.10``. Size is
bounded before parsing and nesting after (Python's parser refuses absurd nesting itself).

Path grammar, a small subset of JSONPath::

    path     := ["$"] step*            "$" or "." alone is the context value itself
    step     := "." KEY | "[" INDEX "]" | "[*]" | '["' KEY '"]' | "[?" KEY "=" V("|"V)* "]"

``lines[*].sku``, ``parties[?role=ship_to].name``, ``$.order["ship to"].city``. A list
at the end of a path stands for its items, so ``lines`` and ``lines[*]`` name the same
nodes for ``each:``. A value is text, a number or a boolean (``true``/``false``);
``null``, objects and lists are not values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from b2bbridge.core.location import Location
from b2bbridge.core.mapping.addresses import Hit, Spot, TreePath
from b2bbridge.core.mapping.failures import PayloadError, UnsafePayloadError
from b2bbridge.core.mapping.limits import DEFAULT_LIMITS, PayloadLimits
from b2bbridge.core.mapping.paths import PathSyntaxError

JsonValue = object


@dataclass(frozen=True, slots=True)
class JsonNode:
    """A JSON value and the path that reached it (``$.lines[1]``), for errors."""

    value: JsonValue
    where: str = "$"


def _depth(value: JsonValue, limit: int) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def parse_json(data: bytes, limits: PayloadLimits = DEFAULT_LIMITS) -> JsonNode:
    """The document as a :class:`JsonNode`; raise :class:`PayloadError` when it is not JSON."""
    if len(data) > limits.max_bytes:
        raise UnsafePayloadError(
            f"JSON payload of {len(data)} bytes is over the limit of {limits.max_bytes}",
            code="payload_too_large",
        )
    try:
        value = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except RecursionError as exc:
        raise UnsafePayloadError("JSON nested too deeply", code="payload_too_deep") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
        raise PayloadError(f"not valid JSON: {exc}", location=Location(line=line)) from exc
    if _depth(value, limits.max_depth) > limits.max_depth:
        raise UnsafePayloadError(
            f"JSON nesting deeper than {limits.max_depth} levels", code="payload_too_deep"
        )
    return JsonNode(value)


Step = Callable[[JsonNode], list[JsonNode]]
_TOKEN = re.compile(
    r"\.(?P<key>[A-Za-z_][\w-]*)|\[(?P<index>-?\d+)\]|\[(?P<all>\*)\]|\.(?P<star>\*)"
    r"|\[\"(?P<quoted>[^\"]+)\"\]|\[\?(?P<fkey>[\w-]+)=(?P<fvals>[^\]]+)\]"
)


def _key(name: str) -> Step:
    def step(node: JsonNode) -> list[JsonNode]:
        v = node.value
        return (
            [JsonNode(v[name], f"{node.where}.{name}")] if isinstance(v, dict) and name in v else []
        )

    return step


def _index(i: int) -> Step:
    def step(node: JsonNode) -> list[JsonNode]:
        v = node.value
        if isinstance(v, list) and -len(v) <= i < len(v):
            return [JsonNode(v[i], f"{node.where}[{i % len(v)}]")]
        return []

    return step


def _items(node: JsonNode) -> list[JsonNode]:
    v = node.value
    if isinstance(v, list):
        return [JsonNode(item, f"{node.where}[{i}]") for i, item in enumerate(v)]
    if isinstance(v, dict):
        return [JsonNode(item, f"{node.where}.{k}") for k, item in v.items()]
    return []


def _filter(name: str, values: frozenset[str]) -> Step:
    def step(node: JsonNode) -> list[JsonNode]:
        return [
            item for item in _items(node)
            if isinstance(item.value, dict) and _scalar(item.value.get(name)) in values
        ]  # fmt: skip

    return step


def _scalar(value: JsonValue) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | Decimal):
        return str(value)
    return None


def _compile(text: str) -> list[Step]:
    body = text.strip()
    body = body[1:] if body.startswith("$") else body
    if body in ("", "."):
        return []
    body = body if body.startswith((".", "[")) else "." + body
    steps: list[Step] = []
    pos = 0
    while pos < len(body):
        m = _TOKEN.match(body, pos)
        if m is None:
            raise PathSyntaxError(f"bad JSON path step at {body[pos:]!r}", pos)
        if m["key"] or m["quoted"]:
            steps.append(_key(m["key"] or m["quoted"]))
        elif m["index"]:
            steps.append(_index(int(m["index"])))
        elif m["all"] or m["star"]:
            steps.append(_items)
        else:
            steps.append(_filter(m["fkey"], frozenset(v.strip() for v in m["fvals"].split("|"))))
        pos = m.end()
    return steps


class JsonAddress(TreePath):
    """A compiled JSON path."""

    __slots__ = ("_steps",)

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._steps = _compile(text)

    def _nodes(self, node: object) -> list[JsonNode]:
        current = [node] if isinstance(node, JsonNode) else []
        for step in self._steps:
            current = [found for n in current for found in step(n)]
        out: list[JsonNode] = []
        for n in current:
            out.extend(_items(n) if isinstance(n.value, list) else [n])
        return out

    def select(self, node: object) -> list[object]:
        return list(self._nodes(node))

    def first(self, node: object) -> Hit | None:
        for n in self._nodes(node):
            text = _scalar(n.value)
            if text is not None and text.strip():
                return Hit(text.strip(), Spot(n.where))
        return None

    def spot(self, node: object) -> Spot:
        return describe_json(node)


def describe_json(node: object) -> Spot:
    return Spot(node.where if isinstance(node, JsonNode) else "$")
