"""Alibaba Cloud DNS PrivateZone (``pvtz`` 2018-01-01): private names for the resource group's endpoints.

Order that works: add the zone, add its records, then bind the VPCs; on teardown unbind every VPC
(``bind_zone_vpc(..., vpcs=[], unbind_all=True)``), then delete the zone, retrying
``Zone.VpcExists`` while the unbinding settles (``draining=True``).  ``BindZoneVpc`` *replaces*
the bound set, so an empty list unbinds everything: it needs ``unbind_all=True`` to say so.
``AddZone`` is not idempotent by name: look the zone up with :func:`describe_zones` first, or
pass a stable ``client_token``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alibabacloud_pvtz20180101 import models as m

from alicloud import parse
from alicloud.clients import Clients
from alicloud.errors import AlibabaCloudError, DependencyViolationError, NotFoundError
from alicloud.invoke import Operation, call_sdk
from alicloud.paging import all_by_number
from alicloud.waiting import DEFAULT_POLL, Poll, wait_for

PRODUCT = "privatezone"
RECORD_TTLS = (5, 30, 60, 3600, 43200, 86400)  # the values the service documents
_PAGE_SIZE = 100


@dataclass(frozen=True)
class Zone:
    zone_id: str
    zone_name: str
    record_count: int = 0


@dataclass(frozen=True)
class ZoneVpc:
    vpc_id: str
    region_id: str


@dataclass(frozen=True)
class ZoneInfo:
    zone_id: str
    zone_name: str
    record_count: int
    proxy_pattern: str
    bound_vpcs: tuple[ZoneVpc, ...]


@dataclass(frozen=True)
class ZoneRecord:
    record_id: int
    rr: str
    record_type: str
    value: str
    ttl: int
    status: str


def add_zone(
    clients: Clients, *, zone_name: str, proxy_pattern: str = "ZONE", client_token: str | None = None
) -> Zone:
    """Create a private zone (``ZONE``: unknown names answer NXDOMAIN; ``RECORD``: recurse).

    RAM action: ``pvtz:AddZone``.
    """
    request = m.AddZoneRequest(zone_name=zone_name, proxy_pattern=proxy_pattern, client_token=client_token)
    body = _call(clients, "AddZone", request)
    return Zone(parse.text(body, "ZoneId"), parse.text(body, "ZoneName") or zone_name)


def bind_zone_vpc(
    clients: Clients,
    *,
    zone_id: str,
    vpcs: Sequence[ZoneVpc],
    unbind_all: bool = False,
    client_token: str | None = None,
) -> None:
    """Make ``vpcs`` the zone's complete set of bound VPCs (a replace, not an add).

    RAM action: ``pvtz:BindZoneVpc``.  Right after ``AddZone`` the zone may not be visible yet:
    ``Zone.NotExists`` is retried within the deadline here.
    """
    if not vpcs and not unbind_all:
        raise ValueError("vpcs is empty, which unbinds every VPC: pass unbind_all=True if that is meant")
    if vpcs and unbind_all:
        raise ValueError("unbind_all=True contradicts a non-empty vpcs list")
    request = m.BindZoneVpcRequest(
        zone_id=zone_id,
        client_token=client_token,
        vpcs=[m.BindZoneVpcRequestVpcs(region_id=v.region_id, vpc_id=v.vpc_id) for v in vpcs],
    )
    _call(clients, "BindZoneVpc", request)


def add_zone_record(
    clients: Clients,
    *,
    zone_id: str,
    rr: str,
    record_type: str,
    value: str,
    ttl: int = 60,
    client_token: str | None = None,
) -> int:
    """Add a record (``rr`` ``@`` for the apex); returns its id.  Duplicates: ``Record.Invalid.Conflict``.

    RAM action: ``pvtz:AddZoneRecord``.
    """
    if not rr:
        raise ValueError("rr must not be empty: use @ for the zone apex")
    if ttl not in RECORD_TTLS:
        raise ValueError(f"ttl must be one of {RECORD_TTLS}, not {ttl}")
    request = m.AddZoneRecordRequest(
        zone_id=zone_id, rr=rr, type=record_type, value=value, ttl=ttl, client_token=client_token
    )
    return parse.number(_call(clients, "AddZoneRecord", request), "RecordId")


def delete_zone(
    clients: Clients, *, zone_id: str, client_token: str | None = None, draining: bool = False
) -> None:
    """Delete a zone and its records; refused while VPCs are bound (``Zone.VpcExists``).

    RAM action: ``pvtz:DeleteZone``.  ``draining=True`` retries ``Zone.VpcExists`` within the
    deadline, for an unbinding that has been requested but not settled yet.
    """
    request = m.DeleteZoneRequest(zone_id=zone_id, client_token=client_token)
    _call(clients, "DeleteZone", request, retry_also=(DependencyViolationError,) if draining else ())


def describe_zone_info(clients: Clients, *, zone_id: str) -> ZoneInfo:
    """One zone with its bound VPCs; :class:`~alicloud.errors.NotFoundError` when it is gone.

    RAM action: ``pvtz:DescribeZoneInfo`` (not in the EAS role's policy).
    """
    body = _call(clients, "DescribeZoneInfo", m.DescribeZoneInfoRequest(zone_id=zone_id))
    bound = tuple(
        ZoneVpc(parse.text(v, "VpcId"), parse.text(v, "RegionId"))
        for v in parse.items(body, "BindVpcs", "Vpc")
    )
    return ZoneInfo(
        parse.text(body, "ZoneId"),
        parse.text(body, "ZoneName"),
        parse.number(body, "RecordCount"),
        parse.text(body, "ProxyPattern"),
        bound,
    )


def describe_zone_records(clients: Clients, *, zone_id: str, keyword: str | None = None) -> list[ZoneRecord]:
    """Records of a zone (``keyword`` matches ``Rr`` exactly).

    RAM action: ``pvtz:DescribeZoneRecords`` (not in the EAS role's policy).
    """

    def page(number: int, size: int) -> tuple[list[ZoneRecord], int]:
        request = m.DescribeZoneRecordsRequest(
            zone_id=zone_id,
            keyword=keyword,
            page_number=number,
            page_size=size,
            search_mode="EXACT" if keyword else None,
        )
        body = _call(clients, "DescribeZoneRecords", request)
        return [_record(r) for r in parse.items(body, "Records", "Record")], parse.number(body, "TotalItems")

    return all_by_number(page, page_size=_PAGE_SIZE)


def describe_zones(clients: Clients, *, keyword: str | None = None) -> list[Zone]:
    """Zones of the account; ``keyword`` matches the zone name exactly (find a zone again after a crash).

    RAM action: ``pvtz:DescribeZones`` (not in the EAS role's policy).
    """

    def page(number: int, size: int) -> tuple[list[Zone], int]:
        request = m.DescribeZonesRequest(
            keyword=keyword, search_mode="EXACT" if keyword else None, page_number=number, page_size=size
        )
        body = _call(clients, "DescribeZones", request)
        zones = [
            Zone(parse.text(z, "ZoneId"), parse.text(z, "ZoneName"), parse.number(z, "RecordCount"))
            for z in parse.items(body, "Zones", "Zone")
        ]
        return zones, parse.number(body, "TotalItems")

    return all_by_number(page, page_size=_PAGE_SIZE)


def wait_for_zone_gone(
    clients: Clients, *, zone_id: str, timeout_s: float = 120.0, poll: Poll = DEFAULT_POLL
) -> None:
    """Poll ``DescribeZoneInfo`` until the zone is not found."""

    def read() -> ZoneInfo | None:
        try:
            return describe_zone_info(clients, zone_id=zone_id)
        except NotFoundError:
            return None

    wait_for(
        read,
        done=lambda info: info is None,
        state_of=lambda info: "gone" if info is None else f"present ({len(info.bound_vpcs)} VPCs bound)",
        resource=zone_id,
        target="gone",
        timeout_s=timeout_s,
        poll=poll,
    )


def _call(
    clients: Clients, action: str, request: Any, *, retry_also: tuple[type[AlibabaCloudError], ...] = ()
) -> dict[str, Any]:
    return call_sdk(
        clients, Operation(PRODUCT, action, f"pvtz:{action}"), clients.pvtz, request, retry_also=retry_also
    )


def _record(body: Mapping[str, Any]) -> ZoneRecord:
    return ZoneRecord(
        record_id=parse.number(body, "RecordId"),
        rr=parse.text(body, "Rr"),
        record_type=parse.text(body, "Type"),
        value=parse.text(body, "Value"),
        ttl=parse.number(body, "Ttl"),
        status=parse.text(body, "Status"),
    )
