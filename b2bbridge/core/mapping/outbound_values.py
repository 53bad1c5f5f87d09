"""Values on the way out: reading a path in a canonical document, transforming, formatting.

A path is dotted field names (``payment_terms.net_days``). A list along the way is
flattened, so ``lines.quantity`` reaches every line's quantity; a number picks one of the
values reached so far (``address.lines.0``, from 0). ``.`` is the current item
itself; ``$name.rest`` starts from a named item (``$doc`` is the whole document,
``$envelope`` the envelope, others are named by ``as:`` in a repeat).

Outbound steps mirror the inbound vocabulary, run the other way: ``date`` formats a date,
``code`` looks a canonical value up in a code table *in reverse* (the first code of the
map's own standard whose value it is, else the first code without a standard), and
``implied_decimals`` writes ``123.45`` as ``12345``, and ``decimal: N`` writes exactly N
places (``30`` as ``30.00``). Without a step, a decimal is written
in plain notation without trailing zeros, a date as ``CCYYMMDD`` and an enum as its value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from functools import lru_cache

from b2bbridge.core.mapping.codes import CodeTable
from b2bbridge.core.mapping.transforms import (
    TransformSpecError,
    TransformValueError,
    to_decimal,
)

OutValue = str | Decimal | int | date | datetime
Step = Callable[[OutValue], OutValue]
Option = str | int | float | bool | dict[str, str]

OUT_DATE_FORMATS = {
    "CCYYMMDD": "%Y%m%d", "102": "%Y%m%d", "YYMMDD": "%y%m%d", "101": "%y%m%d",
    "CCYYMMDDHHMM": "%Y%m%d%H%M", "203": "%Y%m%d%H%M", "CCYYMMDDHHMMSS": "%Y%m%d%H%M%S",
    "204": "%Y%m%d%H%M%S", "HHMM": "%H%M", "HHMMSS": "%H%M%S", "ISO": "iso",
}  # fmt: skip


def _bad(message: str) -> TransformValueError:
    return TransformValueError(message, "mapping_bad_value")


def _children(node: object, name: str) -> list[object]:
    # Paths into canonical models are checked against their fields when the map loads,
    # so a plain attribute read is safe here; mappings are read by key.
    found = node.get(name) if isinstance(node, Mapping) else getattr(node, name, None)
    if found is None:
        return []
    if isinstance(found, list | tuple):
        return [item for item in found if item is not None]
    return [found]


def walk(start: object, names: Iterable[str]) -> list[object]:
    """Every value reached from ``start`` along ``names``, lists flattened."""
    nodes = [start]
    for name in names:
        if name.isdigit():  # an index into the values reached so far
            nodes = nodes[int(name) : int(name) + 1]
        else:
            nodes = [child for node in nodes for child in _children(node, name)]
    return nodes


@dataclass(frozen=True, slots=True)
class Frame:
    """Where a rule runs: the current item, the named items around it, its repeat index."""

    item: object
    names: Mapping[str, object]
    index: int = 1

    def inner(self, item: object, name: str | None, index: int) -> Frame:
        names = {**self.names, name: item} if name else self.names
        return Frame(item, names, index)

    def resolve(self, path: str) -> list[object]:
        """The values at ``path`` (see the module docstring); absent values are dropped."""
        if path == ".":
            return [self.item]
        head, names = split_path(path)
        if head is None:
            return walk(self.item, names)
        start = self.names.get(head)
        return [] if start is None else walk(start, names)


@lru_cache(maxsize=4096)
def split_path(path: str) -> tuple[str | None, tuple[str, ...]]:
    """``$name.a.b`` as ("name", ("a", "b")); ``a.b`` as (None, ("a", "b"))."""
    parts = tuple(path.split("."))
    if parts[0].startswith("$"):
        return parts[0][1:], parts[1:]
    return None, parts


def render_value(value: object) -> str:
    """The text written for a value that no step has formatted."""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, datetime | date):
        return value.strftime("%Y%m%d")
    return str(value).strip()


def _offset(text: str) -> timezone:
    """``+HH:MM`` or ``-HH:MM`` as a timezone."""
    sign = -1 if text.startswith("-") else 1
    try:
        hours, minutes = (int(p) for p in text.lstrip("+-").split(":"))
    except ValueError as exc:
        raise TransformSpecError(f"bad tz {text!r}: expected +HH:MM") from exc
    return timezone(timedelta(hours=hours, minutes=minutes) * sign)


def _date_step(arg: Option, options: Mapping[str, Option]) -> Step:
    fmt = OUT_DATE_FORMATS.get(str(arg))
    if fmt is None:
        raise TransformSpecError(
            f"unknown date format {arg!r}; known: {', '.join(OUT_DATE_FORMATS)}"
        )
    tz = _offset(str(options["tz"])) if "tz" in options else None

    def write(value: OutValue) -> OutValue:
        if isinstance(value, datetime):
            moment = value.astimezone(tz) if tz is not None else value
            return moment.isoformat() if fmt == "iso" else moment.strftime(fmt)
        if isinstance(value, date):
            return value.isoformat() if fmt == "iso" else value.strftime(fmt)
        raise _bad(f"{value!r} is not a date")

    return write


def _decimal_step(arg: Option | None) -> Step:
    if arg is None:
        return lambda value: to_decimal(value).normalize()
    places = Decimal(1).scaleb(-int(str(arg)))
    return lambda value: format(to_decimal(value).quantize(places, rounding=ROUND_HALF_UP), "f")


def _implied_step(arg: Option) -> Step:
    places = int(str(arg))

    def write(value: OutValue) -> OutValue:
        number = to_decimal(value).scaleb(places).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return int(number)

    return write


def _whole(value: OutValue) -> OutValue:
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise _bad(f"{value!r} is not a whole number")
    return int(number)


def reverse_table(table: CodeTable, standard: str) -> Callable[[str], str | None]:
    """Canonical value to partner code: rows of ``standard`` win, then rows without one."""
    own: dict[str, str] = {}
    shared: dict[str, str] = {}
    for (row_standard, code), value in table.entries.items():
        if row_standard == standard:
            own.setdefault(value, code)
        elif row_standard == "":
            shared.setdefault(value, code)
    return lambda value: own.get(value, shared.get(value))


def _lookup_step(
    look: Callable[[str], str | None], label: str, options: Mapping[str, Option]
) -> Step:
    unknown = str(options.get("unknown", "error"))
    if unknown not in ("error", "keep", "drop"):
        raise TransformSpecError(f"unknown: must be error, keep or drop, not {unknown!r}")
    default = options.get("default")

    def look_up(value: OutValue) -> OutValue:
        key = render_value(value)
        hit = look(key)
        if hit is not None:
            return hit
        if default is not None:
            return str(default)
        if unknown == "keep":
            return key
        if unknown == "drop":
            return ""
        raise TransformValueError(f"value {key!r} has no code in {label}", "mapping_unknown_code")

    return look_up


def _text_step(name: str, arg: Option | None) -> Step | None:
    simple: dict[str, Step] = {
        "trim": lambda v: render_value(v),
        "upper": lambda v: render_value(v).upper(),
        "lower": lambda v: render_value(v).lower(),
        "strip_zeros": lambda v: render_value(v).lstrip("0") or "0",
        "integer": _whole,
    }
    if name in simple:
        return simple[name]
    if name == "prefix" and arg is not None:
        return lambda v: f"{arg}{render_value(v)}"
    if name == "suffix" and arg is not None:
        return lambda v: f"{render_value(v)}{arg}"
    if name == "truncate" and isinstance(arg, int):
        return lambda v: render_value(v)[:arg]
    return None


OUT_STEP_NAMES = frozenset(
    {"trim", "upper", "lower", "strip_zeros", "integer", "prefix", "suffix", "truncate",
     "date", "decimal", "implied_decimals", "scale", "code", "map"}
)  # fmt: skip


def compile_out_step(
    name: str,
    arg: Option | None,
    options: Mapping[str, Option],
    tables: Mapping[str, CodeTable],
    standard: str,
) -> Step:
    """Turn one outbound step into a function; raise TransformSpecError when it is invalid."""
    if name not in OUT_STEP_NAMES:
        known = ", ".join(sorted(OUT_STEP_NAMES))
        raise TransformSpecError(f"unknown outbound transform {name!r}; known: {known}")
    text = _text_step(name, arg)
    if text is not None:
        return text
    if name == "decimal":
        return _decimal_step(arg)
    if arg is None:
        raise TransformSpecError(f"transform {name!r} needs an argument")
    if name == "date":
        return _date_step(arg, options)
    if name == "implied_decimals":
        return _implied_step(arg)
    if name == "scale":
        factor = to_decimal(str(arg))
        return lambda value: to_decimal(value) * factor
    if name == "map":
        if not isinstance(arg, dict):
            raise TransformSpecError("map needs a mapping of values to codes")
        inline = {str(k).strip(): str(v) for k, v in arg.items()}
        return _lookup_step(inline.get, "the inline map", options)
    if name == "code":
        table = tables.get(str(arg))
        if table is None:
            raise TransformSpecError(f"code table {arg!r} is not declared under codes:")
        return _lookup_step(reverse_table(table, standard), f"code table {arg}", options)
    raise TransformSpecError(f"transform {name!r}: bad argument {arg!r}")
