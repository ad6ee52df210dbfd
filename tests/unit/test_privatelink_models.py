"""PrivateLink through the handlers at chosen instants: lifecycles, preconditions, holds on groups."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.services.privatelink.models import PrivateLinkStore
from tests.unit.network_world import (
    EAS_SERVICE,
    LOG_SERVICE,
    MANUAL_SERVICE,
    OWNER,
    ROLE,
    T0,
    VPC_ID,
    VSWITCH_J,
    VSWITCH_K,
    ZONE_J,
    ZONE_K,
    StubWorld,
    fails,
    run,
)

FAST = {"pace": "fast"}  # create 0.3, modify 0.2, delete 0.3, accept 0.2, zone 0.3/0.3, eni release 0.5


def world(**kw: Any) -> StubWorld:
    stub = StubWorld(**kw)
    run(stub, "privatelink", "OpenPrivateLinkService", {})
    return stub


def group(stub: StubWorld, name: str = "eas-sg", group_type: str = "normal") -> str:
    body = run(
        stub,
        "ecs",
        "CreateSecurityGroup",
        {
            "RegionId": "cn-hangzhou",
            "VpcId": VPC_ID,
            "SecurityGroupName": name,
            "SecurityGroupType": group_type,
        },
    )
    return str(body["SecurityGroupId"])


def endpoint(
    stub: StubWorld,
    groups: list[str],
    zones: list[dict[str, str]] | None = None,
    service: str = EAS_SERVICE,
    now: float = T0,
    **extra: Any,
) -> str:
    params = {
        "RegionId": "cn-hangzhou",
        "VpcId": VPC_ID,
        "ServiceName": service,
        "SecurityGroupId": groups,
        "Zone": zones if zones is not None else [{"ZoneId": ZONE_J, "VSwitchId": VSWITCH_J}],
        **extra,
    }
    return str(run(stub, "privatelink", "CreateVpcEndpoint", params, now=now)["EndpointId"])


def attribute(stub: StubWorld, endpoint_id: str, now: float) -> dict[str, Any]:
    return run(
        stub,
        "privatelink",
        "GetVpcEndpointAttribute",
        {"RegionId": "cn-hangzhou", "EndpointId": endpoint_id},
        now=now,
    )


def zones(stub: StubWorld, endpoint_id: str, now: float) -> list[dict[str, Any]]:
    body = run(
        stub,
        "privatelink",
        "ListVpcEndpointZones",
        {"RegionId": "cn-hangzhou", "EndpointId": endpoint_id},
        now=now,
    )
    return list(body["Zones"])


def mutate(stub: StubWorld, action: str, endpoint_id: str, now: float, **params: Any) -> Any:
    return run(
        stub, "privatelink", action, {"RegionId": "cn-hangzhou", "EndpointId": endpoint_id, **params}, now=now
    )


def refused(stub: StubWorld, action: str, endpoint_id: str, now: float, **params: Any) -> str:
    error = fails(
        stub, "privatelink", action, {"RegionId": "cn-hangzhou", "EndpointId": endpoint_id, **params}, now=now
    )
    assert error.status == 400
    return error.code


def holders(stub: StubWorld, group_id: str, now: float) -> list[str]:
    return list(stub.own("ecs").holders(group_id, now)[0])


# -- activation -----------------------------------------------------------------------------------


def test_check_product_open_before_activation_answers_need_open_product() -> None:
    error = fails(StubWorld(), "privatelink", "CheckProductOpen", {})
    assert (error.code, error.status) == ("NeedOpenProduct", 400)


def test_open_private_link_service_activates_every_region_of_the_account() -> None:
    stub = world()
    assert stub.store("privatelink", OWNER, "cn-shanghai").activated
    assert run(stub, "privatelink", "CheckProductOpen", {})["Success"] is True


def test_open_private_link_service_twice_answers_order_opend() -> None:
    assert fails(world(), "privatelink", "OpenPrivateLinkService", {}).code == "OrderOpend"


def test_create_vpc_endpoint_before_activation_answers_need_open_product() -> None:
    stub = StubWorld()
    error = fails(
        stub,
        "privatelink",
        "CreateVpcEndpoint",
        {"RegionId": "cn-hangzhou", "VpcId": VPC_ID, "ServiceName": EAS_SERVICE, "SecurityGroupId": ["sg-x"]},
    )
    assert error.code == "NeedOpenProduct"


# -- lifecycles -------------------------------------------------------------------------------------


def test_create_vpc_endpoint_goes_active_then_connects() -> None:
    stub = world(**FAST)
    endpoint_id = endpoint(stub, [group(stub)])
    seen = [
        (a["EndpointStatus"], a["ConnectionStatus"])
        for a in (attribute(stub, endpoint_id, T0 + dt) for dt in (0.0, 0.35, 0.6))
    ]
    assert seen == [("Creating", "Disconnected"), ("Active", "Connecting"), ("Active", "Connected")]


def test_create_vpc_endpoint_zone_waits_for_the_connection() -> None:
    stub = world(**FAST)
    endpoint_id = endpoint(stub, [group(stub)])
    statuses = [zones(stub, endpoint_id, T0 + dt)[0]["ZoneStatus"] for dt in (0.0, 0.35, 0.6)]
    assert statuses == ["Creating", "Wait", "Connected"]


def test_create_vpc_endpoint_of_manual_service_stays_disconnected_until_accepted() -> None:
    stub = world()
    endpoint_id = endpoint(stub, [group(stub)], zones=[], service=MANUAL_SERVICE)
    assert attribute(stub, endpoint_id, T0 + 60)["ConnectionStatus"] == "Disconnected"
    stub.own("privatelink").admin_accept_connection(endpoint_id, now=T0 + 60)
    assert attribute(stub, endpoint_id, T0 + 61)["ConnectionStatus"] == "Connected"


def test_create_vpc_endpoint_domains_follow_the_documented_formats() -> None:
    stub = world()
    endpoint_id = endpoint(stub, [group(stub)])
    assert attribute(stub, endpoint_id, T0)["EndpointDomain"] == (
        f"{endpoint_id}.epsrv-bp1paieas000000001.cn-hangzhou.privatelink.aliyuncs.com"
    )
    assert zones(stub, endpoint_id, T0)[0]["ZoneDomain"] == (
        f"{endpoint_id}-{ZONE_J}.epsrv-bp1paieas000000001.cn-hangzhou.privatelink.aliyuncs.com"
    )


def test_delete_vpc_endpoint_is_gone_after_the_delete_duration() -> None:
    stub = world(**FAST)
    endpoint_id = endpoint(stub, [group(stub)], zones=[])
    mutate(stub, "DeleteVpcEndpoint", endpoint_id, T0 + 1)
    assert attribute(stub, endpoint_id, T0 + 1.1)["EndpointStatus"] == "Deleting"
    assert refused(stub, "GetVpcEndpointAttribute", endpoint_id, T0 + 1.4) == "EndpointNotFound"


# -- preconditions ----------------------------------------------------------------------------------


def test_add_zone_while_a_zone_is_creating_answers_endpoint_locked() -> None:
    stub = world(**FAST)
    endpoint_id = endpoint(stub, [group(stub)])
    assert (
        refused(stub, "AddZoneToVpcEndpoint", endpoint_id, T0 + 0.1, ZoneId=ZONE_K, VSwitchId=VSWITCH_K)
        == "EndpointLocked"
    )


def test_add_zone_while_pending_answers_endpoint_operation_denied() -> None:
    stub = world(**FAST)
    first, second = group(stub, "g-one"), group(stub, "g-two")
    endpoint_id = endpoint(stub, [first], zones=[])
    mutate(stub, "AttachSecurityGroupToVpcEndpoint", endpoint_id, T0 + 1, SecurityGroupId=second)
    assert attribute(stub, endpoint_id, T0 + 1.1)["EndpointStatus"] == "Pending"
    assert (
        refused(stub, "AddZoneToVpcEndpoint", endpoint_id, T0 + 1.1, ZoneId=ZONE_K, VSwitchId=VSWITCH_K)
        == "EndpointOperationDenied"
    )


def test_update_while_connecting_answers_endpoint_connection_operation_denied() -> None:
    stub = world(**FAST)
    endpoint_id = endpoint(stub, [group(stub)], zones=[])
    assert (
        refused(stub, "UpdateVpcEndpointAttribute", endpoint_id, T0 + 0.35, EndpointName="renamed")
        == "EndpointConnectionOperationDenied"
    )


def test_delete_vpc_endpoint_with_zones_answers_dependence_violation() -> None:
    stub = world()
    endpoint_id = endpoint(stub, [group(stub)])
    assert refused(stub, "DeleteVpcEndpoint", endpoint_id, T0 + 1) == "EndpointDependenceViolation"


def test_detach_last_security_group_answers_must_contain_security_group() -> None:
    stub = world()
    sg = group(stub)
    endpoint_id = endpoint(stub, [sg])
    assert (
        refused(stub, "DetachSecurityGroupFromVpcEndpoint", endpoint_id, T0 + 1, SecurityGroupId=sg)
        == "EndpointMustContainSecurityGroup"
    )


def test_create_vpc_endpoint_with_mixed_group_types_is_refused() -> None:
    stub = world()
    error = fails(
        stub,
        "privatelink",
        "CreateVpcEndpoint",
        {
            "RegionId": "cn-hangzhou",
            "VpcId": VPC_ID,
            "ServiceName": EAS_SERVICE,
            "SecurityGroupId": [group(stub, "basic"), group(stub, "advanced", "enterprise")],
        },
    )
    assert error.code == "SecurityGroupTypeOnlySingleTypeSupporteded"


def test_create_vpc_endpoint_twice_in_one_vpc_answers_endpoint_duplicated() -> None:
    stub = world()
    sg = group(stub)
    endpoint(stub, [sg], zones=[])
    error = fails(
        stub,
        "privatelink",
        "CreateVpcEndpoint",
        {"RegionId": "cn-hangzhou", "VpcId": VPC_ID, "ServiceName": EAS_SERVICE, "SecurityGroupId": [sg]},
    )
    assert error.code == "EndpointDuplicated"


def test_create_vpc_endpoint_over_the_vpc_quota_answers_quota_exceeded() -> None:
    stub = world()
    stub.own("privatelink").admin_set_quota("totalEpPerVpc", 1)
    sg = group(stub)
    endpoint(stub, [sg], zones=[])
    error = fails(
        stub,
        "privatelink",
        "CreateVpcEndpoint",
        {"RegionId": "cn-hangzhou", "VpcId": VPC_ID, "ServiceName": LOG_SERVICE, "SecurityGroupId": [sg]},
    )
    assert (error.code, error.message) == (
        "QuotaExceeded.totalEpPerVpc",
        "The quota of totalEpPerVpc is exceeded, usage 2/1.",
    )


# -- addresses ----------------------------------------------------------------------------------------


def test_create_vpc_endpoint_honours_the_requested_ip() -> None:
    stub = world()
    endpoint_id = endpoint(
        stub, [group(stub)], zones=[{"ZoneId": ZONE_J, "VSwitchId": VSWITCH_J, "ip": "192.168.1.77"}]
    )
    assert zones(stub, endpoint_id, T0)[0]["EniIp"] == "192.168.1.77"


@pytest.mark.parametrize("ip", ["10.0.0.5", "192.168.1.0", "192.168.1.255"])
def test_create_vpc_endpoint_with_an_unusable_ip_answers_eni_ip_unavailable(ip: str) -> None:
    stub = world()
    error = fails(
        stub,
        "privatelink",
        "CreateVpcEndpoint",
        {
            "RegionId": "cn-hangzhou",
            "VpcId": VPC_ID,
            "ServiceName": EAS_SERVICE,
            "SecurityGroupId": [group(stub)],
            "Zone": [{"ZoneId": ZONE_J, "VSwitchId": VSWITCH_J, "ip": ip}],
        },
    )
    assert error.code == "EniIpUnavailable"


def test_create_vpc_endpoint_in_a_full_vswitch_answers_resource_not_enough() -> None:
    stub = world()
    stub.own("vpc").vswitch(VSWITCH_J).cidr_block = "192.168.1.0/29"  # 4 usable addresses
    sg = group(stub)
    for n in range(4):
        stub.own("ecs").enis.create(
            vswitch_id=VSWITCH_J,
            vpc_id=VPC_ID,
            zone_id=ZONE_J,
            ip=f"192.168.1.{n + 1}",
            group_ids=[],
            owner="",
            now=T0,
        )
    error = fails(
        stub,
        "privatelink",
        "CreateVpcEndpoint",
        {
            "RegionId": "cn-hangzhou",
            "VpcId": VPC_ID,
            "ServiceName": EAS_SERVICE,
            "SecurityGroupId": [sg],
            "Zone": [{"ZoneId": ZONE_J, "VSwitchId": VSWITCH_J}],
        },
    )
    assert error.code == "ResourceNotEnough.VSwitchIp"


# -- network interfaces holding security groups -----------------------------------------------------------


def test_remove_zone_keeps_its_interface_in_the_group_for_the_release_delay() -> None:
    stub = world(**FAST)
    sg = group(stub)
    endpoint_id = endpoint(stub, [sg])
    mutate(stub, "RemoveZoneFromVpcEndpoint", endpoint_id, T0 + 1, ZoneId=ZONE_J)
    assert zones(stub, endpoint_id, T0 + 1.35) == []
    assert len(holders(stub, sg, T0 + 1.35)) == 1
    assert holders(stub, sg, T0 + 1.85) == []


def test_delete_vpc_endpoint_extends_the_hold_of_a_lingering_interface() -> None:
    stub = world(**FAST)
    sg = group(stub)
    endpoint_id = endpoint(stub, [sg])
    mutate(stub, "RemoveZoneFromVpcEndpoint", endpoint_id, T0 + 1, ZoneId=ZONE_J)
    mutate(stub, "DeleteVpcEndpoint", endpoint_id, T0 + 1.4)  # zone gone at 1.3, interface due at 1.8
    assert len(holders(stub, sg, T0 + 2.1)) == 1  # endpoint gone at 1.7, + 0.5
    assert holders(stub, sg, T0 + 2.25) == []


def test_detach_security_group_keeps_the_group_held_for_the_release_delay() -> None:
    stub = world(**FAST)
    first, second = group(stub, "g-one"), group(stub, "g-two")
    endpoint_id = endpoint(stub, [first, second])
    mutate(stub, "DetachSecurityGroupFromVpcEndpoint", endpoint_id, T0 + 1, SecurityGroupId=second)
    assert len(holders(stub, second, T0 + 1.5)) == 1
    assert holders(stub, second, T0 + 1.75) == []
    assert len(holders(stub, first, T0 + 5)) == 1


def test_stick_endpoint_keeps_it_deleting_and_its_interfaces_held() -> None:
    stub = world(**FAST)
    sg = group(stub)
    endpoint_id = endpoint(stub, [sg])
    store: PrivateLinkStore = stub.own("privatelink")
    mutate(stub, "RemoveZoneFromVpcEndpoint", endpoint_id, T0 + 1, ZoneId=ZONE_J)
    mutate(stub, "DeleteVpcEndpoint", endpoint_id, T0 + 1.4)
    store.admin_stick_endpoint(endpoint_id, now=T0 + 1.5)
    assert attribute(stub, endpoint_id, T0 + 3600)["EndpointStatus"] == "Deleting"
    assert len(holders(stub, sg, T0 + 3600)) == 1


def test_unstick_endpoint_lets_the_deletion_complete() -> None:
    stub = world(**FAST)
    endpoint_id = endpoint(stub, [group(stub)], zones=[])
    store: PrivateLinkStore = stub.own("privatelink")
    store.admin_stick_endpoint(endpoint_id, now=T0 + 1)
    mutate(stub, "DeleteVpcEndpoint", endpoint_id, T0 + 1)
    assert attribute(stub, endpoint_id, T0 + 60)["EndpointStatus"] == "Deleting"
    store.admin_unstick_endpoint(endpoint_id, now=T0 + 60)
    assert store.endpoint(endpoint_id, T0 + 60) is None


# -- role usages, idempotency, persistence ----------------------------------------------------------------


def test_role_usages_lists_endpoints_of_the_role_s_service_until_gone() -> None:
    stub = world()
    sg = group(stub)
    eas = endpoint(stub, [sg], zones=[])
    endpoint(stub, [sg], zones=[], service=LOG_SERVICE)
    store: PrivateLinkStore = stub.own("privatelink")
    assert store.role_usages(ROLE, T0 + 1) == [eas]
    mutate(stub, "DeleteVpcEndpoint", eas, T0 + 1)
    assert store.role_usages(ROLE, T0 + 2) == []


def test_create_vpc_endpoint_replayed_with_its_client_token_returns_the_same_endpoint() -> None:
    stub = world()
    sg = group(stub)
    first = endpoint(stub, [sg], zones=[], ClientToken="token-1")
    assert endpoint(stub, [sg], zones=[], ClientToken="token-1", now=T0 + 5) == first
    assert len(stub.own("privatelink").live_endpoints(T0 + 5)) == 1


def test_create_vpc_endpoint_with_a_reused_token_and_other_parameters_is_refused() -> None:
    stub = world()
    sg = group(stub)
    endpoint(stub, [sg], zones=[], ClientToken="token-1")
    error = fails(
        stub,
        "privatelink",
        "CreateVpcEndpoint",
        {
            "RegionId": "cn-hangzhou",
            "VpcId": VPC_ID,
            "ServiceName": LOG_SERVICE,
            "SecurityGroupId": [sg],
            "ClientToken": "token-1",
        },
    )
    assert (error.code, error.status) == ("IdempotentParameterMismatch", 400)


def test_create_vpc_endpoint_dry_run_changes_nothing() -> None:
    stub = world()
    error = fails(
        stub,
        "privatelink",
        "CreateVpcEndpoint",
        {
            "RegionId": "cn-hangzhou",
            "VpcId": VPC_ID,
            "ServiceName": EAS_SERVICE,
            "SecurityGroupId": [group(stub)],
            "DryRun": "True",
        },
    )
    assert error.code == "DryRunOperation"
    assert stub.own("privatelink").live_endpoints(T0) == []


def test_store_dump_and_load_round_trip_keeps_pending_transitions() -> None:
    stub = world(**FAST)
    endpoint_id = endpoint(stub, [group(stub)])
    restored = PrivateLinkStore.load(json.loads(json.dumps(stub.own("privatelink").dump())))
    assert restored.endpoint(endpoint_id, T0)
    assert restored.endpoint(endpoint_id, T0 + 1).status == "Active"  # type: ignore[union-attr]
    assert [z.status for z in restored.zones_of(endpoint_id, T0 + 1)] == ["Connected"]
