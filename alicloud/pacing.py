"""Client-side pacing: at most ``qps`` requests per second per API action, for the whole process.

Alibaba Cloud throttles each API per account (``Throttling.User``; SLS ``WriteQuotaExceed`` /
``ReadQuotaExceed``).  Retrying throttled calls, however well jittered, turns ten concurrent
onboardings into several requests per useful one, and some still run out of attempts.  So
requests are paced before they are sent:

* one schedule per action (``privatelink:CreateVpcEndpoint``), shared by every
  :class:`~alicloud.clients.Clients` of the process (tasks build a new one per call);
* generic cell-rate scheduling: a burst of ``qps`` requests, then one every ``1/qps`` seconds;
  each caller reserves the next free slot and sleeps until it (first come, first served: no
  thundering herd of sleepers racing for one token);
* a throttle answer holds the action for the time the server asked (or one interval), so the
  other callers of the process stop too instead of each finding out on its own, and cuts the
  action's rate by a quarter; each answer that is not throttled gives back a twentieth of the
  budget (additive increase, multiplicative decrease), so the rate settles near what the account
  really allows when the setting is too high or other processes share the budget;
* ``qps`` of 0 turns pacing off.

The budget is a setting (``EASRG_API_QPS``): the per-API limit the account has, shared by what
runs in this process.  Other processes on the same account are not seen; their throttling is
answered by the retries of :mod:`alicloud.retry`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

#: Error codes that mean "too many requests", whatever the product.
THROTTLE_CODES = ("Throttling", "WriteQuotaExceed", "ReadQuotaExceed", "QPS Limit Exceeded")


def is_throttle(code: str) -> bool:
    return code.startswith(THROTTLE_CODES)


class Pacer:
    """Per-key schedules of ``qps`` requests per second with a burst of ``qps``."""

    def __init__(
        self,
        qps: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if qps < 0:
            raise ValueError(f"qps must be 0 (no pacing) or positive, not {qps}")
        self.qps = qps
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        #: per key, the theoretical time of the next request once the burst is spent
        self._next: dict[str, float] = {}
        #: per key, the rate in force (below ``qps`` after throttle answers)
        self._rate: dict[str, float] = {}

    @property
    def enabled(self) -> bool:
        return self.qps > 0

    def reserve(self, key: str) -> float:
        """Reserve the next slot for ``key``; the seconds to wait before sending (0 when free)."""
        if not self.enabled:
            return 0.0
        with self._lock:
            interval, burst = self._shape(key)
            now = self._clock()
            due = max(self._next.get(key, now), now)
            self._next[key] = due + interval
            wait = due - (burst - 1.0) * interval - now
        return wait if wait > 1e-6 else 0.0  # (float sums of intervals drift by ~1e-14)

    def acquire(self, key: str) -> float:
        """Wait for a slot for ``key``; returns the seconds waited."""
        wait = self.reserve(key)
        if wait > 0:
            self._sleep(wait)
        return wait

    def hold(self, key: str, seconds: float | None) -> None:
        """A request of ``key`` was throttled: no slot for ``seconds`` (one interval if unsaid)."""
        if not self.enabled:
            return
        with self._lock:
            self._rate[key] = max(self.rate(key) * 0.75, self.qps / 16)
            interval, burst = self._shape(key)
            pause = seconds if seconds and seconds > 0 else interval
            now = self._clock()
            # the next slot opens after the pause, with the burst spent
            resume = now + pause + (burst - 1.0) * interval
            self._next[key] = max(self._next.get(key, now), resume)

    def ease(self, key: str) -> None:
        """A request of ``key`` was not throttled: win back a little of the rate."""
        if self.enabled and key in self._rate:
            with self._lock:
                rate = self._rate.get(key, self.qps) + self.qps / 20
                if rate >= self.qps:
                    self._rate.pop(key, None)
                else:
                    self._rate[key] = rate

    def rate(self, key: str) -> float:
        """The rate in force for ``key`` (requests per second)."""
        return self._rate.get(key, self.qps)

    def _shape(self, key: str) -> tuple[float, float]:
        """Interval between requests and burst size, at the rate in force (under the lock)."""
        rate = self.rate(key)
        return 1.0 / rate, max(rate, 1.0)


_SHARED: dict[float, Pacer] = {}
_SHARED_LOCK = threading.Lock()


def shared_pacer(qps: float) -> Pacer:
    """The process-wide pacer for a budget (one per distinct ``qps``)."""
    with _SHARED_LOCK:
        if qps not in _SHARED:
            _SHARED[qps] = Pacer(qps)
        return _SHARED[qps]
