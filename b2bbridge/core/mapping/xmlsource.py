"""XML payloads (cXML, UBL, partner XML): a safe parse, and XPath addresses into the tree.

The parse never expands entities, never loads a DTD and never touches the network; the
document's size is bounded before parsing and its depth while parsing. A document that
declares any entity is refused (``xml_entity_declared``): that is the shape of both XXE
(an external entity reading a local file or URL) and billion laughs (nested entities that
expand exponentially), and no order format needs one. A ``DOCTYPE`` that only names an
external DTD, as every cXML document does, is accepted: the DTD is never fetched.

Paths are XPath 1.0, evaluated with lxml relative to the context node, with the prefixes
the mapping declares under ``namespaces:`` (XPath has no default namespace, so UBL's
elements need a prefix too). A path may name elements (for ``each:``), attributes, text
nodes or a computed string; an element's value is its text content.
"""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO

from lxml import etree

from b2bbridge.core.location import Location
from b2bbridge.core.mapping.addresses import Hit, Spot, TreePath
from b2bbridge.core.mapping.failures import PayloadError, UnsafePayloadError
from b2bbridge.core.mapping.limits import DEFAULT_LIMITS, PayloadLimits
from b2bbridge.core.mapping.paths import PathSyntaxError

_ENTITY_MARKS = (b"<!ENTITY", "<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be"))


def _entity_error(line: int | None) -> UnsafePayloadError:
    return UnsafePayloadError(
        "XML document declares an entity; entity declarations are refused "
        "(external entities and entity expansion are never processed)",
        code="xml_entity_declared",
        location=Location(line=line),
    )


def _iterparse(data: bytes, limits: PayloadLimits) -> etree._Element:
    events = etree.iterparse(
        BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True,
        load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True,
        remove_pis=True,
    )  # fmt: skip
    depth = 0
    for event, element in events:
        depth += 1 if event == "start" else -1
        if depth > limits.max_depth:
            raise UnsafePayloadError(
                f"XML nesting deeper than {limits.max_depth} elements",
                code="payload_too_deep",
                location=Location(line=element.sourceline),
            )
    root: etree._Element = events.root
    return root


def parse_xml(data: bytes, limits: PayloadLimits = DEFAULT_LIMITS) -> etree._Element:
    """The document's root element; raise :class:`UnsafePayloadError` or :class:`PayloadError`."""
    if len(data) > limits.max_bytes:
        raise UnsafePayloadError(
            f"XML payload of {len(data)} bytes is over the limit of {limits.max_bytes}",
            code="payload_too_large",
        )
    if any(mark in data for mark in _ENTITY_MARKS):
        raise _entity_error(None)
    try:
        root = _iterparse(data, limits)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        raise PayloadError(f"not well-formed XML: {exc.msg}", location=Location(line=line)) from exc
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise _entity_error(None)
    return root


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else "node()"


def element_path(element: etree._Element) -> str:
    """``/Order/OrderLine[2]/LineItem``: local names, with a position where siblings share one."""
    steps: list[str] = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        name = _local(node.tag)
        if parent is not None:
            same = [c for c in parent if c.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        steps.append(name)
        node = parent
    return "/" + "/".join(reversed(steps))


def describe_element(node: object) -> Spot:
    if isinstance(node, etree._Element):
        return Spot(element_path(node), line=node.sourceline)
    return Spot("the document")


def _text_of(item: object) -> tuple[str, Spot] | None:
    if isinstance(item, etree._Element):
        return "".join(item.itertext()), describe_element(item)
    if isinstance(item, etree._ElementUnicodeResult):
        parent = item.getparent()
        spot = describe_element(parent)
        if item.is_attribute and parent is not None:
            return str(item), Spot(f"{spot.where}/@{item.attrname}", line=spot.line)
        return str(item), spot
    if isinstance(item, str):
        return item, Spot("a computed value")
    if isinstance(item, bool):
        return ("true" if item else "false"), Spot("a computed value")
    if isinstance(item, float):
        text = str(int(item)) if item.is_integer() else repr(item)
        return ("" if item != item else text), Spot("a computed value")
    return None


class XPathAddress(TreePath):
    """An XPath 1.0 expression, compiled once with the mapping's namespace prefixes."""

    __slots__ = ("_xpath",)

    def __init__(self, text: str, namespaces: Mapping[str, str]) -> None:
        super().__init__(text)
        try:
            self._xpath = etree.XPath(text, namespaces=dict(namespaces))
        except etree.XPathSyntaxError as exc:
            raise PathSyntaxError(f"not a valid XPath: {exc}", 0) from exc

    def _run(self, node: object) -> list[object]:
        try:
            result = self._xpath(node)
        except etree.XPathEvalError:
            return []
        return list(result) if isinstance(result, list) else [result]

    def select(self, node: object) -> list[object]:
        return [r for r in self._run(node) if isinstance(r, etree._Element)]

    def first(self, node: object) -> Hit | None:
        for item in self._run(node):
            found = _text_of(item)
            if found is not None and found[0].strip():
                return Hit(found[0].strip(), found[1])
        return None

    def spot(self, node: object) -> Spot:
        return describe_element(node)


def xml_kind(root: etree._Element) -> str:
    """The document kind a partner profile maps: ``OrderRequest`` for cXML, else the root's name.

    cXML wraps every document in ``cXML/Request`` (or ``Message``), so its kind is the name of
    the element inside; UBL and other XML are named by their root element.
    """
    if _local(root.tag) == "cXML":
        for wrapper in root:
            if _local(wrapper.tag) in ("Request", "Message", "Response"):
                for inner in wrapper:
                    if isinstance(inner.tag, str):
                        return _local(inner.tag)
    return _local(root.tag)
