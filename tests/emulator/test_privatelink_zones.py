"""Endpoint zones and security groups through the PrivateLink SDK, and the groups held by interfaces."""

from __future__ import annotations

import pytest
from alibabacloud_privatelink20200415 import models as pl
from alibabacloud_privatelink20200415.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException

from tests.emulator.network_sdk import (
    attribute,
    create_endpoint,
    create_group,
    ecs,
    groups_of,
    in_order,
    observe,
    privatelink,
    refused,
    vpc,
    wait_active,
    zone,
    zones_of,
)
from tests.support.emulator_control import EmulatorControl
from tests.support.polling import wait_until
from tests.support.world import REGION, VSWITCH_J, VSWITCH_K, ZONE_J, ZONE_K


@pytest.fixture
def client(emulator: EmulatorControl) -> Client:
    return privatelink(emulator)


@pytest.fixture
def group(emulator: EmulatorControl) -> str:
    return create_group(emulator)


def _add_zone(client: Client, endpoint_id: str, **fields: object) -> None:
    fields = {"zone_id": ZONE_K, "v_switch_id": VSWITCH_K, **fields}
    client.add_zone_to_vpc_endpoint(
        pl.AddZoneToVpcEndpointRequest(region_id=REGION, endpoint_id=endpoint_id, **fields)
    )


def _remove_zone(client: Client, endpoint_id: str, zone_id: str = ZONE_J) -> None:
    client.remove_zone_from_vpc_endpoint(
        pl.RemoveZoneFromVpcEndpointRequest(region_id=REGION, endpoint_id=endpoint_id, zone_id=zone_id)
    )


def _attach(client: Client, endpoint_id: str, group_id: str) -> None:
    client.attach_security_group_to_vpc_endpoint(
        pl.AttachSecurityGroupToVpcEndpointRequest(
            region_id=REGION, endpoint_id=endpoint_id, security_group_id=group_id
        )
    )


def _detach(client: Client, endpoint_id: str, group_id: str) -> None:
    client.detach_security_group_from_vpc_endpoint(
        pl.DetachSecurityGroupFromVpcEndpointRequest(
            region_id=REGION, endpoint_id=endpoint_id, security_group_id=group_id
        )
    )


def _zone_status(client: Client, endpoint_id: str, zone_id: str) -> str:
    return next((z.zone_status for z in zones_of(client, endpoint_id) if z.zone_id == zone_id), "gone")


def _group_status(client: Client, endpoint_id: str, group_id: str) -> str:
    return next(
        (g.security_group_status for g in groups_of(client, endpoint_id) if g.security_group_id == group_id),
        "gone",
    )


def _delete_group(emulator: EmulatorControl, group_id: str) -> bool:
    try:
        ecs(emulator, "DeleteSecurityGroup", SecurityGroupId=group_id)
    except ClientException as error:
        if error.code != "DependencyViolation":
            raise
        return False
    return True


# -- zones ----------------------------------------------------------------------------------------------


def test_add_zone_to_vpc_endpoint_zone_becomes_connected_and_endpoint_active(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group], [zone()]).endpoint_id
    emulator.set_pace("fast")
    _add_zone(client, endpoint_id)
    assert attribute(client, endpoint_id).endpoint_status == "Pending"
    seen = observe(lambda: _zone_status(client, endpoint_id, ZONE_K), "Connected")
    assert in_order(seen, ["Creating", "Connected"])
    wait_active(client, endpoint_id)


def test_add_zone_to_vpc_endpoint_takes_the_requested_ip_from_the_vswitch(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    before = vpc(emulator, "DescribeVSwitchAttributes", VSwitchId=VSWITCH_K)["AvailableIpAddressCount"]
    _add_zone(client, endpoint_id, ip="192.168.2.50")
    (added,) = zones_of(client, endpoint_id)
    after = vpc(emulator, "DescribeVSwitchAttributes", VSwitchId=VSWITCH_K)["AvailableIpAddressCount"]
    assert (added.eni_ip, added.eni_id[:4], before - after) == ("192.168.2.50", "eni-", 1)
    assert (
        added.zone_domain
        == f"{endpoint_id}-{ZONE_K}.epsrv-bp1paieas000000001.{REGION}.privatelink.aliyuncs.com"
    )


def test_add_zone_to_vpc_endpoint_twice_answers_zone_duplicated(client: Client, group: str) -> None:
    endpoint_id = create_endpoint(client, [group], [zone()]).endpoint_id
    error = refused(_add_zone, client, endpoint_id, zone_id=ZONE_J, v_switch_id=VSWITCH_J)
    assert (error.code, error.status_code) == ("EndpointZoneDuplicated", 400)


def test_add_zone_to_vpc_endpoint_while_a_zone_is_creating_answers_endpoint_locked(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    emulator.set_pace("fast", **{"privatelink.zone.create": 30})
    _add_zone(client, endpoint_id)
    error = refused(_add_zone, client, endpoint_id, zone_id=ZONE_J, v_switch_id=VSWITCH_J)
    assert (error.code, error.status_code) == ("EndpointLocked", 400)


def test_add_zone_to_vpc_endpoint_dry_run_adds_nothing(client: Client, group: str) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    assert refused(_add_zone, client, endpoint_id, dry_run=True).code == "DryRunOperation"
    assert zones_of(client, endpoint_id) == []


def test_remove_zone_from_vpc_endpoint_zone_goes_deleting_then_gone(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group], [zone()]).endpoint_id
    emulator.set_pace("fast")
    _remove_zone(client, endpoint_id)
    seen = observe(lambda: _zone_status(client, endpoint_id, ZONE_J), "gone")
    assert in_order(seen, ["Deleting", "gone"])


def test_remove_zone_from_vpc_endpoint_unknown_zone_answers_zone_not_found(
    client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    error = refused(_remove_zone, client, endpoint_id, ZONE_K)
    assert (error.code, error.status_code) == ("EndpointZoneNotFound", 400)


def test_list_vpc_endpoint_zones_pages_with_next_token(client: Client, group: str) -> None:
    endpoint_id = create_endpoint(client, [group], [zone(), zone(ZONE_K, VSWITCH_K)]).endpoint_id
    request = pl.ListVpcEndpointZonesRequest(region_id=REGION, endpoint_id=endpoint_id, max_results=1)
    first = client.list_vpc_endpoint_zones(request).body
    request.next_token = first.next_token
    second = client.list_vpc_endpoint_zones(request).body
    assert ([z.zone_id for z in first.zones + second.zones], first.total_count, second.next_token) == (
        [ZONE_J, ZONE_K],
        2,
        "",
    )


def test_list_vpc_endpoint_zones_accepts_max_results_up_to_one_thousand(client: Client, group: str) -> None:
    # ListVpcEndpointZones takes 1-1000 (SDK request model and API schema); only the security
    # group list stops at 50.
    endpoint_id = create_endpoint(client, [group], [zone()]).endpoint_id
    request = pl.ListVpcEndpointZonesRequest(region_id=REGION, endpoint_id=endpoint_id, max_results=1000)
    body = client.list_vpc_endpoint_zones(request).body
    assert ([z.zone_id for z in body.zones], body.max_results) == ([ZONE_J], 1000)
    request.max_results = 1001
    assert refused(client.list_vpc_endpoint_zones, request).status_code == 400


# -- security groups -------------------------------------------------------------------------------------


def test_attach_security_group_goes_attaching_then_attached(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    second = create_group(emulator, "eas-rg-second")
    emulator.set_pace("fast")
    _attach(client, endpoint_id, second)
    seen = observe(lambda: _group_status(client, endpoint_id, second), "Attached")
    assert in_order(seen, ["Attaching", "Attached"])


def test_attach_security_group_already_attached_answers_security_group_exist(
    client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    error = refused(_attach, client, endpoint_id, group)
    assert (error.code, error.status_code) == ("SecurityGroupExist", 400)


def test_attach_security_group_while_pending_answers_operation_denied(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    second, third = create_group(emulator, "eas-rg-second"), create_group(emulator, "eas-rg-third")
    emulator.set_pace("fast", **{"privatelink.endpoint.modify": 30})
    _attach(client, endpoint_id, second)
    assert refused(_attach, client, endpoint_id, third).code == "EndpointOperationDenied"


def test_detach_security_group_goes_detaching_then_gone(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    second = create_group(emulator, "eas-rg-second")
    endpoint_id = create_endpoint(client, [group, second]).endpoint_id
    emulator.set_pace("fast")
    _detach(client, endpoint_id, second)
    seen = observe(lambda: _group_status(client, endpoint_id, second), "gone")
    assert in_order(seen, ["Detaching", "gone"])


def test_detach_security_group_last_one_answers_must_contain_security_group(
    client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    error = refused(_detach, client, endpoint_id, group)
    assert (error.code, error.status_code) == ("EndpointMustContainSecurityGroup", 400)


def test_list_vpc_endpoint_security_groups_max_results_above_fifty_is_refused(
    client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    request = pl.ListVpcEndpointSecurityGroupsRequest(
        region_id=REGION, endpoint_id=endpoint_id, max_results=51
    )
    assert refused(client.list_vpc_endpoint_security_groups, request).status_code == 400


def test_list_vpc_endpoint_security_groups_pages_with_next_token(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    second = create_group(emulator, "eas-rg-second")
    endpoint_id = create_endpoint(client, [group, second]).endpoint_id
    request = pl.ListVpcEndpointSecurityGroupsRequest(
        region_id=REGION, endpoint_id=endpoint_id, max_results=1
    )
    first = client.list_vpc_endpoint_security_groups(request).body
    request.next_token = first.next_token
    rest = client.list_vpc_endpoint_security_groups(request).body
    assert [g.security_group_id for g in first.security_groups + rest.security_groups] == [group, second]


# -- network interfaces holding security groups ----------------------------------------------------------


def test_delete_security_group_right_after_endpoint_deletion_waits_for_its_interface(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    emulator.set_pace("fast", **{"ecs.eni.release": 3})
    endpoint_id = create_endpoint(client, [group], [zone()]).endpoint_id
    wait_active(client, endpoint_id)
    eni_id = zones_of(client, endpoint_id)[0].eni_id
    _remove_zone(client, endpoint_id)
    wait_until(lambda: zones_of(client, endpoint_id) == [], message="zone removed")
    client.delete_vpc_endpoint(pl.DeleteVpcEndpointRequest(region_id=REGION, endpoint_id=endpoint_id))
    error = refused(ecs, emulator, "DeleteSecurityGroup", SecurityGroupId=group)
    assert (error.code, error.status_code) == ("DependencyViolation", 403)
    assert eni_id in error.message
    wait_until(lambda: _delete_group(emulator, group), message="the interface to release the group")


def test_delete_security_group_held_by_a_foreign_interface_is_refused_until_it_leaves(
    emulator: EmulatorControl, group: str
) -> None:
    eni_id = emulator.admin("ecs", "add_foreign_eni", security_group_id=group)["NetworkInterfaceId"]
    error = refused(ecs, emulator, "DeleteSecurityGroup", SecurityGroupId=group)
    assert (error.code, error.status_code, eni_id in error.message) == ("DependencyViolation", 403, True)
    emulator.admin("ecs", "remove_eni", network_interface_id=eni_id)
    ecs(emulator, "DeleteSecurityGroup", SecurityGroupId=group)
    assert (
        ecs(emulator, "DescribeSecurityGroups", SecurityGroupId=group)["SecurityGroups"]["SecurityGroup"]
        == []
    )
