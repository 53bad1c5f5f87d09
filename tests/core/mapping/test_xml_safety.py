from __future__ import annotations

import pytest

from b2bbridge.core.errors import EdiError
from b2bbridge.core.mapping.failures import PayloadError, UnsafePayloadError
from b2bbridge.core.mapping.limits import PayloadLimits
from b2bbridge.core.mapping.xmlsource import parse_xml

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE order [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<order><id>&xxe;</id></order>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>"""


def test_xxe_document_is_refused_as_an_entity_declaration() -> None:
    with pytest.raises(UnsafePayloadError) as caught:
        parse_xml(XXE)
    assert caught.value.code == "xml_entity_declared"
    assert "entity" in str(caught.value)


def test_billion_laughs_document_is_refused_before_any_expansion() -> None:
    with pytest.raises(UnsafePayloadError) as caught:
        parse_xml(BILLION_LAUGHS)
    assert caught.value.code == "xml_entity_declared"


def test_entity_declared_in_utf16_is_refused_too() -> None:
    with pytest.raises(UnsafePayloadError) as caught:
        parse_xml(XXE.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16"))
    assert caught.value.code == "xml_entity_declared"


def test_unsafe_payload_errors_are_rejected_as_bad_input() -> None:
    assert issubclass(UnsafePayloadError, PayloadError)
    assert issubclass(PayloadError, EdiError)


def test_doctype_naming_an_external_dtd_is_read_without_fetching_it() -> None:
    data = b'<!DOCTYPE cXML SYSTEM "file:///nonexistent/cXML.dtd"><cXML><Request/></cXML>'
    root = parse_xml(data)
    assert root.tag == "cXML"
    assert [child.tag for child in root] == ["Request"]


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    data = b"<a>" * 20 + b"</a>" * 20
    with pytest.raises(UnsafePayloadError) as caught:
        parse_xml(data, PayloadLimits(max_depth=10))
    assert caught.value.code == "payload_too_deep"
    assert parse_xml(data, PayloadLimits(max_depth=20)).tag == "a"


def test_payload_over_the_size_limit_is_refused_unread() -> None:
    with pytest.raises(UnsafePayloadError) as caught:
        parse_xml(b"<a>" + b"x" * 200 + b"</a>", PayloadLimits(max_bytes=100))
    assert caught.value.code == "payload_too_large"


def test_malformed_xml_is_a_payload_error_with_its_line() -> None:
    with pytest.raises(PayloadError) as caught:
        parse_xml(b"<order>\n<id>1</id>\n<line></order>")
    assert caught.value.code == "payload_malformed"
    assert caught.value.location.line == 3
