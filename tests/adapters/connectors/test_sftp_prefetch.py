"""paramiko's prefetch thread, dying on a dropped connection, leaves a warning, not a traceback."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import paramiko
import pytest
from paramiko.sftp_file import SFTPFile
from structlog.testing import capture_logs

from b2bbridge.adapters.connectors import sftp_prefetch
from b2bbridge.adapters.connectors.sftp_prefetch import prefetch_hook


class _BrokenSftp:
    """An SFTP client whose connection is gone: every request fails to send."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def _async_request(self, *args: Any) -> int:
        raise self.error


class _DownloadingFile:
    """What paramiko's prefetch thread reads of the file it downloads."""

    def __init__(self, error: BaseException) -> None:
        self.sftp = _BrokenSftp(error)
        self.handle = b"h"
        self._prefetch_lock = threading.Lock()
        self._prefetch_extents: dict[int, tuple[int, int]] = {}


def _run_in_thread(target: Callable[[], object]) -> list[threading.ExceptHookArgs]:
    """Run ``target`` in a thread under the prefetch hook; what reached the previous hook."""
    passed_on: list[threading.ExceptHookArgs] = []
    hook = partial(prefetch_hook, previous=passed_on.append)
    saved = threading.excepthook
    threading.excepthook = hook
    try:
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    finally:
        threading.excepthook = saved
    return passed_on


def _prefetch(error: BaseException) -> Callable[[], object]:
    """paramiko's own prefetch thread body, over a file whose connection has dropped."""
    return lambda: SFTPFile._prefetch_thread(_DownloadingFile(error), [(0, 32768)], None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "error",
    [EOFError(), OSError(104, "Connection reset by peer"), paramiko.SSHException("closed")],
)
def test_a_prefetch_thread_broken_by_a_dropped_connection_logs_one_warning(
    error: BaseException,
) -> None:
    with capture_logs() as logs:
        passed_on = _run_in_thread(_prefetch(error))

    assert passed_on == []
    [event] = [e for e in logs if e["event"] == "sftp_prefetch_aborted"]
    assert event["log_level"] == "warning"
    assert event["error"].startswith(type(error).__name__)


def test_a_prefetch_thread_failing_for_another_reason_reaches_the_previous_hook() -> None:
    with capture_logs() as logs:
        passed_on = _run_in_thread(_prefetch(ValueError("a bug, not a dropped connection")))

    assert [type(a.exc_value) for a in passed_on] == [ValueError]
    assert logs == []


def test_a_connection_error_in_any_other_thread_reaches_the_previous_hook() -> None:
    def elsewhere() -> None:
        raise OSError(104, "Connection reset by peer")

    with capture_logs() as logs:
        passed_on = _run_in_thread(elsewhere)

    assert [type(a.exc_value) for a in passed_on] == [ConnectionResetError]
    assert logs == []


def test_installing_twice_chains_the_hook_once_in_front_of_the_one_there_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = threading.excepthook
    monkeypatch.setattr(sftp_prefetch, "_installed", False)
    monkeypatch.setattr(threading, "excepthook", before)

    sftp_prefetch.install()
    sftp_prefetch.install()

    hook = threading.excepthook
    assert isinstance(hook, partial)
    assert (hook.func, hook.keywords["previous"]) == (prefetch_hook, before)
