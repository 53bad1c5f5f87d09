"""Start a real Tryton and a real Oscar on loopback ports, from cached template databases.

Tryton's template database takes about 26 s to build (module install plus accounting
set-up), so it is built once and cached, keyed on the installed package versions and the
seed script's text:

1. ``~/.cache/b2bbridge-sync/tryton-<key>.sqlite`` (this machine's cache), else
2. ``tests/fixtures/sync/tryton-<key>.sqlite.xz`` (committed, about 0.5 MB), else
3. built now with ``tests/fixtures/sync/tryton_seed.py`` and written to both places.

Oscar's template builds in about 2 s (``migrate --run-syncdb`` plus a seed) and is cached
the same way, without a committed copy. Every server runs on a copy of its template in
a temporary folder, so the templates are never touched by a running server.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import lzma
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sync"
SHOP_DIR = FIXTURES / "oscar_shop"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "b2bbridge-sync"
TRYTON_PACKAGES = [
    "trytond",
    "trytond-party",
    "trytond-product",
    "trytond-stock",
    "trytond-sale",
    "trytond-account-invoice",
    "trytond-sale-opportunity",
]
OSCAR_PACKAGES = ["django-oscar", "django-oscar-api", "django"]
BIN = Path(sys.executable).parent
PASSWORD = "admin"


class ServerStartError(RuntimeError):
    """A server did not come up; the message carries the tail of its log."""


def _key(packages: list[str], *files: Path) -> str:
    digest = hashlib.sha256()
    for name in packages:
        digest.update(f"{name}=={importlib.metadata.version(name)}\n".encode())
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def tryton_template() -> Path:
    """The Tryton template database file, from the cache, the committed copy, or built."""
    key = _key(TRYTON_PACKAGES, FIXTURES / "tryton_seed.py")
    cached = CACHE / f"tryton-{key}.sqlite"
    committed = FIXTURES / f"tryton-{key}.sqlite.xz"
    if cached.exists():
        return cached
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    if committed.exists():
        partial.write_bytes(lzma.decompress(committed.read_bytes()))
    else:
        _build_tryton(partial.parent, key)
        built = partial.parent / f"build-{key}.sqlite"
        built.replace(partial)
        committed.write_bytes(lzma.compress(partial.read_bytes(), preset=9 | lzma.PRESET_EXTREME))
    partial.replace(cached)
    return cached


def _build_tryton(folder: Path, key: str) -> None:
    name = f"build-{key}"
    (folder / f"{name}.sqlite").unlink(missing_ok=True)
    seed = [sys.executable, str(FIXTURES / "tryton_seed.py"), str(folder), name]
    subprocess.run(seed, check=True, capture_output=True, timeout=300)


def oscar_template() -> Path:
    """The Oscar template database (schema plus seed), cached like Tryton's."""
    files = [SHOP_DIR / "shop" / "settings.py", SHOP_DIR / "shop" / "seed.py"]
    cached = CACHE / f"oscar-{_key(OSCAR_PACKAGES, *files)}.sqlite3"
    if cached.exists():
        return cached
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    env = _shop_env(partial)
    django = [sys.executable, "-m", "django"]
    subprocess.run(
        [*django, "migrate", "--run-syncdb", "-v0"],
        cwd=SHOP_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-m", "shop.seed"], cwd=SHOP_DIR, env=env, check=True, capture_output=True
    )
    partial.replace(cached)
    return cached


def _shop_env(database: Path) -> dict[str, str]:
    return {**os.environ, "SHOP_DB": str(database), "DJANGO_SETTINGS_MODULE": "shop.settings"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running server process, its URL and its log file; stop() ends it by its pid."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    command: list[str]
    cwd: Path
    env: dict[str, str]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def start_again(self, ready: str) -> None:
        """Start the same command on the same port and files, after stop()."""
        self.process = _spawn(self.command, self.cwd, self.env, self.log)
        _wait_ready(self, ready)


def _spawn(
    command: list[str], cwd: Path, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_ready(server: Server, kind: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            if kind == "tryton":
                body = {"id": 0, "method": "common.server.version", "params": []}
                ok = httpx.post(f"{server.url}/rpc/", json=body, timeout=2).status_code == 200
            else:
                ok = httpx.get(f"{server.url}/api/", timeout=2).status_code == 200
            if ok:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.stop()
    tail = server.log.read_text(errors="replace")[-3000:]
    raise ServerStartError(f"{kind} at {server.url} did not start:\n{tail}")


def start_tryton(folder: Path, databases: list[str]) -> Server:
    """trytond serving ``databases`` (copies of the template) from ``folder``."""
    template = tryton_template()
    for name in databases:
        shutil.copyfile(template, folder / f"{name}.sqlite")
    port = free_port()
    config = folder / "trytond.conf"
    config.write_text(
        f"[database]\nuri = sqlite://\npath = {folder}\n[web]\nlisten = 127.0.0.1:{port}\n"
    )
    command = [str(BIN / "trytond"), "-c", str(config), "-d", *databases]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRYTOND_")}
    log = folder / "trytond.log"
    server = Server(
        f"http://127.0.0.1:{port}", _spawn(command, folder, env, log), log, command, folder, env
    )
    _wait_ready(server, "tryton")
    return server


def start_oscar(folder: Path) -> Server:
    """waitress serving the test shop on a copy of the Oscar template."""
    database = folder / "shop.sqlite3"
    shutil.copyfile(oscar_template(), database)
    port = free_port()
    command = [
        str(BIN / "waitress-serve"),
        "--listen",
        f"127.0.0.1:{port}",
        "--threads",
        "4",
        "shop.wsgi:application",
    ]
    env = _shop_env(database)
    log = folder / "waitress.log"
    server = Server(
        f"http://127.0.0.1:{port}", _spawn(command, SHOP_DIR, env, log), log, command, SHOP_DIR, env
    )
    _wait_ready(server, "oscar")
    return server
