"""SFTP password authentication, the password given by reference, against a real sshd.

The sshd here accepts passwords, for one throwaway account only (see
:func:`sshd_support.throwaway_user`); it runs beside the key-only sshd of the other tests.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
import structlog
from sshd_support import Sshd, ThrowawayUser, start_sshd, throwaway_user
from structlog.testing import capture_logs

from b2bbridge.adapters.connectors.base import ConnectorDefinition, create_connector
from b2bbridge.adapters.connectors.errors import AuthenticationError
from b2bbridge.adapters.connectors.sftp import SftpConnector

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def user() -> Iterator[ThrowawayUser]:
    with throwaway_user() as created:
        yield created


@pytest.fixture(scope="module")
def sshd(user: ThrowawayUser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    server = start_sshd(tmp_path_factory.mktemp("sshd_pw"), password_user=user.name)
    yield server
    server.stop()


@pytest.fixture
def inbox(user: ThrowawayUser) -> Path:
    """A file in the account's own folder, written as that account would."""
    path = user.home / "po.edi"
    path.write_bytes(b"ISA*00*by password~")
    os.chown(path, os.stat(user.home).st_uid, -1)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    return user.home


@pytest.fixture
def logs() -> Iterator[list[MutableMapping[str, Any]]]:
    saved = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG))
    try:
        with capture_logs() as captured:
            yield captured
    finally:
        structlog.configure(**saved)


def _sftp(sshd: Sshd, inbox: Path, home: Path, password: object) -> SftpConnector:
    definition = ConnectorDefinition(
        name="acme-sftp-pw",
        kind="sftp",
        partner="acme",
        options={
            "host": "127.0.0.1",
            "port": sshd.port,
            "username": sshd.username,
            "password": password,
            "known_hosts": str(sshd.known_hosts),
            "inbox": str(inbox),
            "read_lock": {"strategy": "stable", "seconds": 0},
            "after": "keep",
            "timeout_seconds": 10,
        },
        retry={"attempts": 3, "base_seconds": 0, "max_seconds": 0},  # type: ignore[arg-type]
    )
    connector = create_connector(definition, home)
    assert isinstance(connector, SftpConnector)
    return connector


def test_a_password_from_an_environment_variable_logs_in_and_downloads(
    sshd: Sshd, user: ThrowawayUser, inbox: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("B2B_TEST_SFTP_PASSWORD", user.password)
    c = _sftp(sshd, inbox, tmp_path, {"env": "B2B_TEST_SFTP_PASSWORD"})
    [item] = list(c.poll())
    assert (item.name, c.fetch(item)) == ("po.edi", b"ISA*00*by password~")
    c.close()


def test_a_password_from_a_file_logs_in(
    sshd: Sshd, user: ThrowawayUser, inbox: Path, tmp_path: Path
) -> None:
    (tmp_path / "sftp_password").write_text(user.password + "\n")
    c = _sftp(sshd, inbox, tmp_path, {"file": "sftp_password"})
    assert [f.name for f in c.poll()] == ["po.edi"]
    c.close()


def test_a_wrong_password_fails_at_once_without_retry_or_revealing_it(
    sshd: Sshd,
    inbox: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    logs: list[MutableMapping[str, Any]],
) -> None:
    wrong = "not-the-password-7f3a"
    monkeypatch.setenv("B2B_TEST_SFTP_PASSWORD", wrong)
    c = _sftp(sshd, inbox, tmp_path, {"env": "B2B_TEST_SFTP_PASSWORD"})
    with pytest.raises(AuthenticationError, match="refused our credentials; not retrying") as e:
        list(c.poll())
    assert c.session.connects == 1
    assert wrong not in str(e.value)
    assert wrong not in repr(logs)
    c.close()
