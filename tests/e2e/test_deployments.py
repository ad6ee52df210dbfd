"""prefect.yaml end to end: a real Prefect server, deployments, a process worker, the emulator.

Runs reach Completed through each way a deployment starts: run_deployment, the webhook
receiver (signed delivery, replay refused) and the onboarding event trigger (templates checked
by the run they create).  The scheduled health check is run on demand with the deployment's
own parameters.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings

from blocks.credentials import AlibabaCloudCredentials
from flows.local_cloud import LocalEmulator
from flows.spec import load_spec
from flows.webhook import PATH, make_server, sign
from tests.e2e.stack import CREDENTIALS_BLOCK, ROOT, Stack, prefect_stack
from tests.support.polling import wait_until
from tests.support.world import KEYS, REGION

pytestmark = pytest.mark.e2e

ONBOARD = "onboard-resource-group/onboard-resource-group"
HEALTH = "check-resource-group-health/check-resource-group-health"
EXAMPLE = ROOT / "examples" / "resource-group.yaml"
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@pytest.fixture(scope="module")
def local_emulator() -> Iterator[LocalEmulator]:
    with LocalEmulator(pace="instant") as emu:
        yield emu


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, local_emulator: LocalEmulator) -> Iterator[Stack]:
    with prefect_stack(tmp_path_factory.mktemp("e2e")) as started:
        with temporary_settings({PREFECT_API_URL: started.api_url}):
            key, secret, _ = KEYS["owner"]
            AlibabaCloudCredentials(
                access_key_id=key, access_key_secret=secret, endpoint=local_emulator.url, region_id=REGION
            ).save(CREDENTIALS_BLOCK, overwrite=True)
        yield started


@pytest.fixture
def api(stack: Stack) -> Iterator[Stack]:
    """The test's own Prefect client calls go to the stack's server."""
    with temporary_settings({PREFECT_API_URL: stack.api_url}):
        yield stack


def example() -> dict[str, Any]:
    return load_spec(EXAMPLE).model_dump(mode="json")


def final_state(stack: Stack, flow_run_id: Any, timeout: float = 90.0) -> Any:
    """The flow run once it is final; a timeout fails with the processes' output."""

    def done() -> Any:
        with get_client(sync_client=True) as client:
            run = client.read_flow_run(flow_run_id)
        return run if run.state is not None and run.state.type.value in FINAL else None

    try:
        return wait_until(done, timeout=timeout, interval=0.5, message=f"flow run {flow_run_id}")
    except AssertionError as error:
        pytest.fail(f"{error}\n{stack.logs()}")


def assert_completed(stack: Stack, run: Any) -> None:
    if run.state.type.value != "COMPLETED":
        pytest.fail(f"flow run {run.name} ended {run.state.name}: {run.state.message}\n{stack.logs()}")


def endpoints(emulator: LocalEmulator) -> dict[str, str]:
    accounts = emulator.control("state")["accounts"]
    stores = [regions[REGION]["privatelink"] for regions in accounts.values() if REGION in regions]
    return {e["endpoint_name"]: e["status"] for store in stores for e in store["endpoints"]}


def test_deployments_onboard_then_health_check_complete(api: Stack, local_emulator: LocalEmulator) -> None:
    onboarding = run_deployment(ONBOARD, parameters={"spec": example()}, timeout=0)
    assert_completed(api, final_state(api, onboarding.id))
    assert endpoints(local_emulator) == {f"eas-rg-demo-{key}": "Active" for key in ("pai-eas", "log", "cr")}

    health = run_deployment(HEALTH, timeout=0)  # the scheduled parameters: the demo group
    assert_completed(api, final_state(api, health.id))


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_webhook_delivery_starts_onboarding_once(api: Stack) -> None:
    secret = "e2e-webhook-secret-0123456789"
    server = make_server("127.0.0.1", 0, secret, ONBOARD)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}{PATH}"
        body = json.dumps({"spec": example()}).encode()
        delivery, stamp = f"e2e-{uuid.uuid4()}", str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Easrg-Delivery": delivery,
            "X-Easrg-Timestamp": stamp,
            "X-Easrg-Signature": sign(secret, stamp, delivery, body),
        }
        status, answer = _post(url, body, headers)
        assert status == 202, answer
        again = _post(url, body, headers)
    finally:
        server.shutdown()
        server.server_close()

    assert again == (
        409,
        {"error": f"delivery {delivery} was already received", "flow_run_id": answer["flow_run_id"]},
    )
    assert_completed(api, final_state(api, answer["flow_run_id"]))


def _onboarding_runs(deployment_id: Any) -> set[str]:
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
        )
    return {str(r.id) for r in runs}


def test_onboard_event_trigger_starts_run_with_payload_spec(api: Stack) -> None:
    with get_client(sync_client=True) as client:
        deployment_id = client.read_deployment_by_name(ONBOARD).id
    before = _onboarding_runs(deployment_id)
    event = {
        "id": str(uuid.uuid4()),
        "occurred": datetime.now(UTC).isoformat(),
        "event": "easrg.onboard.requested",
        "resource": {"prefect.resource.id": "easrg.webhook.e2e"},
        "payload": {"spec": example()},
    }
    api.api("POST", "events", [event])

    try:
        (run_id,) = wait_until(
            lambda: _onboarding_runs(deployment_id) - before,
            timeout=60,
            interval=0.5,
            message="a run started by the trigger",
        )
    except AssertionError as error:
        pytest.fail(f"{error}: the trigger made no run (see prefect.automation.action.failed)\n{api.logs()}")
    run = final_state(api, run_id)
    assert_completed(api, run)
    assert run.parameters == {"spec": example(), "credentials_block": CREDENTIALS_BLOCK, "dry_run": False}


def test_deployments_one_per_flow_health_check_every_15_minutes(api: Stack) -> None:
    with get_client(sync_client=True) as client:
        deployments = {f"{client.read_flow(d.flow_id).name}/{d.name}": d for d in client.read_deployments()}
    assert set(deployments) == {
        ONBOARD,
        HEALTH,
        "teardown-resource-group/teardown-resource-group",
        "delete-service-linked-role/delete-service-linked-role",
    }
    assert {d.work_pool_name for d in deployments.values()} == {"easrg-process"}
    schedules = [(s.schedule.cron, s.schedule.timezone, s.active) for s in deployments[HEALTH].schedules]
    assert schedules == [("*/15 * * * *", "UTC", True)]
