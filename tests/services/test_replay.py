"""Dead-letter replay and discard over a real store and the example partner."""

from __future__ import annotations

import pytest
from e2e_support import Deployment
from pipeline_support import (
    break_850_mapping,
    open_app,
    order_850,
    receive,
    restore_850_mapping,
)

from b2bbridge.bootstrap import App
from b2bbridge.ports import NotFoundError
from b2bbridge.services.replay import (
    discard_dead_letter,
    replay_dead_letters,
    select_dead_letters,
)
from b2bbridge.services.worker import drain


def _fail_one_on_bad_mapping(deployment: Deployment) -> tuple[str, int]:
    good = break_850_mapping(deployment)
    broken = open_app(deployment)
    try:
        message_id = receive(broken, order_850(7, "PO-REPLAY-1"))
        drain(broken.ctx)
    finally:
        broken.close()
    return good, message_id


def _documents(app: App) -> list[str]:
    with app.ctx.uow() as uow:
        return sorted(d.doc_number for d in uow.documents.list(limit=100))


def test_bad_mapping_lands_in_the_dead_letter_store_without_a_document(
    deployment: Deployment,
) -> None:
    _good, message_id = _fail_one_on_bad_mapping(deployment)
    app = open_app(deployment)
    (dl,) = select_dead_letters(app.ctx)
    assert dl.message_id == message_id
    assert dl.code == "mapping_required_missing"
    assert "BEG.09" in dl.reason
    assert (dl.location["transaction"], dl.location["byte_offset"]) == ("0001", 159)
    assert _documents(app) == []


def test_replay_after_the_mapping_fix_stores_the_order_once(deployment: Deployment) -> None:
    good, message_id = _fail_one_on_bad_mapping(deployment)
    restore_850_mapping(deployment, good)
    app = open_app(deployment)
    letters = select_dead_letters(app.ctx)
    (outcome,) = replay_dead_letters(app.ctx, letters)
    assert (outcome.message_id, outcome.documents, outcome.status) == (message_id, 1, "stored")
    assert _documents(app) == ["PO-REPLAY-1"]
    with app.ctx.uow() as uow:
        first = uow.dead_letters.get(letters[0].id)
    assert (first.status, first.note) == ("replayed", f"replayed as message {message_id}")


def test_second_replay_of_the_same_dead_letter_changes_nothing(deployment: Deployment) -> None:
    good, _message_id = _fail_one_on_bad_mapping(deployment)
    restore_850_mapping(deployment, good)
    app = open_app(deployment)
    (dl,) = select_dead_letters(app.ctx)
    replay_dead_letters(app.ctx, [dl])
    (again,) = replay_dead_letters(app.ctx, select_dead_letters(app.ctx, ids=[dl.id]))
    assert (again.documents, again.result.duplicates if again.result else -1) == (0, 1)
    assert _documents(app) == ["PO-REPLAY-1"]
    with app.ctx.uow() as uow:
        assert uow.dead_letters.list(status=None) == [uow.dead_letters.get(dl.id)]


def test_replay_that_fails_again_links_the_new_dead_letter_to_the_original(
    deployment: Deployment,
) -> None:
    _fail_one_on_bad_mapping(deployment)
    app = open_app(deployment)
    (dl,) = select_dead_letters(app.ctx)
    (outcome,) = replay_dead_letters(app.ctx, [dl])
    assert outcome.status == "rejected"
    (fresh,) = select_dead_letters(app.ctx)
    assert (fresh.replay_of, fresh.id != dl.id) == (dl.id, True)


def test_bulk_selection_takes_only_open_dead_letters_of_the_partner(
    deployment: Deployment,
) -> None:
    _fail_one_on_bad_mapping(deployment)
    app = open_app(deployment)
    (dl,) = select_dead_letters(app.ctx, partner="acme")
    discard_dead_letter(app.ctx, dl.id, reason="partner resent it")
    assert select_dead_letters(app.ctx, partner="acme") == []
    assert select_dead_letters(app.ctx, partner="other") == []


def test_discard_keeps_the_dead_letter_with_its_reason(deployment: Deployment) -> None:
    _fail_one_on_bad_mapping(deployment)
    app = open_app(deployment)
    (dl,) = select_dead_letters(app.ctx)
    discard_dead_letter(app.ctx, dl.id, reason="duplicate of PO-9")
    with app.ctx.uow() as uow:
        kept = uow.dead_letters.get(dl.id)
        states = [e.state for e in uow.events.for_message(dl.message_id)]
    assert (kept.status, kept.note) == ("discarded", "duplicate of PO-9")
    assert states[-1] == "discarded"


def test_discard_without_a_reason_is_refused(app: App) -> None:
    with pytest.raises(ValueError, match="reason"):
        discard_dead_letter(app.ctx, 1, reason="  ")


def test_selecting_an_unknown_dead_letter_id_raises_not_found(app: App) -> None:
    with pytest.raises(NotFoundError):
        select_dead_letters(app.ctx, ids=[999])
