"""Outbox files are durable: alone (sync, rename, sync the folder) or many synced together."""

from __future__ import annotations

from pathlib import Path

import pytest

from b2bbridge.adapters.connectors import durable
from b2bbridge.adapters.connectors import folder as _folder  # noqa: F401 - registers the kind
from b2bbridge.adapters.connectors.base import ConnectorDefinition, create_connector
from b2bbridge.adapters.connectors.folder import FolderConnector
from b2bbridge.ports import BatchSendingConnector


def _outbox(tmp_path: Path) -> FolderConnector:
    options = {"inbox": "in", "outbox": "out", "archive": "arc", "error": "err"}
    c = create_connector(
        ConnectorDefinition(name="p", kind="folder", partner="acme", options=options), tmp_path
    )
    assert isinstance(c, FolderConnector)
    return c


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_files_sent_together_get_their_final_names_only_when_the_block_ends(
    tmp_path: Path,
) -> None:
    c = _outbox(tmp_path)
    assert isinstance(c, BatchSendingConnector)
    with c.sending_together():
        first = c.send("997_1.x12", b"ISA*1~")
        second = c.send("997_2.x12", b"ISA*2~")
        during = _names(tmp_path / "out")
    assert during == [".997_1.x12.tmp", ".997_2.x12.tmp"]
    assert _names(tmp_path / "out") == ["997_1.x12", "997_2.x12"]
    assert (Path(first).read_bytes(), Path(second).read_bytes()) == (b"ISA*1~", b"ISA*2~")


def test_two_files_of_one_name_sent_together_never_overwrite_each_other(tmp_path: Path) -> None:
    c = _outbox(tmp_path)
    with c.sending_together():
        a = c.send("ack.x12", b"A")
        b = c.send("ack.x12", b"B")
    assert (Path(a).name, Path(b).name) == ("ack.x12", "ack.1.x12")
    assert (Path(a).read_bytes(), Path(b).read_bytes()) == (b"A", b"B")


def test_a_failed_block_leaves_no_file_behind_and_raises(tmp_path: Path) -> None:
    c = _outbox(tmp_path)

    def batch() -> None:
        with c.sending_together():
            c.send("997_1.x12", b"ISA*1~")
            raise RuntimeError("the batch broke")

    with pytest.raises(RuntimeError):
        batch()
    assert _names(tmp_path / "out") == []
    assert c.send("after.x12", b"x").endswith("after.x12")  # alone again afterwards


def test_without_syncfs_each_file_is_synced_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(durable, "_syncfs", None)
    c = _outbox(tmp_path)
    with c.sending_together():
        c.send("a.x12", b"A")
        c.send("b.x12", b"B")
    assert _names(tmp_path / "out") == ["a.x12", "b.x12"]


def test_a_file_sent_alone_leaves_no_temporary_name(tmp_path: Path) -> None:
    c = _outbox(tmp_path)
    where = c.send("997.x12", b"ISA~")
    assert (_names(tmp_path / "out"), Path(where).read_bytes()) == (["997.x12"], b"ISA~")
