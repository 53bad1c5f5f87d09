"""``connectors test`` for SFTP: connect, show the host key, check every folder's access.

Nothing is downloaded or moved. Write access to the outbox is checked by uploading and
removing a zero-byte ``.b2bbridge-probe`` file, because SFTP servers do not report
effective permissions any other way.
"""

from __future__ import annotations

import io
import posixpath
import stat
from typing import TYPE_CHECKING

import paramiko

from b2bbridge.core.errors import B2BError

if TYPE_CHECKING:
    from b2bbridge.adapters.connectors.sftp import SftpConnector

Check = tuple[str, bool, str]


def probe_sftp(connector: SftpConnector) -> list[Check]:
    session = connector.session
    try:
        channel = session.channel()
    except B2BError as exc:
        return [("connect", False, str(exc))]
    except (OSError, EOFError, paramiko.SSHException) as exc:
        return [("connect", False, f"{type(exc).__name__}: {exc}")]
    pinned = "pinned in known_hosts" if session.settings.host_key_check else "NOT VERIFIED"
    rows: list[Check] = [
        ("connect", True, f"logged in as {session.settings.credentials.username}"),
        ("host key", True, f"{session.server_fingerprint} ({pinned})"),
        _inbox(channel, connector.options.inbox),
        _writable(channel, connector.options.outbox),
    ]
    rows.append(_folder(channel, "archive", connector.options.archive))
    rows.append(_folder(channel, "error", connector.options.error))
    return rows


def _inbox(c: paramiko.SFTPClient, path: str) -> Check:
    try:
        count = sum(1 for e in c.listdir_attr(path) if e.st_mode and stat.S_ISREG(e.st_mode))
    except PermissionError:
        return ("inbox", False, f"permission denied listing {path}")
    except FileNotFoundError:
        return ("inbox", False, f"{path} does not exist")
    return ("inbox", True, f"{path}: {count} file(s)")


def _writable(c: paramiko.SFTPClient, path: str) -> Check:
    probe = posixpath.join(path, ".b2bbridge-probe")
    try:
        c.putfo(io.BytesIO(b""), probe, file_size=0, confirm=True)
        c.remove(probe)
    except PermissionError:
        return ("outbox", False, f"permission denied writing in {path}")
    except FileNotFoundError:
        return ("outbox", False, f"{path} does not exist")
    return ("outbox", True, f"{path} is writable")


def _folder(c: paramiko.SFTPClient, label: str, path: str) -> Check:
    try:
        mode = c.stat(path).st_mode or 0
    except PermissionError:
        return (label, False, f"permission denied reading {path}")
    except FileNotFoundError:
        return (label, True, f"{path} will be created on first use")
    if not stat.S_ISDIR(mode):
        return (label, False, f"{path} is not a folder")
    return (label, True, f"{path} exists")
