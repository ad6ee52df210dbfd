"""The EAS role's key may call only what its RAM policy allows; the owner may call everything."""

from __future__ import annotations

import pytest
from alibabacloud_tea_openapi.exceptions import ClientException
from aliyun.log import LogException

from tests.support.emulator_control import EmulatorControl
from tests.support.sdk import generic_rpc, log_client, tea_config
from tests.support.world import ACCOUNT_ID, REGION, VPC_ID

ECS_VERSION = "2014-05-26"
VPC_VERSION = "2016-04-28"


def _describe_group_attribute(emulator: EmulatorControl, key: str) -> dict[str, object]:
    return generic_rpc(
        tea_config(emulator, key),
        ECS_VERSION,
        "DescribeSecurityGroupAttribute",
        {"RegionId": REGION, "SecurityGroupId": "sg-bp1doesnotexist000000"},
    )


@pytest.mark.parametrize("key", ["eas-role", "eas-role-sts"])
def test_openapi_action_outside_policy_forbidden(emulator: EmulatorControl, key: str) -> None:
    with pytest.raises(ClientException) as raised:
        _describe_group_attribute(emulator, key)
    assert (raised.value.code, raised.value.status_code) == ("Forbidden.RAM", 403)
    assert "ecs:DescribeSecurityGroupAttribute" in raised.value.message
    assert raised.value.access_denied_detail["NoPermissionType"] == "ImplicitDeny"


def test_openapi_action_outside_policy_allowed_for_owner(emulator: EmulatorControl) -> None:
    with pytest.raises(ClientException) as raised:
        _describe_group_attribute(emulator, "owner")
    assert raised.value.status_code != 403  # past authorisation: the handler answered


def test_openapi_action_inside_policy_allowed(emulator: EmulatorControl) -> None:
    body = generic_rpc(
        tea_config(emulator, "eas-role"), VPC_VERSION, "DescribeVpcs", {"RegionId": REGION, "VpcId": VPC_ID}
    )
    assert [v["VpcId"] for v in body["Vpcs"]["Vpc"]] == [VPC_ID]


def test_sls_project_outside_policy_unauthorized(emulator: EmulatorControl) -> None:
    with pytest.raises(LogException) as raised:
        log_client(emulator, key="eas-role").create_project("team-logs", "not an eas- project")
    assert (raised.value.get_error_code(), raised.value.get_resp_status()) == ("Unauthorized", 401)
    assert raised.value.get_error_message() == (
        "denied by sts or ram, action: log:CreateProject, "
        f"resource: acs:log:{REGION}:{ACCOUNT_ID}:project/team-logs"
    )


def test_sls_project_inside_policy_allowed(emulator: EmulatorControl) -> None:
    client = log_client(emulator, key="eas-role")
    client.create_project("eas-policy-probe", "inside the role's scope")
    assert client.get_project("eas-policy-probe").get_projectname() == "eas-policy-probe"


def test_role_key_calls_logged_with_principal(emulator: EmulatorControl) -> None:
    with pytest.raises(ClientException):
        _describe_group_attribute(emulator, "eas-role")
    [call] = emulator.calls(action="DescribeSecurityGroupAttribute")
    assert (call["principal"], call["access_key_id"], call["status"], call["code"]) == (
        "eas-role",
        "LTAI-emulator-eas-role",
        403,
        "Forbidden.RAM",
    )
