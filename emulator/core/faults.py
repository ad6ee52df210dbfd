"""Fault injection and per-account QPS throttling, configured through the control API.

A fault rule (``POST /_emulator/faults``, a list of these)::

    {"action": "CreateVpcEndpoint" | "*", "product": "privatelink" (optional),
     "code": "ServiceUnavailable", "status": 503, "message": "...", "retry_after": ms (optional),
     "times": 1  |  "rate": 0.25,          # how often it fires (default: once)
     "latency": 0.5,                       # seconds added before the call runs
     "hang": 30,                           # sleep that long, then answer normally
     "drop_response": true}                # run the handler, then close without answering

The first matching rule that still has shots left fires.  Throttles (``POST
/_emulator/throttle``) are token buckets per (account, action or ``*``) with burst = qps.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from emulator.core.api import ApiError

FAULT_FIELDS = {
    "action",
    "product",
    "code",
    "status",
    "message",
    "times",
    "rate",
    "latency",
    "hang",
    "drop_response",
    "retry_after",
}


@dataclass
class FaultRule:
    action: str = "*"
    product: str | None = None
    code: str | None = None
    status: int | None = None
    message: str | None = None
    times: int | None = None
    rate: float | None = None
    latency: float = 0.0
    hang: float = 0.0
    drop_response: bool = False
    retry_after: int | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> FaultRule:
        unknown = set(raw) - FAULT_FIELDS
        if unknown:
            raise ValueError(f"unknown fault fields {sorted(unknown)}; known: {sorted(FAULT_FIELDS)}")
        rule = cls(**raw)
        if rule.times is None and rule.rate is None:
            rule.times = 1
        if rule.rate is not None and not 0.0 <= float(rule.rate) <= 1.0:
            raise ValueError("rate must be between 0.0 and 1.0")
        if not (rule.code or rule.latency or rule.hang or rule.drop_response):
            raise ValueError("a fault needs a code, a latency, a hang or drop_response")
        return rule

    def matches(self, product: str | None, action: str | None) -> bool:
        if self.product is not None and self.product != product:
            return False
        return self.action == "*" or self.action == action

    def error(self) -> ApiError:
        assert self.code is not None
        headers = {"x-acs-retry-after": str(int(self.retry_after))} if self.retry_after else {}
        return ApiError(
            self.code, self.message or f"Injected fault {self.code}.", int(self.status or 500), headers
        )

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, 0.0, False)} | {
            "action": self.action
        }


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._random = random.Random()

    def add(self, raw_rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        parsed = [FaultRule.parse(r) for r in raw_rules]
        with self._lock:
            self._rules.extend(parsed)
            return [r.describe() for r in self._rules]

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.describe() for r in self._rules]

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def take(self, product: str | None, action: str | None) -> FaultRule | None:
        """The rule that fires for this call, its shot consumed; None when nothing fires."""
        with self._lock:
            for rule in self._rules:
                if not rule.matches(product, action):
                    continue
                if rule.times is not None:
                    if rule.times <= 0:
                        continue
                    rule.times -= 1
                    self._rules = [r for r in self._rules if r.times is None or r.times > 0]
                    return rule
                if self._random.random() < float(rule.rate or 0.0):
                    return rule
            return None


@dataclass
class _Bucket:
    qps: float
    tokens: float
    updated: float = field(default_factory=time.monotonic)

    def take(self, now: float) -> float:
        """0 when a token was taken, else the seconds until the next token."""
        self.tokens = min(self.qps, self.tokens + (now - self.updated) * self.qps)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.qps


class Throttles:
    """QPS budgets per action (or ``*`` for all) per account."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._limits: dict[str, float] = {}
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def set(self, action: str, qps: float) -> dict[str, float]:
        if qps <= 0:
            raise ValueError("qps must be positive")
        with self._lock:
            self._limits[action] = float(qps)
            self._buckets = {k: b for k, b in self._buckets.items() if k[1] != action}
            return dict(self._limits)

    def limits(self) -> dict[str, float]:
        with self._lock:
            return dict(self._limits)

    def clear(self) -> None:
        with self._lock:
            self._limits.clear()
            self._buckets.clear()

    def check(self, account_id: str, action: str) -> int | None:
        """None when allowed; else the milliseconds the caller should wait."""
        now = time.monotonic()
        with self._lock:
            for key in (action, "*"):
                qps = self._limits.get(key)
                if qps is None:
                    continue
                bucket = self._buckets.setdefault((account_id, key), _Bucket(qps, qps, now))
                wait = bucket.take(now)
                if wait > 0:
                    return max(1, math.ceil(wait * 1000))
            return None


def openapi_throttled(retry_after_ms: int) -> ApiError:
    return ApiError(
        "Throttling.User",
        "Request was denied due to user flow control.",
        400,
        {"x-acs-retry-after": str(retry_after_ms)},
    )


def sls_throttled(is_read: bool, qps: float | None) -> ApiError:
    """SLS reports project QPS limits as 403 ``WriteQuotaExceed`` / ``ReadQuotaExceed``."""
    kind = "read" if is_read else "write"
    code = "ReadQuotaExceed" if is_read else "WriteQuotaExceed"
    limit = f"{qps:g}" if qps else "?"
    return ApiError(code, f"Project {kind} quota exceed: qps: {limit}", 403)
