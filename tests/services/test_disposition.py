from b2bbridge.core.errors import ConfigError, ConnectorError, Disposition, MappingError
from b2bbridge.services.context import RetryPolicy
from b2bbridge.services.disposition import decide

POLICY = RetryPolicy(max_attempts=4, base_seconds=2.0, max_seconds=10.0)


def test_transient_errors_retry_with_doubling_delay_capped() -> None:
    delays = [
        decide(ConnectorError("down"), attempts=n, policy=POLICY, jitter=1.0).delay_seconds
        for n in (1, 2, 3)
    ]
    assert delays == [2.0, 4.0, 8.0]


def test_jitter_spreads_the_delay_between_half_and_full() -> None:
    d = decide(ConnectorError("down"), attempts=1, policy=POLICY, jitter=0.0)
    assert d.delay_seconds == 1.0


def test_the_last_attempt_becomes_a_dead_letter() -> None:
    d = decide(ConnectorError("down"), attempts=4, policy=POLICY)
    assert d.disposition is Disposition.REJECT
    assert d.code == "connector_failed"


def test_permanent_errors_are_never_retried() -> None:
    assert decide(MappingError("bad"), attempts=1, policy=POLICY).disposition is Disposition.REJECT


def test_configuration_errors_stop_the_worker() -> None:
    assert decide(ConfigError("bad"), attempts=1, policy=POLICY).disposition is Disposition.STOP


def test_unexpected_exceptions_are_retried_then_dead_lettered() -> None:
    assert decide(RuntimeError("?"), attempts=1, policy=POLICY).disposition is Disposition.RETRY
    last = decide(RuntimeError("?"), attempts=4, policy=POLICY)
    assert (last.disposition, last.code) == (Disposition.REJECT, "unexpected_error")
