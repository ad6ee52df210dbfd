"""ECS security groups through the handlers: validation, rule identity, what keeps a group in use."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.services.ecs.models import EcsStore
from tests.unit.network_world import T0, VPC_ID, StubWorld, fails, run

RULE = {"IpProtocol": "tcp", "PortRange": "443/443", "SourceCidrIp": "192.168.0.0/16"}


def create(stub: StubWorld, **params: Any) -> str:
    body = run(stub, "ecs", "CreateSecurityGroup", {"RegionId": "cn-hangzhou", "VpcId": VPC_ID, **params})
    return str(body["SecurityGroupId"])


def rules_of(stub: StubWorld, group_id: str) -> list[dict[str, Any]]:
    body = run(
        stub,
        "ecs",
        "DescribeSecurityGroupAttribute",
        {"RegionId": "cn-hangzhou", "SecurityGroupId": group_id},
    )
    return list(body["Permissions"]["Permission"])


def authorize(stub: StubWorld, group_id: str, *permissions: dict[str, Any], egress: bool = False) -> None:
    action = "AuthorizeSecurityGroupEgress" if egress else "AuthorizeSecurityGroup"
    run(
        stub,
        "ecs",
        action,
        {"RegionId": "cn-hangzhou", "SecurityGroupId": group_id, "Permissions": list(permissions)},
    )


def authorize_fails(stub: StubWorld, group_id: str, permission: dict[str, Any]) -> tuple[str, int]:
    error = fails(
        stub,
        "ecs",
        "AuthorizeSecurityGroup",
        {"RegionId": "cn-hangzhou", "SecurityGroupId": group_id, "Permissions": [permission]},
    )
    return error.code, error.status


def test_authorize_security_group_stores_a_normalised_rule_with_an_id() -> None:
    stub = StubWorld()
    group_id = create(stub)
    authorize(stub, group_id, RULE)
    (rule,) = rules_of(stub, group_id)
    assert rule["SecurityGroupRuleId"].startswith("sgr-")
    assert (rule["Direction"], rule["IpProtocol"], rule["Policy"], rule["Priority"]) == (
        "ingress",
        "TCP",
        "Accept",
        "1",
    )


def test_authorize_security_group_identical_rule_is_a_no_op() -> None:
    stub = StubWorld()
    group_id = create(stub)
    authorize(stub, group_id, RULE)
    authorize(stub, group_id, {**RULE, "IpProtocol": "TCP", "Description": "same rule, other words"})
    assert len(rules_of(stub, group_id)) == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"IpProtocol": "SCTP"}, "InvalidIpProtocol.Malformed"),
        ({"PortRange": "443"}, "InvalidParam.PortRange"),
        ({"PortRange": "0/70000"}, "InvalidParam.PortRange"),
        ({"PortRange": "-1/-1"}, "OperationDenied"),
        ({"SourceCidrIp": "192.168.0.0/33"}, "InvalidSourceCidrIp.Malformed"),
        ({"Policy": "allow"}, "InvalidPolicy.Malformed"),
        ({"Priority": "high"}, "InvalidPriority.Malformed"),
        ({"Priority": "101"}, "InvalidPriority.ValueNotSupported"),
        ({"SourceCidrIp": ""}, "MissingParameter.Source"),
    ],
)
def test_authorize_security_group_invalid_field_answers_its_code(change: dict[str, str], code: str) -> None:
    stub = StubWorld()
    assert authorize_fails(stub, create(stub), {**RULE, **change})[0] == code


def test_authorize_security_group_two_sources_answers_conflict() -> None:
    stub = StubWorld()
    group_id = create(stub)
    assert authorize_fails(stub, group_id, {**RULE, "SourceGroupId": group_id}) == (
        "InvalidParamter.Conflict",
        403,
    )


def test_authorize_security_group_unknown_source_group_answers_not_found() -> None:
    stub = StubWorld()
    code = authorize_fails(stub, create(stub), {"IpProtocol": "ALL", "SourceGroupId": "sg-missing"})
    assert code == ("InvalidSourceGroupId.NotFound", 404)


def test_authorize_security_group_beyond_two_hundred_rules_answers_limit() -> None:
    stub = StubWorld()
    group_id = create(stub)
    for start in range(1, 201, 100):
        authorize(stub, group_id, *[{**RULE, "PortRange": f"{p}/{p}"} for p in range(start, start + 100)])
    assert authorize_fails(stub, group_id, {**RULE, "PortRange": "9999/9999"}) == (
        "AuthorizationLimitExceed",
        403,
    )


def test_revoke_security_group_by_fields_without_match_succeeds() -> None:
    stub = StubWorld()
    group_id = create(stub)
    authorize(stub, group_id, RULE)
    run(
        stub,
        "ecs",
        "RevokeSecurityGroup",
        {
            "RegionId": "cn-hangzhou",
            "SecurityGroupId": group_id,
            "Permissions": [{**RULE, "PortRange": "80/80"}],
        },
    )
    assert len(rules_of(stub, group_id)) == 1


def test_revoke_security_group_egress_by_fields_removes_the_rule() -> None:
    stub = StubWorld()
    group_id = create(stub)
    egress = {"IpProtocol": "ALL", "DestCidrIp": "0.0.0.0/0"}
    authorize(stub, group_id, egress, egress=True)
    run(
        stub,
        "ecs",
        "RevokeSecurityGroupEgress",
        {
            "RegionId": "cn-hangzhou",
            "SecurityGroupId": group_id,
            "Permissions": [{**egress, "PortRange": "-1/-1"}],
        },
    )
    assert rules_of(stub, group_id) == []


def test_revoke_security_group_unknown_rule_id_answers_not_found() -> None:
    stub = StubWorld()
    error = fails(
        stub,
        "ecs",
        "RevokeSecurityGroup",
        {"RegionId": "cn-hangzhou", "SecurityGroupId": create(stub), "SecurityGroupRuleId": ["sgr-missing"]},
    )
    assert (error.code, error.status) == ("InvalidSecurityGroupRuleId.NotFound", 404)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"SecurityGroupName": "1starts-with-digit"}, "InvalidSecurityGroupName.Malformed"),
        ({"Description": "https://example.com"}, "InvalidDescription.Malformed"),
        ({"Tag": [{"Key": "acs:reserved", "Value": "x"}]}, "InvalidTagKey.Malformed"),
        ({"Tag": [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]}, "Duplicate.TagKey"),
    ],
)
def test_create_security_group_invalid_input_answers_its_code(params: dict[str, Any], code: str) -> None:
    error = fails(
        StubWorld(), "ecs", "CreateSecurityGroup", {"RegionId": "cn-hangzhou", "VpcId": VPC_ID, **params}
    )
    assert (error.code, error.status) == (code, 400)


def test_create_security_group_in_unknown_vpc_answers_not_found() -> None:
    error = fails(
        StubWorld(), "ecs", "CreateSecurityGroup", {"RegionId": "cn-hangzhou", "VpcId": "vpc-missing"}
    )
    assert (error.code, error.status) == ("InvalidVpcId.NotFound", 404)


def test_create_security_group_over_the_quota_answers_quota_exceed() -> None:
    stub = StubWorld()
    stub.own("ecs").admin_set_group_quota(1)
    create(stub)
    error = fails(stub, "ecs", "CreateSecurityGroup", {"RegionId": "cn-hangzhou", "VpcId": VPC_ID})
    assert (error.code, error.status) == ("QuotaExceed.SecurityGroup", 403)


def test_delete_security_group_referenced_by_another_answers_dependency_violation() -> None:
    stub = StubWorld()
    target, referrer = create(stub), create(stub)
    authorize(stub, referrer, {"IpProtocol": "ALL", "SourceGroupId": target})
    error = fails(stub, "ecs", "DeleteSecurityGroup", {"RegionId": "cn-hangzhou", "SecurityGroupId": target})
    assert (error.code, error.status) == ("DependencyViolation", 403)
    assert referrer in error.message


def test_delete_security_group_with_a_foreign_interface_names_it() -> None:
    stub = StubWorld()
    group_id = create(stub)
    eni = stub.own("ecs").admin_add_foreign_eni(group_id)["NetworkInterfaceId"]
    error = fails(
        stub, "ecs", "DeleteSecurityGroup", {"RegionId": "cn-hangzhou", "SecurityGroupId": group_id}
    )
    assert error.code == "DependencyViolation" and eni in error.message


def test_delete_security_group_after_the_foreign_interface_is_removed_succeeds() -> None:
    stub = StubWorld()
    group_id = create(stub)
    store: EcsStore = stub.own("ecs")
    store.admin_remove_eni(store.admin_add_foreign_eni(group_id)["NetworkInterfaceId"])
    run(stub, "ecs", "DeleteSecurityGroup", {"RegionId": "cn-hangzhou", "SecurityGroupId": group_id})
    assert store.security_group(group_id) is None


def test_describe_security_groups_filters_by_tag_and_shows_tag_key_value() -> None:
    stub = StubWorld()
    tagged = create(stub, Tag=[{"Key": "owner", "Value": "eas"}])
    create(stub)
    body = run(stub, "ecs", "DescribeSecurityGroups", {"RegionId": "cn-hangzhou", "Tag": [{"Key": "owner"}]})
    (found,) = body["SecurityGroups"]["SecurityGroup"]
    assert (found["SecurityGroupId"], found["Tags"]["Tag"]) == (
        tagged,
        [{"TagKey": "owner", "TagValue": "eas"}],
    )


def test_network_interfaces_release_time_moves_and_cancels() -> None:
    store = EcsStore()
    eni = store.enis.create(
        vswitch_id="vsw-a",
        vpc_id=VPC_ID,
        zone_id="z",
        ip="10.0.0.9",
        group_ids=["sg-a"],
        owner="ep-a",
        now=T0,
    )
    store.enis.release(eni.eni_id, T0 + 5)
    store.enis.release(eni.eni_id, T0 + 10)
    assert store.enis.ips_in_use("vsw-a", T0 + 7) == {"10.0.0.9"}
    store.enis.keep(eni.eni_id)
    assert store.enis.in_group("sg-a", T0 + 1000)


def test_store_dump_and_load_round_trip_keeps_rules_and_interfaces() -> None:
    stub = StubWorld()
    group_id = create(stub, ClientToken="t-1")
    authorize(stub, group_id, RULE)
    stub.own("ecs").admin_add_foreign_eni(group_id)
    restored = EcsStore.load(json.loads(json.dumps(stub.own("ecs").dump())))
    assert len(restored.security_group(group_id).rules) == 1  # type: ignore[union-attr]
    assert len(restored.holders(group_id, T0)[0]) == 1
    assert restored.tokens.entries == stub.own("ecs").tokens.entries
