"""SFTP: a partner's remote inbox and outbox over SSH (paramiko), with pinned host keys.

Features
    poll, fetch, confirm (move to archive or error, delete, or keep), send.
Connection
    one SSH session per connector, opened on first use and reused; a dropped session is
    reopened. Timeouts on connect, banner, authentication and every channel operation.
    Transient errors are retried with backoff (``retry`` in the connector file); refused
    credentials and host keys are not (see :mod:`sftp_session`).
Options
    ``host``, ``port`` (22), ``username``; ``password`` or ``private_key`` (and
    ``passphrase``) by reference, ``{env: NAME}`` or ``{file: PATH}``; ``known_hosts``
    (required while ``host_key_check`` is true, the default); ``inbox``, ``outbox``,
    ``archive``, ``error`` (remote paths); ``pattern`` (glob, ``*``); ``read_lock``
    (see :mod:`readlock`); ``after`` (``move`` | ``delete`` | ``keep``);
    ``timeout_seconds`` (30).

The remote file is moved or deleted only in :meth:`SftpConnector.confirm`, which the
caller invokes after the payload is committed to the store: a crash in between leaves the
file where it was, to be read again and recognised as a duplicate by its content hash.
Sending uploads to ``.NAME.part`` and renames it into place.
"""

from __future__ import annotations

import contextlib
import fnmatch
import io
import posixpath
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal, TypeVar

import paramiko
from pydantic import BaseModel, ConfigDict, Field, model_validator

from b2bbridge.adapters.connectors.base import (
    ConnectorDefinition,
    parse_options,
    register_kind,
)
from b2bbridge.adapters.connectors.readlock import (
    ReadLock,
    StabilityTracker,
    claimed_leftovers,
    ready_names,
)
from b2bbridge.adapters.connectors.secrets import SecretOption
from b2bbridge.adapters.connectors.sftp_probe import probe_sftp
from b2bbridge.adapters.connectors.sftp_session import Credentials, SessionSettings, SftpSession
from b2bbridge.core.errors import ConfigError, ConnectorError
from b2bbridge.core.location import Location
from b2bbridge.ports import InboundFile

T = TypeVar("T")


class SftpOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str
    port: int = Field(22, ge=1, le=65535)
    username: str
    password: SecretOption | None = None
    private_key: SecretOption | None = None
    passphrase: SecretOption | None = None
    known_hosts: Path | None = None
    host_key_check: bool = True
    inbox: str
    outbox: str = "outbox"
    archive: str = "archive"
    error: str = "error"
    pattern: str = "*"
    read_lock: ReadLock = Field(default_factory=ReadLock)
    after: Literal["move", "delete", "keep"] = "move"
    timeout_seconds: float = Field(30.0, gt=0)

    @model_validator(mode="after")
    def _checked(self) -> SftpOptions:
        if self.host_key_check and self.known_hosts is None:
            raise ValueError("known_hosts is required while host_key_check is on")
        if self.password is None and self.private_key is None:
            raise ValueError("give password or private_key (by reference)")
        return self


class SftpConnector:
    """A partner's SFTP account behind the Connector protocol."""

    kind = "sftp"

    def __init__(
        self,
        name: str,
        partner: str | None,
        options: SftpOptions,
        session: SftpSession,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.name = name
        self.partner = partner
        self.options = options
        self.session = session
        self._clock = clock
        self._tracker = StabilityTracker(options.read_lock.seconds)
        self._claims: dict[str, str] = {}

    def _inbox(self, name: str) -> str:
        return posixpath.join(self.options.inbox, name)

    def poll(self) -> Iterator[InboundFile]:
        """Complete files in the remote inbox under the read lock, oldest first."""
        entries = self.session.run("list", lambda c: c.listdir_attr(self.options.inbox))
        listing = {
            e.filename: (e.st_size or 0, float(e.st_mtime or 0))
            for e in entries
            if e.st_mode is None or stat.S_ISREG(e.st_mode)
        }
        lock = self.options.read_lock
        if lock.strategy == "rename":
            for original, size in claimed_leftovers(listing, lock.marker, self._claims):
                yield InboundFile(self.name, original, original, size)
        for name in ready_names(listing, lock, self._tracker, self._clock()):
            if fnmatch.fnmatch(name, self.options.pattern) and not name.endswith(lock.marker):
                yield InboundFile(self.name, name, name, listing[name][0])

    def fetch(self, item: InboundFile) -> bytes:
        """Download the whole file; with ``rename`` it is claimed first."""
        path = self._inbox(self._claim(item.ref))

        def download(c: paramiko.SFTPClient) -> bytes:
            buf = io.BytesIO()
            c.getfo(path, buf, prefetch=True)
            return buf.getvalue()

        return self._run_on_file("download", path, download)

    def _claim(self, ref: str) -> str:
        lock = self.options.read_lock
        if lock.strategy != "rename":
            return ref
        claimed = self._claims.get(ref)
        if claimed is None:
            claimed = ref + lock.marker
            src, dest = self._inbox(ref), self._inbox(claimed)
            self._run_on_file("claim", src, lambda c: c.posix_rename(src, dest))
            self._claims[ref] = claimed
        return claimed

    def confirm(self, item: InboundFile, *, ok: bool) -> str | None:
        """Move (or delete) the remote file now that its payload is stored."""
        src = self._inbox(self._claims.pop(item.ref, item.ref))
        marker = self.options.read_lock.marker
        if self.options.read_lock.strategy == "done_file":
            done = self._inbox(item.ref + marker)
            self.session.run("remove marker", lambda c: _remove_quietly(c, done))
        if self.options.after == "keep":
            return None
        if self.options.after == "delete" and ok:
            self.session.run("delete", lambda c: _remove_quietly(c, src))
            return None
        folder = self.options.archive if ok else self.options.error
        dest = posixpath.join(folder, item.name)
        return self.session.run("move", lambda c: _move(c, src, folder, dest))

    def send(self, name: str, data: bytes) -> str:
        """Upload to a temporary name in the outbox, then rename it into place."""
        final = posixpath.join(self.options.outbox, name)
        tmp = posixpath.join(self.options.outbox, f".{name}.part")

        def upload(c: paramiko.SFTPClient) -> str:
            _ensure_dir(c, self.options.outbox)
            c.putfo(io.BytesIO(data), tmp, file_size=len(data), confirm=True)
            c.posix_rename(tmp, final)
            return final

        return self._run_on_file("upload", final, upload)

    def _run_on_file(self, what: str, path: str, op: Callable[[paramiko.SFTPClient], T]) -> T:
        try:
            return self.session.run(what, op)
        except (FileNotFoundError, PermissionError) as exc:
            kind = "not found" if isinstance(exc, FileNotFoundError) else "permission denied"
            raise ConnectorError(
                f"sftp {what} {path}: {kind}",
                code="sftp_permission_denied" if kind != "not found" else "sftp_not_found",
                location=Location(file=path),
            ) from exc

    def probe(self) -> list[tuple[str, bool, str]]:
        """For ``connectors test``: connection, host key, and access to each folder."""
        return probe_sftp(self)

    def close(self) -> None:
        self.session.close()


def _remove_quietly(c: paramiko.SFTPClient, path: str) -> None:
    with contextlib.suppress(FileNotFoundError):  # gone: a confirm repeated after a crash
        c.remove(path)


def _ensure_dir(c: paramiko.SFTPClient, path: str) -> None:
    try:
        c.stat(path)
    except FileNotFoundError:
        c.mkdir(path)


def _move(c: paramiko.SFTPClient, src: str, folder: str, dest: str) -> str | None:
    _ensure_dir(c, folder)
    try:
        c.posix_rename(src, dest)
    except FileNotFoundError:
        return None  # moved already, by a confirm repeated after a crash
    return dest


def build_session(definition: ConnectorDefinition, options: SftpOptions, home: Path) -> SftpSession:
    def resolve(ref: object) -> object:
        return None if ref is None else ref.resolve(home)  # type: ignore[attr-defined]

    known = options.known_hosts
    creds = Credentials(
        username=options.username,
        password=resolve(options.password),  # type: ignore[arg-type]
        private_key=resolve(options.private_key),  # type: ignore[arg-type]
        passphrase=resolve(options.passphrase),  # type: ignore[arg-type]
    )
    return SftpSession(
        SessionSettings(
            host=options.host,
            port=options.port,
            credentials=creds,
            known_hosts=None if known is None else (known if known.is_absolute() else home / known),
            host_key_check=options.host_key_check,
            timeout_seconds=options.timeout_seconds,
            retry=definition.retry,
            connector=definition.name,
        )
    )


def _create(definition: ConnectorDefinition, home: Path) -> SftpConnector:
    options = parse_options(SftpOptions, definition)
    if options.host_key_check and options.known_hosts is not None:
        path = (
            options.known_hosts if options.known_hosts.is_absolute() else home / options.known_hosts
        )
        if not path.is_file():
            raise ConfigError(
                f"connector {definition.name!r}: known_hosts file {path} does not exist",
                code="sftp_known_hosts_missing",
                location=Location(file=definition.source),
            )
    session = build_session(definition, options, home)
    return SftpConnector(definition.name, definition.partner, options, session)


register_kind("sftp", _create)
