"""Bench: a drop-folder inbox of N files received and processed in batches, with peak memory.

Usage: python bench/inbox.py [N] [BATCH]   (default 10000 files, batches of 200)

Each file is a two-order X12 850 with its own control number, so every file is really
stored, read, mapped, acknowledged and filed (no duplicates). Prints files/s and the
resident set size after each tenth of the run, which stays flat when memory is bounded.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from b2bbridge.bootstrap import build_app  # noqa: E402
from b2bbridge.config import load_settings  # noqa: E402
from b2bbridge.logs import configure_logging  # noqa: E402
from b2bbridge.services.intake import receive_in_batches  # noqa: E402
from b2bbridge.services.run import SummaryRow  # noqa: E402
from tests.e2e_support import make_deployment  # noqa: E402


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def fill(inbox: Path, n: int) -> None:
    src = (REPO / "tests" / "fixtures" / "x12" / "850_two_pos.edi").read_bytes()
    inbox.mkdir(parents=True, exist_ok=True)
    past = time.time() - 120
    for i in range(n):
        icn = f"{i + 1:09d}".encode()
        data = src.replace(b"000000123", icn).replace(b"PO-100", f"PO{i:07d}-".encode())
        path = inbox / f"po{i:06d}.edi"
        path.write_bytes(data)
        os.utime(path, (past, past))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    configure_logging(level="error", fmt="json")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_deployment(root)
        app = build_app(load_settings(root / "b2bbridge.toml", env={}))
        fill(root / "var" / "partners" / "acme" / "inbox", n)
        marks: list[tuple[int, float]] = []
        step = max(1, n // 10)

        def progress(done: int, row: SummaryRow) -> None:
            if done % step == 0:
                marks.append((done, rss_mib()))
                print(f"  {done:>6} files  rss {marks[-1][1]:.1f} MiB", flush=True)

        start = time.perf_counter()
        counts = receive_in_batches(
            app.ctx, list(app.connectors.values()), batch=batch, progress=progress
        )
        elapsed = time.perf_counter() - start
        app.close()
    print(f"inbox: {n} files in {elapsed:.1f} s = {n / elapsed:.1f} files/s; {counts}")
    print(
        f"rss first tenth {marks[0][1]:.1f} MiB, last {marks[-1][1]:.1f} MiB, "
        f"max rss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB"
    )


if __name__ == "__main__":
    main()
