import importlib
from pathlib import Path

import pytest

from b2bbridge.adapters.connectors.base import (
    KIND_MODULES,
    ConnectorDefinition,
    create_connector,
    known_kinds,
)
from b2bbridge.adapters.connectors.memory import MemoryConnector
from b2bbridge.adapters.files.profiles import load_connector_definitions
from b2bbridge.core.errors import ConfigError

REPO = Path(__file__).resolve().parents[3]


def test_every_shipped_connector_file_passes_the_schema() -> None:
    definitions = load_connector_definitions(REPO / "connectors")
    assert [d.name for d in definitions] == ["acme-folder"]
    assert create_connector(definitions[0], REPO).name == "acme-folder"


def test_an_unknown_option_is_named_with_the_file(tmp_path: Path) -> None:
    d = ConnectorDefinition(
        name="a",
        kind="sftp",
        options={"host": "h", "username": "u", "inbox": "/", "colour": 1},
        source="connectors/a.yaml",
    )
    with pytest.raises(ConfigError, match=r"connectors/a.yaml.*unknown option\(s\) colour"):
        create_connector(d, tmp_path)


def test_a_missing_required_option_is_named(tmp_path: Path) -> None:
    d = ConnectorDefinition(name="a", kind="sftp", options={"host": "h", "inbox": "/"})
    with pytest.raises(ConfigError, match="missing username"):
        create_connector(d, tmp_path)


def test_an_inline_amqp_url_with_credentials_is_refused_without_echoing_it(tmp_path: Path) -> None:
    d = ConnectorDefinition(name="q", kind="amqp", options={"url": "amqp://u:pw@h//"})
    with pytest.raises(ConfigError, match="option 'url': inline secrets are refused") as e:
        create_connector(d, tmp_path)
    assert "pw@h" not in str(e.value)


def test_a_cron_schedule_that_is_not_cron_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a cron expression"):
        ConnectorDefinition(name="m", kind="memory", schedule={"cron": "every day"})  # type: ignore[arg-type]


def test_kinds_are_known_before_their_modules_load() -> None:
    assert {"folder", "sftp", "http", "amqp", "memory"} <= set(known_kinds())


def test_a_kind_module_is_imported_on_first_use(tmp_path: Path) -> None:
    c = create_connector(ConnectorDefinition(name="m", kind="memory"), tmp_path)
    assert isinstance(c, MemoryConnector)


def test_the_example_connector_files_pass_the_schema_and_their_options_models() -> None:
    from b2bbridge.adapters.connectors.base import parse_options
    from b2bbridge.adapters.connectors.schema import check_definition

    definitions = load_connector_definitions(REPO / "connectors" / "examples")
    assert [d.kind for d in definitions] == ["http", "sftp", "amqp"]
    for d in definitions:
        check_definition(d.model_dump(mode="json", exclude={"source"}), d.source)
        module = importlib.import_module(KIND_MODULES[d.kind])
        options_model = next(v for k, v in vars(module).items() if k.endswith("Options"))
        assert parse_options(options_model, d).model_dump()  # type: ignore[arg-type]
