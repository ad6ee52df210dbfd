"""Virtual Private Cloud (2016-04-28, RPC): VPCs and vSwitches, read-only, seeded from the world file."""

from emulator.core.service import ServiceSpec
from emulator.services.vpc.handlers import VpcHandlers
from emulator.services.vpc.models import VpcStore, seed

SERVICE = ServiceSpec(
    product="vpc",
    ram_code="vpc",
    version="2016-04-28",
    style="RPC",
    scope="region",
    new_store=VpcStore,
    load_store=VpcStore.load,
    handlers=VpcHandlers,
    seed=seed,
    actions=["DescribeVpcs", "DescribeVpcAttribute", "DescribeVSwitches", "DescribeVSwitchAttributes"],
)
