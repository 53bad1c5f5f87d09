"""Message structure schemas and the streaming structural validator.

``validate_transaction(tx, catalog, partner)`` is what the pipeline calls; the catalog
(:class:`TextSchemaCatalog` over texts, or the file adapter over ``schemas/``) picks the
schema by set and version and lays the partner's overlays over it.
"""

from b2bbridge.core.schemas.catalog import SchemaSource, TextSchemaCatalog
from b2bbridge.core.schemas.loader import load_schema
from b2bbridge.core.schemas.overlay import apply_overlay, load_overlay
from b2bbridge.core.schemas.validator import (
    MessageValidator,
    validate_events,
    validate_segments,
    validate_transaction,
)

__all__ = [
    "MessageValidator",
    "SchemaSource",
    "TextSchemaCatalog",
    "apply_overlay",
    "load_overlay",
    "load_schema",
    "validate_events",
    "validate_segments",
    "validate_transaction",
]
