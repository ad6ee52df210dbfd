"""ECS security groups through the generic OpenAPI client (``call_api``, RPC 2014-05-26)."""

from __future__ import annotations

import json
from typing import Any

from tests.emulator.network_sdk import create_group, ecs, refused
from tests.support.emulator_control import EmulatorControl
from tests.support.world import FOREIGN_VPC_ID, VPC_ID

HTTPS_FROM_VPC = {"IpProtocol": "TCP", "PortRange": "443/443", "SourceCidrIp": "192.168.0.0/16"}
ALL_OUT = {"IpProtocol": "ALL", "PortRange": "-1/-1", "DestCidrIp": "0.0.0.0/0"}


def _groups(emulator: EmulatorControl, **filters: Any) -> list[dict[str, Any]]:
    return list(ecs(emulator, "DescribeSecurityGroups", **filters)["SecurityGroups"]["SecurityGroup"])


def _rules(emulator: EmulatorControl, group_id: str) -> list[dict[str, Any]]:
    body = ecs(emulator, "DescribeSecurityGroupAttribute", SecurityGroupId=group_id)
    return list(body["Permissions"]["Permission"])


def test_create_security_group_is_described_with_its_tags(emulator: EmulatorControl) -> None:
    group_id = create_group(
        emulator, "eas-rg-sg", Description="EAS resource group", Tag=[{"Key": "eas-rg", "Value": "demo"}]
    )
    (found,) = _groups(emulator, SecurityGroupIds=json.dumps([group_id]))
    assert (found["SecurityGroupName"], found["VpcId"], found["SecurityGroupType"]) == (
        "eas-rg-sg",
        VPC_ID,
        "normal",
    )
    assert found["Tags"]["Tag"] == [{"TagKey": "eas-rg", "TagValue": "demo"}]


def test_describe_security_groups_filters_by_vpc_and_name(emulator: EmulatorControl) -> None:
    wanted = create_group(emulator, "eas-rg-sg")
    create_group(emulator, "other-sg")
    found = _groups(emulator, VpcId=VPC_ID, SecurityGroupName="eas-rg-sg")
    assert [g["SecurityGroupId"] for g in found] == [wanted]


def test_describe_security_groups_unknown_ids_answer_an_empty_list(emulator: EmulatorControl) -> None:
    assert _groups(emulator, SecurityGroupIds=json.dumps(["sg-doesnotexist000000"])) == []


def test_describe_security_groups_pages_with_next_token(emulator: EmulatorControl) -> None:
    created = [create_group(emulator, f"eas-rg-sg{n}") for n in range(3)]
    first = ecs(emulator, "DescribeSecurityGroups", MaxResults=2)
    rest = ecs(emulator, "DescribeSecurityGroups", MaxResults=2, NextToken=first["NextToken"])
    listed = [g["SecurityGroupId"] for page in (first, rest) for g in page["SecurityGroups"]["SecurityGroup"]]
    assert (listed, rest["NextToken"], "TotalCount" in first) == (created, "", False)


def test_describe_security_groups_max_results_above_one_hundred_is_refused(emulator: EmulatorControl) -> None:
    assert refused(ecs, emulator, "DescribeSecurityGroups", MaxResults=101).status_code == 400


def test_describe_security_groups_dry_run_answers_dry_run_operation(emulator: EmulatorControl) -> None:
    error = refused(ecs, emulator, "DescribeSecurityGroups", DryRun=True)
    assert (error.code, error.status_code) == ("DryRunOperation", 400)


def test_create_security_group_replayed_with_its_client_token_returns_the_same_group(
    emulator: EmulatorControl,
) -> None:
    first = create_group(emulator, "eas-rg-sg", ClientToken="eas-rg-sg-1")
    again = create_group(emulator, "eas-rg-sg", ClientToken="eas-rg-sg-1")
    assert (again, len(_groups(emulator))) == (first, 1)


def test_create_security_group_reused_token_with_other_parameters_is_refused(
    emulator: EmulatorControl,
) -> None:
    create_group(emulator, "eas-rg-sg", ClientToken="eas-rg-sg-1")
    error = refused(create_group, emulator, "another-name", ClientToken="eas-rg-sg-1")
    assert (error.code, error.status_code) == ("IdempotentParameterMismatch", 400)


def test_create_security_group_malformed_name_is_refused(emulator: EmulatorControl) -> None:
    error = refused(create_group, emulator, "-starts-with-a-hyphen")
    assert (error.code, error.status_code) == ("InvalidSecurityGroupName.Malformed", 400)


def test_create_security_group_unknown_vpc_answers_not_found(emulator: EmulatorControl) -> None:
    error = refused(ecs, emulator, "CreateSecurityGroup", VpcId="vpc-doesnotexist00000000")
    assert (error.code, error.status_code) == ("InvalidVpcId.NotFound", 404)


def test_create_security_group_over_the_region_quota_answers_quota_exceed(emulator: EmulatorControl) -> None:
    emulator.admin("ecs", "set_group_quota", limit=1)
    create_group(emulator)
    error = refused(create_group, emulator, "second")
    assert (error.code, error.status_code) == ("QuotaExceed.SecurityGroup", 403)


def test_delete_security_group_removes_it(emulator: EmulatorControl) -> None:
    group_id = create_group(emulator)
    ecs(emulator, "DeleteSecurityGroup", SecurityGroupId=group_id)
    assert _groups(emulator) == []


def test_delete_security_group_unknown_answers_not_found(emulator: EmulatorControl) -> None:
    error = refused(ecs, emulator, "DeleteSecurityGroup", SecurityGroupId="sg-doesnotexist000000")
    assert (error.code, error.status_code) == ("InvalidSecurityGroupId.NotFound", 404)


def test_delete_security_group_referenced_by_another_answers_dependency_violation(
    emulator: EmulatorControl,
) -> None:
    target, referrer = create_group(emulator, "target"), create_group(emulator, "referrer")
    ecs(
        emulator,
        "AuthorizeSecurityGroup",
        SecurityGroupId=referrer,
        Permissions=[{"IpProtocol": "ALL", "PortRange": "-1/-1", "SourceGroupId": target}],
    )
    error = refused(ecs, emulator, "DeleteSecurityGroup", SecurityGroupId=target)
    assert (error.code, error.status_code, referrer in error.message) == ("DependencyViolation", 403, True)


def test_authorize_security_group_adds_an_ingress_rule(emulator: EmulatorControl) -> None:
    group_id = create_group(emulator)
    ecs(emulator, "AuthorizeSecurityGroup", SecurityGroupId=group_id, Permissions=[HTTPS_FROM_VPC])
    (rule,) = _rules(emulator, group_id)
    assert (rule["Direction"], rule["PortRange"], rule["Policy"], rule["SecurityGroupRuleId"][:4]) == (
        "ingress",
        "443/443",
        "Accept",
        "sgr-",
    )


def test_authorize_security_group_identical_rule_adds_nothing(emulator: EmulatorControl) -> None:
    group_id = create_group(emulator)
    for _ in range(2):
        ecs(emulator, "AuthorizeSecurityGroup", SecurityGroupId=group_id, Permissions=[HTTPS_FROM_VPC])
    assert len(_rules(emulator, group_id)) == 1


def test_authorize_security_group_malformed_port_range_is_refused(emulator: EmulatorControl) -> None:
    error = refused(
        ecs,
        emulator,
        "AuthorizeSecurityGroup",
        SecurityGroupId=create_group(emulator),
        Permissions=[{**HTTPS_FROM_VPC, "PortRange": "443"}],
    )
    assert (error.code, error.status_code) == ("InvalidParam.PortRange", 400)


def test_authorize_security_group_unknown_group_answers_not_found(emulator: EmulatorControl) -> None:
    error = refused(
        ecs,
        emulator,
        "AuthorizeSecurityGroup",
        SecurityGroupId="sg-doesnotexist000000",
        Permissions=[HTTPS_FROM_VPC],
    )
    assert (error.code, error.status_code) == ("InvalidSecurityGroupId.NotFound", 404)


def test_authorize_security_group_from_a_group_of_another_vpc_is_refused(emulator: EmulatorControl) -> None:
    foreign = ecs(emulator, "CreateSecurityGroup", VpcId=FOREIGN_VPC_ID)["SecurityGroupId"]
    error = refused(
        ecs,
        emulator,
        "AuthorizeSecurityGroup",
        SecurityGroupId=create_group(emulator),
        Permissions=[{"IpProtocol": "ALL", "PortRange": "-1/-1", "SourceGroupId": foreign}],
    )
    assert (error.code, error.status_code) == ("InvalidSourceGroupId.Mismatch", 400)


def test_authorize_security_group_egress_adds_an_egress_rule(emulator: EmulatorControl) -> None:
    group_id = create_group(emulator)
    ecs(emulator, "AuthorizeSecurityGroupEgress", SecurityGroupId=group_id, Permissions=[ALL_OUT])
    assert [(r["Direction"], r["DestCidrIp"]) for r in _rules(emulator, group_id)] == [
        ("egress", "0.0.0.0/0")
    ]


def test_revoke_security_group_by_fields_removes_the_rule(emulator: EmulatorControl) -> None:
    group_id = create_group(emulator)
    ecs(emulator, "AuthorizeSecurityGroup", SecurityGroupId=group_id, Permissions=[HTTPS_FROM_VPC])
    ecs(emulator, "RevokeSecurityGroup", SecurityGroupId=group_id, Permissions=[HTTPS_FROM_VPC])
    assert _rules(emulator, group_id) == []


def test_revoke_security_group_without_a_match_succeeds(emulator: EmulatorControl) -> None:
    group_id = create_group(emulator)
    ecs(emulator, "RevokeSecurityGroup", SecurityGroupId=group_id, Permissions=[HTTPS_FROM_VPC])
    assert _rules(emulator, group_id) == []


def test_revoke_security_group_unknown_rule_id_answers_not_found(emulator: EmulatorControl) -> None:
    error = refused(
        ecs,
        emulator,
        "RevokeSecurityGroup",
        SecurityGroupId=create_group(emulator),
        SecurityGroupRuleId=["sgr-doesnotexist00000"],
    )
    assert (error.code, error.status_code) == ("InvalidSecurityGroupRuleId.NotFound", 404)


def test_revoke_security_group_egress_by_rule_id_removes_the_rule(emulator: EmulatorControl) -> None:
    group_id = create_group(emulator)
    ecs(emulator, "AuthorizeSecurityGroupEgress", SecurityGroupId=group_id, Permissions=[ALL_OUT])
    (rule,) = _rules(emulator, group_id)
    ecs(
        emulator,
        "RevokeSecurityGroupEgress",
        SecurityGroupId=group_id,
        SecurityGroupRuleId=[rule["SecurityGroupRuleId"]],
    )
    assert _rules(emulator, group_id) == []


def test_describe_security_group_attribute_as_the_eas_role_is_denied(emulator: EmulatorControl) -> None:
    group_id = create_group(emulator)
    error = refused(ecs, emulator, "DescribeSecurityGroupAttribute", key="eas-role", SecurityGroupId=group_id)
    assert error.status_code == 403


def test_create_security_group_as_the_eas_role_succeeds(emulator: EmulatorControl) -> None:
    group_id = ecs(emulator, "CreateSecurityGroup", key="eas-role", VpcId=VPC_ID)["SecurityGroupId"]
    assert [g["SecurityGroupId"] for g in _groups(emulator, key="eas-role")] == [group_id]
