"""Watermarks: overlap, dedupe on (key, stamp), and never moving backwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from b2bbridge.core.sync import ChangeStamp, Watermark, advance, poll_start, select_fresh

T0 = datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC)
OVERLAP = timedelta(seconds=5)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_fresh_watermark_polls_from_the_beginning() -> None:
    assert poll_start(Watermark(), OVERLAP) is None


def test_a_poll_starts_the_overlap_before_the_watermark() -> None:
    assert poll_start(Watermark(since=at(60)), OVERLAP) == at(55)


def test_versions_already_taken_in_the_overlap_are_dropped() -> None:
    mark = advance(Watermark(), [ChangeStamp("1", at(58)), ChangeStamp("2", at(60))], OVERLAP)

    fresh = select_fresh(
        mark, [ChangeStamp("1", at(58)), ChangeStamp("2", at(60)), ChangeStamp("3", at(57))]
    )

    assert fresh == [ChangeStamp("3", at(57))]


def test_a_late_committed_row_stamped_before_the_watermark_is_still_taken() -> None:
    mark = advance(Watermark(), [ChangeStamp("2", at(60))], OVERLAP)

    fresh = select_fresh(mark, [ChangeStamp("1", at(59.9)), ChangeStamp("2", at(60))])

    assert fresh == [ChangeStamp("1", at(59.9))]


def test_a_newer_version_of_a_seen_record_is_fresh() -> None:
    mark = advance(Watermark(), [ChangeStamp("1", at(60))], OVERLAP)

    assert select_fresh(mark, [ChangeStamp("1", at(61))]) == [ChangeStamp("1", at(61))]


def test_the_same_version_twice_in_one_poll_is_taken_once() -> None:
    twice = [ChangeStamp("1", at(1)), ChangeStamp("1", at(1))]

    assert select_fresh(Watermark(), twice) == [ChangeStamp("1", at(1))]


def test_advancing_never_moves_the_watermark_backwards() -> None:
    mark = Watermark(since=at(100))

    assert advance(mark, [ChangeStamp("9", at(50))], OVERLAP).since == at(100)


def test_advancing_forgets_versions_older_than_the_overlap_window() -> None:
    mark = advance(Watermark(), [ChangeStamp("old", at(0)), ChangeStamp("new", at(60))], OVERLAP)

    assert mark.seen == frozenset({ChangeStamp("new", at(60))})


def test_advancing_with_nothing_taken_keeps_the_watermark() -> None:
    mark = Watermark(since=at(5), seen=frozenset({ChangeStamp("a", at(5))}))

    assert advance(mark, [], OVERLAP) == mark
