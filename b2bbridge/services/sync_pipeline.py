"""b2bbridge's own store as a sync source: canonical documents the pipeline stored.

The ``pipeline`` system reads documents of the flow's entity (``order`` → doc_type
``order``) stored at or after the watermark, oldest first, each as a record keyed by its
document number with the canonical JSON as its fields and the store's ``created_at`` as
its stamp. It reads at most ``window`` of the newest documents per poll (the document
repository lists newest first), so a backlog larger than that is taken over several runs
only if runs come often enough; raise ``window`` for a bulk load.

Writing to partners (855, 846, 856, 810 through the outbound mappings) is not done by
this system yet: ``upsert`` refuses, so a flow with ``pipeline`` as a target fails loudly.
"""

from __future__ import annotations

import json
from datetime import datetime

from b2bbridge.core.errors import B2BError
from b2bbridge.ports import ChangeBatch, SyncRecord, UnitOfWorkFactory


class PipelineDocuments:
    """:class:`b2bbridge.ports.SystemAdapter` over the store's canonical documents."""

    def __init__(
        self, uow: UnitOfWorkFactory, *, name: str = "pipeline", window: int = 1000
    ) -> None:
        self.name = name
        self._uow = uow
        self._window = window

    def read_changes(self, entity: str, since: datetime | None) -> ChangeBatch:
        with self._uow() as uow:
            documents = uow.documents.list(doc_type=entity, limit=self._window)
        chosen = [d for d in documents if since is None or d.created_at >= since]
        chosen.sort(key=lambda d: (d.created_at, d.id))
        records = [
            SyncRecord(
                entity, d.doc_number, json.loads(d.body), external_id=str(d.id), stamp=d.created_at
            )
            for d in chosen
        ]
        return ChangeBatch(records=records, watermark=chosen[-1].created_at if chosen else None)

    def upsert(self, entity: str, records: list[SyncRecord]) -> list[str]:
        raise B2BError(
            f"the pipeline system cannot take {entity!r} records yet", code="sync_unsupported"
        )

    def close(self) -> None:
        """Nothing to release: each read opens and closes its own unit of work."""
