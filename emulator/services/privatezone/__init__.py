"""Alibaba Cloud DNS PrivateZone (``pvtz``, API 2018-01-01, RPC).

Zones are global within an account (``scope="account"``); a binding names the VPC's region.
"""

from __future__ import annotations

from emulator.core.service import ServiceSpec
from emulator.services.privatezone.handlers import PrivateZoneHandlers
from emulator.services.privatezone.models import PrivateZoneStore, seed

ACTIONS = [
    "AddZone", "BindZoneVpc", "AddZoneRecord", "DeleteZone",  # what the EAS role may call
    "DescribeZones", "DescribeZoneInfo", "DescribeZoneRecords", "DeleteZoneRecord",
]

SERVICE = ServiceSpec(
    product="privatezone",
    ram_code="pvtz",
    version="2018-01-01",
    style="RPC",
    scope="account",
    new_store=PrivateZoneStore,
    load_store=PrivateZoneStore.load,
    handlers=PrivateZoneHandlers,
    seed=seed,
    actions=ACTIONS,
)

__all__ = ["SERVICE", "PrivateZoneHandlers", "PrivateZoneStore"]
