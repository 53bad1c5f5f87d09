"""The SFTP connector against a real OpenSSH sshd on loopback (never skipped)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
import structlog
from sshd_support import DroppingProxy, Sshd, keygen, start_sshd
from structlog.testing import capture_logs

from b2bbridge.adapters.connectors.base import ConnectorDefinition, create_connector
from b2bbridge.adapters.connectors.errors import AuthenticationError, HostKeyError
from b2bbridge.adapters.connectors.sftp import SftpConnector
from b2bbridge.bootstrap import build_app
from b2bbridge.config import load_settings
from b2bbridge.services.receive import receive_payload
from tests.e2e_support import make_deployment

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    server = start_sshd(tmp_path_factory.mktemp("sshd"))
    yield server
    server.stop()


@pytest.fixture
def logs() -> Iterator[list[MutableMapping[str, Any]]]:
    """Captured log events at every level, whatever an earlier test configured."""
    saved = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG))
    try:
        with capture_logs() as captured:
            yield captured
    finally:
        structlog.configure(**saved)


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    for sub in ("in", "out"):
        (tmp_path / "remote" / sub).mkdir(parents=True)
    return tmp_path / "remote"


def _sftp(sshd: Sshd, remote: Path, *, port: int | None = None, **options: object) -> SftpConnector:
    opts: dict[str, object] = {
        "host": "127.0.0.1",
        "port": port or sshd.port,
        "username": sshd.username,
        "private_key": {"file": str(sshd.client_key)},
        "known_hosts": str(sshd.known_hosts),
        "inbox": str(remote / "in"),
        "outbox": str(remote / "out"),
        "archive": str(remote / "archive"),
        "error": str(remote / "error"),
        "read_lock": {"strategy": "stable", "seconds": 0},
        "timeout_seconds": 10,
    }
    opts.update(options)
    definition = ConnectorDefinition(
        name="acme-sftp",
        kind="sftp",
        partner="acme",
        options=opts,
        retry={"attempts": 3, "base_seconds": 0, "max_seconds": 0},  # type: ignore[arg-type]
    )
    connector = create_connector(definition, remote)
    assert isinstance(connector, SftpConnector)
    return connector


def _aged(path: Path, data: bytes, mtime: float = 1_700_000_000.0) -> Path:
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return path


def test_a_polled_file_is_downloaded_and_moved_to_the_archive_on_confirm(
    sshd: Sshd, remote: Path
) -> None:
    _aged(remote / "in" / "po1.edi", b"ISA*00*one~")
    c = _sftp(sshd, remote)
    [item] = list(c.poll())
    assert (item.name, item.size) == ("po1.edi", 11)
    assert c.fetch(item) == b"ISA*00*one~"
    assert (remote / "in" / "po1.edi").exists()  # nothing moves before the confirm
    where = c.confirm(item, ok=True)
    assert where == str(remote / "archive" / "po1.edi")
    assert (remote / "archive" / "po1.edi").read_bytes() == b"ISA*00*one~"
    assert list((remote / "in").iterdir()) == []
    c.close()


def test_a_rejected_file_goes_to_the_remote_error_folder(sshd: Sshd, remote: Path) -> None:
    _aged(remote / "in" / "bad.edi", b"junk")
    c = _sftp(sshd, remote)
    [item] = list(c.poll())
    c.confirm(item, ok=False)
    assert [p.name for p in (remote / "error").iterdir()] == ["bad.edi"]
    c.close()


def test_one_ssh_session_is_reused_across_polls_and_fetches(sshd: Sshd, remote: Path) -> None:
    for n in range(3):
        _aged(remote / "in" / f"f{n}.edi", b"x" * n)
    c = _sftp(sshd, remote)
    for _ in range(3):
        for item in c.poll():
            c.fetch(item)
    assert c.session.connects == 1
    c.close()


def test_a_changed_host_key_is_refused_showing_the_offered_fingerprint(
    sshd: Sshd, remote: Path, tmp_path: Path
) -> None:
    other = keygen(tmp_path / "impostor")
    kind, blob = (tmp_path / "impostor.pub").read_text().split()[:2]
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{sshd.port} {kind} {blob}\n")
    c = _sftp(sshd, remote, known_hosts=str(known))
    with pytest.raises(HostKeyError, match="changed") as info:
        list(c.poll())
    assert sshd.fingerprint() in str(info.value)
    assert other.exists()
    assert c.session.connects == 1  # refused once, never retried


def test_an_unknown_host_key_is_refused_showing_the_offered_fingerprint(
    sshd: Sshd, remote: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    c = _sftp(sshd, remote, known_hosts=str(empty))
    with pytest.raises(HostKeyError, match="not in known_hosts") as info:
        list(c.poll())
    assert sshd.fingerprint() in str(info.value)


def test_turning_host_key_checks_off_connects_and_warns_on_every_connect(
    sshd: Sshd, remote: Path, logs: list[MutableMapping[str, Any]]
) -> None:
    _aged(remote / "in" / "a.edi", b"a")
    c = _sftp(sshd, remote, host_key_check=False, known_hosts=None)
    assert [f.name for f in c.poll()] == ["a.edi"]
    c.close()
    assert [f.name for f in c.poll()] == ["a.edi"]
    warnings = [e for e in logs if e["event"] == "sftp_host_key_check_disabled"]
    assert len(warnings) == 2
    assert all(e["log_level"] == "warning" for e in warnings)
    c.close()


def test_a_slowly_written_file_is_not_picked_up_until_it_holds_still(
    sshd: Sshd, remote: Path
) -> None:
    now = [1_700_000_000.0]
    c = _sftp(sshd, remote, read_lock={"strategy": "stable", "seconds": 5})
    c._clock = lambda: now[0]
    slow = remote / "in" / "slow.edi"
    _aged(slow, b"ISA*first half", mtime=now[0])
    assert list(c.poll()) == []
    now[0] += 3
    _aged(slow, b"ISA*first half, second half~", mtime=now[0])
    assert list(c.poll()) == []  # it grew since the last look
    now[0] += 4
    assert list(c.poll()) == []  # held still for 4 s of the 5 required
    now[0] += 1.5
    [item] = list(c.poll())
    assert c.fetch(item) == b"ISA*first half, second half~"
    c.close()


def test_with_a_done_file_only_marked_files_are_picked_up_and_the_marker_goes_too(
    sshd: Sshd, remote: Path
) -> None:
    _aged(remote / "in" / "a.edi", b"a")
    _aged(remote / "in" / "b.edi", b"b")
    _aged(remote / "in" / "a.edi.done", b"")
    c = _sftp(sshd, remote, read_lock={"strategy": "done_file"})
    [item] = list(c.poll())
    assert item.name == "a.edi"
    c.confirm(item, ok=True)
    assert sorted(p.name for p in (remote / "in").iterdir()) == ["b.edi"]
    c.close()


def test_with_a_done_file_a_file_is_taken_once_its_marker_appears_and_archived_alone(
    sshd: Sshd, remote: Path
) -> None:
    _aged(remote / "in" / "late.edi", b"late")
    c = _sftp(sshd, remote, read_lock={"strategy": "done_file"}, pattern="*.edi")
    assert list(c.poll()) == []
    _aged(remote / "in" / "late.edi.done", b"")
    [item] = list(c.poll())
    assert (item.name, c.fetch(item)) == ("late.edi", b"late")
    c.confirm(item, ok=True)
    assert list((remote / "in").iterdir()) == []
    assert [p.name for p in (remote / "archive").iterdir()] == ["late.edi"]
    c.close()


def test_rename_in_place_claims_the_file_and_a_claim_left_by_a_crash_is_read_again(
    sshd: Sshd, remote: Path
) -> None:
    _aged(remote / "in" / "a.edi", b"payload")
    _aged(remote / "in" / "upload.edi.part", b"half")
    first = _sftp(sshd, remote, read_lock={"strategy": "rename"})
    [item] = list(first.poll())
    assert first.fetch(item) == b"payload"
    assert sorted(p.name for p in (remote / "in").iterdir()) == ["a.edi.claimed", "upload.edi.part"]
    first.close()  # crash: never confirmed
    second = _sftp(sshd, remote, read_lock={"strategy": "rename"})
    [again] = list(second.poll())
    assert (again.name, second.fetch(again)) == ("a.edi", b"payload")
    second.confirm(again, ok=True)
    assert (remote / "archive" / "a.edi").read_bytes() == b"payload"
    second.close()


def test_a_crash_after_download_and_before_the_remote_move_is_a_reread_not_a_duplicate_order(
    sshd: Sshd, remote: Path, tmp_path: Path
) -> None:
    root = tmp_path / "deploy"
    root.mkdir()
    make_deployment(root)
    app = build_app(load_settings(root / "b2bbridge.toml", env={}))
    _aged(remote / "in" / "po.edi", b"ISA*00*same bytes twice~")
    first = _sftp(sshd, remote)
    [item] = list(first.poll())
    stored = receive_payload(
        app.ctx, connector=first.name, partner="acme", filename=item.name, data=first.fetch(item)
    )
    first.close()  # the process dies here: no confirm, the file stays on the server
    second = _sftp(sshd, remote)
    [again] = list(second.poll())
    reread = receive_payload(
        app.ctx,
        connector=second.name,
        partner="acme",
        filename=again.name,
        data=second.fetch(again),
    )
    second.confirm(again, ok=True)
    assert reread.duplicate_of == stored.message_id
    with app.ctx.uow() as uow:
        assert uow.messages.get(reread.message_id).status == "duplicate"
    assert app.ctx.queue.pending_count() == 1  # only the first copy is processed
    assert not (remote / "in" / "po.edi").exists()
    app.close()


def test_a_connection_dropped_mid_transfer_is_reopened_and_the_download_retried(
    sshd: Sshd, remote: Path, logs: list[MutableMapping[str, Any]]
) -> None:
    big = os.urandom(3_000_000)
    _aged(remote / "in" / "big.edi", big)
    proxy = DroppingProxy(target=sshd.port, cut_after=400_000).start()
    known = remote / "proxy_known_hosts"
    kind, blob = sshd.known_hosts.read_text().split()[1:3]
    known.write_text(f"[127.0.0.1]:{proxy.port} {kind} {blob}\n")
    c = _sftp(sshd, remote, port=proxy.port, known_hosts=str(known))
    [item] = list(c.poll())
    assert c.fetch(item) == big
    assert proxy.connections == 2
    assert [e["operation"] for e in logs if e["event"] == "sftp_transient_error"] == ["download"]
    c.close()
    proxy.stop()


def test_a_connection_dropped_mid_upload_is_reopened_and_the_upload_redone_in_full(
    sshd: Sshd, remote: Path, logs: list[MutableMapping[str, Any]]
) -> None:
    data = os.urandom(3_000_000)
    # the server says little during an upload (a status per write): this cut lands in it
    proxy = DroppingProxy(target=sshd.port, cut_after=6_000).start()
    known = remote / "proxy_known_hosts"
    kind, blob = sshd.known_hosts.read_text().split()[1:3]
    known.write_text(f"[127.0.0.1]:{proxy.port} {kind} {blob}\n")
    c = _sftp(sshd, remote, port=proxy.port, known_hosts=str(known))
    assert c.send("big_997.x12", data) == str(remote / "out" / "big_997.x12")
    assert proxy.connections == 2
    assert [e["operation"] for e in logs if e["event"] == "sftp_transient_error"] == ["upload"]
    assert [p.name for p in (remote / "out").iterdir()] == ["big_997.x12"]  # no .part left
    assert (remote / "out" / "big_997.x12").read_bytes() == data
    c.close()
    proxy.stop()


def test_bad_credentials_fail_at_once_with_a_clear_error_and_no_retry(
    sshd: Sshd, remote: Path, tmp_path: Path
) -> None:
    stranger = keygen(tmp_path / "stranger")
    proxy = DroppingProxy(target=sshd.port, cut_after=10**9).start()
    known = tmp_path / "known_hosts"
    kind, blob = sshd.known_hosts.read_text().split()[1:3]
    known.write_text(f"[127.0.0.1]:{proxy.port} {kind} {blob}\n")
    c = _sftp(
        sshd, remote, port=proxy.port, known_hosts=str(known), private_key={"file": str(stranger)}
    )
    with pytest.raises(AuthenticationError, match="refused our credentials; not retrying"):
        list(c.poll())
    assert proxy.connections == 1
    assert c.session.connects == 1
    proxy.stop()


def test_send_uploads_under_a_temporary_name_then_renames_it(sshd: Sshd, remote: Path) -> None:
    c = _sftp(sshd, remote)
    where = c.send("997_0001.x12", b"ISA*ack~")
    assert where == str(remote / "out" / "997_0001.x12")
    assert [p.name for p in (remote / "out").iterdir()] == ["997_0001.x12"]
    assert (remote / "out" / "997_0001.x12").read_bytes() == b"ISA*ack~"
    c.close()


def test_a_missing_remote_inbox_is_a_connector_error_naming_the_path(
    sshd: Sshd, remote: Path
) -> None:
    c = _sftp(sshd, remote, inbox=str(remote / "nope"))
    with pytest.raises(FileNotFoundError):
        list(c.poll())
    c.close()
