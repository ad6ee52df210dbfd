"""A small client of the emulator's control API (``/_emulator/...``), for tests and demos."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests


class EmulatorControlError(Exception):
    def __init__(self, status: int, body: Any):
        super().__init__(f"control API answered {status}: {body}")
        self.status = status
        self.body = body


class EmulatorControl:
    def __init__(self, url: str):
        self.url = url.rstrip("/")
        parts = urlsplit(self.url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = int(parts.port or 80)
        self._session = requests.Session()
        self._session.trust_env = False  # never through a proxy

    def _call(self, method: str, path: str, payload: Any = None, params: dict[str, Any] | None = None) -> Any:
        response = self._session.request(
            method, f"{self.url}/_emulator/{path}", json=payload, params=params, timeout=30
        )
        body = response.json()
        if response.status_code >= 400:
            raise EmulatorControlError(response.status_code, body)
        return body

    def health(self) -> dict[str, Any]:
        return dict(self._call("GET", "health"))

    def reset(self) -> None:
        self._call("POST", "reset")

    def state(self) -> dict[str, Any]:
        """``{account id or "global": {region or "account": {product: store dump}}}``."""
        return dict(self._call("GET", "state")["accounts"])

    def calls(self, **filters: Any) -> list[dict[str, Any]]:
        """The request log; filters: ``product``, ``action``, ``since`` (epoch seconds)."""
        return list(self._call("GET", "calls", params=filters)["calls"])

    def clear_calls(self) -> None:
        self._call("DELETE", "calls")

    def pace(self) -> dict[str, Any]:
        return dict(self._call("GET", "pace"))

    def set_pace(self, name: str, **overrides: float) -> dict[str, Any]:
        return dict(self._call("POST", "pace", {"pace": name, "overrides": overrides}))

    def add_fault(self, **rule: Any) -> list[dict[str, Any]]:
        return list(self._call("POST", "faults", [rule])["faults"])

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def throttle(self, action: str, qps: float) -> None:
        self._call("POST", "throttle", {"action": action, "qps": qps})

    def clear_throttle(self) -> None:
        self._call("DELETE", "throttle")

    def admin(self, product: str, op: str, **kwargs: Any) -> Any:
        return self._call("POST", f"admin/{product}/{op}", kwargs)

    def clock(self) -> float:
        return float(self._call("GET", "clock")["time"])
