"""Flow declarations: validated at load, so a bad flow stops start-up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from b2bbridge.core.sync import FlowSpec, flows_triggered_by


def flow(**changes: object) -> FlowSpec:
    values: dict[str, object] = {
        "name": "orders",
        "entity": "order",
        "source": "storefront",
        "targets": ["erp"],
        "schedule": "* * * * *",
    }
    values.update(changes)
    return FlowSpec.model_validate(values)


def test_a_flow_needs_a_schedule_or_a_trigger() -> None:
    with pytest.raises(ValidationError, match="schedule, a trigger"):
        flow(schedule=None)


def test_an_unknown_entity_is_refused() -> None:
    with pytest.raises(ValidationError, match="entity 'invoices'"):
        flow(entity="invoices")


def test_a_flow_cannot_target_its_own_source() -> None:
    with pytest.raises(ValidationError, match="among its targets"):
        flow(targets=["storefront"])


def test_ownership_may_only_name_systems_of_the_flow() -> None:
    with pytest.raises(ValidationError, match=r"\['crm'\]"):
        flow(ownership={"contacts": "crm"})


def test_an_unknown_key_is_refused() -> None:
    with pytest.raises(ValidationError, match="batchsize"):
        flow(batchsize=5)


def test_the_overlap_is_a_timedelta_of_the_declared_seconds() -> None:
    assert flow(overlap_seconds=2.5).overlap == timedelta(seconds=2.5)


def test_only_flows_triggered_by_the_stored_document_type_are_picked() -> None:
    flows = [flow(name="a", trigger="order"), flow(name="b"), flow(name="c", trigger="invoice")]

    assert [f.name for f in flows_triggered_by(flows, "order")] == ["a"]


def test_a_schedule_that_is_not_cron_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a cron expression"):
        flow(schedule="every five minutes")


def test_the_next_due_time_follows_the_cron_expression() -> None:
    after = datetime(2026, 11, 22, 10, 7, tzinfo=UTC)

    assert flow(schedule="*/5 * * * *").next_due(after) == datetime(
        2026, 11, 22, 10, 10, tzinfo=UTC
    )


def test_an_event_only_flow_is_never_due_by_schedule() -> None:
    assert flow(schedule=None, trigger="order").next_due(datetime(2026, 1, 1, tzinfo=UTC)) is None
