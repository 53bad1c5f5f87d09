"""Bench: small files picked up over SFTP and stored, against a real sshd on loopback.

Usage: python bench/sftp.py [N]   (default 1000 files)

Starts OpenSSH's sshd on a free port with temporary ed25519 keys (as the integration
tests do), puts N distinct small X12 files in the remote inbox, then times the receive
loop over one reused SSH session: list, download, commit the raw payload to SQLite (one
transaction per file, the durable hand-off), and move the remote file to the archive.
Processing is not included; ``bench/inbox.py`` measures that.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "integration")]

from sshd_support import start_sshd  # noqa: E402

from b2bbridge.adapters.connectors.base import ConnectorDefinition, create_connector  # noqa: E402
from b2bbridge.bootstrap import build_app  # noqa: E402
from b2bbridge.config import load_settings  # noqa: E402
from b2bbridge.logs import configure_logging  # noqa: E402
from b2bbridge.services.receive import receive_payload  # noqa: E402
from tests.e2e_support import make_deployment  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    configure_logging(level="error", fmt="json")
    src = (REPO / "tests" / "fixtures" / "x12" / "850_two_pos.edi").read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sshd = start_sshd(root / "sshd")
        try:
            inbox = root / "remote" / "in"
            inbox.mkdir(parents=True)
            past = time.time() - 120
            for i in range(n):
                path = inbox / f"po{i:05d}.edi"
                path.write_bytes(src.replace(b"000000123", f"{i + 1:09d}".encode()))
                os.utime(path, (past, past))
            (root / "deploy").mkdir()
            make_deployment(root / "deploy")
            app = build_app(load_settings(root / "deploy" / "b2bbridge.toml", env={}))
            sftp = create_connector(
                ConnectorDefinition(
                    name="bench-sftp",
                    kind="sftp",
                    partner="acme",
                    options={
                        "host": "127.0.0.1",
                        "port": sshd.port,
                        "username": sshd.username,
                        "private_key": {"file": str(sshd.client_key)},
                        "known_hosts": str(sshd.known_hosts),
                        "inbox": str(inbox),
                        "archive": str(root / "remote" / "archive"),
                        "read_lock": {"strategy": "stable", "seconds": 1},
                    },
                ),
                root,
            )
            start = time.perf_counter()
            stored = 0
            for item in sftp.poll():
                data = sftp.fetch(item)
                receive_payload(
                    app.ctx, connector=sftp.name, partner="acme", filename=item.name, data=data
                )
                sftp.confirm(item, ok=True)
                stored += 1
            elapsed = time.perf_counter() - start
            sftp.close()
            app.close()
        finally:
            sshd.stop()
    print(
        f"sftp: {stored} files listed, downloaded, stored and archived in {elapsed:.2f} s "
        f"= {stored / elapsed:.0f} files/s (one SSH session)"
    )


if __name__ == "__main__":
    main()
