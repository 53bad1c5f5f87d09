"""Judge outcomes in X12 acknowledgment terms: status letters and syntax error codes.

Shared by the 997, 999 and TA1 builders so that the rules are stated once:

* a transaction with an error is ``R``; with only warnings ``E``; otherwise ``A``. A
  transaction whose trailer never came is rejected even if no problem says so (code 2);
* a group is ``R`` when the group itself has an error or every transaction was rejected,
  ``P`` when some were, ``E`` when all were accepted but some with warnings, else ``A``;
* codes come from the catalogue (:mod:`b2bbridge.core.edi.codes`); a segment or element
  problem shows at transaction level as code 5 ("one or more segments in error").
  Error codes come first; warnings' codes are given only when there is no error.
"""

from __future__ import annotations

from collections.abc import Iterable

from b2bbridge.core.edi.acks.outcome import GroupOutcome, TransactionOutcome
from b2bbridge.core.edi.codes import lookup
from b2bbridge.core.errors import Problem

MAX_CODES = 5  # AK502..AK506 and AK905..AK909 hold five codes each


def _reported(problems: Iterable[Problem]) -> list[Problem]:
    """The errors, or the warnings when there is no error."""
    listed = list(problems)
    errors = [p for p in listed if p.is_error]
    return errors or listed


def _unique(codes: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for code in codes:
        if code and code not in seen:
            seen.append(code)
    return seen[:MAX_CODES]


def transaction_status(outcome: TransactionOutcome) -> str:
    """``A``, ``E`` or ``R`` for AK501/IK501."""
    if not outcome.accepted or not outcome.trailer_present:
        return "R"
    return "E" if outcome.problems else "A"


def transaction_codes(outcome: TransactionOutcome) -> list[str]:
    """AK502..AK506: transaction syntax error codes, at most five."""
    codes: list[str | None] = []
    for problem in _reported(outcome.problems):
        entry = lookup(problem.code)
        codes.append(entry.ak5 if entry.level == "transaction" else "5")
    if not outcome.trailer_present:
        codes.append("2")
    if transaction_status(outcome) == "R" and not any(codes):
        codes.append("5")
    return _unique(codes)


def group_status(outcome: GroupOutcome) -> str:
    """``A``, ``E``, ``P`` or ``R`` for AK901."""
    statuses = [transaction_status(t) for t in outcome.transactions]
    rejected = statuses.count("R")
    if not outcome.accepted or (statuses and rejected == len(statuses)):
        return "R"
    if rejected:
        return "P"
    if outcome.problems or "E" in statuses:
        return "E"
    return "A"


def group_codes(outcome: GroupOutcome) -> list[str]:
    """AK905..AK909: group syntax error codes, at most five."""
    return _unique(lookup(p.code).ak9 for p in _reported(outcome.problems))


def interchange_note(problems: Iterable[Problem]) -> tuple[str, str]:
    """TA104 and TA105: ``R`` with the first error's note code, ``E`` for warnings, else ``A``."""
    reported = _reported(problems)
    if not reported:
        return "A", "000"
    notes = [lookup(p.code).ta1 for p in reported]
    note = next((n for n in notes if n), "000")
    return ("R" if reported[0].is_error else "E"), note
