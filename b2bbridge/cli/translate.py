"""``b2bbridge translate``: a file of any inbound format, as canonical JSON, for one partner."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from b2bbridge.adapters.files.profiles import load_partners
from b2bbridge.cli.console import err_console
from b2bbridge.cli.mapping_files import settings_dir, text_resolver
from b2bbridge.core.errors import B2BError, ConfigError, UnknownPartnerError
from b2bbridge.core.mapping.golden import canonical_json
from b2bbridge.core.mapping.loader import load_mapping
from b2bbridge.core.mapping.spec import MappingSpec
from b2bbridge.core.mapping.translation import translate_file


def translate(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="X12, EDIFACT, XML, JSON, CSV or XLSX file.")],
    partner: Annotated[str, typer.Option("--partner", "-p", help="Partner profile name.")],
    mappings: Annotated[
        Path | None, typer.Option("--mappings", help="Mappings folder (default: from settings).")
    ] = None,
    connectors: Annotated[
        Path | None,
        typer.Option("--connectors", help="Connectors folder with partners/ (default: settings)."),
    ] = None,
) -> None:
    """Map FILE with the partner's mapping for its format and print canonical JSON.

    The format is sniffed; the partner profile's mappings: section picks the map
    (x12/850, edifact/ORDERS, xml/OrderRequest, xml/Order, json/order, csv/reorder).
    Exit status: 0 mapped, 1 the file could not be mapped, 2 usage or configuration.

    Example: b2bbridge translate inbox/po.xml --partner acme
    """
    root = settings_dir(ctx, mappings, "mappings_dir", "mappings")
    resolve = text_resolver(root)
    specs: dict[str, MappingSpec] = {}

    def catalog(name: str) -> MappingSpec:
        if name not in specs:
            specs[name] = load_mapping(resolve(name), source_name=name, resolve=resolve)
        return specs[name]

    try:
        data = file.read_bytes()
        profiles = load_partners(settings_dir(ctx, connectors, "connectors_dir", "connectors"))
        profile = profiles.get(partner)
        documents = translate_file(data, filename=file.name, profile=profile, catalog=catalog)
    except OSError as exc:
        err_console.print(f"[red]error:[/red] {exc.filename or file}: {exc.strerror}")
        raise typer.Exit(2) from exc
    except (ConfigError, UnknownPartnerError) as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    except B2BError as exc:
        err_console.print(f"[red]error:[/red] {exc.code}: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    typer.echo(canonical_json(documents), nl=False)
