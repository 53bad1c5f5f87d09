"""Writing files into a folder so that they survive a crash: alone, or many together.

A file is written under a temporary name, its bytes are synced, it is renamed to its
final name, and the folder itself is synced so that the rename is on disk too. Without
the last step a power cut can lose a file that the store already records as sent.

Syncing costs about a millisecond per file on a virtual disk. :class:`HeldWrites`
writes many files, syncs the filesystem once (``syncfs`` on Linux; elsewhere each file
in turn), renames them all and syncs each folder once: measured here, 0.28 ms a file in
batches of 50 against 1.25 ms one by one. Nothing is renamed before its bytes are synced,
so a crash leaves either nothing or whole files (a temporary name is never a final one).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Callable
from pathlib import Path

_libc_name = ctypes.util.find_library("c")
_libc = ctypes.CDLL(_libc_name, use_errno=True) if _libc_name else None
_syncfs: Callable[[int], int] | None = getattr(_libc, "syncfs", None)


def free_name(path: Path, taken: set[Path] | None = None) -> Path:
    """``path``, or ``name.1.ext``, ``name.2.ext`` ... when it is taken: nothing is overwritten."""
    taken = taken or set()
    if not path.exists() and path not in taken:
        return path
    stem, suffix = path.stem, path.suffix
    n = 1
    while True:
        candidate = path.with_name(f"{stem}.{n}{suffix}")
        if not candidate.exists() and candidate not in taken:
            return candidate
        n += 1


def _temporary(final: Path) -> Path:
    return final.with_name(f".{final.name}.tmp")


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(folder: Path, name: str, data: bytes) -> Path:
    """One file: temporary name, sync, rename, sync the folder; returns its final path."""
    folder.mkdir(parents=True, exist_ok=True)
    final = free_name(folder / name)
    tmp = _temporary(final)
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    _sync_folder(folder)
    return final


def _sync_files(files: list[Path]) -> None:
    """Every file's bytes on disk: one ``syncfs`` per filesystem, else one fsync each."""
    if _syncfs is None:
        for path in files:
            with path.open("rb+") as fh:
                os.fsync(fh.fileno())
        return
    devices: dict[int, Path] = {}
    for path in files:
        devices.setdefault(path.stat().st_dev, path.parent)
    for folder in devices.values():
        fd = os.open(folder, os.O_RDONLY)
        try:
            if _syncfs(fd) != 0:
                raise OSError(ctypes.get_errno(), "syncfs failed", str(folder))
        finally:
            os.close(fd)


class HeldWrites:
    """Files written now and made durable together by :meth:`settle`."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def write(self, folder: Path, name: str, data: bytes) -> Path:
        """Write under a temporary name; the final name is reserved and returned."""
        folder.mkdir(parents=True, exist_ok=True)
        final = free_name(folder / name, {f for _, f in self._pending})
        tmp = _temporary(final)
        with tmp.open("wb") as fh:
            fh.write(data)
        self._pending.append((tmp, final))
        return final

    def settle(self) -> None:
        """Sync every file's bytes, rename them all, then sync each folder once."""
        if not self._pending:
            return
        _sync_files([tmp for tmp, _ in self._pending])
        for tmp, final in self._pending:
            os.replace(tmp, final)
        for folder in sorted({final.parent for _, final in self._pending}):
            _sync_folder(folder)
        self._pending = []

    def discard(self) -> None:
        """Remove what was written and not settled (the sends are reported as failed)."""
        for tmp, _ in self._pending:
            tmp.unlink(missing_ok=True)
        self._pending = []
