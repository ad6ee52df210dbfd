"""Variants of the emulator's default world, for scenarios the default one cannot hold.

A variant is the default world document with a few additions (a principal missing one action,
a third vSwitch, more VPCs each with its own cluster), written to a file an
:class:`~emulator.core.server.EmulatorServer` of its own is started from.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from emulator.core.server import EmulatorServer
from tests.support.emulator_control import EmulatorControl
from tests.support.world import REGION, VPC_ID

DEFAULT_WORLD = Path(__file__).resolve().parents[3] / "emulator" / "world" / "default.json"

VSWITCH_H = "vsw-bp1easrg0demo00000h1"


def default_world() -> dict[str, Any]:
    world: dict[str, Any] = json.loads(DEFAULT_WORLD.read_text())
    for account in world["accounts"]:  # policy files are found next to the world file: make them absolute
        for principal in account["principals"]:
            if isinstance(principal.get("policy"), str):
                principal["policy"] = str(DEFAULT_WORLD.parent / principal["policy"])
    return world


def _account(world: dict[str, Any]) -> dict[str, Any]:
    account: dict[str, Any] = world["accounts"][0]
    return account


def _hangzhou(world: dict[str, Any]) -> dict[str, Any]:
    region: dict[str, Any] = _account(world)["regions"][REGION]
    return region


def add_principal_without(world: dict[str, Any], name: str, denied: list[str]) -> tuple[str, str]:
    """A RAM user of the owner's account allowed everything but ``denied``; its key pair."""
    key_id, secret = f"LTAI-emulator-{name}", f"emulator-{name}-secret"
    policy = {
        "Version": "1",
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": denied, "Resource": "*"},
        ],
    }
    _account(world)["principals"].append(
        {"name": name, "access_key_id": key_id, "access_key_secret": secret, "policy": policy}
    )
    return key_id, secret


def add_zone_h_vswitch(world: dict[str, Any]) -> None:
    """A third vSwitch of the demo VPC, in cn-hangzhou-h (the PAI-EAS service serves h, j and k)."""
    _hangzhou(world)["vswitches"].append(
        {
            "VSwitchId": VSWITCH_H,
            "VpcId": VPC_ID,
            "ZoneId": "cn-hangzhou-h",
            "CidrBlock": "192.168.3.0/24",
            "VSwitchName": "eas-rg-demo-h",
            "Status": "Available",
        }
    )


def add_tenant_networks(world: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """``count`` more VPCs, each with vSwitches in j and k and a running cluster; their ids."""
    region = _hangzhou(world)
    template = region["clusters"][0]
    tenants = []
    for index in range(count):
        vpc_id, cidr = f"vpc-bp1tenant{index:02d}00000000", f"10.{100 + index}.0.0/16"
        vswitches = [f"vsw-bp1tenant{index:02d}000000{z}1" for z in ("j", "k")]
        cluster_id = f"c{index:02d}tenant000000000000000000000"
        region["vpcs"].append(
            {"VpcId": vpc_id, "VpcName": f"tenant-{index}", "CidrBlock": cidr, "Status": "Available"}
        )
        for zone, vswitch_id, third in zip(("j", "k"), vswitches, (1, 2), strict=True):
            region["vswitches"].append(
                {
                    "VSwitchId": vswitch_id,
                    "VpcId": vpc_id,
                    "ZoneId": f"cn-hangzhou-{zone}",
                    "CidrBlock": f"10.{100 + index}.{third}.0/24",
                    "VSwitchName": f"tenant-{index}-{zone}",
                    "Status": "Available",
                }
            )
        cluster = copy.deepcopy(template)
        cluster.update(
            cluster_id=cluster_id,
            name=f"tenant-{index}",
            vpc_id=vpc_id,
            vswitch_ids=vswitches,
            intranet_api_server=f"https://10.{100 + index}.1.10:6443",
        )
        region["clusters"].append(cluster)
        tenants.append({"vpc_id": vpc_id, "vswitch_ids": vswitches, "cluster_id": cluster_id})
    return tenants


@contextmanager
def emulator_on(world: dict[str, Any], directory: Path) -> Iterator[EmulatorControl]:
    """An emulator of its own serving ``world``, at instant pace."""
    path = directory / "world.json"
    path.write_text(json.dumps(world))
    server = EmulatorServer(host="127.0.0.1", port=0, pace="instant", world_file=path).start()
    try:
        yield EmulatorControl(server.url)
    finally:
        server.stop()
