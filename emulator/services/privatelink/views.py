"""Response bodies of PrivateLink, in the SDK models' exact casing and types."""

from __future__ import annotations

from typing import Any

from emulator.services.privatelink.models import Attachment, Endpoint, EndpointService, EndpointZone

DOMAIN = "privatelink.aliyuncs.com"


def endpoint_domain(endpoint_id: str, service_id: str, region: str) -> str:
    return f"{endpoint_id}.{service_id}.{region}.{DOMAIN}"


def zone_domain(endpoint_id: str, zone_id: str, service_id: str, region: str) -> str:
    # The SDK's documented example: <endpoint>-<zone>.<service>.<region>.privatelink.aliyuncs.com
    return f"{endpoint_id}-{zone_id}.{service_id}.{region}.{DOMAIN}"


def endpoint_summary(endpoint: Endpoint) -> dict[str, Any]:
    """The fields common to CreateVpcEndpoint, GetVpcEndpointAttribute and ListVpcEndpoints."""
    return {
        "EndpointId": endpoint.endpoint_id,
        "EndpointName": endpoint.endpoint_name,
        "EndpointDescription": endpoint.endpoint_description,
        "EndpointStatus": endpoint.status,
        "ConnectionStatus": endpoint.connection_status,
        "EndpointBusinessStatus": endpoint.business_status,
        "EndpointDomain": endpoint_domain(endpoint.endpoint_id, endpoint.service_id, endpoint.region_id),
        "ServiceId": endpoint.service_id,
        "ServiceName": endpoint.service_name,
        "ServiceRegionId": endpoint.region_id,
        "VpcId": endpoint.vpc_id,
        "Bandwidth": endpoint.bandwidth,
        "CreateTime": endpoint.create_time,
        "AddressIpVersion": endpoint.address_ip_version,
        "ZoneAffinityEnabled": endpoint.zone_affinity_enabled,
    }


def endpoint_detail(endpoint: Endpoint, service: EndpointService | None) -> dict[str, Any]:
    view = endpoint_summary(endpoint)
    view.update(
        {
            "EndpointType": endpoint.endpoint_type,
            "RegionId": endpoint.region_id,
            "ResourceGroupId": endpoint.resource_group_id,
            "ResourceOwner": bool(service and service.owned),
            "PolicyDocument": endpoint.policy_document,
            "ProtectedEnabled": endpoint.protected_enabled,
        }
    )
    return view


def endpoint_attribute(endpoint: Endpoint, service: EndpointService | None) -> dict[str, Any]:
    view = endpoint_detail(endpoint, service)
    view.update({"Payer": service.payer if service else "Endpoint", "ZonePrivateIpAddressCount": 1})
    return view


def endpoint_listed(endpoint: Endpoint, service: EndpointService | None) -> dict[str, Any]:
    view = endpoint_detail(endpoint, service)
    view["Tags"] = [dict(t) for t in endpoint.tags]
    return view


def zone_view(zone: EndpointZone, region: str) -> dict[str, Any]:
    return {
        "ZoneId": zone.zone_id,
        "VSwitchId": zone.vswitch_id,
        "EniId": zone.eni_id,
        "EniIp": zone.eni_ip,
        "ZoneDomain": zone.zone_domain,
        "ZoneStatus": zone.status,
        "RegionId": region,
        "ZoneIpv6Address": "",
    }


def attachment_view(attachment: Attachment) -> dict[str, Any]:
    return {"SecurityGroupId": attachment.security_group_id, "SecurityGroupStatus": attachment.status}


def service_for_consumer(service: EndpointService) -> dict[str, Any]:
    """An entry of ListVpcEndpointServicesByEndUser."""
    return {
        "ServiceId": service.service_id,
        "ServiceName": service.service_name,
        "ServiceDomain": service.service_domain,
        "ServiceType": service.service_type,
        "ServiceResourceType": service.resource_type,
        "Zones": list(service.zones),
        "Payer": service.payer,
        "AutoAcceptEnabled": service.auto_accept,
        "ZoneAffinityEnabled": False,
        "ServiceSupportIPv6": False,
        "AddressIpVersion": "IPv4",
        "VpcEndpointPolicySupported": False,
        "ResourceGroupId": "",
        "Tags": [dict(t) for t in service.tags],
    }


def service_for_provider(service: EndpointService, region: str) -> dict[str, Any]:
    """An entry of ListVpcEndpointServices."""
    view = service_for_consumer(service)
    for key in ("Zones", "VpcEndpointPolicySupported"):
        view.pop(key)
    view.update(
        {
            "ServiceStatus": "Active",
            "ServiceBusinessStatus": "Normal",
            "ServiceDescription": service.description,
            "CreateTime": service.create_time,
            "RegionId": region,
            "MinBandwidth": 100,
            "MaxBandwidth": 10240,
            "ConnectBandwidth": 3072,
            "SupportedRegionSet": [],
        }
    )
    return view
