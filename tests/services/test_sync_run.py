"""Running a flow: idempotent, resumable, retried, dead-lettered, echo-free, owned."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_fakes import MemorySystem, Pauses, down, flow, make_context

from b2bbridge.core.errors import B2BError, ConfigError
from b2bbridge.ports import ChangeBatch
from b2bbridge.services.sync import run_flow


def test_a_first_run_writes_every_record_and_a_second_writes_none(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "Acme"})
    crm.put("C2", {"name": "Globex"})
    ctx = make_context(tmp_path, [crm, erp], [flow()])

    first = run_flow(ctx, "customers")
    second = run_flow(ctx, "customers")

    assert (first.read, first.written) == (2, 2)
    assert (second.written, erp.writes) == (0, [["C1", "C2"]])


def test_a_record_changed_after_a_run_is_sent_again_with_only_its_new_values(
    tmp_path: Path,
) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "Acme"})
    ctx = make_context(tmp_path, [crm, erp], [flow()])
    run_flow(ctx, "customers")
    crm.put("C1", {"name": "Acme Ltd"})

    report = run_flow(ctx, "customers")

    assert report.written == 1
    assert erp.records["C1"].fields == {"name": "Acme Ltd"}


def test_records_go_to_the_target_in_batches_of_the_declared_size(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    for n in range(5):
        crm.put(f"C{n}", {"name": str(n)})
    ctx = make_context(tmp_path, [crm, erp], [flow(batch_size=2)])

    run_flow(ctx, "customers")

    assert [len(batch) for batch in erp.writes] == [2, 2, 1]


def test_a_transient_failure_is_retried_with_back_off_and_then_succeeds(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "Acme"})
    erp.fail_next = [down(), down()]
    pauses = Pauses()
    ctx = make_context(tmp_path, [crm, erp], [flow()], pauses)

    report = run_flow(ctx, "customers")

    assert (report.written, report.failed, len(pauses.delays)) == (1, 0, 2)
    assert pauses.delays[1] > pauses.delays[0]


def test_a_target_down_for_every_attempt_dead_letters_each_record_with_its_place(
    tmp_path: Path,
) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "Acme"})
    crm.put("C2", {"name": "Globex"})
    erp.fail_next = [down(), down(), down()]
    ctx = make_context(tmp_path, [crm, erp], [flow()])

    report = run_flow(ctx, "customers")

    with ctx.uow() as uow:
        letters = [uow.dead_letters.get(i) for i in report.dead_letters]
    assert (report.failed, report.written) == (2, 0)
    assert [(d.code, d.attempts, d.location["file"]) for d in letters] == [
        ("system_unavailable", 3, "erp:customer/C1"),
        ("system_unavailable", 3, "erp:customer/C2"),
    ]


def test_a_rejected_batch_is_retried_record_by_record_so_only_the_bad_one_fails(
    tmp_path: Path,
) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    for key in ("C1", "BAD", "C3"):
        crm.put(key, {"name": key})
    erp.reject_keys = {"BAD"}
    ctx = make_context(tmp_path, [crm, erp], [flow()])

    report = run_flow(ctx, "customers")

    assert (report.written, report.failed) == (2, 1)
    assert sorted(erp.records) == ["C1", "C3"]


def test_the_watermark_moves_past_dead_letters_so_the_next_run_does_not_resend_them(
    tmp_path: Path,
) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "Acme"})
    erp.fail_next = [down(), down(), down()]
    ctx = make_context(tmp_path, [crm, erp], [flow()])
    run_flow(ctx, "customers")

    again = run_flow(ctx, "customers")

    assert (again.written, again.failed) == (0, 0)


def test_what_b2bbridge_wrote_is_not_read_back_as_a_change(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "Acme"})
    there, back = flow("to-erp"), flow("to-crm", source="erp", target="crm")
    ctx = make_context(tmp_path, [crm, erp], [there, back])
    run_flow(ctx, "to-erp")

    echo = run_flow(ctx, "to-crm")

    assert (echo.read, echo.written, echo.skipped) == (1, 0, 1)
    assert crm.writes == []


def test_two_way_sync_settles_with_no_writes_after_a_change(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "Acme"})
    ctx = make_context(
        tmp_path, [crm, erp], [flow("to-erp"), flow("to-crm", source="erp", target="crm")]
    )
    run_flow(ctx, "to-erp")
    run_flow(ctx, "to-crm")
    erp.put("C1", {"name": "Acme (edited in ERP)"})

    rounds = [run_flow(ctx, name).written for _ in range(3) for name in ("to-crm", "to-erp")]

    assert rounds == [1, 0, 0, 0, 0, 0]
    assert crm.records["C1"].fields == {"name": "Acme (edited in ERP)"}


def test_a_change_to_a_field_the_source_does_not_own_is_a_conflict_not_a_write(
    tmp_path: Path,
) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    owners = {"contacts": "crm"}
    crm.put("C1", {"contacts": ["ann"], "terms": "net30"})
    ctx = make_context(
        tmp_path,
        [crm, erp],
        [
            flow("to-erp", ownership=owners),
            flow("to-crm", source="erp", target="crm", ownership=owners),
        ],
    )
    run_flow(ctx, "to-erp")
    erp.put("C1", {"contacts": ["eve"], "terms": "net60"})

    report = run_flow(ctx, "to-crm")

    assert [(c.field, c.reason, c.incoming, c.kept) for c in report.conflicts] == [
        ("contacts", "owned_by_crm", ["eve"], ["ann"])
    ]
    assert crm.records["C1"].fields == {"contacts": ["ann"], "terms": "net60"}


def test_since_overrides_the_stored_watermark_for_one_run(tmp_path: Path) -> None:
    crm, erp = MemorySystem("crm"), MemorySystem("erp")
    crm.put("C1", {"name": "A"})
    crm.put("C2", {"name": "B"})
    ctx = make_context(tmp_path, [crm, erp], [flow(overlap_seconds=0)])

    report = run_flow(ctx, "customers", since=crm.records["C2"].stamp)

    assert (report.read, erp.writes) == (1, [["C2"]])


def test_an_unknown_flow_is_a_configuration_error(tmp_path: Path) -> None:
    ctx = make_context(tmp_path, [], [])

    with pytest.raises(ConfigError, match="no sync flow named 'nope'"):
        run_flow(ctx, "nope")


class DownSource(MemorySystem):
    def read_changes(self, entity: str, since: object) -> ChangeBatch:
        raise down()


def test_a_source_that_is_down_closes_the_run_as_an_error_and_keeps_the_watermark(
    tmp_path: Path,
) -> None:
    ctx = make_context(tmp_path, [DownSource("crm"), MemorySystem("erp")], [flow()])

    with pytest.raises(B2BError, match="connection refused"):
        run_flow(ctx, "customers")

    with ctx.state() as state:
        last = state.runs.last("customers")
        mark = state.watermarks.get("customers")
    assert last is not None
    assert (last.status, last.error, mark) == (
        "error",
        "system_unavailable: connection refused",
        None,
    )
