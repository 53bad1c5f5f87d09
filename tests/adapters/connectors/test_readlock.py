from b2bbridge.adapters.connectors.readlock import ReadLock, StabilityTracker, ready_names

NOW = 1_000_000.0


def test_a_file_older_than_the_interval_is_ready_on_first_sight() -> None:
    tracker = StabilityTracker(5)
    assert ready_names({"a": (10, NOW - 6)}, ReadLock(), tracker, NOW) == ["a"]


def test_a_fresh_file_is_ready_only_after_holding_still_for_the_interval() -> None:
    tracker = StabilityTracker(5)
    listing = {"a": (10, NOW)}
    assert ready_names(listing, ReadLock(), tracker, NOW + 1) == []
    assert ready_names(listing, ReadLock(), tracker, NOW + 3) == []
    assert ready_names(listing, ReadLock(), tracker, NOW + 4.5) == []
    assert ready_names(listing, ReadLock(), tracker, NOW + 6.1) == ["a"]


def test_a_growing_file_restarts_its_wait() -> None:
    tracker = StabilityTracker(5)
    assert not tracker.settled("a", 10, NOW, NOW + 1)
    assert not tracker.settled("a", 20, NOW + 2, NOW + 3)
    assert not tracker.settled("a", 20, NOW + 2, NOW + 6)
    assert tracker.settled("a", 20, NOW + 2, NOW + 8)


def test_the_tracker_forgets_files_that_left_the_listing() -> None:
    tracker = StabilityTracker(5)
    ready_names({"a": (1, NOW), "b": (1, NOW)}, ReadLock(), tracker, NOW)
    ready_names({"b": (1, NOW)}, ReadLock(), tracker, NOW)
    assert sorted(tracker._seen) == ["b"]


def test_temporary_names_are_never_ready() -> None:
    listing = {n: (1, 0.0) for n in (".hidden", "x.tmp", "y.part", "z.filepart", "ok.edi")}
    assert ready_names(listing, ReadLock(seconds=0), StabilityTracker(0), NOW) == ["ok.edi"]


def test_done_file_readiness_needs_the_marker_and_never_yields_the_marker() -> None:
    lock = ReadLock(strategy="done_file")
    listing = {"a.edi": (1, 1.0), "a.edi.done": (0, 2.0), "b.edi": (1, 1.0)}
    assert ready_names(listing, lock, StabilityTracker(0), NOW) == ["a.edi"]


def test_ready_files_come_oldest_first() -> None:
    listing = {"new": (1, 30.0), "old": (1, 10.0), "mid": (1, 20.0)}
    assert ready_names(listing, ReadLock(strategy="rename"), StabilityTracker(0), NOW) == [
        "old",
        "mid",
        "new",
    ]


def test_rename_claims_use_the_claimed_suffix_by_default() -> None:
    assert ReadLock(strategy="rename").marker == ".claimed"
    assert ReadLock(strategy="done_file").marker == ".done"
    assert ReadLock(strategy="done_file", suffix=".ok").marker == ".ok"
