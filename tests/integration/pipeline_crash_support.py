"""The crash drill shared by the embedded and AMQP crash tests.

Workers run as separate processes; a killer SIGKILLs one at random moments and starts a
replacement, while the test watches the store. The store is the judge: at the end every
input must have exactly one business document.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from e2e_support import REPO, Deployment

WORKER_CODE = """
import sys
from pathlib import Path
from b2bbridge.cli.worker import serve
from b2bbridge.config import load_settings
from b2bbridge.services.worker import WorkerOptions
settings = load_settings(Path(sys.argv[1]))
serve(settings, WorkerOptions(batch=5, lease_seconds=3.0, idle_seconds=0.05,
                              sweep_seconds=2.0, grace_seconds=2.0))
"""


def tune_for_crashes(dep: Deployment, *, broker_url: str = "") -> None:
    """Short leases so killed work comes back fast; quiet logs."""
    path = dep.root / "b2bbridge.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("lease_seconds = 120.0", "lease_seconds = 3.0")
    text = text.replace("batch_size = 50", "batch_size = 5")
    text = text.replace('log_level = "warning"', 'log_level = "error"')
    if broker_url:
        text = text.replace('broker_url = ""', f'broker_url = "{broker_url}"')
    path.write_text(text, encoding="utf-8")


@dataclass
class WorkerPool:
    dep: Deployment
    size: int
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    kills: int = 0

    def start_one(self) -> subprocess.Popen[bytes]:
        env = dict(self.dep.env)
        env["PYTHONPATH"] = str(REPO)
        with (self.dep.root / "workers.log").open("ab") as log:
            return subprocess.Popen(
                [sys.executable, "-c", WORKER_CODE, str(self.dep.root / "b2bbridge.toml")],
                cwd=self.dep.root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def start(self) -> None:
        self.procs = [self.start_one() for _ in range(self.size)]

    def kill_one(self, rng: random.Random) -> None:
        i = rng.randrange(len(self.procs))
        os.kill(self.procs[i].pid, signal.SIGKILL)
        self.procs[i].wait()
        self.kills += 1
        self.procs[i] = self.start_one()

    def check_alive(self) -> None:
        """A worker that exits by itself has crashed: fail with its log, do not wait."""
        for p in self.procs:
            if p.poll() is not None:
                tail = (self.dep.root / "workers.log").read_text(errors="replace")[-2000:]
                raise AssertionError(f"worker exited with {p.returncode}:\n{tail}")

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def drill(
    pool: WorkerPool,
    finished: Callable[[], int],
    total: int,
    *,
    kills: int,
    seed: int,
    limit_seconds: float = 900.0,
    disturb: Callable[[int], None] | None = None,
    settled: Callable[[], bool] = lambda: True,
) -> int:
    """Kill workers at random moments until ``kills`` are done, then wait for the rest.

    ``disturb(n)`` is called after the n-th kill (the AMQP drill restarts the broker
    there). The drill waits until every input is finished and ``settled()`` holds: a
    worker killed after its batch committed leaves those work items leased, and they are
    settled only once their lease runs out and another worker takes them. Returns how
    many inputs were finished when the drill stopped waiting.
    """
    rng = random.Random(seed)
    pool.start()
    give_up = time.monotonic() + limit_seconds
    try:
        while time.monotonic() < give_up:
            pool.check_alive()
            done = finished()
            if done >= total and pool.kills >= kills and settled():
                return done
            time.sleep(rng.uniform(0.2, 1.2))
            if pool.kills < kills:
                pool.kill_one(rng)
                if disturb is not None:
                    disturb(pool.kills)
        return finished()
    finally:
        pool.stop()
