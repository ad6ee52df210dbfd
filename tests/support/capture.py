"""Capture what an SDK puts on the wire, and replay it (optionally tampered) with ``requests``.

Both the Tea SDK (through darabonba) and the SLS SDK send through ``requests.Session.send``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import requests


@contextmanager
def captured_requests() -> Iterator[list[requests.PreparedRequest]]:
    captured: list[requests.PreparedRequest] = []
    original = requests.Session.send

    def send(self: requests.Session, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        captured.append(request.copy())
        return original(self, request, **kwargs)

    with mock.patch.object(requests.Session, "send", send):
        yield captured


def replay(
    request: requests.PreparedRequest,
    *,
    url: str | None = None,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> requests.Response:
    """Send ``request`` again, with the given parts replaced."""
    again = request.copy()
    if url is not None:
        again.url = url
    if headers:
        again.headers.update(headers)
    if body is not None:
        again.body = body
        again.headers["Content-Length"] = str(len(body))
    with requests.Session() as session:
        session.trust_env = False
        return session.send(again, timeout=10)


def flip_byte(text: str | bytes, index: int) -> Any:
    """The same text with the byte at ``index`` changed (a one-byte tamper)."""
    raw = bytearray(text.encode("utf-8") if isinstance(text, str) else text)
    raw[index] = ord("x") if raw[index] != ord("x") else ord("y")
    return raw.decode("utf-8") if isinstance(text, str) else bytes(raw)
