import hashlib
import hmac
from pathlib import Path

import pytest

from b2bbridge.adapters.connectors.base import ConnectorDefinition, create_connector
from b2bbridge.adapters.connectors.http import HttpConnector, hash_api_key, sign
from b2bbridge.core.errors import ConfigError, ConnectorError


def _http(tmp_path: Path, partner: str | None = "acme", **options: object) -> HttpConnector:
    c = create_connector(
        ConnectorDefinition(name="acme-http", kind="http", partner=partner, options=options),
        tmp_path,
    )
    assert isinstance(c, HttpConnector)
    return c


def test_only_the_key_whose_digest_is_configured_verifies(tmp_path: Path) -> None:
    c = _http(tmp_path, api_key_sha256=hash_api_key("right-key"))
    assert (c.verify_key("right-key"), c.verify_key("wrong-key")) == (True, False)


def test_a_signature_verifies_only_for_the_exact_body_and_timestamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_HMAC", "s3cret")
    c = _http(tmp_path, hmac_secret={"env": "ACME_HMAC"})
    good = sign("s3cret", b'{"number": "1"}', 1767225600)
    assert good.startswith("sha256=")
    assert c.verify_signature(b'{"number": "1"}', good, "1767225600")
    assert not c.verify_signature(b'{"number": "2"}', good, "1767225600")
    assert not c.verify_signature(b'{"number": "1"}', good, "1767225601")
    assert not c.verify_key("anything")


def test_the_signed_string_is_the_timestamp_a_dot_and_the_body() -> None:
    expected = hmac.new(b"s3cret", b'1767225600.{"n":1}', hashlib.sha256).hexdigest()
    assert sign("s3cret", b'{"n":1}', 1767225600) == f"sha256={expected}"


def test_an_endpoint_without_any_credential_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="an open endpoint is refused"):
        _http(tmp_path, max_body_bytes=10)


def test_an_endpoint_without_a_partner_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="names no partner"):
        _http(tmp_path, partner=None, api_key_sha256=hash_api_key("k"))


def test_an_api_key_in_clear_instead_of_its_digest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="option 'api_key_sha256'"):
        _http(tmp_path, api_key_sha256="my-plain-key")


def test_the_http_connector_has_nothing_to_poll_and_cannot_send(tmp_path: Path) -> None:
    c = _http(tmp_path, api_key_sha256=hash_api_key("k"))
    assert list(c.poll()) == []
    with pytest.raises(ConnectorError, match="only receives"):
        c.send("ack.x12", b"x")
