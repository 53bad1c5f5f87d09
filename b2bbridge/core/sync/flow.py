"""A sync flow as configuration declares it: what moves, from where, to where, and when.

Flows live in YAML files (``connectors/flows/*.yaml``), never in code. A flow has one
source system and one or more targets, an entity (``order``, ``stock``, ``customer``…),
a cron schedule and/or an event trigger (the canonical document type whose arrival
enqueues it), and the owning system of each field that more than one system writes.
``fields``, when given, is the projection that travels: only those fields of the source's
records reach the targets, so a change to any other field is not a change for this flow
(an 855 is sent when the sale's state changes, not when its shipment state does).
``keys_from_id_map`` makes a source record whose external id the id map already holds
take that canonical key, for a system that cannot keep the other system's key itself
(a WMS whose one free shipment field carries the carrier's tracking number).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, model_validator

ENTITIES = frozenset(
    {
        "order",
        "order_status",
        "stock",
        "shipment",
        "shipment_request",
        "invoice",
        "customer",
        "lead",
    }
)


class FlowSpec(BaseModel):
    """One declared flow; unknown keys are refused so that a typo stops start-up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    entity: str
    source: str = Field(min_length=1)
    targets: list[str] = Field(min_length=1)
    schedule: str | None = None
    trigger: str | None = None
    ownership: dict[str, str] = Field(default_factory=dict)
    fields: list[str] | None = None
    batch_size: int = Field(default=50, ge=1, le=1000)
    overlap_seconds: float = Field(default=5.0, ge=0)
    max_attempts: int = Field(default=3, ge=1)
    keys_from_id_map: bool = False

    @model_validator(mode="after")
    def _check(self) -> FlowSpec:
        if self.entity not in ENTITIES:
            raise ValueError(f"entity {self.entity!r} is not one of {sorted(ENTITIES)}")
        if self.schedule is None and self.trigger is None:
            raise ValueError("a flow needs a schedule, a trigger, or both")
        if self.schedule is not None and not croniter.is_valid(self.schedule):
            raise ValueError(f"schedule {self.schedule!r} is not a cron expression")
        if self.source in self.targets:
            raise ValueError(f"flow {self.name!r} lists its source among its targets")
        systems = {self.source, *self.targets}
        strangers = sorted(set(self.ownership.values()) - systems)
        if strangers:
            raise ValueError(f"ownership names systems outside the flow: {strangers}")
        return self

    @property
    def overlap(self) -> timedelta:
        return timedelta(seconds=self.overlap_seconds)

    def next_due(self, after: datetime) -> datetime | None:
        """When the schedule next fires strictly after ``after``; None for event-only flows."""
        if self.schedule is None:
            return None
        due: datetime = croniter(self.schedule, after).get_next(datetime)
        return due

    def project(self, values: dict[str, object]) -> dict[str, object]:
        """The fields of a source record this flow carries."""
        if self.fields is None:
            return values
        return {name: values[name] for name in self.fields if name in values}


def flows_triggered_by(flows: list[FlowSpec], doc_type: str) -> list[FlowSpec]:
    """The flows a stored canonical document of ``doc_type`` enqueues at once."""
    return [flow for flow in flows if flow.trigger == doc_type]
