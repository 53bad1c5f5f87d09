"""``b2bbridge render``: a canonical document (JSON) written as EDI or cXML for a partner.

The partner profile picks the outbound map (``mappings: {x12/856: x12/856.yaml}``, else
the base map ``x12/856.yaml``) and the envelope ids (we send as ``our_id`` to the
partner's first id). Control numbers count from ``--start`` in memory, so a preview
never uses up real numbers; ``--store`` takes them from the partner's sequences in the
store instead, as a real send would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pydantic
import typer

from b2bbridge.bootstrap import App
from b2bbridge.cli.console import err_console, opened_app
from b2bbridge.core.errors import B2BError
from b2bbridge.core.mapping.outbound import (
    CountingAllocator,
    OutboundEnvelope,
    envelope_for,
    render_document,
)
from b2bbridge.core.mapping.outbound_loader import load_outbound_mapping
from b2bbridge.core.mapping.outbound_plan import OutboundSpec
from b2bbridge.core.model.base import CanonicalDocument
from b2bbridge.core.partner import PartnerProfile
from b2bbridge.ports import ControlNumbers


class PartnerControlNumbers:
    """The store's control-number sequences of one partner, as the core's allocator."""

    def __init__(self, numbers: ControlNumbers, partner: str) -> None:
        self._numbers = numbers
        self._partner = partner

    def allocate(self, kind: str) -> int:
        return self._numbers.allocate(self._partner, kind)


def document_kind(doc_type: str, syntax: str | None) -> tuple[str, str]:
    """(syntax, profile key): ``856`` is X12, ``…Request`` cXML, other names EDIFACT."""
    if syntax is None:
        syntax = (
            "x12" if doc_type.isdigit() else "xml" if doc_type.endswith("Request") else "edifact"
        )
    folder = "cxml" if syntax == "xml" else syntax
    return syntax, f"{folder}/{doc_type}"


def load_map(root: Path, profile: PartnerProfile, key: str) -> OutboundSpec:
    """The partner's outbound map for ``key`` (``x12/856``), else the base map."""
    folder, _, doc_type = key.partition("/")
    name = profile.mapping_for(folder, doc_type) or f"{key}.yaml"

    def read(ref: str) -> str:
        return (root / ref).read_text(encoding="utf-8")

    return load_outbound_mapping(read(name), source_name=name, resolve=read)


def render(
    ctx: typer.Context,
    document: Annotated[Path, typer.Argument(help="Canonical document, as JSON.")],
    partner: Annotated[str, typer.Option(help="Partner profile name.")],
    doc_type: Annotated[
        str, typer.Option("--type", help="856, 855, 810, 846, DESADV, ORDRSP, ShipNoticeRequest…")
    ],
    syntax: Annotated[
        str | None, typer.Option(help="x12, edifact or xml; guessed from --type when omitted.")
    ] = None,
    start: Annotated[int, typer.Option(min=1, help="First control number (in memory).")] = 1,
    store: Annotated[
        bool, typer.Option("--store", help="Take control numbers from the store's sequences.")
    ] = False,
    test: Annotated[bool, typer.Option("--test", help="Mark the interchange as a test.")] = False,
) -> None:
    """Print DOCUMENT written as the partner's outbound map for --type says.

    Exit status: 0 written, 1 the document does not fit the map, 2 usage or configuration.

    Example: b2bbridge render shipment.json --partner acme --type 856
    """
    syntax, key = document_kind(doc_type, syntax)
    with opened_app(ctx) as app:
        try:
            profile = app.ctx.partners.get(partner)
            spec = load_map(app.settings.path(app.settings.mappings_dir), profile, key)
            envelope = envelope_for(profile, syntax, app.ctx.clock.now(), test=test)
        except (B2BError, OSError) as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        try:
            doc = spec.document.model_validate_json(document.read_bytes())
        except (OSError, pydantic.ValidationError) as exc:
            err_console.print(f"[red]error:[/red] {document}: {exc}")
            raise typer.Exit(2) from exc
        try:
            text = _write(app, doc, spec, envelope, start=None if store else start)
        except B2BError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
    typer.echo(text, nl=False)


def _write(
    app: App, doc: CanonicalDocument, spec: OutboundSpec, envelope: OutboundEnvelope,
    *, start: int | None,
) -> str:  # fmt: skip
    """Render with numbers from memory (counting from ``start``) or, when None, the store."""
    if start is not None:
        numbers = CountingAllocator(start=start)
        return render_document(doc, spec=spec, envelope=envelope, allocator=numbers)
    partner = envelope.partner or ""
    with app.ctx.uow() as uow:
        store = PartnerControlNumbers(uow.control_numbers, partner)
        text = render_document(doc, spec=spec, envelope=envelope, allocator=store)
        uow.commit()
    return text
