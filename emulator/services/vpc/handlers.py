"""VPC actions (2016-04-28): the four reads the EAS role may call.

Unknown ids: ``DescribeVpcs`` and ``DescribeVSwitches`` filter (an unknown VpcId in
``DescribeVSwitches`` is ``Forbidden.VpcNotFound``); ``DescribeVSwitchAttributes`` answers
``InvalidVSwitchId.NotFound``; ``DescribeVpcAttribute`` answers 200 with an empty ``VpcId`` — the
shape current clients (terraform's ``DescribeVpcVpc``) test for "not found".
"""

from __future__ import annotations

from typing import Any

from emulator.core.api import Call, page_by_number
from emulator.core.service import WorldView
from emulator.services.vpc import errors
from emulator.services.vpc.models import Vpc, VpcStore, VSwitch

MAX_IDS = 20


class VpcHandlers:
    def __init__(self, world: WorldView):
        self.world = world

    def _store(self, call: Call) -> VpcStore:
        store: VpcStore = self.world.store("vpc", call.account_id, call.region)
        return store

    def _available(self, call: Call, vswitch: VSwitch) -> int:
        ecs = self.world.store("ecs", call.account_id, call.region)
        taken = ecs.enis.ips_in_use(vswitch.vswitch_id, call.now)
        return max(vswitch.capacity() - len(taken), 0)

    # -- actions -----------------------------------------------------------------------------

    def describe_vpcs(self, call: Call) -> dict[str, Any]:
        call.params.req("RegionId")
        store = self._store(call)
        ids = _id_list(call.params.str("VpcId"))
        if len(ids) > MAX_IDS:
            raise errors.VpcIdNumberError()
        vpcs = [v for v in store.vpcs.values() if _vpc_matches(v, call, ids)]
        page, number, size = page_by_number(vpcs, call, default=10, maximum=50)
        _dry_run(call)
        return {
            "RequestId": call.request_id,
            "TotalCount": len(vpcs),
            "PageNumber": number,
            "PageSize": size,
            "Vpcs": {"Vpc": [_vpc_view(store, v, call) for v in page]},
        }

    def describe_vpc_attribute(self, call: Call) -> dict[str, Any]:
        call.params.req("RegionId")
        vpc_id = call.params.req("VpcId")
        store = self._store(call)
        vpc = store.vpc(vpc_id)
        _dry_run(call)
        if vpc is None:
            return {
                "RequestId": call.request_id,
                "VpcId": "",
                "VSwitchIds": {"VSwitchId": []},
                "Tags": {"Tag": []},
            }
        view = _vpc_view(store, vpc, call)
        for key in ("RouterTableIds", "NatGatewayIds", "DnsHostnameStatus"):
            view.pop(key)
        counts = {"VSwitch": len(store.vswitches_of(vpc_id)), "VRouter": 1, "RouteTable": 1}
        view.update(
            {
                "RequestId": call.request_id,
                "ClassicLinkEnabled": False,
                "SupportIpv4Gateway": False,
                "Ipv4GatewayId": "",
                "AssociatedCens": {"AssociatedCen": []},
                "CloudResources": {
                    "CloudResourceSetType": [
                        {"ResourceType": kind, "ResourceCount": n} for kind, n in counts.items()
                    ]
                },
            }
        )
        return view

    def describe_vswitches(self, call: Call) -> dict[str, Any]:
        if "RegionId" not in call.params and "VpcId" not in call.params:
            raise errors.MissingRegionOrVpcError()
        store = self._store(call)
        vpc_id = call.params.str("VpcId")
        if vpc_id and store.vpc(vpc_id) is None:
            raise errors.VpcNotFoundForVSwitchesError(vpc_id)
        ids = _id_list(call.params.str("VSwitchId"))
        if len(ids) > MAX_IDS:
            raise errors.VSwitchIdNumberError()
        found = [v for v in store.vswitches.values() if _vswitch_matches(v, call, ids)]
        page, number, size = page_by_number(found, call, default=10, maximum=50)
        _dry_run(call)
        return {
            "RequestId": call.request_id,
            "TotalCount": len(found),
            "PageNumber": number,
            "PageSize": size,
            "VSwitches": {"VSwitch": [self._vswitch_view(store, v, call) for v in page]},
        }

    def describe_vswitch_attributes(self, call: Call) -> dict[str, Any]:
        vswitch_id = call.params.req("VSwitchId")
        store = self._store(call)
        vswitch = store.vswitch(vswitch_id)
        if vswitch is None:
            raise errors.VSwitchNotFoundError(vswitch_id)
        _dry_run(call)
        view = self._vswitch_view(store, vswitch, call)
        view["RequestId"] = call.request_id
        return view

    def _vswitch_view(self, store: VpcStore, vswitch: VSwitch, call: Call) -> dict[str, Any]:
        vpc = store.vpc(vswitch.vpc_id)
        return {
            "VSwitchId": vswitch.vswitch_id,
            "VpcId": vswitch.vpc_id,
            "Status": vswitch.status,
            "CidrBlock": vswitch.cidr_block,
            "Ipv6CidrBlock": "",
            "EnabledIpv6": False,
            "ZoneId": vswitch.zone_id,
            "AvailableIpAddressCount": self._available(call, vswitch),
            "Description": vswitch.description,
            "VSwitchName": vswitch.vswitch_name,
            "CreationTime": vswitch.creation_time,
            "IsDefault": vswitch.is_default,
            "ResourceGroupId": vswitch.resource_group_id,
            "NetworkAclId": "",
            "OwnerId": _owner(call),
            "RegionId": call.region,
            "RouteTable": {"RouteTableId": vpc.route_table_id if vpc else "", "RouteTableType": "System"},
            "Tags": {"Tag": [dict(t) for t in vswitch.tags]},
        }


# -- helpers ---------------------------------------------------------------------------------


def _dry_run(call: Call) -> None:
    if call.params.bool("DryRun"):
        raise errors.DryRunPassedError()


def _owner(call: Call) -> int | str:
    return int(call.account_id) if call.account_id.isdigit() else call.account_id


def _id_list(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def _tags_match(tags: list[dict[str, str]], call: Call) -> bool:
    for wanted in call.params.list("Tag"):
        if not isinstance(wanted, dict) or not wanted.get("Key"):
            continue
        values = [t.get("Value", "") for t in tags if t.get("Key") == wanted["Key"]]
        if not values or ("Value" in wanted and wanted["Value"] not in values):
            return False
    return True


def _vpc_matches(vpc: Vpc, call: Call, ids: list[str]) -> bool:
    params = call.params
    if ids and vpc.vpc_id not in ids:
        return False
    if "VpcName" in params and vpc.vpc_name != params.str("VpcName"):
        return False
    if "IsDefault" in params and vpc.is_default != params.bool("IsDefault"):
        return False
    if "ResourceGroupId" in params and vpc.resource_group_id != params.str("ResourceGroupId"):
        return False
    return _tags_match(vpc.tags, call)


def _vswitch_matches(vswitch: VSwitch, call: Call, ids: list[str]) -> bool:
    params = call.params
    if ids and vswitch.vswitch_id not in ids:
        return False
    for param, value in (
        ("VpcId", vswitch.vpc_id),
        ("ZoneId", vswitch.zone_id),
        ("VSwitchName", vswitch.vswitch_name),
        ("ResourceGroupId", vswitch.resource_group_id),
    ):
        if param in params and params.str(param) != value:
            return False
    if "IsDefault" in params and vswitch.is_default != params.bool("IsDefault"):
        return False
    return _tags_match(vswitch.tags, call)


def _vpc_view(store: VpcStore, vpc: Vpc, call: Call) -> dict[str, Any]:
    return {
        "VpcId": vpc.vpc_id,
        "VpcName": vpc.vpc_name,
        "Status": vpc.status,
        "CidrBlock": vpc.cidr_block,
        "SecondaryCidrBlocks": {"SecondaryCidrBlock": []},
        "UserCidrs": {"UserCidr": []},
        "Ipv6CidrBlock": "",
        "Ipv6CidrBlocks": {"Ipv6CidrBlock": []},
        "EnabledIpv6": False,
        "VSwitchIds": {"VSwitchId": [v.vswitch_id for v in store.vswitches_of(vpc.vpc_id)]},
        "RouterTableIds": {"RouterTableIds": [vpc.route_table_id]},
        "NatGatewayIds": {"NatGatewayIds": []},
        "VRouterId": vpc.vrouter_id,
        "IsDefault": vpc.is_default,
        "RegionId": call.region,
        "CreationTime": vpc.creation_time,
        "Description": vpc.description,
        "ResourceGroupId": vpc.resource_group_id,
        "OwnerId": _owner(call),
        "DhcpOptionsSetId": "",
        "DhcpOptionsSetStatus": "",
        "CenStatus": "Detached",
        "DnsHostnameStatus": "DISABLED",
        "Tags": {"Tag": [dict(t) for t in vpc.tags]},
    }
