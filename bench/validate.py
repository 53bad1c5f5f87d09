"""Measure what structural validation adds to reading: time and peak memory.

Reads the synthetic corpora of ``/work/shared/tools/gen_corpus.py`` (cached under
``bench/out/<n>/`` by ``bench/edi_read.py``, generated here if missing) twice in fresh
child processes: once consuming the reader's events, once with every message checked
against the shipped schemas by ``validate_events``. Prints CPU seconds (best of
``REPEAT``), the validation/reading ratio (the target is at most 2.0), peak RSS, and the
number of problems found, which is 0 for the generated files. Run from the repository root::

    python bench/validate.py              # N=2000 and N=20000
    python bench/validate.py --n 2000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
GENERATOR = ROOT.parent / "shared" / "tools" / "gen_corpus.py"
REPEAT = 5
FILES = ("x12_850_{n}.edi", "edifact_orders_{n}.edi")


def corpus(n: int) -> Path:
    folder = OUT / str(n)
    if not all((folder / f.format(n=n)).exists() for f in FILES):
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(GENERATOR), "--n", str(n), "--out", str(folder)], check=True
        )
    return folder


def work(mode: str, path: Path) -> None:
    """Child process: read (and validate) ``path`` REPEAT times; print one JSON line."""
    from b2bbridge.adapters.files.schemas import FileSchemaCatalog
    from b2bbridge.core.edi.reader import read_events
    from b2bbridge.core.errors import Problem
    from b2bbridge.core.schemas.validator import validate_events

    catalog = FileSchemaCatalog(ROOT / "schemas")
    best = float("inf")
    events = problems = 0
    for _ in range(REPEAT):
        start = time.process_time()
        with path.open("rb") as source:
            stream = read_events(source)
            if mode == "validate":
                stream = validate_events(stream, catalog)
            events = problems = 0
            for event in stream:
                events += 1
                if type(event) is Problem:
                    problems += 1
        best = min(best, time.process_time() - start)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": best, "events": events, "problems": problems, "rss_kb": rss}))


def run(mode: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"))
    args = parser.parse_args()
    if args.child:
        work(args.child[0], Path(args.child[1]))
        return
    print(f"{'file':28} {'read s':>8} {'read+valid s':>13} {'ratio':>6} {'RSS MB':>14} problems")
    for n in args.n or [2000, 20000]:
        folder = corpus(n)
        for name in FILES:
            path = folder / name.format(n=n)
            read, valid = run("read", path), run("validate", path)
            ratio = valid["seconds"] / read["seconds"]
            rss = f"{read['rss_kb'] / 1024:.0f} -> {valid['rss_kb'] / 1024:.0f}"
            print(
                f"{path.name:28} {read['seconds']:8.2f} {valid['seconds']:13.2f} "
                f"{ratio:6.2f} {rss:>14} {int(valid['problems'])}"
            )


if __name__ == "__main__":
    main()
