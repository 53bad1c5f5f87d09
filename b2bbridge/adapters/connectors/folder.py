"""Drop folders: a local inbox, outbox, archive and error folder for one partner.

Features
    poll, fetch, confirm (move to archive or error, delete, or keep), send.
Connection
    none; paths are local (or a mounted share).
Options
    ``inbox``, ``outbox``, ``archive``, ``error`` (folders, created on first use);
    ``pattern`` (glob, default ``*``); ``read_lock`` (how a file is known to be complete,
    the same strategies as SFTP: ``stable``, ``done_file`` or ``rename``, see
    :mod:`readlock`); ``min_age_seconds`` (shorthand for ``read_lock: {strategy: stable,
    seconds: N}``, default 1.0; give one or the other); ``after`` (``move`` | ``delete`` |
    ``keep``, default ``move``).

With ``done_file`` the partner writes ``NAME`` then an empty ``NAME.done``: ``NAME`` is
picked up only once the marker is there, and the marker is removed when the file is
moved or deleted. With ``rename`` the partner writes under a temporary name and renames
it in place; the connector claims each file by renaming it to ``NAME.claimed`` before
reading, so two pollers on one share never both take it, and a claimed file left by a
crash is read again on the next poll (the content-hash dedupe stops a second order).

Files whose names start with ``.`` or end in ``.tmp``, ``.part`` or ``.filepart`` are
never picked up: those are the temporary names writers use before their atomic rename.
Sending writes to a temporary name in the outbox, flushes it to disk, then renames it,
so a reader on the other side never sees half a file.
"""

from __future__ import annotations

import fnmatch
import io
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from b2bbridge.adapters.connectors.base import (
    ConnectorDefinition,
    parse_options,
    register_kind,
)
from b2bbridge.adapters.connectors.durable import HeldWrites, free_name, write_durably
from b2bbridge.adapters.connectors.readlock import (
    ReadLock,
    StabilityTracker,
    claimed_leftovers,
    ready_names,
)
from b2bbridge.core.errors import ConnectorError
from b2bbridge.core.location import Location
from b2bbridge.ports import InboundFile


class FolderOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    inbox: Path
    outbox: Path
    archive: Path
    error: Path
    pattern: str = "*"
    min_age_seconds: float = Field(1.0, ge=0)
    read_lock: ReadLock | None = None
    after: Literal["move", "delete", "keep"] = "move"

    @model_validator(mode="after")
    def _one_lock(self) -> FolderOptions:
        if self.read_lock is not None and "min_age_seconds" in self.model_fields_set:
            raise ValueError("give read_lock or min_age_seconds, not both")
        return self

    @property
    def lock(self) -> ReadLock:
        """The read lock in force: ``read_lock``, else a stable lock of ``min_age_seconds``."""
        return self.read_lock or ReadLock(strategy="stable", seconds=self.min_age_seconds)


class FolderConnector:
    """A partner's local folders behind the Connector protocol."""

    kind = "folder"

    def __init__(
        self,
        name: str,
        partner: str | None,
        options: FolderOptions,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.name = name
        self.partner = partner
        self.options = options
        self.lock = options.lock
        self._clock = clock
        self._tracker = StabilityTracker(self.lock.seconds)
        self._claims: dict[str, str] = {}
        self._held: HeldWrites | None = None

    def poll(self) -> Iterator[InboundFile]:
        """Files ready to read, oldest first; missing inbox means nothing to read yet."""
        inbox = self.options.inbox
        if not inbox.is_dir():
            return
        listing = _listing(inbox)
        marker = self.lock.marker
        if self.lock.strategy == "rename":
            for original, size in claimed_leftovers(listing, marker, self._claims):
                yield InboundFile(self.name, original, original, size)
        for name in ready_names(listing, self.lock, self._tracker, self._clock()):
            if fnmatch.fnmatch(name, self.options.pattern) and not name.endswith(marker):
                yield InboundFile(connector=self.name, ref=name, name=name, size=listing[name][0])

    def fetch(self, item: InboundFile) -> bytes:
        with self.open(item) as stream:
            return stream.read()

    def open(self, item: InboundFile) -> BinaryIO:
        """The file as a stream, so that receiving never holds a large file whole."""
        path = self.options.inbox / self._claim(item.ref)
        try:
            return _FileStream(path)
        except OSError as exc:
            raise ConnectorError(
                f"cannot read {path}: {exc.strerror}", location=Location(file=str(path))
            ) from exc

    def _claim(self, ref: str) -> str:
        """With ``rename``, take the file by renaming it; a lost race is a ConnectorError."""
        if self.lock.strategy != "rename":
            return ref
        claimed = self._claims.get(ref)
        if claimed is None:
            claimed = ref + self.lock.marker
            src = self.options.inbox / ref
            try:
                os.rename(src, self.options.inbox / claimed)
            except OSError as exc:
                raise ConnectorError(
                    f"cannot claim {src}: {exc.strerror}",
                    code="folder_claim_failed",
                    location=Location(file=str(src)),
                ) from exc
            self._claims[ref] = claimed
        return claimed

    def confirm(self, item: InboundFile, *, ok: bool) -> str | None:
        """Move the file out of the inbox once its payload is safely stored."""
        src = self.options.inbox / self._claims.pop(item.ref, item.ref)
        if self.lock.strategy == "done_file":
            (self.options.inbox / (item.ref + self.lock.marker)).unlink(missing_ok=True)
        if self.options.after == "keep":
            return None
        if self.options.after == "delete" and ok:
            src.unlink(missing_ok=True)
            return None
        folder = self.options.archive if ok else self.options.error
        folder.mkdir(parents=True, exist_ok=True)
        dest = free_name(folder / item.name)
        try:
            os.replace(src, dest)
        except FileNotFoundError:
            return None  # moved already, by a confirm repeated after a crash
        return str(dest)

    def send(self, name: str, data: bytes) -> str:
        """Write atomically and durably: temporary name, sync, rename, sync the folder.

        Inside :meth:`sending_together` the file is only written; it gets its final name
        when the block ends, synced together with the others.
        """
        if self._held is not None:
            return str(self._held.write(self.options.outbox, name, data))
        return str(write_durably(self.options.outbox, name, data))

    @contextmanager
    def sending_together(self) -> Iterator[None]:
        """Make the sends inside durable together, with one sync for all of them.

        If the block or the sync fails, the files written inside are removed and the
        error is raised: the caller must not record those sends as done.
        """
        held = self._held = HeldWrites()
        try:
            yield
            held.settle()
        except BaseException:
            held.discard()
            raise
        finally:
            self._held = None

    def close(self) -> None:
        """Nothing to release for local folders."""


class _FileStream(io.BufferedReader):
    """A file read in pieces; a read error is a ConnectorError naming the file."""

    def __init__(self, path: Path) -> None:
        super().__init__(io.FileIO(path, "rb"))
        self.path = path

    def read(self, size: int | None = -1) -> bytes:
        try:
            return super().read(size)
        except OSError as exc:
            raise ConnectorError(
                f"cannot read {self.path}: {exc.strerror}", location=Location(file=str(self.path))
            ) from exc


def _listing(inbox: Path) -> dict[str, tuple[int, float]]:
    """Every regular file in the inbox: name → (size, mtime). Markers need the full list."""
    out: dict[str, tuple[int, float]] = {}
    with os.scandir(inbox) as entries:
        for entry in entries:
            try:
                if entry.is_file():
                    st = entry.stat()
                    out[entry.name] = (st.st_size, st.st_mtime)
            except FileNotFoundError:
                continue  # moved away between the listing and the stat
    return out


def _create(definition: ConnectorDefinition, home: Path) -> FolderConnector:
    raw = parse_options(FolderOptions, definition)
    resolved = raw.model_copy(
        update={
            k: (v if v.is_absolute() else (home / v).resolve())
            for k in ("inbox", "outbox", "archive", "error")
            for v in [getattr(raw, k)]
        }
    )
    return FolderConnector(definition.name, definition.partner, resolved)


register_kind("folder", _create)
