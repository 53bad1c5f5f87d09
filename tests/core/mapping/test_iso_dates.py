from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from b2bbridge.core.mapping.transforms import TransformValueError, parse_instant


def test_iso_date_reads_as_midnight_in_the_given_zone() -> None:
    assert parse_instant("2020-02-28", "ISO", UTC) == datetime(2020, 2, 28, tzinfo=UTC)


def test_iso_datetime_keeps_its_own_offset() -> None:
    moment = parse_instant("2000-10-12T18:41:29-08:00", "ISO", UTC)
    assert moment.utcoffset() == timedelta(hours=-8)
    assert moment.date() == date(2000, 10, 12)


def test_auto_reads_iso_text_and_still_reads_edi_digits() -> None:
    assert parse_instant("2024-11-04", "auto", UTC).date() == date(2024, 11, 4)
    assert parse_instant("20241104", "auto", UTC).date() == date(2024, 11, 4)
    tz = timezone(timedelta(hours=1))
    assert parse_instant("2024-11-04T10:00:00", "auto", tz).utcoffset() == timedelta(hours=1)


def test_text_that_is_not_iso_is_a_bad_value() -> None:
    with pytest.raises(TransformValueError) as caught:
        parse_instant("2024-13-45", "ISO", UTC)
    assert caught.value.code == "mapping_bad_value"
