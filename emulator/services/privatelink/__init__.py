"""PrivateLink (2020-04-15, RPC): activation, endpoint services, VPC endpoints, their zones and groups.

Endpoint zones own network interfaces kept in the ECS store (they hold security groups there) and
take their addresses from the VPC store's vSwitches.
"""

from emulator.core.service import ServiceSpec
from emulator.services.privatelink.handlers import PrivateLinkHandlers
from emulator.services.privatelink.models import PrivateLinkStore, seed

ACTIONS = [
    # what the EAS role may call
    "OpenPrivateLinkService",
    "CheckProductOpen",
    "ListVpcEndpointServices",
    "CreateVpcEndpoint",
    "ListVpcEndpoints",
    "UpdateVpcEndpointAttribute",
    "GetVpcEndpointAttribute",
    "ListVpcEndpointSecurityGroups",
    "AttachSecurityGroupToVpcEndpoint",
    "DetachSecurityGroupFromVpcEndpoint",
    "AddZoneToVpcEndpoint",
    "RemoveZoneFromVpcEndpoint",
    "ListVpcEndpointZones",
    "DeleteVpcEndpoint",
    # the consumer's lookup of services
    "ListVpcEndpointServicesByEndUser",
]

SERVICE = ServiceSpec(
    product="privatelink",
    ram_code="privatelink",
    version="2020-04-15",
    style="RPC",
    scope="region",
    new_store=PrivateLinkStore,
    load_store=PrivateLinkStore.load,
    handlers=PrivateLinkHandlers,
    seed=seed,
    actions=ACTIONS,
)
