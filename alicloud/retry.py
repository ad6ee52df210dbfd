"""In-call retries: full-jitter exponential backoff within a total deadline (tenacity).

* Only errors whose ``retryable`` flag is set (see :mod:`alicloud.error_codes`) are retried, plus
  the error classes a caller adds with ``retry_also`` (``DependencyViolationError`` while a
  deleted endpoint's network interfaces drain).
* Full jitter: each delay is uniform in ``[0, min(cap, base * 2**(n-1))]``, so twenty callers
  throttled at the same moment spread out instead of coming back together.  This is our own
  backoff, independent of Prefect's task retries (which act across attempts of a whole task).
* When the server says how long to wait (Tea ``ThrottlingException.retry_after``, already in
  seconds on the error), the delay is at least that, plus a little jitter.
* The deadline bounds the whole call, attempts included: a retry whose delay would end past it
  is not made, and the last error is raised as is (with ``retry_after`` for the caller).
* Each retry is logged on the ``alicloud`` logger with the action, the code and the delay.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception

from alicloud.errors import AlibabaCloudError, ConflictError, DependencyViolationError, NotFoundError

_EXPECTED_WAITS = (NotFoundError, ConflictError, DependencyViolationError)

T = TypeVar("T")

log = logging.getLogger("alicloud")


@dataclass(frozen=True)
class RetryPolicy:
    deadline_s: float = 20.0
    base_s: float = 0.5
    cap_s: float = 8.0
    max_attempts: int = 10


def call_with_retries(
    attempt: Callable[[], T],
    *,
    policy: RetryPolicy,
    action: str,
    retry_also: tuple[type[AlibabaCloudError], ...] = (),
    retry_when: Callable[[AlibabaCloudError], bool] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    rng: random.Random | None = None,
) -> T:
    """Run ``attempt`` until it succeeds, fails for good, or the deadline is near.

    ``retry_when`` narrows what is retried further (an error must pass it as well).
    """
    jitter = rng or random.Random()
    started = clock()

    def should_retry(exc: BaseException) -> bool:
        if not isinstance(exc, AlibabaCloudError) or not (exc.retryable or isinstance(exc, retry_also)):
            return False
        return retry_when is None or retry_when(exc)

    def wait(state: RetryCallState) -> float:
        ceiling = min(policy.cap_s, policy.base_s * 2 ** (state.attempt_number - 1))
        delay = jitter.uniform(0.0, ceiling)
        error = _error_of(state)
        if error is not None and error.retry_after:
            delay = error.retry_after + jitter.uniform(0.0, policy.base_s)
        return delay

    def stop(state: RetryCallState) -> bool:
        if state.attempt_number >= policy.max_attempts:
            return True
        return clock() - started + state.upcoming_sleep > policy.deadline_s

    def before_sleep(state: RetryCallState) -> None:
        error = _error_of(state)
        # Throttling, 5xx and transport errors are worth a warning; a resource not visible yet, an
        # endpoint busy with the previous change or interfaces still draining are the expected
        # pace of an asynchronous API.
        level = logging.INFO if isinstance(error, _EXPECTED_WAITS) else logging.WARNING
        log.log(
            level,
            "retrying %s after %s (attempt %d) in %.2f s",
            action,
            error.code if error else "error",
            state.attempt_number,
            state.upcoming_sleep,
        )

    retrying = Retrying(
        retry=retry_if_exception(should_retry),
        wait=wait,
        stop=stop,
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    return retrying(attempt)


def _error_of(state: RetryCallState) -> AlibabaCloudError | None:
    outcome = state.outcome
    if outcome is None or not outcome.failed:
        return None
    error = outcome.exception()
    return error if isinstance(error, AlibabaCloudError) else None
