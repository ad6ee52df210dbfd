"""The policy guard against the EAS role's policy document, and that a refused call is never sent."""

from __future__ import annotations

import pytest

from alicloud.clients import Clients
from alicloud.credentials import CredentialValues
from alicloud.errors import AuthError, PolicyDeniedError
from alicloud.guard import PolicyGuard, log_resource
from alicloud.invoke import Operation, invoke
from alicloud.settings import Settings
from policies import load_role_policy, role_actions

ROLE = PolicyGuard.for_eas_role()


def test_role_actions_are_the_48_of_the_published_role() -> None:
    actions = role_actions()

    assert len(actions) == 48 and len(set(actions)) == 48


@pytest.mark.parametrize("action", [a for a in role_actions() if not a.startswith("log:")])
def test_allows_every_non_log_role_action_on_any_resource(action: str) -> None:
    assert ROLE.allows(action, "*")


@pytest.mark.parametrize("action", [a for a in role_actions() if a.startswith("log:")])
def test_allows_every_log_role_action_on_an_eas_project(action: str) -> None:
    assert ROLE.allows(action, log_resource("cn-hangzhou", "eas-rg-demo", logstore="eas-logs"))


@pytest.mark.parametrize(
    "action",
    [
        "privatelink:ListVpcEndpointServicesByEndUser",
        "ecs:DescribeSecurityGroupAttribute",
        "pvtz:DescribeZoneInfo",
        "ram:CreateServiceLinkedRole",
        "log:RemoveConfigFromGroup",
        "vpc:CreateVpc",
    ],
)
def test_refuses_actions_outside_the_role(action: str) -> None:
    assert not ROLE.allows(action, "*")


def test_allows_log_actions_on_children_of_an_eas_project_because_star_crosses_slashes() -> None:
    resource = log_resource("cn-hangzhou", "eas-rg-demo", machine_group="any-group")

    assert ROLE.allows("log:CreateMachineGroup", resource)


def test_allows_an_eas_logstore_in_any_project() -> None:
    assert ROLE.allows(
        "log:GetLogStore", log_resource("cn-hangzhou", "team-project", logstore="eas-requests")
    )


def test_refuses_a_project_without_the_eas_prefix() -> None:
    assert not ROLE.allows("log:CreateProject", log_resource("cn-hangzhou", "team-project"))


def test_refuses_a_non_eas_logstore_of_a_non_eas_project() -> None:
    assert not ROLE.allows(
        "log:CreateLogStore", log_resource("cn-hangzhou", "team-project", logstore="access")
    )


def test_compares_action_names_case_insensitively() -> None:
    assert ROLE.allows("PrivateLink:createvpcendpoint", "*")


def test_explicit_deny_wins_over_allow() -> None:
    policy = load_role_policy()
    policy["Statement"].append({"Effect": "Deny", "Action": "ecs:DeleteSecurityGroup", "Resource": "*"})

    assert not PolicyGuard(policy).allows("ecs:DeleteSecurityGroup", "*")


def test_allow_with_a_condition_never_allows() -> None:
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "ecs:*",
                "Resource": "*",
                "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}},
            }
        ]
    }

    assert not PolicyGuard(policy).allows("ecs:CreateSecurityGroup", "*")


def test_disabled_guard_allows_everything() -> None:
    guard = PolicyGuard()

    assert not guard.enabled and guard.allows("ram:DeleteRole", "*")


def test_check_names_action_and_resource_in_the_error() -> None:
    resource = log_resource("cn-hangzhou", "team-project")

    with pytest.raises(PolicyDeniedError) as raised:
        ROLE.check("log:CreateProject", resource, product="sls", action="CreateProject")

    error = raised.value
    assert isinstance(error, AuthError)
    assert "log:CreateProject" in str(error) and resource in str(error)
    assert (error.code, error.product, error.action) == ("PolicyDenied", "sls", "CreateProject")


def test_invoke_refused_by_the_guard_never_sends() -> None:
    clients = Clients(
        Settings(as_role=True), CredentialValues(access_key_id="LTAI-test", access_key_secret="s")
    )
    sent: list[str] = []
    op = Operation(
        "privatelink", "ListVpcEndpointServicesByEndUser", "privatelink:ListVpcEndpointServicesByEndUser"
    )

    with pytest.raises(PolicyDeniedError):
        invoke(clients, op, lambda: sent.append("sent"))

    assert sent == []


def test_log_resource_names_project_and_child() -> None:
    assert log_resource("cn-hangzhou", "p") == "acs:log:cn-hangzhou:*:project/p"
    assert log_resource("cn-hangzhou", "p", logstore="ls") == "acs:log:cn-hangzhou:*:project/p/logstore/ls"
    assert log_resource("cn-hangzhou", "p", config="c") == "acs:log:cn-hangzhou:*:project/p/logtailconfig/c"
    assert (
        log_resource("cn-hangzhou", "p", machine_group="g")
        == "acs:log:cn-hangzhou:*:project/p/machinegroup/g"
    )
