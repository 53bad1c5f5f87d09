"""Measure sync write speed: stock updates/s into Oscar, orders/s into Tryton.

Starts a real Tryton (one ``erp`` database) and a real Oscar from the test fixtures'
cached templates (``tests/integration/sync/sync_servers.py``) on loopback ports, then
measures, in the same run:

- **Tryton orders**, batched: one ``upsert`` of N canonical orders, which is one
  ``create`` of N sales, one ``quote`` and one ``confirm`` for all of them; against
  one call per record: N ``upsert`` calls of one order each (create, quote and confirm
  per sale). Both resolve each order's customer and products the same way.
- **Oscar stock**, batched: one ``upsert`` of N stock levels over one keep-alive client,
  with the catalogue's stock records looked up once; against one call per record: a
  fresh adapter per update (connect, look the stock record up, PATCH), which is what a
  naive per-event integration does. oscar-api has no bulk endpoint, so a batch is still
  one PATCH per record: the difference is connection reuse and the cached look-up.

Times are wall-clock seconds (the servers run in other processes), best of ``--repeat``.
Run from the repository root::

    python bench/sync.py --orders 20 --stock 60
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds an http.py that would shadow the standard library's http package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration" / "sync"))
sys.path.insert(0, str(ROOT))

from sync_servers import Server, start_oscar, start_tryton  # noqa: E402

from b2bbridge.adapters.systems.oscar import build_oscar  # noqa: E402
from b2bbridge.adapters.systems.tryton import build_tryton  # noqa: E402
from b2bbridge.ports import SyncRecord  # noqa: E402

SKUS = ["WIDGET-1", "WIDGET-2", "GADGET-1"]


def _orders(count: int) -> list[SyncRecord]:
    records = []
    for n in range(count):
        number = f"BENCH-{uuid.uuid4().hex[:10]}"
        fields: dict[str, object] = {
            "number": number,
            "parties": [{"role": "buyer", "id": f"BENCH-CUST-{n % 5}", "name": f"Bench {n % 5}"}],
            "lines": [{"sku": SKUS[n % 3], "quantity": "2", "unit_price": "3.00"}],
        }
        records.append(SyncRecord("order", number, fields))
    return records


def _stock(count: int) -> list[SyncRecord]:
    return [
        SyncRecord("stock", SKUS[n % 3], {"sku": SKUS[n % 3], "on_hand": str(100 + n)})
        for n in range(count)
    ]


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bench_orders(tryton: Server, count: int, repeat: int) -> dict[str, float]:
    settings = {"url": tryton.url, "database": "erp", "password": "admin"}
    system = build_tryton("erp", settings)
    system.client.login()
    batched = min(_timed(lambda: system.upsert("order", _orders(count))) for _ in range(repeat))

    def one_by_one() -> None:
        for record in _orders(count):
            system.upsert("order", [record])

    single = min(_timed(one_by_one) for _ in range(repeat))
    system.close()
    return {"batched_per_s": count / batched, "per_record_per_s": count / single}


def bench_stock(oscar: Server, count: int, repeat: int) -> dict[str, float]:
    settings = {"url": oscar.url, "password": "admin", "email": "admin@example.com"}

    def batched_run() -> None:
        system = build_oscar("storefront", settings)
        system.upsert("stock", _stock(count))
        system.close()

    def one_by_one() -> None:
        for record in _stock(count):
            system = build_oscar("storefront", settings)
            system.upsert("stock", [record])
            system.close()

    batched = min(_timed(batched_run) for _ in range(repeat))
    single = min(_timed(one_by_one) for _ in range(repeat))
    return {"batched_per_s": count / batched, "per_record_per_s": count / single}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--stock", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="b2b-bench-sync-"))
    tryton = start_tryton(folder, ["erp"])
    oscar = start_oscar(folder)
    try:
        results = {
            "tryton_orders": bench_orders(tryton, args.orders, args.repeat),
            "oscar_stock": bench_stock(oscar, args.stock, args.repeat),
        }
    finally:
        tryton.stop()
        oscar.stop()
    for name, figures in results.items():
        figures["ratio"] = figures["batched_per_s"] / figures["per_record_per_s"]
        print(
            f"{name}: batched {figures['batched_per_s']:.1f}/s, one call per record "
            f"{figures['per_record_per_s']:.1f}/s, ratio {figures['ratio']:.2f}"
        )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
