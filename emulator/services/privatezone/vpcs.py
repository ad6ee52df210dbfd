"""What PrivateZone needs to know of the VPC product: whether a VPC exists, and its name.

The VPC service's store (``world.store("vpc", account, region)``, exposing ``vpc(vpc_id)``) is
the source; when that service is not loaded the account's section of the world file is read,
so PrivateZone stays usable on its own.
"""

from __future__ import annotations

from typing import Any

from emulator.core.service import WorldView
from emulator.services.privatezone.models import VpcLookup

REGION_NAMES = {
    "cn-hangzhou": "China (Hangzhou)", "cn-shanghai": "China (Shanghai)",
    "cn-beijing": "China (Beijing)", "cn-shenzhen": "China (Shenzhen)", "cn-qingdao": "China (Qingdao)",
    "cn-zhangjiakou": "China (Zhangjiakou)", "cn-hongkong": "China (Hong Kong)",
    "ap-southeast-1": "Singapore", "eu-central-1": "Germany (Frankfurt)",
    "us-west-1": "US (Silicon Valley)", "us-east-1": "US (Virginia)",
}


def region_name(region: str) -> str:
    return REGION_NAMES.get(region, region)


def vpc_lookup(world: WorldView, account_id: str) -> VpcLookup:
    """A lookup ``(region, vpc_id) -> {"VpcId", "VpcName"} | None`` over the account's VPCs."""

    def lookup(region: str, vpc_id: str) -> dict[str, Any] | None:
        if region not in world.regions(account_id):
            return None
        try:
            store = world.store("vpc", account_id, region)
        except KeyError:  # the VPC service is not loaded: the world file is the truth
            store = None
        if store is not None and callable(getattr(store, "vpc", None)):
            vpc = store.vpc(vpc_id)
            return None if vpc is None else {"VpcId": vpc.vpc_id, "VpcName": vpc.vpc_name}
        section = world.seed_of(account_id).get("regions", {}).get(region, {})
        for raw in section.get("vpcs", []):
            if raw.get("VpcId") == vpc_id:
                return {"VpcId": vpc_id, "VpcName": raw.get("VpcName", "")}
        return None

    return lookup


def vpc_name(world: WorldView, region: str, vpc_id: str) -> str:
    """The VPC's name in whichever account of the world owns it ("" when none does)."""
    for account_id in world.account_ids():
        found = vpc_lookup(world, account_id)(region, vpc_id)
        if found is not None:
            return str(found["VpcName"])
    return ""
