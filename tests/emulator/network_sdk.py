"""SDK plumbing shared by the network services' emulator tests (PrivateLink, VPC, ECS, CS)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from alibabacloud_privatelink20200415 import models as pl
from alibabacloud_privatelink20200415.client import Client as PrivateLinkClient
from alibabacloud_tea_openapi.exceptions import ClientException

from tests.support.emulator_control import EmulatorControl
from tests.support.polling import wait_until
from tests.support.sdk import generic_roa, generic_rpc, tea_config
from tests.support.world import EAS_SERVICE, REGION, VPC_ID, VSWITCH_J, ZONE_J

ECS_VERSION = "2014-05-26"
VPC_VERSION = "2016-04-28"
CS_VERSION = "2015-12-15"


def ecs(emulator: EmulatorControl, action: str, key: str = "owner", **params: Any) -> dict[str, Any]:
    return generic_rpc(tea_config(emulator, key), ECS_VERSION, action, {"RegionId": REGION, **params})


def vpc(emulator: EmulatorControl, action: str, key: str = "owner", **params: Any) -> dict[str, Any]:
    return generic_rpc(tea_config(emulator, key), VPC_VERSION, action, {"RegionId": REGION, **params})


def cs(emulator: EmulatorControl, action: str, path: str, key: str = "owner", **query: str) -> Any:
    return generic_roa(tea_config(emulator, key), CS_VERSION, action, "GET", path, query)


def refused(call: Callable[..., Any], *args: Any, **kwargs: Any) -> ClientException:
    """The ``ClientException`` a call raises (the test fails if it succeeds)."""
    with pytest.raises(ClientException) as raised:
        call(*args, **kwargs)
    return raised.value


def privatelink(emulator: EmulatorControl, key: str = "owner", activate: bool = True) -> PrivateLinkClient:
    client = PrivateLinkClient(tea_config(emulator, key))
    if activate:
        client.open_private_link_service(pl.OpenPrivateLinkServiceRequest())
    return client


def create_group(emulator: EmulatorControl, name: str = "eas-rg-endpoint", **params: Any) -> str:
    body = ecs(emulator, "CreateSecurityGroup", VpcId=VPC_ID, SecurityGroupName=name, **params)
    return str(body["SecurityGroupId"])


def zone(
    zone_id: str = ZONE_J, vswitch_id: str = VSWITCH_J, ip: str | None = None
) -> pl.CreateVpcEndpointRequestZone:
    return pl.CreateVpcEndpointRequestZone(zone_id=zone_id, v_switch_id=vswitch_id, ip=ip)


def create_endpoint(
    client: PrivateLinkClient,
    groups: Sequence[str],
    zones: Sequence[pl.CreateVpcEndpointRequestZone] = (),
    service: str = EAS_SERVICE,
    **fields: Any,
) -> pl.CreateVpcEndpointResponseBody:
    request = pl.CreateVpcEndpointRequest(
        region_id=REGION,
        vpc_id=VPC_ID,
        service_name=service,
        security_group_id=list(groups),
        zone=list(zones) or None,
        **fields,
    )
    return client.create_vpc_endpoint(request).body


def attribute(client: PrivateLinkClient, endpoint_id: str) -> pl.GetVpcEndpointAttributeResponseBody:
    request = pl.GetVpcEndpointAttributeRequest(region_id=REGION, endpoint_id=endpoint_id)
    return client.get_vpc_endpoint_attribute(request).body


def zones_of(client: PrivateLinkClient, endpoint_id: str) -> list[pl.ListVpcEndpointZonesResponseBodyZones]:
    request = pl.ListVpcEndpointZonesRequest(region_id=REGION, endpoint_id=endpoint_id)
    return list(client.list_vpc_endpoint_zones(request).body.zones or [])


def groups_of(
    client: PrivateLinkClient, endpoint_id: str
) -> list[pl.ListVpcEndpointSecurityGroupsResponseBodySecurityGroups]:
    request = pl.ListVpcEndpointSecurityGroupsRequest(region_id=REGION, endpoint_id=endpoint_id)
    return list(client.list_vpc_endpoint_security_groups(request).body.security_groups or [])


def wait_active(client: PrivateLinkClient, endpoint_id: str, connected: bool = True) -> None:
    def ready() -> bool:
        body = attribute(client, endpoint_id)
        return body.endpoint_status == "Active" and (not connected or body.connection_status == "Connected")

    wait_until(ready, message=f"{endpoint_id} Active")


def observe(probe: Callable[[], Any], final: Any, timeout: float = 10.0) -> list[Any]:
    """Distinct successive values of ``probe()`` until it returns ``final``."""
    seen: list[Any] = []

    def step() -> bool:
        value = probe()
        if not seen or seen[-1] != value:
            seen.append(value)
        return bool(value == final)

    wait_until(step, timeout=timeout, message=f"{final!r} (seen {seen})")
    return seen


def in_order(seen: list[Any], expected: list[Any]) -> bool:
    """``seen`` is a part of ``expected`` in its order and ends where ``expected`` ends."""
    positions = [expected.index(value) for value in seen if value in expected]
    return len(positions) == len(seen) and positions == sorted(positions) and seen[-1] == expected[-1]
