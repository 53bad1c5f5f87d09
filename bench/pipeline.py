"""Measure the durable pipeline end to end: 850s received, mapped, stored and acknowledged.

Orders come from ``/work/shared/tools/gen_corpus.py`` (25 lines each by default); each
transaction is re-enveloped as its own ACME interchange, so every order is one received
message with its own 997. Four modes:

``embedded``
    One process, SQLite, the store-backed queue: every order is received (stored and
    queued in one commit) and then processed (read, mapped, stored, 997 rendered, stored
    and written to the outbox), a leased batch of ``pipeline.batch_size`` messages per
    commit (group commit). Time runs from the first receive to the last ack written.
    ``--group-commit off`` processes and commits one message at a time instead.

``folder``
    ``b2bbridge run --once`` over a drop folder: the single-order interchanges lie in the
    example partner's inbox as files, and one pass receives them (a group of files per
    commit), processes them, writes the 997s and files each source in the archive. Time
    runs from the start of the pass to its end; every source must end up archived.

``batch``
    One process, SQLite: the same orders in ONE interchange (how partners usually send a
    day's POs), received as one payload, processed, stored in one transaction and answered
    by one 997 with an AK2/AK5 per order. Measured in a fresh child process that streams
    the interchange from a file, as a folder connector hands it over, so its peak RSS is
    the pipeline's alone. A one-order interchange goes first and is timed apart: it
    pays the process's one-off costs (below), so ``orders_per_s`` is a running worker's
    rate and ``cold_orders_per_s`` that of a process started for the file.

``amqp``
    PostgreSQL and RabbitMQ with ``--workers`` worker processes. Orders are received
    first (not timed); the workers are started and the clock runs from the first order
    they finish to the last, so process start-up is not counted. Run it with 1 and 2
    workers to get the scale-out ratio. ``--group-commit auto`` (the default) means off
    on PostgreSQL; ``on`` forces batches, to compare.

Every mode runs a copy of the bundled deployment (connectors, mappings and structure
schemas), so each 850 is validated against its schema as in production. The first
interchange of a process pays a one-off cost the later ones do not: loading the 850
schema and compiling its fast-path pattern (about 0.3 s here), and loading the mapping.
The embedded and batch modes freeze the start-up heap once wired (``settle_heap``), as a
worker, a polling ``run`` and the API do, so that the cyclic collector stops walking it;
the folder mode is ``run --once``, which does not.

Peak RSS is the measuring process's ``ru_maxrss`` (embedded) or the largest worker's
(amqp). Run from the repository root::

    python bench/pipeline.py embedded --n 2000
    python bench/pipeline.py folder --n 2000
    python bench/pipeline.py batch --n 2000
    python bench/pipeline.py amqp --n 2000 --workers 1
    python bench/pipeline.py amqp --n 2000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from b2bbridge.adapters.store.tables import messages  # noqa: E402
from b2bbridge.bootstrap import App, build_app, settle_heap  # noqa: E402
from b2bbridge.config import load_settings  # noqa: E402
from b2bbridge.services.receive import receive_payload, receive_stream  # noqa: E402
from b2bbridge.services.run import run_once  # noqa: E402
from b2bbridge.services.worker import drain  # noqa: E402

GENERATOR = ROOT.parent / "shared" / "tools" / "gen_corpus.py"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
AMQP = "amqp://guest:guest@127.0.0.1:5672//"
ISA = (
    "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*B2BBRIDGE      "
    "*241104*0930*U*00401*{icn:09d}*0*P*>~\n"
    "GS*PO*ACMEBUYER*B2BBRIDGE*20241104*0930*{icn}*X*004010~\n"
)
TRAILER = "GE*1*{icn}~\nIEA*1*{icn:09d}~\n"
WORKER = """
import sys
from pathlib import Path
from b2bbridge.cli.worker import options_from, serve
from b2bbridge.config import load_settings
settings = load_settings(Path(sys.argv[1]))
serve(settings, options_from(settings, idle_seconds=0.05))
"""


def orders(n: int, lines: int, work: Path) -> list[bytes]:
    """``n`` single-order ACME interchanges cut from the generator's one big file."""
    subprocess.run(
        [sys.executable, str(GENERATOR), "--n", str(n), "--lines", str(lines), "--out", str(work)],
        check=True,
        capture_output=True,
    )
    text_ = (work / f"x12_850_{n}.edi").read_text(encoding="latin-1")
    segments = [s.strip() for s in text_.split("~") if s.strip()]
    result: list[bytes] = []
    current: list[str] = []
    for seg in segments:
        if seg.startswith("ST*"):
            current = [seg]
        elif current:
            current.append(seg)
            if seg.startswith("SE*"):
                icn = len(result) + 1
                body = "".join(s + "~\n" for s in current)
                result.append((ISA.format(icn=icn) + body + TRAILER.format(icn=icn)).encode())
                current = []
    return result


def deployment(
    work: Path, *, database_url: str = "", broker_url: str = "", group_commit: str = "auto"
) -> Path:
    """A copy of the example configuration with quiet logs; returns its settings file."""
    for part in ("connectors", "mappings", "schemas"):
        shutil.copytree(ROOT / part, work / part)
    toml = (ROOT / "b2bbridge.toml").read_text(encoding="utf-8")
    toml = toml.replace('log_level = "warning"', 'log_level = "error"')
    toml = toml.replace('database_url = ""', f'database_url = "{database_url}"')
    toml = toml.replace('broker_url = ""', f'broker_url = "{broker_url}"')
    choice = {"auto": '"auto"', "on": "true", "off": "false"}[group_commit]
    toml = toml.replace('group_commit = "auto"', f"group_commit = {choice}")
    (work / "b2bbridge.toml").write_text(toml, encoding="utf-8")
    return work / "b2bbridge.toml"


def receive_all(app: App, payloads: list[bytes]) -> None:
    for i, data in enumerate(payloads):
        receive_payload(
            app.ctx, connector="acme-folder", partner="acme", filename=f"o{i}.x12", data=data
        )


def run_embedded(payloads: list[bytes], work: Path, group_commit: str) -> dict[str, object]:
    settings = load_settings(deployment(work, group_commit=group_commit), env={})
    from b2bbridge.logs import configure_logging

    configure_logging(level="error", fmt="json")
    app = build_app(settings)
    settle_heap()  # as `run` and `worker` do once wired
    start = time.perf_counter()
    receive_all(app, payloads)
    received = time.perf_counter()
    results = drain(app.ctx)
    end = time.perf_counter()
    acks = len(list((work / "var" / "partners" / "acme" / "outbox").glob("*_997_*")))
    app.close()
    return {
        "mode": "embedded",
        "group_commit": settings.pipeline.group_commit,
        "orders": len(payloads),
        "stored": sum(r.documents for r in results),
        "acks_written": acks,
        "seconds": round(end - start, 2),
        "orders_per_s": round(len(payloads) / (end - start), 1),
        "receive_per_s": round(len(payloads) / (received - start), 1),
        "process_per_s": round(len(payloads) / (end - received), 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_folder(payloads: list[bytes], work: Path) -> dict[str, object]:
    settings = load_settings(deployment(work), env={})
    from b2bbridge.logs import configure_logging

    configure_logging(level="error", fmt="json")
    partners = work / "var" / "partners" / "acme"
    inbox = partners / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    settled = time.time() - 60  # older than the connector's read lock asks
    for i, data in enumerate(payloads):
        path = inbox / f"o{i:06d}.x12"
        path.write_bytes(data)
        os.utime(path, (settled, settled))
    app = build_app(settings)
    start = time.perf_counter()
    rows = run_once(app.ctx, list(app.connectors.values()))
    end = time.perf_counter()
    app.close()
    archived = sum(1 for _ in (partners / "archive").rglob("*.x12"))
    if archived != len(payloads) or any(r.failed for r in rows):
        raise SystemExit(f"{archived} of {len(payloads)} sources archived")
    return {
        "mode": "folder",
        "group_commit": settings.pipeline.group_commit,
        "orders": len(payloads),
        "stored": sum(r.documents for r in rows),
        "acks_written": len(list((partners / "outbox").glob("*_997_*"))),
        "archived": archived,
        "seconds": round(end - start, 2),
        "orders_per_s": round(len(payloads) / (end - start), 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def one_interchange(payloads: list[bytes]) -> bytes:
    """The single-order interchanges joined back into one ACME interchange."""
    bodies = []
    for data in payloads:
        text_ = data.decode()
        start, end = text_.index("\nST*") + 1, text_.index("\nGE*") + 1
        bodies.append(text_[start:end])
    head = ISA.format(icn=1)
    return (head + "".join(bodies) + f"GE*{len(bodies)}*1~\nIEA*1*000000001~\n").encode()


def run_batch(payloads: list[bytes], work: Path) -> dict[str, object]:
    """Write the joined interchange to a file, then measure it in a fresh child process.

    The child's peak RSS is the pipeline's own: the bench's list of orders and the text it
    joins them with would otherwise count as well, and at 20,000 orders they weigh more
    than the pipeline does.
    """
    work.mkdir(parents=True, exist_ok=True)
    source = work / "one_interchange.x12"
    source.write_bytes(one_interchange(payloads))
    child = subprocess.run(
        [sys.executable, __file__, "batch-child", str(source), str(work / "site")],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(child.stdout.strip().splitlines()[-1]))


def first_interchange(source: Path) -> bytes:
    """One order of ``source`` as its own interchange, with a number the big one lacks."""
    with source.open("rb") as stream:  # its head only: the whole would count in the peak
        text_ = stream.read(200_000).decode()
    start, end = text_.index("\nST*") + 1, text_.index("\nSE*") + 1
    body = text_[start : text_.index("~", end) + 2].replace("BEG*00*SA*PO", "BEG*00*SA*FIRST", 1)
    return (ISA.format(icn=999_999_999) + body + TRAILER.format(icn=999_999_999)).encode()


def batch_child(source: Path, work: Path) -> dict[str, object]:
    """Time a first one-order interchange, then the big one, in one fresh process.

    The first interchange of a process pays for loading the mapping and the schema and
    compiling the schema's fast-path pattern; ``cold_orders_per_s`` counts that time in
    (as a process started for one file would see it), ``orders_per_s`` is the big
    interchange alone, as a running worker sees it.
    """
    settings = load_settings(deployment(work), env={})
    from b2bbridge.logs import configure_logging

    configure_logging(level="error", fmt="json")
    app = build_app(settings)
    settle_heap()  # as `run` and `worker` do once wired
    start = time.perf_counter()
    first = receive_payload(
        app.ctx,
        connector="acme-folder",
        partner="acme",
        filename="first.x12",
        data=first_interchange(source),
    )
    first_results = drain(app.ctx)
    warm = time.perf_counter()
    size = source.stat().st_size
    with source.open("rb") as stream:  # as the folder connector hands a file over
        receive_stream(
            app.ctx, connector="acme-folder", partner="acme", filename=source.name, source=stream
        )
    results = drain(app.ctx)
    end = time.perf_counter()
    app.close()
    if sum(r.documents for r in first_results) != 1:
        raise SystemExit(f"the first interchange ({first.message_id}) stored no order")
    orders = sum(r.documents for r in results)
    return {
        "mode": "batch",
        "orders": orders,
        "megabytes": round(size / 1e6, 1),
        "stored": orders,
        "acks": sum(r.acks for r in results),
        "first_interchange_seconds": round(warm - start, 2),
        "seconds": round(end - warm, 2),
        "orders_per_s": round(orders / (end - warm), 1),
        "cold_orders_per_s": round((orders + 1) / (end - start), 1),
        "peak_rss_mib": round(own_peak_kib() / 1024, 1),
    }


def own_peak_kib() -> int:
    """This process's peak RSS since it exec'd (VmHWM).

    Not ``ru_maxrss``: Linux carries that over from the parent through fork and exec, so
    a child of a large parent would report the parent's size.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_amqp(
    payloads: list[bytes], work: Path, workers: int, group_commit: str
) -> dict[str, object]:
    schema = f"b2b_bench_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    try:
        config = deployment(work, database_url=url, broker_url=AMQP, group_commit=group_commit)
        from b2bbridge.logs import configure_logging

        configure_logging(level="error", fmt="json")
        app = build_app(load_settings(config, env={}))
        receive_all(app, payloads)
        app.close()
        return _time_workers(config, url, len(payloads), workers)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _time_workers(config: Path, url: str, total: int, workers: int) -> dict[str, object]:
    engine = create_engine(url.replace("postgresql+psycopg", "postgresql+psycopg"))
    query = select(func.count()).where(messages.c.status == "acknowledged")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(config)], env=env, cwd=config.parent)
        for _ in range(workers)
    ]
    first_at, first_count = 0.0, 0
    try:
        while True:
            with engine.connect() as connection:
                done = int(connection.execute(query).scalar_one())
            now = time.perf_counter()
            if done and not first_at:
                first_at, first_count = now, done
            if done >= total:
                break
            time.sleep(0.05)
    finally:
        for p in procs:
            p.terminate()
        rss = [_wait_rss(p) for p in procs]
        engine.dispose()
    seconds = now - first_at
    return {
        "mode": "amqp",
        "workers": workers,
        "orders": total,
        "timed_orders": total - first_count,
        "seconds": round(seconds, 2),
        "orders_per_s": round((total - first_count) / seconds, 1),
        "peak_rss_mib": max(rss),
    }


def _wait_rss(proc: subprocess.Popen[bytes]) -> float:
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return round(usage.ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["embedded", "folder", "batch", "amqp"])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--lines", type=int, default=25)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--group-commit", choices=["auto", "on", "off"], default="auto")
    if sys.argv[1:2] == ["batch-child"]:
        print(json.dumps(batch_child(Path(sys.argv[2]), Path(sys.argv[3]))))
        return
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="b2b-bench-") as tmp:
        work = Path(tmp)
        payloads = orders(args.n, args.lines, work / "corpus")
        if args.mode == "embedded":
            figures = run_embedded(payloads, work / "site", args.group_commit)
        elif args.mode == "folder":
            figures = run_folder(payloads, work / "site")
        elif args.mode == "batch":
            figures = run_batch(payloads, work / "site")
        else:
            figures = run_amqp(payloads, work / "site", args.workers, args.group_commit)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
