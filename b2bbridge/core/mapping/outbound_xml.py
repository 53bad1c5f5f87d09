"""Writing an outbound XML document (cXML) from an XML outbound map.

The map's ``root`` is a tree of elements; each has attributes and text from value specs,
may repeat over a list (``each``) and may depend on a value (``when``). An element whose
values come from the document but are all empty, and that has no child written, is left
out, so that an absent optional part of the document leaves no empty element behind.
Attributes with no value are not written, except constants (``payloadID: ""``). The
output is UTF-8 text with an XML declaration and the map's ``doctype`` line, indented
for people to read.
"""

from __future__ import annotations

from lxml import etree

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.mapping.outbound_eval import OutRun, evaluate
from b2bbridge.core.mapping.outbound_plan import OutboundSpec, XmlPlan
from b2bbridge.core.mapping.outbound_values import Frame, render_value

XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"


def _qualified(name: str) -> str:
    """``xml:lang`` in lxml's notation; other names are plain (cXML uses no namespaces)."""
    return f"{{{XML_NAMESPACE}}}{name[4:]}" if name.startswith("xml:") else name


def _frames(plan: XmlPlan, frame: Frame) -> list[Frame]:
    if plan.each is None:
        frames = [frame]
    else:
        items = frame.resolve(plan.each)
        frames = [frame.inner(item, plan.name, n) for n, item in enumerate(items, start=1)]
    if plan.when is None:
        return frames
    return [f for f in frames if any(render_value(v) for v in f.resolve(plan.when))]


def _build(plan: XmlPlan, frame: Frame, run: OutRun) -> etree._Element | None:
    element = etree.Element(plan.tag)
    sourced = found = False
    for name, value in plan.attributes:
        text = evaluate(value, frame, run)
        sourced, found = sourced or value.sourced, found or (value.sourced and text != "")
        if text or value.constant is not None:
            element.set(_qualified(name), text)
    if plan.text is not None:
        text = evaluate(plan.text, frame, run)
        sourced, found = sourced or plan.text.sourced, found or (plan.text.sourced and text != "")
        element.text = text or None
    written = _children(plan, frame, run, element)
    if sourced and not found and not written:
        return None
    return element


def _children(plan: XmlPlan, frame: Frame, run: OutRun, parent: etree._Element) -> int:
    written = 0
    for child in plan.children:
        for inner in _frames(child, frame):
            built = _build(child, inner, run)
            if built is not None:
                parent.append(built)
                written += 1
    return written


def render_xml(spec: OutboundSpec, frame: Frame, run: OutRun) -> str:
    """The document as XML text; the root element is always written."""
    if spec.root is None:
        raise ConfigError(f"map {spec.name} has no root element", code="mapping_invalid")
    root = _build(spec.root, frame, run)
    if root is None:
        root = etree.Element(spec.root.tag)
    data: bytes = etree.tostring(
        root, pretty_print=True, xml_declaration=True, encoding="UTF-8", doctype=spec.doctype
    )
    return data.decode("utf-8")
