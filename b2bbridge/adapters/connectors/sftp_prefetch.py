"""paramiko's download helper thread: its dying words logged once, as a structured event.

paramiko downloads with prefetching: a helper thread sends all the read requests while
the caller collects the answers. When the connection drops mid-download, the helper's
next send raises, and nothing in paramiko catches it (paramiko/paramiko#2379): Python's
default thread hook prints a bare traceback on stderr, outside the logs. The download
fails in the calling thread as well, where :class:`~.sftp_session.SftpSession` reconnects
and retries it, so the helper's error is the same failure seen a second time.

:func:`install` puts a thread hook in front of whatever hook the process has: an error
that a paramiko prefetch thread raised from a broken connection becomes one
``sftp_prefetch_aborted`` warning; every other thread exception goes on to the previous
hook untouched. It is installed once, by the first SFTP session that connects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from types import TracebackType

import paramiko
import structlog
from paramiko.sftp_file import SFTPFile

log = structlog.get_logger("b2bbridge.sftp")

# The helper's function; should a paramiko release rename it, nothing matches and every
# thread exception goes to the previous hook as before.
_PREFETCH_CODE = getattr(vars(SFTPFile).get("_prefetch_thread"), "__code__", None)
# What a send on a broken connection raises: socket errors, EOF, paramiko's own.
_CONNECTION_ERRORS = (OSError, EOFError, paramiko.SSHException)
_lock = threading.Lock()
_installed = False

Hook = Callable[[threading.ExceptHookArgs], object]


def install() -> None:
    """Chain the prefetch hook in front of the current thread hook; once per process."""
    global _installed
    with _lock:
        if _installed:
            return
        threading.excepthook = partial(prefetch_hook, previous=threading.excepthook)
        _installed = True


def prefetch_hook(args: threading.ExceptHookArgs, /, *, previous: Hook) -> None:
    """Log a prefetch thread's connection error; hand anything else to ``previous``."""
    if isinstance(args.exc_value, _CONNECTION_ERRORS) and _raised_in_prefetch(args.exc_traceback):
        log.warning(
            "sftp_prefetch_aborted",
            thread=args.thread.name if args.thread is not None else None,
            error=f"{type(args.exc_value).__name__}: {args.exc_value}",
            note="the download itself failed too and is retried on a new connection",
        )
        return
    previous(args)


def _raised_in_prefetch(tb: TracebackType | None) -> bool:
    while tb is not None and _PREFETCH_CODE is not None:
        if tb.tb_frame.f_code is _PREFETCH_CODE:
            return True
        tb = tb.tb_next
    return False
