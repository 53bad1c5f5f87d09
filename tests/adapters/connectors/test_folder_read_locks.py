"""Drop-folder read locks: stable size, a done marker, or rename in place, as for SFTP."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from b2bbridge.adapters.connectors import folder  # noqa: F401 - registers the kind
from b2bbridge.adapters.connectors.base import ConnectorDefinition, create_connector
from b2bbridge.adapters.connectors.folder import FolderConnector
from b2bbridge.adapters.connectors.schema import check_definition
from b2bbridge.core.errors import ConfigError, ConnectorError

T0 = 1_800_000_000.0
FOLDERS = {"inbox": "in", "outbox": "out", "archive": "arc", "error": "err"}


class StepClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def _connector(
    tmp_path: Path, clock: StepClock | None = None, **options: object
) -> FolderConnector:
    definition = ConnectorDefinition(
        name="p", kind="folder", partner="acme", options={**FOLDERS, **options}
    )
    c = create_connector(definition, tmp_path)
    assert isinstance(c, FolderConnector)
    if clock is not None:
        c._clock = clock
    return c


def _write(path: Path, data: bytes = b"ISA*00~", mtime: float = T0 - 60) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return path


def _names(c: FolderConnector) -> list[str]:
    return [f.name for f in c.poll()]


def test_with_done_file_a_file_without_its_marker_is_not_picked_up(tmp_path: Path) -> None:
    c = _connector(tmp_path, read_lock={"strategy": "done_file"})
    _write(tmp_path / "in" / "a.edi")
    assert _names(c) == []


def test_with_done_file_the_file_is_picked_up_once_its_marker_appears(tmp_path: Path) -> None:
    c = _connector(tmp_path, read_lock={"strategy": "done_file"}, pattern="*.edi")
    _write(tmp_path / "in" / "a.edi")
    assert _names(c) == []
    _write(tmp_path / "in" / "a.edi.done", b"")
    assert _names(c) == ["a.edi"]


def test_confirming_a_done_file_pickup_archives_the_file_and_removes_its_marker(
    tmp_path: Path,
) -> None:
    c = _connector(tmp_path, read_lock={"strategy": "done_file"})
    _write(tmp_path / "in" / "a.edi", b"payload")
    _write(tmp_path / "in" / "a.edi.done", b"")
    [item] = list(c.poll())
    assert c.fetch(item) == b"payload"
    assert c.confirm(item, ok=True) == str(tmp_path / "arc" / "a.edi")
    assert sorted(os.listdir(tmp_path / "in")) == []
    assert (tmp_path / "arc" / "a.edi").read_bytes() == b"payload"
    assert not (tmp_path / "arc" / "a.edi.done").exists()


def test_deleting_a_done_file_pickup_deletes_its_marker_too(tmp_path: Path) -> None:
    c = _connector(tmp_path, read_lock={"strategy": "done_file", "suffix": ".ok"}, after="delete")
    _write(tmp_path / "in" / "a.edi")
    _write(tmp_path / "in" / "a.edi.ok", b"")
    [item] = list(c.poll())
    c.confirm(item, ok=True)
    assert os.listdir(tmp_path / "in") == []


def test_with_rename_fetch_claims_the_file_and_confirm_archives_it_under_its_name(
    tmp_path: Path,
) -> None:
    c = _connector(tmp_path, read_lock={"strategy": "rename"})
    _write(tmp_path / "in" / "a.edi", b"payload", mtime=T0)
    _write(tmp_path / "in" / ".b.edi.part")  # still being uploaded by the partner
    [item] = list(c.poll())
    assert c.fetch(item) == b"payload"
    assert sorted(os.listdir(tmp_path / "in")) == [".b.edi.part", "a.edi.claimed"]
    assert c.confirm(item, ok=True) == str(tmp_path / "arc" / "a.edi")
    assert os.listdir(tmp_path / "in") == [".b.edi.part"]


def test_with_rename_a_claim_left_by_a_crash_is_read_again_by_the_next_poller(
    tmp_path: Path,
) -> None:
    first = _connector(tmp_path, read_lock={"strategy": "rename"})
    _write(tmp_path / "in" / "a.edi", b"payload")
    [item] = list(first.poll())
    first.fetch(item)  # then the process dies before confirming
    second = _connector(tmp_path, read_lock={"strategy": "rename"})
    [again] = list(second.poll())
    assert (again.name, second.fetch(again)) == ("a.edi", b"payload")
    second.confirm(again, ok=False)
    assert os.listdir(tmp_path / "err") == ["a.edi"]
    assert os.listdir(tmp_path / "in") == []


def test_with_rename_a_file_another_poller_claimed_first_is_a_connector_error(
    tmp_path: Path,
) -> None:
    mine = _connector(tmp_path, read_lock={"strategy": "rename"})
    other = _connector(tmp_path, read_lock={"strategy": "rename"})
    _write(tmp_path / "in" / "a.edi")
    [item] = list(mine.poll())
    [same] = list(other.poll())
    other.fetch(same)
    with pytest.raises(ConnectorError, match="cannot claim"):
        mine.fetch(item)


def test_with_a_stable_lock_a_fresh_file_waits_until_it_held_still_long_enough(
    tmp_path: Path,
) -> None:
    clock = StepClock()
    c = _connector(tmp_path, clock, read_lock={"strategy": "stable", "seconds": 5})
    _write(tmp_path / "in" / "a.edi", b"ISA", mtime=T0)
    assert _names(c) == []
    clock.now += 3
    _write(tmp_path / "in" / "a.edi", b"ISA*00", mtime=T0 + 3)  # still growing
    assert _names(c) == []
    clock.now += 4
    assert _names(c) == []
    clock.now += 2
    assert _names(c) == ["a.edi"]


def test_min_age_seconds_is_the_stable_lock_when_no_read_lock_is_given(tmp_path: Path) -> None:
    c = _connector(tmp_path, min_age_seconds=7)
    assert (c.lock.strategy, c.lock.seconds) == ("stable", 7)


def test_read_lock_and_min_age_seconds_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="give read_lock or min_age_seconds, not both"):
        _connector(tmp_path, min_age_seconds=1, read_lock={"strategy": "done_file"})


def test_the_connector_schema_accepts_a_folder_read_lock_and_refuses_an_unknown_strategy() -> None:
    good = {
        "name": "f",
        "kind": "folder",
        "options": {**FOLDERS, "read_lock": {"strategy": "rename"}},
    }
    check_definition(good, "connectors/f.yaml")
    bad = {"name": "f", "kind": "folder", "options": {**FOLDERS, "read_lock": {"strategy": "soon"}}}
    with pytest.raises(ConfigError, match=r"option 'read_lock\.strategy': must be one of"):
        check_definition(bad, "connectors/f.yaml")
