"""Busy answers of the Prefect API are retried quickly; anything else is raised at once."""

from __future__ import annotations

import httpx
import pytest
from prefect.exceptions import PrefectHTTPStatusError
from prefect.settings import PREFECT_CLIENT_MAX_RETRIES

from blocks import saving
from blocks.saving import busy_retried


def _answer(status: int) -> PrefectHTTPStatusError:
    request = httpx.Request("PATCH", "http://127.0.0.1:4200/api/block_documents/x")
    response = httpx.Response(status, request=request, json={"exception_message": "Service Unavailable"})
    return PrefectHTTPStatusError.from_httpx_error(
        httpx.HTTPStatusError("busy", request=request, response=response)
    )


def test_busy_retried_retries_503_quickly_with_the_client_retries_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []
    slept: list[float] = []
    monkeypatch.setattr(saving.time, "sleep", slept.append)

    def call() -> str:
        seen.append(PREFECT_CLIENT_MAX_RETRIES.value())
        if len(seen) < 3:
            raise _answer(503)
        return "saved"

    assert busy_retried(call) == "saved"
    assert seen == [0, 0, 0]  # the client's own 2 s, 4 s ... retries were not used
    assert slept == [0.05, 0.1]  # 0.15 s of sleeps, far below the client's first 2 s


def test_busy_retried_raises_other_errors_at_once() -> None:
    calls: list[int] = []

    def call() -> None:
        calls.append(1)
        raise _answer(422)

    with pytest.raises(PrefectHTTPStatusError):
        busy_retried(call)
    assert calls == [1]


def test_busy_retried_hands_a_server_that_stays_busy_to_the_client_retries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(saving, "BUSY_RETRY_S", 0.3)
    settings: list[int] = []

    def call() -> str:
        settings.append(PREFECT_CLIENT_MAX_RETRIES.value())
        if settings[-1] == 0:
            raise _answer(503)
        return "saved"

    assert busy_retried(call) == "saved"
    assert settings[-1] == PREFECT_CLIENT_MAX_RETRIES.value() > 0  # the last try: the client's retries
    assert settings.count(0) >= 2


def test_busy_retried_retries_a_dropped_connection_and_a_bad_gateway() -> None:
    request = httpx.Request("POST", "http://127.0.0.1:4200/api/variables/")
    failures: list[Exception] = [httpx.ReadError("Connection reset by peer", request=request), _answer(502)]

    def call() -> str:
        if failures:
            raise failures.pop(0)
        return "saved"

    assert busy_retried(call) == "saved"
    assert failures == []
