"""Set-ups that make the EAS service-linked role "used": a VPC endpoint to the PAI-EAS service."""

from __future__ import annotations

from alibabacloud_privatelink20200415 import models as pl
from alibabacloud_privatelink20200415.client import Client as PrivateLinkClient

from tests.support.emulator_control import EmulatorControl
from tests.support.sdk import generic_rpc, tea_config
from tests.support.world import EAS_SERVICE, REGION, VPC_ID, VSWITCH_J, ZONE_J

ECS_VERSION = "2014-05-26"


def create_eas_endpoint(emulator: EmulatorControl) -> str:
    """Activate PrivateLink, create a security group and an endpoint to the EAS service; its id."""
    config = tea_config(emulator)
    client = PrivateLinkClient(config)
    client.open_private_link_service(pl.OpenPrivateLinkServiceRequest())
    group = generic_rpc(
        config,
        ECS_VERSION,
        "CreateSecurityGroup",
        {"RegionId": REGION, "VpcId": VPC_ID, "SecurityGroupName": "eas-role-usage"},
    )
    request = pl.CreateVpcEndpointRequest(
        region_id=REGION,
        vpc_id=VPC_ID,
        service_name=EAS_SERVICE,
        endpoint_name="eas-role-usage",
        security_group_id=[group["SecurityGroupId"]],
        zone=[pl.CreateVpcEndpointRequestZone(zone_id=ZONE_J, v_switch_id=VSWITCH_J)],
    )
    return str(client.create_vpc_endpoint(request).body.endpoint_id)
