"""Elastic Compute Service (2014-05-26, RPC): security groups, their rules and their network interfaces."""

from emulator.core.service import ServiceSpec
from emulator.services.ecs.handlers import EcsHandlers
from emulator.services.ecs.models import EcsStore

SERVICE = ServiceSpec(
    product="ecs",
    ram_code="ecs",
    version="2014-05-26",
    style="RPC",
    scope="region",
    new_store=EcsStore,
    load_store=EcsStore.load,
    handlers=EcsHandlers,
    actions=[
        "DescribeSecurityGroups",
        "DescribeSecurityGroupAttribute",
        "CreateSecurityGroup",
        "DeleteSecurityGroup",
        "AuthorizeSecurityGroup",
        "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroup",
        "RevokeSecurityGroupEgress",
    ],
)
