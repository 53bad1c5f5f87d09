"""Helpers for the service tests: example payloads, receiving, and breaking a mapping."""

from __future__ import annotations

from e2e_support import Deployment

from b2bbridge.bootstrap import App, build_app
from b2bbridge.config import load_settings
from b2bbridge.services.receive import receive_payload


def order_850(icn: int, po: str, *, lines: int = 2) -> bytes:
    """One ACME interchange holding one 850 with ``lines`` lines."""
    body = [
        "ST*850*0001",
        f"BEG*00*SA*{po}**20241104",
        "N1*ST*ACME DISTRIBUTION CENTER 4*92*0004",
    ]
    for n in range(1, lines + 1):
        body += [f"PO1*{n}*{n + 1}*EA*2.50**UP*0123456789{n:02d}*VN*SKU-{n:04d}"]
    body += [f"CTT*{lines}", f"SE*{len(body) + 2}*0001"]
    segments = [
        "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*B2BBRIDGE      "
        f"*241104*0930*U*00401*{icn:09d}*0*P*>",
        f"GS*PO*ACMEBUYER*B2BBRIDGE*20241104*0930*{icn}*X*004010",
        *body,
        f"GE*1*{icn}",
        f"IEA*1*{icn:09d}",
    ]
    return ("~\n".join(segments) + "~\n").encode("ascii")


def open_app(dep: Deployment) -> App:
    """A fresh app over the deployment, as each CLI invocation builds one."""
    env = {k: v for k, v in dep.env.items() if k.startswith("B2BBRIDGE_")}
    return build_app(load_settings(dep.root / "b2bbridge.toml", env=env))


def receive(app: App, data: bytes, name: str = "order.x12") -> int:
    """Store a payload as the ACME folder connector would, and queue it."""
    return receive_payload(
        app.ctx, connector="acme-folder", partner="acme", filename=name, data=data
    ).message_id


def break_850_mapping(dep: Deployment) -> str:
    """Point the order number at an element that is never there; returns the good text."""
    path = dep.root / "mappings" / "x12" / "850.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("path: BEG.03, required", "path: BEG.09, required"), "utf-8")
    return good


def restore_850_mapping(dep: Deployment, good: str) -> None:
    (dep.root / "mappings" / "x12" / "850.yaml").write_text(good, encoding="utf-8")
