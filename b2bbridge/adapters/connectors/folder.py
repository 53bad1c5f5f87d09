"""Drop folders: a local inbox, outbox, archive and error folder for one partner.

Features
    poll, fetch, confirm (move to archive or error, delete, or keep), send.
Connection
    none; paths are local (or a mounted share).
Options
    ``inbox``, ``outbox``, ``archive``, ``error`` (folders, created on first use);
    ``pattern`` (glob, default ``*``); ``min_age_seconds`` (read lock: a file is picked up
    only when it has not been modified for this long, default 1.0; writers still writing
    keep touching it); ``after`` (``move`` | ``delete`` | ``keep``, default ``move``).

Files whose names start with ``.`` or end in ``.tmp`` or ``.part`` are never picked up:
those are the temporary names writers use before their atomic rename. Sending writes to a
temporary name in the outbox, flushes it to disk, then renames it, so a reader on the
other side never sees half a file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from b2bbridge.adapters.connectors.base import (
    ConnectorDefinition,
    parse_options,
    register_kind,
)
from b2bbridge.core.errors import ConnectorError
from b2bbridge.core.location import Location
from b2bbridge.ports import InboundFile

TEMP_SUFFIXES = (".tmp", ".part")


class FolderOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    inbox: Path
    outbox: Path
    archive: Path
    error: Path
    pattern: str = "*"
    min_age_seconds: float = Field(1.0, ge=0)
    after: Literal["move", "delete", "keep"] = "move"


class FolderConnector:
    """A partner's local folders behind the Connector protocol."""

    kind = "folder"

    def __init__(self, name: str, partner: str | None, options: FolderOptions) -> None:
        self.name = name
        self.partner = partner
        self.options = options

    def poll(self) -> Iterator[InboundFile]:
        """Files ready to read, oldest first; missing inbox means nothing to read yet."""
        inbox = self.options.inbox
        if not inbox.is_dir():
            return
        cutoff = time.time() - self.options.min_age_seconds
        entries = []
        for path in inbox.glob(self.options.pattern):
            name = path.name
            if name.startswith(".") or name.endswith(TEMP_SUFFIXES) or not path.is_file():
                continue
            st = path.stat()
            if st.st_mtime > cutoff:
                continue  # possibly still being written; a later poll picks it up
            entries.append((st.st_mtime, name, st.st_size))
        for _mtime, name, size in sorted(entries):
            yield InboundFile(connector=self.name, ref=name, name=name, size=size)

    def fetch(self, item: InboundFile) -> bytes:
        path = self.options.inbox / item.ref
        try:
            return path.read_bytes()
        except OSError as exc:
            raise ConnectorError(
                f"cannot read {path}: {exc.strerror}", location=Location(file=str(path))
            ) from exc

    def confirm(self, item: InboundFile, *, ok: bool) -> str | None:
        """Move the file out of the inbox once its payload is safely stored."""
        src = self.options.inbox / item.ref
        if self.options.after == "keep":
            return None
        if self.options.after == "delete" and ok:
            src.unlink(missing_ok=True)
            return None
        folder = self.options.archive if ok else self.options.error
        folder.mkdir(parents=True, exist_ok=True)
        dest = _free_name(folder / item.name)
        os.replace(src, dest)
        return str(dest)

    def send(self, name: str, data: bytes) -> str:
        """Write atomically: temporary name, fsync, rename."""
        outbox = self.options.outbox
        outbox.mkdir(parents=True, exist_ok=True)
        final = _free_name(outbox / name)
        tmp = outbox / f".{final.name}.tmp"
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        return str(final)

    def close(self) -> None:
        """Nothing to release for local folders."""


def _free_name(path: Path) -> Path:
    """``path``, or ``name.1.ext``, ``name.2.ext`` ... when it is taken: nothing is overwritten."""
    if not path.exists():
        return path
    stem, suffix = path.stem, path.suffix
    n = 1
    while True:
        candidate = path.with_name(f"{stem}.{n}{suffix}")
        if not candidate.exists():
            return candidate
        n += 1


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
