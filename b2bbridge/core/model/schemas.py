"""The JSON Schema of each canonical document, as text the CLI writes to ``schemas/canonical/``.

The output is deterministic (sorted keys, fixed indentation, a trailing newline) so that a
regenerated schema shows in a diff only when the model changed.
"""

from __future__ import annotations

import json

from b2bbridge.core.model.base import CanonicalDocument
from b2bbridge.core.model.registry import DOCUMENTS


def render_json_schema(document: type[CanonicalDocument]) -> str:
    schema = document.model_json_schema(mode="validation")
    schema["$id"] = f"https://b2bbridge.dev/schemas/canonical/{document.document_type}.json"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def canonical_json_schemas() -> dict[str, str]:
    """Filename (``order.schema.json``) to JSON text, one per canonical document."""
    return {
        f"{name}.schema.json": render_json_schema(doc) for name, doc in sorted(DOCUMENTS.items())
    }
