"""VPCs and vSwitches of one account in one region: read-only through the API, filled from the world file.

The vSwitch knows its CIDR block, hence which private addresses it can hand out.  Which addresses
are taken is not kept here: network interfaces (ECS) hold them, and the callers pass the taken set
in (``AvailableIpAddressCount``, PrivateLink's choice of an endpoint address).
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from emulator.core.api import Record, iso_now, record_to_dict

#: The first address and the last three of every vSwitch CIDR block are reserved by the platform.
RESERVED_HEAD = 1
RESERVED_TAIL = 3


def default_resource_group(account_id: str) -> str:
    """A stable id for the account's default resource group (``rg-acfm…``)."""
    return "rg-acfm" + hashlib.sha256(account_id.encode()).hexdigest()[:13]


@dataclass
class Vpc(Record):
    vpc_id: str
    vpc_name: str
    cidr_block: str
    status: str = "Available"
    description: str = ""
    is_default: bool = False
    creation_time: str = ""
    vrouter_id: str = ""
    route_table_id: str = ""
    resource_group_id: str = ""
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class VSwitch(Record):
    vswitch_id: str
    vpc_id: str
    zone_id: str
    cidr_block: str
    vswitch_name: str = ""
    status: str = "Available"
    description: str = ""
    is_default: bool = False
    creation_time: str = ""
    resource_group_id: str = ""
    tags: list[dict[str, str]] = field(default_factory=list)

    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(self.cidr_block, strict=False)

    def capacity(self) -> int:
        """Addresses the platform lets resources use."""
        return max(self.network().num_addresses - RESERVED_HEAD - RESERVED_TAIL, 0)

    def usable(self, ip: str) -> bool:
        try:
            address = ipaddress.IPv4Address(ip)
        except ValueError:
            return False
        net = self.network()
        if address not in net:
            return False
        offset = int(address) - int(net.network_address)
        return RESERVED_HEAD <= offset < net.num_addresses - RESERVED_TAIL

    def first_free(self, taken: Iterable[str]) -> str | None:
        used = set(taken)
        net = self.network()
        base = int(net.network_address)
        for offset in range(RESERVED_HEAD, net.num_addresses - RESERVED_TAIL):
            candidate = str(ipaddress.IPv4Address(base + offset))
            if candidate not in used:
                return candidate
        return None


class VpcStore:
    """The VPCs and vSwitches of one account in one region."""

    def __init__(self) -> None:
        self.vpcs: dict[str, Vpc] = {}
        self.vswitches: dict[str, VSwitch] = {}
        self.default_resource_group = ""

    # -- queries -----------------------------------------------------------------------------

    def vpc(self, vpc_id: str) -> Vpc | None:
        return self.vpcs.get(vpc_id)

    def vswitch(self, vswitch_id: str) -> VSwitch | None:
        return self.vswitches.get(vswitch_id)

    def vswitches_of(self, vpc_id: str) -> list[VSwitch]:
        return [v for v in self.vswitches.values() if v.vpc_id == vpc_id]

    def settle_all(self, now: float) -> None:
        """Nothing here changes by itself."""

    # -- test set-ups through the control API --------------------------------------------------

    def admin_set_vswitch_status(self, vswitch_id: str, status: str) -> dict[str, Any]:
        """Put a vSwitch in ``Pending`` (or back to ``Available``) to exercise status checks."""
        vswitch = self.vswitches.get(vswitch_id)
        if vswitch is None:
            raise ValueError(f"no vSwitch {vswitch_id}")
        if status not in ("Pending", "Available"):
            raise ValueError("status must be Pending or Available")
        vswitch.status = status
        return {"VSwitchId": vswitch_id, "Status": status}

    # -- persistence and seeding -------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        return {
            "default_resource_group": self.default_resource_group,
            "vpcs": [record_to_dict(v) for v in self.vpcs.values()],
            "vswitches": [record_to_dict(v) for v in self.vswitches.values()],
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> VpcStore:
        store = cls()
        store.default_resource_group = data.get("default_resource_group", "")
        for raw in data.get("vpcs", []):
            store.vpcs[raw["vpc_id"]] = Vpc(**raw)
        for raw in data.get("vswitches", []):
            store.vswitches[raw["vswitch_id"]] = VSwitch(**raw)
        return store


def seed(store: VpcStore, account: dict[str, Any], region: str | None) -> None:
    """Fill the store from the world file's ``vpcs`` and ``vswitches`` of that region."""
    section = account.get("regions", {}).get(region or "", {})
    group = default_resource_group(str(account.get("account_id", "")))
    store.default_resource_group = group
    created = iso_now()
    for raw in section.get("vpcs", []):
        suffix = raw["VpcId"].removeprefix("vpc-")
        store.vpcs[raw["VpcId"]] = Vpc(
            vpc_id=raw["VpcId"],
            vpc_name=raw.get("VpcName", ""),
            cidr_block=raw["CidrBlock"],
            status=raw.get("Status", "Available"),
            description=raw.get("Description", ""),
            is_default=bool(raw.get("IsDefault", False)),
            creation_time=raw.get("CreationTime", created),
            vrouter_id="vrt-" + suffix,
            route_table_id="vtb-" + suffix,
            resource_group_id=raw.get("ResourceGroupId", group),
            tags=list(raw.get("Tags", [])),
        )
    for raw in section.get("vswitches", []):
        store.vswitches[raw["VSwitchId"]] = VSwitch(
            vswitch_id=raw["VSwitchId"],
            vpc_id=raw["VpcId"],
            zone_id=raw["ZoneId"],
            cidr_block=raw["CidrBlock"],
            vswitch_name=raw.get("VSwitchName", ""),
            status=raw.get("Status", "Available"),
            description=raw.get("Description", ""),
            is_default=bool(raw.get("IsDefault", False)),
            creation_time=raw.get("CreationTime", created),
            resource_group_id=raw.get("ResourceGroupId", group),
            tags=list(raw.get("Tags", [])),
        )
