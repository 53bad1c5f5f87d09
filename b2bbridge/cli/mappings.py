"""``b2bbridge mappings``: lint every mapping file, and run the golden pairs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer

from b2bbridge.cli.console import console, err_console
from b2bbridge.cli.mapping_files import mapping_names, settings_dir, text_resolver
from b2bbridge.core.mapping.golden import (
    GoldenOutcome,
    GoldenSuite,
    check_inbound,
    check_outbound,
    read_suite,
)
from b2bbridge.core.mapping.lint import lint_mapping
from b2bbridge.core.mapping.loader import load_mapping
from b2bbridge.core.mapping.spec import MappingSpec

app = typer.Typer(help="Check mapping files and run their golden tests.", no_args_is_help=True)

MappingsOption = Annotated[
    Path | None, typer.Option("--mappings", help="Mappings folder (default: from settings).")
]


@app.command("check")
def check(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None, typer.Argument(help="Maps to check, relative to the folder; default all.")
    ] = None,
    mappings: MappingsOption = None,
) -> None:
    """Lint mapping files: unknown canonical fields, bad paths, missing code tables,
    type mismatches. Prints each problem as file:line:column: message.

    Exit status 0 when clean, 1 when a problem was found.

    Example: b2bbridge mappings check
    """
    root = settings_dir(ctx, mappings, "mappings_dir", "mappings")
    resolve = text_resolver(root)
    names = files or mapping_names(root)
    found = 0
    for name in names:
        try:
            text = resolve(name)
        except OSError as exc:
            console.print(f"{root / name}:1:1: cannot read: {exc.strerror}", markup=False)
            found += 1
            continue
        for problem in lint_mapping(text, source_name=name, resolve=resolve):
            console.print(f"{(root / problem.file).as_posix()}:{problem.render().split(':', 1)[1]}",
                          markup=False, soft_wrap=True)  # fmt: skip
            found += 1
    summary = f"{len(names)} mapping files checked, {found} problems"
    err_console.print(summary)
    raise typer.Exit(1 if found else 0)


def _suite(root: Path, folder: str) -> GoldenSuite | None:
    path = root / "tests" / folder / "cases.yaml"
    return read_suite(path.read_text(encoding="utf-8")) if path.is_file() else None


def _report(outcome: GoldenOutcome, kind: str) -> None:
    case = outcome.case
    label = f"{kind} {case.map} {case.input} -> {case.expected}"
    if outcome.passed:
        console.print(f"[green]ok[/green]   {label}")
        return
    console.print(f"[red]FAIL[/red] {label}")
    console.print(outcome.detail, markup=False, highlight=False, soft_wrap=True)


def _reader(base: Path) -> Callable[[str], bytes]:
    return lambda name: (base / name).read_bytes()


def _loaders(root: Path) -> tuple[Callable[[str], MappingSpec], Callable[[str], object]]:
    resolve = text_resolver(root)
    specs: dict[str, MappingSpec] = {}

    def load(name: str) -> MappingSpec:
        if name not in specs:
            specs[name] = load_mapping(resolve(name), source_name=name, resolve=resolve)
        return specs[name]

    def load_outbound(name: str) -> object:
        from b2bbridge.core.mapping.outbound_loader import load_outbound_mapping

        return load_outbound_mapping(resolve(name), source_name=name, resolve=resolve)

    return load, load_outbound


def _outcomes(root: Path) -> Iterator[tuple[Path, GoldenOutcome]]:
    load, load_outbound = _loaders(root)
    inbound, outbound = _suite(root, "inbound"), _suite(root, "outbound")
    base = root / "tests" / "inbound"
    for case in inbound.cases if inbound else []:
        assert inbound is not None
        yield base, check_inbound(case, inbound, _reader(base), load)
    base = root / "tests" / "outbound"
    for case in outbound.cases if outbound else []:
        assert outbound is not None
        yield base, check_outbound(case, outbound, _reader(base), load_outbound)


def _run(root: Path, update: bool) -> tuple[int, int]:
    passed = failed = 0
    for base, outcome in _outcomes(root):
        _report(outcome, base.name)
        if not outcome.passed and update and outcome.actual:
            (base / outcome.case.expected).write_text(outcome.actual, encoding="utf-8")
            console.print(f"     updated {base / outcome.case.expected}")
        passed, failed = passed + outcome.passed, failed + (not outcome.passed)
    return passed, failed


@app.command("test")
def run_golden(
    ctx: typer.Context,
    mappings: MappingsOption = None,
    update: Annotated[
        bool, typer.Option("--update", help="Rewrite the expected file of each failing case.")
    ] = False,
) -> None:
    """Run the golden pairs under mappings/tests/ (inbound: file to canonical JSON;
    outbound: canonical JSON to EDI) and show a diff for each case that fails.

    Exit status 0 when all pass, 1 otherwise.

    Example: b2bbridge mappings test
    """
    root = settings_dir(ctx, mappings, "mappings_dir", "mappings")
    passed, failed = _run(root, update)
    err_console.print(f"{passed} passed, {failed} failed")
    raise typer.Exit(1 if failed else 0)
