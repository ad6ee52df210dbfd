"""The webhook receiver's decisions, as a pure function of the request (no sockets, no Prefect)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from flows.webhook import PATH, TOLERANCE_S, Replays, Response, handle, make_server, sign

SECRET = "unit-test-webhook-secret"
DEPLOYMENT = "onboard-resource-group/onboard-resource-group"
NOW = 1_750_000_000.0
EXAMPLE = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "examples" / "resource-group.yaml").read_text()
)


class Starts:
    """A stand-in for run_deployment: records calls, answers a run id or raises."""

    def __init__(self, error: Exception | None = None):
        self.calls: list[tuple[str, dict[str, Any], str]] = []
        self.error = error

    def __call__(self, deployment: str, params: dict[str, Any], delivery: str) -> str:
        self.calls.append((deployment, params, delivery))
        if self.error is not None:
            raise self.error
        return f"run-{len(self.calls)}"


def body_of(**data: Any) -> bytes:
    return json.dumps(data).encode()


def headers_for(
    body: bytes, delivery: str = "d-1", timestamp: float = NOW, secret: str = SECRET
) -> dict[str, str]:
    stamp = str(int(timestamp))
    return {
        "content-type": "application/json",
        "x-easrg-delivery": delivery,
        "x-easrg-timestamp": stamp,
        "x-easrg-signature": sign(secret, stamp, delivery, body),
    }


def deliver(
    body: bytes,
    headers: dict[str, str] | None = None,
    *,
    starts: Starts | None = None,
    replays: Replays | None = None,
    method: str = "POST",
    path: str = PATH,
    now: float = NOW,
) -> Response:
    return handle(
        method,
        path,
        headers if headers is not None else headers_for(body),
        body,
        secret=SECRET,
        deployment=DEPLOYMENT,
        replays=replays or Replays(),
        start=starts or Starts(),
        now=now,
    )


def test_handle_valid_delivery_starts_run_with_delivery_as_key() -> None:
    starts = Starts()
    response = deliver(body_of(spec=EXAMPLE), starts=starts)

    assert response == Response(202, {"flow_run_id": "run-1", "deployment": DEPLOYMENT, "delivery": "d-1"})
    ((deployment, params, key),) = starts.calls
    assert (deployment, key) == (DEPLOYMENT, "d-1")
    assert params["dry_run"] is False
    assert params["spec"]["name"] == "demo" and params["spec"]["vpc_id"] == EXAMPLE["vpc_id"]


def test_handle_dry_run_is_passed_on() -> None:
    starts = Starts()
    deliver(body_of(spec=EXAMPLE, dry_run=True), starts=starts)
    assert starts.calls[0][1]["dry_run"] is True


def test_handle_wrong_signature_is_401() -> None:
    body = body_of(spec=EXAMPLE)
    starts = Starts()
    response = deliver(body, headers_for(body, secret="another-secret-of-16+"), starts=starts)
    assert response.status == 401
    assert "signature does not match" in response.body["error"]
    assert starts.calls == []


def test_handle_body_changed_after_signing_is_401() -> None:
    body = body_of(spec=EXAMPLE)
    response = deliver(body_of(spec=EXAMPLE, dry_run=True), headers_for(body))
    assert response.status == 401


def test_handle_delivery_id_changed_after_signing_is_401() -> None:
    body = body_of(spec=EXAMPLE)
    headers = {**headers_for(body, delivery="d-1"), "x-easrg-delivery": "d-2"}
    assert deliver(body, headers).status == 401


def test_handle_missing_signature_headers_is_401() -> None:
    body = body_of(spec=EXAMPLE)
    response = deliver(body, {"content-type": "application/json"})
    assert (response.status, response.body["error"]) == (
        401,
        "missing X-Easrg-Delivery, X-Easrg-Timestamp or X-Easrg-Signature header",
    )


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        (-(TOLERANCE_S + 1), f"{TOLERANCE_S + 1} s in the past"),
        (TOLERANCE_S + 1, f"{TOLERANCE_S + 1} s in the future"),
    ],
)
def test_handle_timestamp_outside_tolerance_is_401(offset: int, words: str) -> None:
    body = body_of(spec=EXAMPLE)
    response = deliver(body, headers_for(body, timestamp=NOW + offset))
    assert response.status == 401
    assert f"timestamp is {words}; at most {TOLERANCE_S} s" in response.body["error"]


def test_handle_upper_case_hex_signature_is_accepted() -> None:
    body = body_of(spec=EXAMPLE)
    headers = headers_for(body)
    headers["x-easrg-signature"] = "sha256=" + headers["x-easrg-signature"].removeprefix("sha256=").upper()
    assert deliver(body, headers).status == 202


def test_handle_missing_deployment_is_502_saying_how_to_create_it() -> None:
    from prefect.exceptions import ObjectNotFound

    response = deliver(body_of(spec=EXAMPLE), starts=Starts(ObjectNotFound(None)))
    assert response.status == 502
    assert f"no deployment {DEPLOYMENT} on the Prefect server" in response.body["error"]
    assert "make deploy" in response.body["error"]


def test_handle_replayed_delivery_is_409_naming_first_run() -> None:
    replays, starts = Replays(), Starts()
    body = body_of(spec=EXAMPLE)
    first = deliver(body, starts=starts, replays=replays)
    again = deliver(body, starts=starts, replays=replays, now=NOW + 10)

    assert (first.status, again.status) == (202, 409)
    assert again.body == {"error": "delivery d-1 was already received", "flow_run_id": "run-1"}
    assert len(starts.calls) == 1


def test_handle_delivery_id_is_forgotten_after_the_window() -> None:
    replays = Replays(window_s=60)
    assert replays.claim("d-1", NOW) is None
    assert replays.claim("d-2", NOW + 61) is None
    assert replays.claim("d-1", NOW + 62) is None


def test_handle_failed_start_lets_sender_retry_same_delivery() -> None:
    replays = Replays()
    body = body_of(spec=EXAMPLE)
    failed = deliver(body, starts=Starts(ConnectionError("server down")), replays=replays)
    retried = deliver(body, starts=Starts(), replays=replays)

    assert failed.status == 502
    assert "ConnectionError: server down" in failed.body["error"]
    assert retried.status == 202


def test_handle_unknown_field_is_400_naming_it() -> None:
    starts = Starts()
    response = deliver(body_of(spec=EXAMPLE, credentials_block="prod-owner"), starts=starts)
    assert response.status == 400
    assert response.body["field"] == "credentials_block"
    assert "unknown field(s): credentials_block" in response.body["error"]
    assert starts.calls == []


def test_handle_invalid_spec_is_400_naming_the_field() -> None:
    spec = {**EXAMPLE, "vpc_id": "not-a-vpc"}
    response = deliver(body_of(spec=spec))
    assert response.status == 400
    assert response.body["field"] == "spec.vpc_id"
    assert response.body["error"].startswith("spec.vpc_id: 'not-a-vpc' is not a VPC id")


def test_handle_unknown_spec_field_is_400_naming_it() -> None:
    response = deliver(body_of(spec={**EXAMPLE, "vpcid": "vpc-x"}))
    assert (response.status, response.body["field"]) == (400, "spec.vpcid")


def test_handle_missing_spec_is_400() -> None:
    response = deliver(body_of(dry_run=True))
    assert response == Response(400, {"error": "spec: required", "field": "spec"})


def test_handle_non_boolean_dry_run_is_400() -> None:
    response = deliver(body_of(spec=EXAMPLE, dry_run="yes"))
    assert (response.status, response.body["field"]) == (400, "dry_run")


def test_handle_body_not_json_is_400() -> None:
    assert deliver(b"spec: {}").body == {"error": "body is not JSON"}


def test_handle_wrong_content_type_is_415() -> None:
    body = body_of(spec=EXAMPLE)
    headers = {**headers_for(body), "content-type": "text/plain"}
    assert deliver(body, headers).status == 415


def test_handle_oversized_body_is_413() -> None:
    body = b" " * (256 * 1024 + 1)
    assert deliver(body).status == 413


@pytest.mark.parametrize(("method", "path", "status"), [("GET", PATH, 405), ("POST", "/other", 404)])
def test_handle_other_route_is_refused(method: str, path: str, status: int) -> None:
    body = body_of(spec=EXAMPLE)
    assert deliver(body, method=method, path=path).status == status


def test_make_server_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 characters"):
        make_server("127.0.0.1", 0, "short", DEPLOYMENT)
