"""Echo suppression: a change b2bbridge wrote into a system is not read back as new.

When a flow writes fields into a system it remembers a fingerprint of what it wrote,
per (system, canonical key), in the id map. When the next poll of that system returns
the record with the same values, the fingerprint matches and the change is dropped, so
two systems that sync both ways never bounce a change between them. A real edit in the
system changes the values, hence the fingerprint, and goes through.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping


def fingerprint(fields: Mapping[str, object]) -> str:
    """A stable digest of field values: key order and Decimal/date types do not matter."""
    text = json.dumps(dict(fields), sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_echo(fields: Mapping[str, object], written: str | None) -> bool:
    """Whether ``fields`` are exactly what b2bbridge last wrote (``written``) to that system."""
    return written is not None and fingerprint(fields) == written
