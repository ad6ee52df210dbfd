"""PrivateLink (2020-04-15): the endpoint a self-managed resource group uses to reach EAS privately.

One function per API action (the role's 14, plus ``ListVpcEndpointServicesByEndUser``), each
through the policy guard and the retry layer.  Every mutation is asynchronous on the service
side: follow it with a waiter of :mod:`alicloud.privatelink_wait`.  Creates take an
optional ``client_token`` (same token + same parameters = same endpoint, no duplicate).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from alibabacloud_privatelink20200415 import models as m

from alicloud import parse
from alicloud.clients import Clients
from alicloud.errors import AlibabaCloudError, DependencyViolationError
from alicloud.invoke import Operation, call_sdk
from alicloud.paging import all_by_token

PRODUCT = "privatelink"

T = TypeVar("T")


@dataclass(frozen=True)
class EndpointService:
    service_id: str
    service_name: str
    service_domain: str
    zones: tuple[str, ...]
    auto_accept: bool


@dataclass(frozen=True)
class Endpoint:
    endpoint_id: str
    endpoint_name: str
    endpoint_status: str  # Creating | Active | Pending | Deleting
    connection_status: str  # Disconnected | Connecting | Connected | ...
    vpc_id: str
    service_id: str
    service_name: str
    endpoint_domain: str
    create_time: str
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EndpointZone:
    zone_id: str
    vswitch_id: str
    zone_status: str  # Creating | Wait | Connected | Deleting | ...
    eni_id: str
    eni_ip: str
    zone_domain: str


@dataclass(frozen=True)
class EndpointSecurityGroup:
    security_group_id: str
    status: str  # Attaching | Attached | Detaching


@dataclass(frozen=True)
class ZonePlacement:
    """Where to put the endpoint's network interface in one zone (input of create)."""

    zone_id: str
    vswitch_id: str
    ip: str | None = None


# ---- activation ------------------------------------------------------------------------------


def open_private_link_service(clients: Clients) -> str:
    """Activate PrivateLink for the account; returns the billing order id.

    RAM action: ``privatelink:OpenPrivateLinkService``.  Already active:
    :class:`~alicloud.errors.ConflictError` ``OrderOpend`` (treat as done).
    """
    return parse.text(_call(clients, "OpenPrivateLinkService", m.OpenPrivateLinkServiceRequest()), "OrderId")


def check_product_open(clients: Clients) -> bool:
    """Whether PrivateLink is active.

    RAM action: ``privatelink:CheckProductOpen``.  A non-activated account may answer
    ``Success=false`` or the error ``NeedOpenProduct``; both mean False.
    """
    try:
        body = _call(clients, "CheckProductOpen")
    except AlibabaCloudError as error:
        if error.code == "NeedOpenProduct":
            return False
        raise
    return parse.flag(body, "Success")


# ---- endpoint services -------------------------------------------------------------------------


def list_vpc_endpoint_services(
    clients: Clients, *, service_name: str | None = None, service_id: str | None = None
) -> list[EndpointService]:
    """Endpoint services **owned by** the account (provider view).

    RAM action: ``privatelink:ListVpcEndpointServices``.
    """
    return _pages(clients, "ListVpcEndpointServices", "Services", _service, lambda token: (
        m.ListVpcEndpointServicesRequest(region_id=clients.region, service_name=service_name,
                                         service_id=service_id, max_results=100, next_token=token)))


def list_vpc_endpoint_services_by_end_user(
    clients: Clients, *, service_name: str | None = None, service_id: str | None = None
) -> list[EndpointService]:
    """Services the account **may connect to** (consumer view).

    RAM action: ``privatelink:ListVpcEndpointServicesByEndUser``, which the EAS role does not
    have: as the role, pass ``service_name`` straight to :func:`create_vpc_endpoint`.
    """
    return _pages(clients, "ListVpcEndpointServicesByEndUser", "Services", _service, lambda token: (
        m.ListVpcEndpointServicesByEndUserRequest(region_id=clients.region, service_name=service_name,
                                                  service_id=service_id, max_results=100, next_token=token)))


# ---- endpoints -----------------------------------------------------------------------------------------


def create_vpc_endpoint(
    clients: Clients,
    *,
    vpc_id: str,
    security_group_ids: Sequence[str],
    zones: Sequence[ZonePlacement] = (),
    service_name: str | None = None,
    service_id: str | None = None,
    endpoint_name: str | None = None,
    endpoint_description: str | None = None,
    tags: Mapping[str, str] | None = None,
    client_token: str | None = None,
    dry_run: bool = False,
) -> Endpoint:
    """Create an interface endpoint; it starts ``Creating``.

    RAM action: ``privatelink:CreateVpcEndpoint``.  With ``dry_run`` the service only checks the
    request and answers ``DryRunOperation`` (see :mod:`alicloud.permissions`).
    """
    if not (service_name or service_id):
        raise ValueError("give service_name or service_id of the endpoint service to connect to")
    if not 1 <= len(security_group_ids) <= 10:
        raise ValueError("security_group_ids must hold 1 to 10 security group ids")
    if len(zones) > 10:
        raise ValueError("zones may hold at most 10 placements; add more with add_zone_to_vpc_endpoint")
    zone_models = [
        m.CreateVpcEndpointRequestZone(zone_id=z.zone_id, v_switch_id=z.vswitch_id, ip=z.ip) for z in zones
    ]
    tag_models = [m.CreateVpcEndpointRequestTag(key=k, value=v) for k, v in (tags or {}).items()]
    request = m.CreateVpcEndpointRequest(
        region_id=clients.region, vpc_id=vpc_id, service_name=service_name, service_id=service_id,
        security_group_id=list(security_group_ids), endpoint_type="Interface", zone=zone_models or None,
        endpoint_name=endpoint_name, endpoint_description=endpoint_description, tag=tag_models or None,
        client_token=client_token, dry_run=dry_run or None,
    )
    return _endpoint(_call(clients, "CreateVpcEndpoint", request))


def list_vpc_endpoints(
    clients: Clients,
    *,
    vpc_id: str | None = None,
    endpoint_name: str | None = None,
    service_name: str | None = None,
    endpoint_id: str | None = None,
) -> list[Endpoint]:
    """Endpoints matching the filters (find an endpoint again by name after a crash).

    RAM action: ``privatelink:ListVpcEndpoints``.
    """
    return _pages(clients, "ListVpcEndpoints", "Endpoints", _endpoint, lambda token: (
        m.ListVpcEndpointsRequest(region_id=clients.region, vpc_id=vpc_id, endpoint_name=endpoint_name,
                                  service_name=service_name, endpoint_id=endpoint_id, max_results=50,
                                  next_token=token)))


def get_vpc_endpoint_attribute(clients: Clients, *, endpoint_id: str) -> Endpoint:
    """One endpoint; :class:`~alicloud.errors.NotFoundError` once it is deleted.

    RAM action: ``privatelink:GetVpcEndpointAttribute``.
    """
    request = m.GetVpcEndpointAttributeRequest(region_id=clients.region, endpoint_id=endpoint_id)
    return _endpoint(_call(clients, "GetVpcEndpointAttribute", request))


def update_vpc_endpoint_attribute(
    clients: Clients,
    *,
    endpoint_id: str,
    endpoint_name: str | None = None,
    endpoint_description: str | None = None,
    client_token: str | None = None,
) -> None:
    """Rename or re-describe an endpoint.

    RAM action: ``privatelink:UpdateVpcEndpointAttribute``.
    """
    _call(clients, "UpdateVpcEndpointAttribute", m.UpdateVpcEndpointAttributeRequest(
        region_id=clients.region, endpoint_id=endpoint_id, endpoint_name=endpoint_name,
        endpoint_description=endpoint_description, client_token=client_token))


def delete_vpc_endpoint(
    clients: Clients, *, endpoint_id: str, client_token: str | None = None, draining: bool = False
) -> None:
    """Delete an endpoint: ``Deleting``, then not found.

    RAM action: ``privatelink:DeleteVpcEndpoint``.  Zones must be removed first
    (``EndpointDependenceViolation``); ``draining=True`` retries that error within the deadline,
    for zones already being removed.
    """
    request = m.DeleteVpcEndpointRequest(
        region_id=clients.region, endpoint_id=endpoint_id, client_token=client_token)
    _call(clients, "DeleteVpcEndpoint", request, retry_also=(DependencyViolationError,) if draining else ())


# ---- security groups of an endpoint -------------------------------------------------------------


def list_vpc_endpoint_security_groups(clients: Clients, *, endpoint_id: str) -> list[EndpointSecurityGroup]:
    """Security groups on an endpoint, with their attach status.

    RAM action: ``privatelink:ListVpcEndpointSecurityGroups``.
    """
    return _pages(clients, "ListVpcEndpointSecurityGroups", "SecurityGroups", _security_group, lambda token: (
        m.ListVpcEndpointSecurityGroupsRequest(region_id=clients.region, endpoint_id=endpoint_id,
                                               max_results=50, next_token=token)))


def attach_security_group_to_vpc_endpoint(
    clients: Clients, *, endpoint_id: str, security_group_id: str, client_token: str | None = None
) -> None:
    """Attach one group; the endpoint goes ``Pending`` until done.

    RAM action: ``privatelink:AttachSecurityGroupToVpcEndpoint``.
    """
    _call(clients, "AttachSecurityGroupToVpcEndpoint", m.AttachSecurityGroupToVpcEndpointRequest(
        region_id=clients.region, endpoint_id=endpoint_id, security_group_id=security_group_id,
        client_token=client_token))


def detach_security_group_from_vpc_endpoint(
    clients: Clients, *, endpoint_id: str, security_group_id: str, client_token: str | None = None
) -> None:
    """Detach one group (never the last one: ``EndpointMustContainSecurityGroup``).

    RAM action: ``privatelink:DetachSecurityGroupFromVpcEndpoint``.
    """
    _call(clients, "DetachSecurityGroupFromVpcEndpoint", m.DetachSecurityGroupFromVpcEndpointRequest(
        region_id=clients.region, endpoint_id=endpoint_id, security_group_id=security_group_id,
        client_token=client_token))


# ---- zones of an endpoint ------------------------------------------------------------------------


def add_zone_to_vpc_endpoint(
    clients: Clients,
    *,
    endpoint_id: str,
    zone_id: str,
    vswitch_id: str,
    ip: str | None = None,
    client_token: str | None = None,
) -> None:
    """Add a zone (a network interface in ``vswitch_id``): ``Creating``, then ``Wait``/``Connected``.

    RAM action: ``privatelink:AddZoneToVpcEndpoint``.
    """
    _call(clients, "AddZoneToVpcEndpoint", m.AddZoneToVpcEndpointRequest(
        region_id=clients.region, endpoint_id=endpoint_id, zone_id=zone_id, v_switch_id=vswitch_id, ip=ip,
        client_token=client_token))


def remove_zone_from_vpc_endpoint(
    clients: Clients, *, endpoint_id: str, zone_id: str, client_token: str | None = None
) -> None:
    """Remove a zone: ``Deleting``, then it disappears from the list.

    RAM action: ``privatelink:RemoveZoneFromVpcEndpoint``.
    """
    _call(clients, "RemoveZoneFromVpcEndpoint", m.RemoveZoneFromVpcEndpointRequest(
        region_id=clients.region, endpoint_id=endpoint_id, zone_id=zone_id, client_token=client_token))


def list_vpc_endpoint_zones(clients: Clients, *, endpoint_id: str) -> list[EndpointZone]:
    """Zones of an endpoint with their status.

    RAM action: ``privatelink:ListVpcEndpointZones``.
    """
    return _pages(clients, "ListVpcEndpointZones", "Zones", _zone, lambda token: (
        m.ListVpcEndpointZonesRequest(region_id=clients.region, endpoint_id=endpoint_id, max_results=50,
                                      next_token=token)))


# ---- internals -------------------------------------------------------------------------------------


def _call(
    clients: Clients,
    action: str,
    request: Any = None,
    *,
    retry_also: tuple[type[AlibabaCloudError], ...] = (),
) -> dict[str, Any]:
    op = Operation(PRODUCT, action, f"privatelink:{action}")
    return call_sdk(clients, op, clients.privatelink, request, retry_also=retry_also)


def _pages(
    clients: Clients,
    action: str,
    key: str,
    convert: Callable[[Mapping[str, Any]], T],
    build: Callable[[str | None], Any],
) -> list[T]:
    def page(token: str | None) -> tuple[list[T], str | None]:
        body = _call(clients, action, build(token))
        return [convert(item) for item in parse.items(body, key)], parse.text(body, "NextToken") or None

    return all_by_token(page)


def _service(body: Mapping[str, Any]) -> EndpointService:
    return EndpointService(
        service_id=parse.text(body, "ServiceId"),
        service_name=parse.text(body, "ServiceName"),
        service_domain=parse.text(body, "ServiceDomain"),
        zones=parse.texts(body, "Zones"),
        auto_accept=parse.flag(body, "AutoAcceptEnabled"),
    )


def _endpoint(body: Mapping[str, Any]) -> Endpoint:
    return Endpoint(
        endpoint_id=parse.text(body, "EndpointId"),
        endpoint_name=parse.text(body, "EndpointName"),
        endpoint_status=parse.text(body, "EndpointStatus"),
        connection_status=parse.text(body, "ConnectionStatus"),
        vpc_id=parse.text(body, "VpcId"),
        service_id=parse.text(body, "ServiceId"),
        service_name=parse.text(body, "ServiceName"),
        endpoint_domain=parse.text(body, "EndpointDomain"),
        create_time=parse.text(body, "CreateTime"),
        tags=parse.tags(body),
    )


def _security_group(body: Mapping[str, Any]) -> EndpointSecurityGroup:
    return EndpointSecurityGroup(parse.text(body, "SecurityGroupId"), parse.text(body, "SecurityGroupStatus"))


def _zone(body: Mapping[str, Any]) -> EndpointZone:
    return EndpointZone(
        zone_id=parse.text(body, "ZoneId"),
        vswitch_id=parse.text(body, "VSwitchId"),
        zone_status=parse.text(body, "ZoneStatus"),
        eni_id=parse.text(body, "EniId"),
        eni_ip=parse.text(body, "EniIp"),
        zone_domain=parse.text(body, "ZoneDomain"),
    )
