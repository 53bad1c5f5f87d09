import os
import time
from pathlib import Path

import pytest

from b2bbridge.adapters.connectors import folder  # noqa: F401 - registers the kind
from b2bbridge.adapters.connectors.base import ConnectorDefinition, create_connector
from b2bbridge.core.errors import ConfigError, ConnectorError
from b2bbridge.ports import StreamingConnector


def _connector(tmp_path: Path, **options: object):  # type: ignore[no-untyped-def]
    opts = {"inbox": "in", "outbox": "out", "archive": "arc", "error": "err", "min_age_seconds": 0}
    opts.update(options)
    return create_connector(
        ConnectorDefinition(name="p", kind="folder", partner="acme", options=opts), tmp_path
    )


def _old(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def test_poll_skips_temporary_and_hidden_names(tmp_path: Path) -> None:
    c = _connector(tmp_path)
    for name in ("a.edi", ".b.edi", "c.edi.tmp", "d.part"):
        _old(tmp_path / "in" / name)
    assert [f.name for f in c.poll()] == ["a.edi"]


def test_a_file_still_being_written_is_not_picked_up(tmp_path: Path) -> None:
    c = _connector(tmp_path, min_age_seconds=30)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "fresh.edi").write_bytes(b"ISA")
    _old(tmp_path / "in" / "settled.edi")
    assert [f.name for f in c.poll()] == ["settled.edi"]


def test_confirm_moves_to_archive_or_error_without_overwriting(tmp_path: Path) -> None:
    c = _connector(tmp_path)
    _old(tmp_path / "arc" / "a.edi", b"older")
    _old(tmp_path / "in" / "a.edi", b"newer")
    _old(tmp_path / "in" / "b.edi", b"bad")
    items = {f.name: f for f in c.poll()}
    c.confirm(items["a.edi"], ok=True)
    c.confirm(items["b.edi"], ok=False)
    assert (tmp_path / "arc" / "a.edi").read_bytes() == b"older"
    assert (tmp_path / "arc" / "a.1.edi").read_bytes() == b"newer"
    assert (tmp_path / "err" / "b.edi").read_bytes() == b"bad"
    assert list((tmp_path / "in").iterdir()) == []


def test_send_writes_the_final_name_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    c = _connector(tmp_path)
    where = c.send("ack.x12", b"ISA*...~")
    assert Path(where).read_bytes() == b"ISA*...~"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["ack.x12"]


def test_unknown_kind_suggests_the_closest_known_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="did you mean 'folder'"):
        create_connector(ConnectorDefinition(name="x", kind="fodler"), tmp_path)


def test_bad_option_names_the_connector_and_the_option(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="option 'after'"):
        _connector(tmp_path, after="shred")


def test_a_polled_file_can_be_read_as_a_stream_in_pieces(tmp_path: Path) -> None:
    c = _connector(tmp_path)
    data = b"ISA*00*" + bytes(range(256)) * 5000
    _old(tmp_path / "in" / "big.edi", data)
    (item,) = list(c.poll())
    with c.open(item) as stream:
        pieces = list(iter(lambda: stream.read(65536), b""))
    assert isinstance(c, StreamingConnector)
    assert (len(pieces) > 1, b"".join(pieces)) == (True, data)


def test_a_file_gone_before_it_is_opened_is_a_connector_error_naming_it(tmp_path: Path) -> None:
    c = _connector(tmp_path)
    _old(tmp_path / "in" / "gone.edi")
    (item,) = list(c.poll())
    (tmp_path / "in" / "gone.edi").unlink()
    with pytest.raises(ConnectorError, match=r"gone\.edi"):
        c.open(item)
