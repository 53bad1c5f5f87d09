"""The result of processing one payload: what ``run`` and ``dlq replay`` report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class MessageResult:
    """What became of one payload: the row ``run`` prints in its summary."""

    message_id: int
    partner: str | None = None
    documents: int = 0
    rejected: int = 0
    duplicates: int = 0
    acks: int = 0
    reconciled: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.rejected and self.documents:
            return "partial"
        if self.rejected or self.errors:
            return "rejected"
        if self.duplicates and not self.documents:
            return "duplicate"
        if self.reconciled and not self.documents:
            return "reconciled"
        return "acknowledged" if self.acks else "stored"

    @property
    def failed(self) -> bool:
        return self.status in ("partial", "rejected")
