"""The structure of one EDI file as plain data: what ``b2bbridge inspect --json`` prints.

Built from the event stream in one pass with only counters kept, so inspecting a 60 MB
file costs no more memory than reading it. The shape is a public contract (documented in
the README): keys are only ever added, never renamed or removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from b2bbridge.core.edi.events import (
    Event,
    GroupStart,
    InterchangeHeader,
    InterchangeStart,
    TransactionEnd,
)
from b2bbridge.core.errors import Problem

JsonDict = dict[str, Any]


def problem_dict(p: Problem) -> JsonDict:
    """One entry of ``errors``; every location field is present, null when unknown."""
    loc = p.location
    return {
        "code": p.code,
        "severity": p.severity.value,
        "message": p.message,
        "byte_offset": loc.byte_offset,
        "line": loc.line,
        "segment_index": loc.segment_index,
        "segment_id": loc.segment_id,
        "element": loc.element,
        "interchange": loc.interchange,
        "group": loc.group,
        "transaction": loc.transaction,
    }


def _interchange_dict(h: InterchangeHeader) -> JsonDict:
    return {
        "control_number": h.control_number,
        "sender": h.sender.as_dict(),
        "receiver": h.receiver.as_dict(),
        "date": h.date.isoformat() if h.date else None,
        "time": h.time,
        "version": h.version,
        "test": h.test,
        "ack_requested": h.ack_requested,
        "groups": [],
    }


def summarize(path: str, syntax: str, events: Iterable[Event]) -> JsonDict:
    """Fold an event stream into the ``inspect`` structure for one file."""
    out: JsonDict = {
        "path": path,
        "syntax": syntax,
        "encoding": None,
        "delimiters": None,
        "interchanges": [],
        "errors": [],
    }
    groups: list[JsonDict] = []
    for ev in events:
        if isinstance(ev, TransactionEnd):
            th = ev.header
            if groups:
                groups[-1]["transactions"].append(
                    {
                        "type": th.type,
                        "control_number": th.control_number,
                        "segment_count": ev.segment_count,
                        "version": th.version,
                    }
                )
        elif isinstance(ev, Problem):
            out["errors"].append(problem_dict(ev))
        elif isinstance(ev, InterchangeStart):
            h = ev.header
            if out["encoding"] is None:
                out["encoding"] = h.encoding
                out["delimiters"] = h.delimiters.as_dict()
            out["interchanges"].append(_interchange_dict(h))
            groups = out["interchanges"][-1]["groups"]
        elif isinstance(ev, GroupStart) and out["interchanges"]:
            g = ev.header
            groups.append(
                {
                    "control_number": g.control_number,
                    "functional_id": g.functional_id,
                    "version": g.version,
                    "transactions": [],
                }
            )
    return out


def has_errors(summary: JsonDict) -> bool:
    return any(e["severity"] == "error" for e in summary["errors"])
