"""The per-action Prefect tasks against the emulator: retries only where they can help, the policy
guard before sending, creates that stay single when their answer is lost."""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from prefect import flow
from prefect.settings import PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW, temporary_settings
from prefect.task_runners import ThreadPoolTaskRunner

from alicloud import ecs as ecs_client
from alicloud import privatelink as pl_client
from alicloud.errors import AuthError, InvalidParameterError, PolicyDeniedError
from alicloud.privatelink import ZonePlacement
from blocks.credentials import AlibabaCloudCredentials
from tasks import ecs, privatelink, privatezone, roles, sls, vpc
from tests.integration.alicloud_support import attempts, clients_for
from tests.integration.flows.conftest import credentials_for
from tests.integration.flows.inventory import Inventory
from tests.support.emulator_control import EmulatorControl
from tests.support.world import EAS_SERVICE, ROLE_NAME, VPC_ID, VSWITCH_J, ZONE_J


@pytest.fixture(autouse=True)
def _tasks_outside_flows() -> Iterator[None]:
    """Tasks called on their own have no flow run to send their logs to: that is expected here."""
    with temporary_settings({PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW: "ignore"}):
        yield


def _codes(emulator: EmulatorControl, action: str) -> list[str | None]:
    return [c["code"] for c in attempts(emulator, action)]


# ---- retries ---------------------------------------------------------------------------------------


def test_task_survives_throttling_and_the_log_shows_the_retries(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials
) -> None:
    emulator.add_fault(
        action="DescribeVpcAttribute", code="Throttling.User", status=400, retry_after=100, times=2
    )

    found = vpc.describe_vpc_attribute(vpc_id=VPC_ID, credentials=credentials)

    assert found.vpc_id == VPC_ID
    assert _codes(emulator, "DescribeVpcAttribute") == ["Throttling.User", "Throttling.User", None]


def test_task_survives_a_transient_5xx_and_creates_once(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials
) -> None:
    emulator.add_fault(action="CreateSecurityGroup", code="ServiceUnavailable", status=503, times=1)

    group_id = ecs.create_security_group(
        vpc_id=VPC_ID,
        security_group_name="eas-rg-retried",
        client_token=uuid.uuid4().hex,
        credentials=credentials,
    )

    assert _codes(emulator, "CreateSecurityGroup") == ["ServiceUnavailable", None]
    groups = [g for g in Inventory(emulator).regional["ecs"]["groups"] if g["name"] == "eas-rg-retried"]
    assert [g["security_group_id"] for g in groups] == [group_id]


def test_task_retries_in_prefect_when_the_call_layer_gave_up_on_a_transient_error(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EASRG_RETRY_DEADLINE_S", "0.01")  # no time left for a retry inside the call
    emulator.add_fault(action="DescribeVSwitchAttributes", code="ServiceUnavailable", status=503, times=1)

    state = vpc.describe_vswitch_attributes(vswitch_id=VSWITCH_J, credentials=credentials, return_state=True)

    assert state.is_completed() and state.result().zone_id == ZONE_J
    assert _codes(emulator, "DescribeVSwitchAttributes") == ["ServiceUnavailable", None]


def test_task_fails_after_one_attempt_on_a_permission_error(emulator: EmulatorControl) -> None:
    role_keys_without_guard = credentials_for(emulator, "eas-role")

    state = roles.get_role(role_name=ROLE_NAME, credentials=role_keys_without_guard, return_state=True)

    assert state.is_failed()
    with pytest.raises(AuthError, match="GetRole"):
        state.result()
    assert _codes(emulator, "GetRole") == ["Forbidden.RAM"]


def test_task_fails_after_one_attempt_on_a_parameter_error(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials
) -> None:
    state = ecs.create_security_group(
        vpc_id=VPC_ID, security_group_name="-not-a-name", credentials=credentials, return_state=True
    )

    assert state.is_failed()
    with pytest.raises(InvalidParameterError):
        state.result()
    assert len(attempts(emulator, "CreateSecurityGroup")) == 1


# ---- the policy guard --------------------------------------------------------------------------------


@pytest.fixture
def as_role(emulator: EmulatorControl) -> AlibabaCloudCredentials:
    return credentials_for(emulator, "eas-role", as_role=True)


def test_guard_refuses_an_action_outside_the_role_before_it_is_sent(
    emulator: EmulatorControl, as_role: AlibabaCloudCredentials
) -> None:
    with pytest.raises(PolicyDeniedError, match="does not allow ram:GetRole"):
        roles.get_role(role_name=ROLE_NAME, credentials=as_role)
    assert emulator.calls() == []


def test_guard_refuses_a_log_project_outside_eas_before_it_is_sent(
    emulator: EmulatorControl, as_role: AlibabaCloudCredentials
) -> None:
    with pytest.raises(
        PolicyDeniedError, match="log:CreateProject on acs:log:cn-hangzhou:\\*:project/team-logs"
    ):
        sls.create_project(project="team-logs", credentials=as_role)
    assert emulator.calls() == []


# ---- creates whose answer is lost (C03) ----------------------------------------------------------------


def test_create_vpc_endpoint_answer_lost_leaves_one_endpoint(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials
) -> None:
    owner = clients_for(emulator)
    pl_client.open_private_link_service(owner)
    group = ecs_client.create_security_group(owner, vpc_id=VPC_ID, security_group_name="eas-rg-lost")
    emulator.add_fault(action="CreateVpcEndpoint", drop_response=True, times=1)

    endpoint = privatelink.create_vpc_endpoint(
        vpc_id=VPC_ID,
        security_group_ids=[group],
        zones=[ZonePlacement(zone_id=ZONE_J, vswitch_id=VSWITCH_J)],
        service_name=EAS_SERVICE,
        endpoint_name="eas-rg-lost",
        client_token=uuid.uuid4().hex,
        credentials=credentials,
    )

    assert [c["fault"] for c in attempts(emulator, "CreateVpcEndpoint")] == [True, False]
    endpoints = Inventory(emulator).regional["privatelink"]["endpoints"]
    assert [e["endpoint_id"] for e in endpoints] == [endpoint.endpoint_id]


def test_add_zone_answer_lost_leaves_one_zone(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials
) -> None:
    emulator.add_fault(action="AddZone", drop_response=True, times=1)

    zone = privatezone.add_zone(
        zone_name="lost.eas.private", client_token=uuid.uuid4().hex, credentials=credentials
    )

    assert [c["fault"] for c in attempts(emulator, "AddZone")] == [True, False]
    assert [z["zone_id"] for z in Inventory(emulator).private_zones("lost.eas.private")] == [zone.zone_id]


# ---- jitter (C11) ---------------------------------------------------------------------------------------


@flow(task_runner=ThreadPoolTaskRunner(max_workers=20))  # type: ignore[arg-type]
def _twenty_reads(credentials: AlibabaCloudCredentials) -> list[Any]:
    futures = [vpc.describe_vpc_attribute.submit(vpc_id=VPC_ID, credentials=credentials) for _ in range(20)]
    return [f.result() for f in futures]


def test_twenty_tasks_throttled_at_once_spread_their_retries(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EASRG_API_QPS", "0")  # no pacing: the retry layer's jitter alone
    emulator.add_fault(
        action="DescribeVpcAttribute", code="Throttling.User", status=400, retry_after=200, times=20
    )

    assert len(_twenty_reads(credentials)) == 20

    calls = attempts(emulator, "DescribeVpcAttribute")
    first = [c["time"] for c in calls if c["fault"]]
    retries = [c["time"] for c in calls if not c["fault"]]
    assert (len(first), len(retries)) == (20, 20)
    # Every retry waited the 0.2 s asked, plus its own jitter: retry = first try + 0.2 + U(0, 0.5),
    # so the retries' variance exceeds the first tries' by the jitter's (0.5**2 / 12 = 0.021).
    assert min(retries) - min(first) >= 0.2
    jitter = statistics.pvariance(retries) - statistics.pvariance(first)
    print(f"\nC11: spread of first tries {statistics.pstdev(first):.3f} s, added by jitter {jitter:.4f} s^2")
    assert jitter > 0.005
