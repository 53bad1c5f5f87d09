"""The fixed vocabulary of value transforms a mapping rule may apply, in order.

A rule's ``transform:`` is a list of steps; each is a bare name (``trim``) or a one-entry
mapping with the step's argument, plus options (``{code: uom, unknown: keep}``)::

    trim, upper, lower, strip_zeros       text clean-up (strip_zeros drops leading zeros)
    prefix: TEXT / suffix: TEXT           add fixed text
    split: SEP  [index: N]                the N-th (0-based, default 0) part of the text
    date: FORMAT                          a calendar date
    datetime: FORMAT  [tz: +HH:MM]        a timezone-aware instant (UTC unless tz is given)
    decimal                               a Decimal; "12,5" and "12.5" both read as 12.5
    integer                               an int
    implied_decimals: N                   X12 Nn: "12345" with N=2 is 123.45
    scale: FACTOR                         multiply a number by FACTOR ("0.01", "12")
    code: TABLE  [unknown: error|keep|drop] [default: VALUE]
                                          look the value up in a code table
    map: {CODE: VALUE, ...} [unknown…] [default…]   the same with an inline table

Date formats: ``CCYYMMDD`` (EDIFACT 102), ``YYMMDD`` (101), ``CCYYMMDDHHMM`` (203),
``CCYYMMDDHHMMSS`` (204), ``ISO`` (ISO 8601: ``2020-02-28``, ``2000-10-12T18:41:29-08:00``,
as XML and JSON write them), or ``auto`` (digits chosen by length: 6, 8, 12 or 14; text
with ``-`` read as ISO). An ISO date-time that carries an offset keeps it; its date is
the date at that offset, as the sender wrote it.
An unknown code raises ``mapping_unknown_code`` unless ``unknown`` says ``keep`` (pass the
partner's code through) or ``drop`` (treat as absent, so the rule's default or ``required``
decides), or ``default`` gives a value. Bad numbers and dates raise ``mapping_bad_value``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from b2bbridge.core.mapping.codes import CodeTable

Value = str | Decimal | int | date | datetime
Transform = Callable[[Value], Value]
Option = str | int | float | bool | dict[str, str]

DATE_FORMATS = {
    "CCYYMMDD": 8, "102": 8, "YYMMDD": 6, "101": 6,
    "CCYYMMDDHHMM": 12, "203": 12, "CCYYMMDDHHMMSS": 14, "204": 14, "auto": 0, "ISO": -1,
}  # fmt: skip


class TransformSpecError(ValueError):
    """A step that is not in the vocabulary or has a bad argument (a mapping-file error)."""


class TransformValueError(ValueError):
    """A value a step cannot convert; ``code`` is the MappingError code to raise."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def _bad(message: str) -> TransformValueError:
    return TransformValueError(message, "mapping_bad_value")


def parse_instant(text: str, fmt: str, tz: timezone) -> datetime:
    """Read a date or date-time of format ``fmt``; raise TransformValueError when it is not one."""
    digits = text.strip()
    if fmt == "ISO" or (fmt == "auto" and "-" in digits[1:]):
        return _parse_iso(digits, tz)
    width = DATE_FORMATS[fmt] or len(digits)
    if len(digits) != width or not digits.isdigit() or width not in (6, 8, 12, 14):
        raise _bad(f"{text!r} is not a date in format {fmt}")
    if width == 6:
        year = 2000 + int(digits[:2]) if int(digits[:2]) < 70 else 1900 + int(digits[:2])
        rest = digits[2:]
    else:
        year, rest = int(digits[:4]), digits[4:]
    month, day, hour, minute, second = (int(rest[i : i + 2] or "0") for i in range(0, 10, 2))
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError as exc:
        raise _bad(f"{text!r} is not a valid date ({exc})") from exc


def _parse_iso(text: str, tz: timezone) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise _bad(f"{text!r} is not an ISO 8601 date") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def to_decimal(value: Value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    text = str(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = _decimal_comma(text, value)
    if not number.is_finite() or "_" in text:  # Decimal() takes "1_000"; EDI does not
        raise _bad(f"{value!r} is not a finite number")
    return number


def _decimal_comma(text: str, value: Value) -> Decimal:
    """EDIFACT allows a comma as the decimal mark; nothing else non-numeric is accepted."""
    if text.count(",") == 1 and "." not in text:
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:
            pass
    raise _bad(f"{value!r} is not a number")


def to_integer(value: Value) -> int:
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise _bad(f"{value!r} is not a whole number")
    return int(number)


def _date_step(arg: Option, options: Mapping[str, Option], *, instant: bool) -> Transform:
    fmt = str(arg)
    if fmt not in DATE_FORMATS:
        raise TransformSpecError(f"unknown date format {fmt!r}; known: {', '.join(DATE_FORMATS)}")
    tz = _timezone(str(options.get("tz", "+00:00")))

    def convert(value: Value) -> Value:
        moment = parse_instant(str(value), fmt, tz)
        return moment if instant else moment.date()

    return convert


def _timezone(text: str) -> timezone:
    sign = -1 if text.startswith("-") else 1
    try:
        hours, minutes = (int(p) for p in text.lstrip("+-").split(":"))
    except ValueError as exc:
        raise TransformSpecError(f"bad tz {text!r}: expected +HH:MM") from exc
    offset = timedelta(hours=hours, minutes=minutes) * sign
    return UTC if not offset else timezone(offset)


def _lookup_step(
    table: Callable[[str], str | None], label: str, options: Mapping[str, Option]
) -> Transform:
    unknown = str(options.get("unknown", "error"))
    if unknown not in ("error", "keep", "drop"):
        raise TransformSpecError(f"unknown: must be error, keep or drop, not {unknown!r}")
    default = options.get("default")

    def look_up(value: Value) -> Value:
        hit = table(str(value))
        if hit is not None:
            return hit
        if default is not None:
            return str(default)
        if unknown == "keep":
            return str(value).strip()
        if unknown == "drop":
            return ""
        raise TransformValueError(f"code {value!r} is not in {label}", "mapping_unknown_code")

    return look_up


def _scale_step(arg: Option) -> Transform:
    factor = _number_arg(arg, "scale")
    return lambda value: to_decimal(value) * factor


def _implied_step(arg: Option) -> Transform:
    places = int(_number_arg(arg, "implied_decimals"))
    return lambda value: to_decimal(value).scaleb(-places)


def _number_arg(arg: Option, step: str) -> Decimal:
    try:
        return to_decimal(str(arg))
    except TransformValueError as exc:
        raise TransformSpecError(f"{step}: {arg!r} is not a number") from exc


def _split_step(arg: Option, options: Mapping[str, Option]) -> Transform:
    sep = str(arg)
    index = options.get("index", 0)
    if not sep or not isinstance(index, int):
        raise TransformSpecError("split needs a separator and an integer index")

    def split(value: Value) -> Value:
        parts = str(value).split(sep)
        return parts[index].strip() if -len(parts) <= index < len(parts) else ""

    return split


def _text_step(name: str) -> Transform | None:
    simple: dict[str, Transform] = {
        "trim": lambda v: str(v).strip(),
        "upper": lambda v: str(v).upper(),
        "lower": lambda v: str(v).lower(),
        "strip_zeros": lambda v: str(v).lstrip("0") or ("0" if str(v) else ""),
        "decimal": to_decimal,
        "integer": to_integer,
    }
    return simple.get(name)


STEP_NAMES = frozenset(
    {"trim", "upper", "lower", "strip_zeros", "decimal", "integer", "prefix", "suffix", "split",
     "date", "datetime", "implied_decimals", "scale", "code", "map"}
)  # fmt: skip


def compile_step(
    name: str,
    arg: Option | None,
    options: Mapping[str, Option],
    tables: Mapping[str, CodeTable],
    standard: str,
) -> Transform:
    """Turn one step of a mapping file into a function; raise TransformSpecError if invalid."""
    simple = _text_step(name)
    if simple is not None:
        return simple
    if name not in STEP_NAMES:
        raise TransformSpecError(
            f"unknown transform {name!r}; known: {', '.join(sorted(STEP_NAMES))}"
        )
    if arg is None:
        raise TransformSpecError(f"transform {name!r} needs an argument")
    if name == "prefix":
        return lambda v: f"{arg}{v}"
    if name == "suffix":
        return lambda v: f"{v}{arg}"
    if name == "split":
        return _split_step(arg, options)
    if name in ("date", "datetime"):
        return _date_step(arg, options, instant=name == "datetime")
    if name == "scale":
        return _scale_step(arg)
    if name == "implied_decimals":
        return _implied_step(arg)
    if name == "map":
        if not isinstance(arg, dict):
            raise TransformSpecError("map needs a mapping of codes to values")
        inline = {str(k).strip(): str(v) for k, v in arg.items()}
        return _lookup_step(lambda code: inline.get(code.strip()), "the inline map", options)
    table = tables.get(str(arg))
    if table is None:
        raise TransformSpecError(f"code table {arg!r} is not declared under codes:")
    return _lookup_step(lambda code: table.lookup(code, standard), f"code table {arg}", options)
