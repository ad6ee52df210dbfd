"""In-call retries: jitter, deadline, retry-after, and which errors are retried at all."""

from __future__ import annotations

import logging
import random
import statistics
from collections.abc import Callable

import pytest

from alicloud.errors import (
    AlibabaCloudError,
    DependencyViolationError,
    InvalidParameterError,
    NotFoundError,
    TransientError,
)
from alicloud.retry import RetryPolicy, call_with_retries


class FakeTime:
    """A clock that only moves when slept on (or when a call 'takes' time)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _failing(
    errors: list[AlibabaCloudError], time: FakeTime | None = None, cost: float = 0.0
) -> Callable[[], str]:
    """Raise the given errors in turn, then succeed; each attempt costs ``cost`` seconds."""
    attempts = iter(errors)

    def attempt() -> str:
        if time is not None:
            time.now += cost
        error = next(attempts, None)
        if error is not None:
            raise error
        return "done"

    return attempt


def _throttled() -> TransientError:
    return TransientError("slow down", code="Throttling", retryable=True)


def test_call_with_retries_jitter_spreads_twenty_simultaneous_retries() -> None:
    policy = RetryPolicy(base_s=1.0)
    first_delays = []
    for caller in range(20):
        time = FakeTime()
        call_with_retries(
            _failing([_throttled()]),
            policy=policy,
            action="vpc:DescribeVpcs",
            sleep=time.sleep,
            clock=time.clock,
            rng=random.Random(caller),
        )
        first_delays.extend(time.sleeps)

    assert len(first_delays) == 20
    assert all(0.0 <= delay <= policy.base_s for delay in first_delays)
    assert len({round(delay, 3) for delay in first_delays}) == 20
    assert statistics.pstdev(first_delays) > policy.base_s / 6  # uniform on [0, 1] has 0.29


def test_call_with_retries_backoff_ceiling_grows_then_caps() -> None:
    policy = RetryPolicy(base_s=1.0, cap_s=4.0, deadline_s=1000.0, max_attempts=8)
    time = FakeTime()

    call_with_retries(
        _failing([_throttled()] * 6),
        policy=policy,
        action="a",
        sleep=time.sleep,
        clock=time.clock,
        rng=random.Random(7),
    )

    ceilings = [1.0, 2.0, 4.0, 4.0, 4.0, 4.0]
    assert all(delay <= ceiling for delay, ceiling in zip(time.sleeps, ceilings, strict=True))


def test_call_with_retries_stops_before_the_deadline() -> None:
    policy = RetryPolicy(base_s=1.0, cap_s=4.0, deadline_s=20.0, max_attempts=100)
    time = FakeTime()

    with pytest.raises(TransientError):
        call_with_retries(
            _failing([_throttled()] * 100, time, cost=1.5),
            policy=policy,
            action="a",
            sleep=time.sleep,
            clock=time.clock,
            rng=random.Random(1),
        )

    assert time.now <= policy.deadline_s + 1.5  # the last attempt may start right before the deadline
    assert len(time.sleeps) >= 3


def test_call_with_retries_honours_retry_after() -> None:
    time = FakeTime()
    throttled = TransientError("slow down", code="Throttling", retryable=True, retry_after=3.0)

    result = call_with_retries(
        _failing([throttled]),
        policy=RetryPolicy(base_s=0.5),
        action="a",
        sleep=time.sleep,
        clock=time.clock,
        rng=random.Random(3),
    )

    assert result == "done"
    assert 3.0 <= time.sleeps[0] <= 3.5


def test_call_with_retries_gives_up_when_retry_after_exceeds_the_deadline() -> None:
    time = FakeTime()
    throttled = TransientError("slow down", code="Throttling", retryable=True, retry_after=60.0)

    with pytest.raises(TransientError) as raised:
        call_with_retries(
            _failing([throttled]),
            policy=RetryPolicy(deadline_s=20.0),
            action="a",
            sleep=time.sleep,
            clock=time.clock,
        )

    assert raised.value.retry_after == 60.0
    assert time.sleeps == []


def test_call_with_retries_non_retryable_fails_after_one_attempt() -> None:
    time = FakeTime()
    calls = []

    def attempt() -> str:
        calls.append(1)
        raise InvalidParameterError("bad", code="InvalidParameter")

    with pytest.raises(InvalidParameterError):
        call_with_retries(attempt, policy=RetryPolicy(), action="a", sleep=time.sleep, clock=time.clock)

    assert len(calls) == 1 and time.sleeps == []


def test_call_with_retries_dependency_violation_is_retried_only_when_the_caller_says_draining() -> None:
    violation = DependencyViolationError("in use", code="DependencyViolation")
    time = FakeTime()

    with pytest.raises(DependencyViolationError):
        call_with_retries(
            _failing([violation]), policy=RetryPolicy(), action="a", sleep=time.sleep, clock=time.clock
        )
    result = call_with_retries(
        _failing([violation]),
        policy=RetryPolicy(),
        action="a",
        sleep=time.sleep,
        clock=time.clock,
        retry_also=(DependencyViolationError,),
    )

    assert result == "done"


def test_call_with_retries_stops_after_max_attempts() -> None:
    time = FakeTime()

    with pytest.raises(TransientError):
        call_with_retries(
            _failing([_throttled()] * 10),
            policy=RetryPolicy(max_attempts=3, deadline_s=1e6),
            action="a",
            sleep=time.sleep,
            clock=time.clock,
        )

    assert len(time.sleeps) == 2


def test_call_with_retries_logs_action_code_and_delay(caplog: pytest.LogCaptureFixture) -> None:
    time = FakeTime()
    caplog.set_level(logging.WARNING, logger="alicloud")

    call_with_retries(
        _failing([_throttled()]),
        policy=RetryPolicy(),
        action="privatelink:CreateVpcEndpoint",
        sleep=time.sleep,
        clock=time.clock,
        rng=random.Random(0),
    )

    (record,) = [r for r in caplog.records if r.name == "alicloud"]
    assert "privatelink:CreateVpcEndpoint" in record.getMessage()
    assert "Throttling" in record.getMessage()
    assert f"{time.sleeps[0]:.2f} s" in record.getMessage()


@pytest.mark.parametrize(
    ("error", "level"),
    [
        (TransientError("slow down", code="Throttling", retryable=True), logging.WARNING),
        (NotFoundError("not visible yet", code="Zone.NotExists", retryable=True), logging.INFO),
    ],
)
def test_call_with_retries_warns_only_of_errors_beyond_the_api_pace(
    caplog: pytest.LogCaptureFixture, error: AlibabaCloudError, level: int
) -> None:
    time = FakeTime()
    caplog.set_level(logging.INFO, logger="alicloud")

    call_with_retries(
        _failing([error]), policy=RetryPolicy(), action="pvtz:BindZoneVpc", sleep=time.sleep, clock=time.clock
    )

    assert [r.levelno for r in caplog.records if r.name == "alicloud"] == [level]


def test_call_with_retries_lets_non_cloud_errors_through_at_once() -> None:
    time = FakeTime()

    def attempt() -> str:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        call_with_retries(attempt, policy=RetryPolicy(), action="a", sleep=time.sleep, clock=time.clock)

    assert time.sleeps == []


def test_call_with_retries_retry_when_keeps_a_lost_answer_from_being_resent() -> None:
    """A request that must reach the service at most once: a throttle is retried, a transport
    failure (the service may have acted before the answer was lost) is raised at once."""
    time = FakeTime()
    lost = TransientError("connection reset", code="Transport.Connection", retryable=True)
    attempt = _failing([_throttled(), lost], time)

    with pytest.raises(TransientError) as raised:
        call_with_retries(
            attempt,
            policy=RetryPolicy(),
            action="roles:DeleteServiceLinkedRole",
            retry_when=lambda error: error.code.startswith("Throttling"),
            sleep=time.sleep,
            clock=time.clock,
        )

    assert raised.value is lost
    assert len(time.sleeps) == 1
