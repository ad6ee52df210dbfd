"""The request log behind ``GET /_emulator/calls``: who called what, and how it ended."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

READ_PREFIXES = ("Get", "List", "Describe", "Check")
MAX_ENTRIES = 20000


def is_read(action: str, style: str, method: str) -> bool:
    """Reads never change state: Get/List/Describe/Check actions, and every SLS GET."""
    if style == "SLS" and method.upper() == "GET":
        return True
    return action.startswith(READ_PREFIXES)


@dataclass
class CallRecord:
    seq: int
    time: float
    product: str | None
    action: str | None
    principal: str | None
    access_key_id: str | None
    account_id: str | None
    region: str | None
    status: int
    code: str | None  # error code, None on success
    latency_ms: float
    kind: str  # "read" or "mutating"
    request_id: str
    fault: bool = False  # answered by an injected fault or throttle


class CallLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[CallRecord] = []
        self._seq = 0

    def add(self, **fields: Any) -> CallRecord:
        with self._lock:
            self._seq += 1
            record = CallRecord(seq=self._seq, **fields)
            self._entries.append(record)
            if len(self._entries) > MAX_ENTRIES:
                del self._entries[: len(self._entries) - MAX_ENTRIES]
            return record

    def query(
        self, product: str | None = None, action: str | None = None, since: float | None = None
    ) -> list[dict[str, Any]]:
        with self._lock:
            entries = list(self._entries)
        return [
            asdict(e)
            for e in entries
            if (product is None or e.product == product)
            and (action is None or e.action == action)
            and (since is None or e.time >= since)
        ]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
