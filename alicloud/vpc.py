"""VPC (2016-04-28), read-only: the network the resource group lives in.

Through the generic client (:mod:`alicloud.openapi`).  ``DescribeVpcAttribute`` and
``DescribeVSwitchAttributes`` may report an unknown id either with an error code or with a 2xx
answer whose id is empty; both become :class:`~alicloud.errors.NotFoundError` here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alicloud import parse
from alicloud.clients import Clients
from alicloud.errors import NotFoundError
from alicloud.invoke import Operation, invoke
from alicloud.openapi import rpc
from alicloud.paging import all_by_number

PRODUCT = "vpc"
_PAGE_SIZE = 50  # the documented maximum


@dataclass(frozen=True)
class Vpc:
    vpc_id: str
    vpc_name: str
    cidr_block: str
    status: str  # Pending | Available
    vswitch_ids: tuple[str, ...]


@dataclass(frozen=True)
class VSwitch:
    vswitch_id: str
    vswitch_name: str
    vpc_id: str
    zone_id: str
    cidr_block: str
    status: str  # Pending | Available
    available_ip_count: int


def describe_vpcs(
    clients: Clients, *, vpc_ids: Sequence[str] | None = None, vpc_name: str | None = None
) -> list[Vpc]:
    """VPCs of the region, optionally filtered (at most 20 ids).

    RAM action: ``vpc:DescribeVpcs``.  Unknown ids give an empty list.
    """
    if vpc_ids is not None and len(vpc_ids) > 20:
        raise ValueError("vpc_ids may hold at most 20 ids per call")
    query: dict[str, Any] = {"RegionId": clients.region, "VpcName": vpc_name}
    if vpc_ids:
        query["VpcId"] = ",".join(vpc_ids)

    def page(number: int, size: int) -> tuple[list[Vpc], int]:
        body = _call(clients, "DescribeVpcs", {**query, "PageNumber": number, "PageSize": size})
        return [_vpc(v) for v in parse.items(body, "Vpcs", "Vpc")], parse.number(body, "TotalCount")

    return all_by_number(page, page_size=_PAGE_SIZE)


def describe_vpc_attribute(clients: Clients, *, vpc_id: str) -> Vpc:
    """One VPC.

    RAM action: ``vpc:DescribeVpcAttribute``.
    """
    body = _call(clients, "DescribeVpcAttribute", {"RegionId": clients.region, "VpcId": vpc_id})
    if not parse.text(body, "VpcId"):
        raise NotFoundError(
            f"VPC {vpc_id} not found (empty answer)",
            code="InvalidVpcId.NotFound",
            product=PRODUCT,
            action="DescribeVpcAttribute",
            request_id=parse.text(body, "RequestId"),
        )
    return _vpc(body)


def describe_vswitches(
    clients: Clients,
    *,
    vpc_id: str | None = None,
    vswitch_id: str | None = None,
    zone_id: str | None = None,
) -> list[VSwitch]:
    """vSwitches of the region, optionally of one VPC or zone.

    RAM action: ``vpc:DescribeVSwitches``.  An unknown VPC answers ``Forbidden.VpcNotFound``
    (a :class:`~alicloud.errors.NotFoundError`).
    """
    query = {"RegionId": clients.region, "VpcId": vpc_id, "VSwitchId": vswitch_id, "ZoneId": zone_id}

    def page(number: int, size: int) -> tuple[list[VSwitch], int]:
        body = _call(clients, "DescribeVSwitches", {**query, "PageNumber": number, "PageSize": size})
        return [_vswitch(v) for v in parse.items(body, "VSwitches", "VSwitch")], parse.number(
            body, "TotalCount"
        )

    return all_by_number(page, page_size=_PAGE_SIZE)


def describe_vswitch_attributes(clients: Clients, *, vswitch_id: str) -> VSwitch:
    """One vSwitch (its zone and free IPs).

    RAM action: ``vpc:DescribeVSwitchAttributes``.
    """
    body = _call(clients, "DescribeVSwitchAttributes", {"RegionId": clients.region, "VSwitchId": vswitch_id})
    if not parse.text(body, "VSwitchId"):
        raise NotFoundError(
            f"vSwitch {vswitch_id} not found (empty answer)",
            code="InvalidVSwitchId.NotFound",
            product=PRODUCT,
            action="DescribeVSwitchAttributes",
            request_id=parse.text(body, "RequestId"),
        )
    return _vswitch(body)


def _call(clients: Clients, action: str, query: dict[str, Any]) -> dict[str, Any]:
    op = Operation(PRODUCT, action, f"vpc:{action}")
    return invoke(clients, op, lambda: rpc(clients.vpc, product="vpc", action=action, query=query))


def _vpc(body: Mapping[str, Any]) -> Vpc:
    return Vpc(
        vpc_id=parse.text(body, "VpcId"),
        vpc_name=parse.text(body, "VpcName"),
        cidr_block=parse.text(body, "CidrBlock"),
        status=parse.text(body, "Status"),
        vswitch_ids=parse.texts(body, "VSwitchIds", "VSwitchId"),
    )


def _vswitch(body: Mapping[str, Any]) -> VSwitch:
    return VSwitch(
        vswitch_id=parse.text(body, "VSwitchId"),
        vswitch_name=parse.text(body, "VSwitchName"),
        vpc_id=parse.text(body, "VpcId"),
        zone_id=parse.text(body, "ZoneId"),
        cidr_block=parse.text(body, "CidrBlock"),
        status=parse.text(body, "Status"),
        available_ip_count=parse.number(body, "AvailableIpAddressCount"),
    )
