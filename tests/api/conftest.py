"""An API over a temporary copy of the example deployment, with one http connector for ACME."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from b2bbridge.adapters.connectors.http import hash_api_key, sign
from b2bbridge.api import create_api
from b2bbridge.bootstrap import App, build_app
from b2bbridge.config import load_settings
from tests.e2e_support import make_deployment

API_KEY = "acme-test-key-0123456789"
HMAC_SECRET = "acme-shared-hmac-secret"


def deploy(root: Path, *, max_body_bytes: int = 65536, env: dict[str, str] | None = None) -> App:
    """A deployment with ACME's http connector; ``env`` overrides settings (the database)."""
    make_deployment(root)
    (root / "secrets").mkdir()
    (root / "secrets" / "acme_hmac").write_text(HMAC_SECRET + "\n")
    (root / "connectors" / "acme-http.yaml").write_text(
        "name: acme-http\nkind: http\npartner: acme\noptions:\n"
        f"  api_key_sha256: {hash_api_key(API_KEY)}\n"
        "  hmac_secret: {file: secrets/acme_hmac}\n"
        f"  max_body_bytes: {max_body_bytes}\n"
    )
    return build_app(load_settings(root / "b2bbridge.toml", env=env or {}))


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    deployed = deploy(tmp_path)
    yield deployed
    deployed.close()


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(create_api(app.ctx)) as c:
        yield c


def signed(
    data: bytes, *, timestamp: int | None = None, secret: str = HMAC_SECRET
) -> dict[str, str]:
    """Headers of a request signed now (or at ``timestamp``) with ACME's shared secret."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "X-B2B-Partner": "acme",
        "X-B2B-Timestamp": str(ts),
        "X-B2B-Signature": sign(secret, data, ts),
        "Content-Type": "application/json",
    }


def bearer() -> dict[str, str]:
    return {"Authorization": f"Bearer {API_KEY}"}


def order(number: str = "PO-1001", lines: int = 2) -> dict[str, object]:
    return {
        "number": number,
        "order_date": "2026-03-01",
        "currency": "USD",
        "lines": [
            {
                "line_number": str(n + 1),
                "sku": f"SKU-{n}",
                "quantity": "3",
                "unit": "each",
                "unit_price": "9.50",
            }
            for n in range(lines)
        ],
    }
