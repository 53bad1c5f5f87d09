"""A real OpenSSH sshd on a random loopback port, with temporary ed25519 keys.

Used by the SFTP integration tests and ``bench/sftp.py``. The server runs without a
chroot (sshd refuses one under /tmp), so remote paths are the real local paths. When
``/usr/sbin/sshd`` is missing the caller fails loudly: ``make test`` installs Debian's
openssh-server, and a skipped integration test proves nothing.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

SSHD = Path("/usr/sbin/sshd")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def keygen(path: Path) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path


@dataclass
class Sshd:
    """A running sshd; ``known_hosts`` pins its host key, ``client_key`` may log in."""

    port: int
    folder: Path
    client_key: Path
    host_key: Path
    known_hosts: Path
    username: str
    process: subprocess.Popen[bytes]

    def fingerprint(self) -> str:
        out = subprocess.run(
            ["ssh-keygen", "-lf", str(self.host_key) + ".pub"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return out.split()[1]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start_sshd(folder: Path, *, password_user: str | None = None) -> Sshd:
    """An sshd for the current user's key; with ``password_user``, for that user's password only.

    A password sshd lets nobody else in (``AllowUsers``), never root, and listens on
    loopback only, on a port of its own, for as long as the test module runs.
    """
    if not SSHD.exists():
        raise RuntimeError(
            "/usr/sbin/sshd is missing: apt-get install -y --no-install-recommends "
            "openssh-server && mkdir -p -m 0755 /run/sshd"
        )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    host_key = keygen(folder / "host_ed25519")
    client_key = keygen(folder / "client_ed25519")
    authorized = folder / "authorized_keys"
    authorized.write_text((folder / "client_ed25519.pub").read_text())
    port = free_port()
    config = folder / "sshd_config"
    access = (
        f"PasswordAuthentication yes\nAllowUsers {password_user}\nPermitRootLogin no\n"
        if password_user
        else "PasswordAuthentication no\nPermitRootLogin prohibit-password\n"
    )
    config.write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {host_key}\n"
        f"PidFile {folder / 'sshd.pid'}\nAuthorizedKeysFile {authorized}\n"
        f"{access}KbdInteractiveAuthentication no\nUsePAM no\n"
        "StrictModes no\nMaxStartups 100\n"
        "MaxSessions 50\nLogLevel ERROR\nSubsystem sftp internal-sftp\n"
    )
    proc = subprocess.Popen(
        [str(SSHD), "-D", "-e", "-f", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_banner(port, proc)
    pub = (folder / "host_ed25519.pub").read_text().split()
    known = folder / "known_hosts"
    known.write_text(f"[127.0.0.1]:{port} {pub[0]} {pub[1]}\n")
    user = password_user or getpass.getuser()
    return Sshd(port, folder, client_key, host_key, known, user, proc)


def _wait_for_banner(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"sshd exited with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if s.recv(64).startswith(b"SSH-"):
                    return
        except OSError:
            time.sleep(0.01)
    proc.terminate()
    raise RuntimeError(f"sshd did not answer on port {port}")


@dataclass
class DroppingProxy:
    """A TCP relay to ``target`` that cuts its first connection after ``cut_after`` bytes
    from the server: a server dropping the connection mid-transfer."""

    target: int
    cut_after: int
    port: int = 0
    connections: int = 0
    _server: socket.socket = field(init=False)

    def start(self) -> DroppingProxy:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._server.getsockname()[1])
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self.connections += 1
            limit = self.cut_after if self.connections == 1 else None
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=_pipe, args=(client, upstream, None), daemon=True).start()
            threading.Thread(target=_pipe, args=(upstream, client, limit), daemon=True).start()

    def stop(self) -> None:
        self._server.close()


def _pipe(src: socket.socket, dst: socket.socket, limit: int | None) -> None:
    sent = 0
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if limit is not None and sent + len(data) > limit:
                break
            dst.sendall(data)
            sent += len(data)
    except OSError:
        pass
    for s in (src, dst):
        with contextlib.suppress(OSError):
            s.shutdown(socket.SHUT_RDWR)
        s.close()


def environ_key(path: Path) -> dict[str, str]:
    """An environment carrying the client key, for ``{env: ...}`` references."""
    return {**os.environ, "B2B_TEST_SFTP_KEY": path.read_text()}


@dataclass(frozen=True)
class ThrowawayUser:
    """A system account that exists only for one test session: name, password, a folder."""

    name: str
    password: str
    home: Path


@contextlib.contextmanager
def throwaway_user() -> Iterator[ThrowawayUser]:
    """Create a uniquely named login for password tests, and remove it afterwards.

    Needs root (``useradd``, ``chpasswd``); without root it fails with the reason, as
    every integration test here fails rather than skips. The account is as harmless as
    it can be made: a random 32-character password that lives only in this process, no
    home directory, ``nologin`` as its shell, no group of its own, and an expiry date two
    days ahead (expiry is by whole day: "tomorrow" could be minutes away), so even an
    account left behind by a killed test run stops working by itself. Its only folder is
    a fresh directory under the system temp folder that it owns (pytest's own temp
    folders are root's, mode 0700). Only the test's own sshd accepts its password
    (``AllowUsers``).
    """
    if os.geteuid() != 0:
        raise RuntimeError(
            "SFTP password tests create a throwaway system user (useradd, chpasswd): "
            "run them as root"
        )
    name = f"b2bpw{secrets.token_hex(5)}"
    password = secrets.token_urlsafe(24)
    tomorrow = (datetime.now(UTC).date() + timedelta(days=2)).isoformat()
    subprocess.run(
        [
            "useradd",
            "-M",
            "-N",
            "-d",
            "/nonexistent",
            "-s",
            "/usr/sbin/nologin",
            "-e",
            tomorrow,
            name,
        ],
        check=True,
    )
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    try:
        subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
        os.chown(folder, pwd.getpwnam(name).pw_uid, -1)
        yield ThrowawayUser(name, password, folder)
    finally:
        subprocess.run(["userdel", name], check=False)
        shutil.rmtree(folder, ignore_errors=True)
