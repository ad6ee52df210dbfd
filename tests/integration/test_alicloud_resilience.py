"""The client layer on faults, over the wire: retries, single attempts, guard, proxies, timeouts."""

from __future__ import annotations

import socket
import time

import pytest

from alicloud import ecs, privatelink, sls, vpc
from alicloud.clients import Clients
from alicloud.credentials import CredentialValues
from alicloud.errors import AuthError, InvalidParameterError, PolicyDeniedError, TransientError
from alicloud.settings import Settings
from tests.integration.alicloud_support import attempts, clients_for, sls_state, unique
from tests.support.emulator_control import EmulatorControl
from tests.support.polling import wait_until
from tests.support.world import KEYS, VPC_ID

DEAD_PROXY = "http://127.0.0.1:9"


@pytest.fixture
def clients(emulator: EmulatorControl) -> Clients:
    return clients_for(emulator)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unreachable_clients() -> Clients:
    access_key_id, secret, _ = KEYS["owner"]
    settings = Settings(endpoint=f"http://127.0.0.1:{_closed_port()}", retry_deadline_s=2.0)
    return Clients(settings, CredentialValues(access_key_id=access_key_id, access_key_secret=secret))


def test_call_survives_throttling_with_retry_after(emulator: EmulatorControl, clients: Clients) -> None:
    emulator.add_fault(action="DescribeVpcs", code="Throttling.User", status=400, retry_after=200, times=2)

    found = vpc.describe_vpcs(clients, vpc_ids=[VPC_ID])

    assert [v.vpc_id for v in found] == [VPC_ID]
    assert [c["code"] for c in attempts(emulator, "DescribeVpcs")] == [
        "Throttling.User",
        "Throttling.User",
        None,
    ]


def test_call_survives_throttling_reported_only_by_its_code(
    emulator: EmulatorControl, clients: Clients
) -> None:
    emulator.add_fault(action="DescribeVSwitches", code="Throttling", status=400, times=1)

    assert vpc.describe_vswitches(clients, vpc_id=VPC_ID)
    assert [c["code"] for c in attempts(emulator, "DescribeVSwitches")] == ["Throttling", None]


def test_calls_survive_a_qps_limit(emulator: EmulatorControl, clients: Clients) -> None:
    emulator.throttle("DescribeVSwitchAttributes", qps=2)

    zones = {
        vpc.describe_vswitch_attributes(clients, vswitch_id=v).zone_id
        for v in ("vsw-bp1easrg0demo00000j1", "vsw-bp1easrg0demo00000k1") * 3
    }

    assert zones == {"cn-hangzhou-j", "cn-hangzhou-k"}
    codes = [c["code"] for c in attempts(emulator, "DescribeVSwitchAttributes")]
    assert codes.count(None) == 6 and "Throttling.User" in codes


def test_call_survives_a_transient_5xx(emulator: EmulatorControl, clients: Clients) -> None:
    emulator.add_fault(action="CreateSecurityGroup", code="ServiceUnavailable", status=503, times=1)

    group_id = ecs.create_security_group(
        clients, vpc_id=VPC_ID, security_group_name="eas-rg-sg", client_token="sg-5xx"
    )

    assert [
        g["security_group_id"] for g in emulator.state()["1748290035126730"]["cn-hangzhou"]["ecs"]["groups"]
    ] == [group_id]
    assert [c["status"] for c in attempts(emulator, "CreateSecurityGroup")] == [503, 200]


def test_sls_call_survives_a_write_quota_throttle(emulator: EmulatorControl, clients: Clients) -> None:
    emulator.add_fault(product="sls", action="CreateProject", code="WriteQuotaExceed", status=403, times=1)
    name = unique("eas-rg")

    sls.create_project(clients, project=name)

    assert name in sls_state(emulator)["projects"]
    assert [c["code"] for c in attempts(emulator, "CreateProject")] == ["WriteQuotaExceed", None]


def test_permission_error_fails_after_one_attempt(emulator: EmulatorControl, clients: Clients) -> None:
    group_id = ecs.create_security_group(clients, vpc_id=VPC_ID, security_group_name="eas-rg-sg")
    role = clients_for(emulator, "eas-role")  # the role's keys, without the local guard

    with pytest.raises(AuthError) as raised:
        ecs.describe_security_group_attribute(role, security_group_id=group_id)

    assert raised.value.code == "Forbidden.RAM"
    assert len(attempts(emulator, "DescribeSecurityGroupAttribute")) == 1


def test_parameter_error_fails_after_one_attempt(emulator: EmulatorControl, clients: Clients) -> None:
    with pytest.raises(InvalidParameterError) as raised:
        ecs.create_security_group(clients, vpc_id=VPC_ID, security_group_name="-not-a-valid-name")

    assert raised.value.code == "InvalidSecurityGroupName.Malformed"
    assert len(attempts(emulator, "CreateSecurityGroup")) == 1


def test_guard_refuses_an_action_outside_the_role_before_sending(emulator: EmulatorControl) -> None:
    role = clients_for(emulator, "eas-role-sts", as_role=True)

    with pytest.raises(PolicyDeniedError) as raised:
        privatelink.list_vpc_endpoint_services_by_end_user(role)

    assert "privatelink:ListVpcEndpointServicesByEndUser" in str(raised.value)
    assert emulator.calls() == []


def test_guard_refuses_a_log_project_outside_the_role_scope_before_sending(emulator: EmulatorControl) -> None:
    role = clients_for(emulator, "eas-role-sts", as_role=True)

    with pytest.raises(PolicyDeniedError) as raised:
        sls.create_project(role, project="team-logs")

    assert "acs:log:cn-hangzhou:*:project/team-logs" in str(raised.value)
    assert emulator.calls() == [] and "team-logs" not in sls_state(emulator)["projects"]


def test_guard_lets_the_role_create_an_eas_project(emulator: EmulatorControl) -> None:
    role = clients_for(emulator, "eas-role-sts", as_role=True)
    name = unique("eas-rg")

    sls.create_project(role, project=name)

    assert sls_state(emulator)["projects"][name]["owner"] == "1748290035126730"


def test_proxy_in_the_environment_does_not_hijack_tea_calls(
    emulator: EmulatorControl, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, DEAD_PROXY)

    found = vpc.describe_vpcs(clients_for(emulator), vpc_ids=[VPC_ID])

    assert [v.vpc_id for v in found] == [VPC_ID]


def test_proxy_in_the_environment_does_not_hijack_sls_calls(
    emulator: EmulatorControl, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, DEAD_PROXY)
    name = unique("eas-rg")

    sls.create_project(clients_for(emulator), project=name)

    assert name in sls_state(emulator)["projects"]


def test_tea_read_timeout_is_retried(emulator: EmulatorControl) -> None:
    clients = clients_for(emulator, read_timeout_s=0.5)
    emulator.add_fault(action="DescribeVpcs", hang=2.0, times=1)

    found = vpc.describe_vpcs(clients, vpc_ids=[VPC_ID])

    assert [v.vpc_id for v in found] == [VPC_ID]
    wait_until(lambda: len(attempts(emulator, "DescribeVpcs")) == 2, message="both attempts logged")


def test_sls_read_timeout_is_retried(emulator: EmulatorControl) -> None:
    clients = clients_for(emulator, read_timeout_s=0.5)
    name = unique("eas-rg")
    sls.create_project(clients, project=name)
    emulator.add_fault(product="sls", action="GetProject", hang=2.0, times=1)

    assert sls.get_project(clients, project=name).project_name == name
    wait_until(lambda: len(attempts(emulator, "GetProject")) == 2, message="both attempts logged")


def test_unreachable_tea_endpoint_fails_within_the_retry_deadline() -> None:
    started = time.monotonic()

    with pytest.raises(TransientError) as raised:
        vpc.describe_vpcs(_unreachable_clients())

    assert raised.value.code == "Transport.Connection"
    assert time.monotonic() - started < 5


def test_unreachable_sls_endpoint_fails_within_the_retry_deadline_not_the_sdks_ten_seconds() -> None:
    started = time.monotonic()

    with pytest.raises(TransientError) as raised:
        sls.get_project(_unreachable_clients(), project="eas-rg-demo")

    assert raised.value.code == "Transport.Connection"
    assert time.monotonic() - started < 5
