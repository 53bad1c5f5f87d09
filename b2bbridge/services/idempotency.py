"""Idempotency keys in the store, so that a retried request never makes a second message.

The API asks :meth:`IdempotencyLedger.claim` before storing a keyed request. Exactly one
caller per (partner, key) gets to store, across threads, processes and restarts, because
the claim is a row under a unique key in the shared store. Everyone else gets the row:
``done`` with the first answer (replay it), or ``pending`` while the first request is
still being stored (the API waits briefly, then answers 409).

A ``pending`` row older than ``in_flight`` belongs to a process that died between the
claim and the answer; the next retry takes it over. Because the process may have died
after storing, the take-over (like every fresh claim) first looks for a message this
partner already sent with exactly these bytes and answers with it, so even that crash
does not make a second message. Keys are kept for ``retention`` after their first use
and pruned in small batches, at most every ``prune_every``, inside a claim's transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import structlog

from b2bbridge.ports import IdempotencyRecord, JsonObject, UnitOfWork
from b2bbridge.services.context import ServiceContext

log = structlog.get_logger("b2bbridge.idempotency")

DONE = "done"
PRUNE_BATCH = 1000


@dataclass(frozen=True, slots=True)
class KeyPolicy:
    """How long keys are remembered, and when a pending claim counts as abandoned."""

    retention: timedelta = timedelta(hours=24)
    in_flight: timedelta = timedelta(seconds=60)
    prune_every: timedelta = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class KeyRequest:
    """One keyed request: who sent it, its key, and the hash of its body."""

    partner: str
    key: str
    request_sha256: str


class IdempotencyLedger:
    """Claims, answers and forgets idempotency keys; one per API process.

    Every method takes a batch, so the API's group-commit writer claims, and later
    answers, all the keyed orders of one batch in one transaction each.
    """

    def __init__(self, ctx: ServiceContext, policy: KeyPolicy | None = None) -> None:
        self.ctx = ctx
        self.policy = policy or KeyPolicy()
        self._next_prune: datetime | None = None
        self._prune_guard = threading.Lock()

    def claim(self, partner: str, key: str, request_sha256: str) -> IdempotencyRecord | None:
        """None when the caller now owns the key and must store; else the key's row."""
        return self.claim_many([KeyRequest(partner, key, request_sha256)])[0]

    def claim_many(self, requests: Sequence[KeyRequest]) -> list[IdempotencyRecord | None]:
        """:meth:`claim` for each request, in one transaction (a key twice: the first owns it).

        Keys are inserted in (partner, key) order, so two processes claiming overlapping
        batches on PostgreSQL wait for each other instead of deadlocking.
        """
        seen: list[IdempotencyRecord | None] = [None] * len(requests)
        order = sorted(range(len(requests)), key=lambda i: (requests[i].partner, requests[i].key))
        with self.ctx.uow() as uow:
            self._prune_if_due(uow)
            for i in order:
                seen[i] = self._claim(uow, requests[i])
            uow.commit()
        return seen

    def settle(
        self,
        answered: Sequence[tuple[KeyRequest, int, JsonObject]],
        failed: Sequence[KeyRequest] = (),
    ) -> None:
        """Record the answers of stored requests and release the keys of failed ones."""
        with self.ctx.uow() as uow:
            for r, status, answer in answered:
                uow.idempotency.complete(r.partner, r.key, status=status, answer=answer)
            for r in failed:
                uow.idempotency.release(r.partner, r.key)
            uow.commit()

    def complete(self, partner: str, key: str, status: int, answer: JsonObject) -> None:
        self.settle([(KeyRequest(partner, key, ""), status, answer)])

    def release(self, partner: str, key: str) -> None:
        self.settle([], [KeyRequest(partner, key, "")])

    def prune(self) -> int:
        """Forget keys first used longer ago than the retention; returns how many."""
        with self.ctx.uow() as uow:
            gone = self._prune(uow, self.ctx.clock.now())
            uow.commit()
        return gone

    def _claim(self, uow: UnitOfWork, r: KeyRequest) -> IdempotencyRecord | None:
        seen = uow.idempotency.claim(r.partner, r.key, r.request_sha256)
        if seen is not None and not self._abandoned(uow, seen):
            return seen
        return self._answer_from_earlier(uow, r.partner, r.key, r.request_sha256)

    def _abandoned(self, uow: UnitOfWork, seen: IdempotencyRecord) -> bool:
        if seen.state == DONE:
            return False
        cutoff = self.ctx.clock.now() - self.policy.in_flight
        taken = uow.idempotency.take_over(seen.partner, seen.key, claimed_before=cutoff)
        if taken:
            log.warning("idempotency_claim_taken_over", partner=seen.partner, key=seen.key)
        return taken

    def _answer_from_earlier(
        self, uow: UnitOfWork, partner: str, key: str, request_sha256: str
    ) -> IdempotencyRecord | None:
        """The same bytes already stored for this partner: answer with that message."""
        earlier = uow.messages.find_by_payload(request_sha256, partner=partner)
        if not earlier:
            return None
        answer: JsonObject = {"message_id": min(m.id for m in earlier), "status": "accepted"}
        uow.idempotency.complete(partner, key, status=202, answer=answer)
        now = self.ctx.clock.now()
        pending = IdempotencyRecord(partner, key, request_sha256, "pending", None, None, now)
        return replace(pending, state=DONE, status=202, answer=answer)

    def _prune_if_due(self, uow: UnitOfWork) -> None:
        now = self.ctx.clock.now()
        with self._prune_guard:
            if self._next_prune is not None and now < self._next_prune:
                return
            self._next_prune = now + self.policy.prune_every
        self._prune(uow, now)

    def _prune(self, uow: UnitOfWork, now: datetime) -> int:
        gone = uow.idempotency.prune(before=now - self.policy.retention, limit=PRUNE_BATCH)
        if gone:
            log.info("idempotency_keys_pruned", count=gone)
        return gone
