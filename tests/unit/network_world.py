"""A world of the four network services (VPC, ECS, PrivateLink, CS) for handler tests without sockets.

Stores are created and seeded from the default world file as the core does; calls are built by
hand with an explicit ``now`` so lifecycles are checked at chosen instants, never by sleeping.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emulator.core.api import ApiError, Call, Pace, Params, Principal
from emulator.core.service import ServiceSpec, snake_case
from emulator.services.cs import SERVICE as CS
from emulator.services.ecs import SERVICE as ECS
from emulator.services.privatelink import SERVICE as PRIVATELINK
from emulator.services.vpc import SERVICE as VPC

WORLD_FILE = Path(__file__).resolve().parents[2] / "emulator" / "world" / "default.json"
OWNER = "1748290035126730"
REGION = "cn-hangzhou"
VPC_ID = "vpc-bp1easrg0demo0000000a"
OTHER_VPC_ID = "vpc-bp1other0team000000b"
VSWITCH_J = "vsw-bp1easrg0demo00000j1"
VSWITCH_K = "vsw-bp1easrg0demo00000k1"
OTHER_VSWITCH_J = "vsw-bp1other0team00000j1"
ZONE_H, ZONE_J, ZONE_K = "cn-hangzhou-h", "cn-hangzhou-j", "cn-hangzhou-k"
EAS_SERVICE = "com.aliyuncs.privatelink.cn-hangzhou.pai-eas"
LOG_SERVICE = "com.aliyuncs.privatelink.cn-hangzhou.log"
MANUAL_SERVICE = "com.aliyuncs.privatelink.cn-hangzhou.only-zone-h"
ROLE = "AliyunServiceRoleForPaiEasManageCustomerClusters"
CLUSTER_ID = "c7f3a9e2b5d8c1f40a6e9b2d7c4f1a8e3"
T0 = 1_750_000_000.0
SPECS: dict[str, ServiceSpec] = {s.product: s for s in (VPC, ECS, PRIVATELINK, CS)}


class StubWorld:
    def __init__(self, pace: str = "instant", **overrides: float) -> None:
        self.pace = Pace(pace, overrides)
        self.document = json.loads(WORLD_FILE.read_text())
        self.stores: dict[tuple[str, str, str], Any] = {}

    def store(self, product: str, account_id: str | None = None, region: str | None = None) -> Any:
        assert account_id is not None and region is not None
        key = (product, account_id, region)
        if key not in self.stores:
            spec = SPECS[product]
            store = spec.new_store()
            if spec.seed is not None:
                spec.seed(store, self.seed_of(account_id), region)
            self.stores[key] = store
        return self.stores[key]

    def account_ids(self) -> list[str]:
        return [a["account_id"] for a in self.document["accounts"]]

    def seed_of(self, account_id: str) -> dict[str, Any]:
        return next(a for a in self.document["accounts"] if a["account_id"] == account_id)

    def regions(self, account_id: str) -> list[str]:
        return list(self.seed_of(account_id)["regions"])

    def own(self, product: str) -> Any:
        return self.store(product, OWNER, REGION)


def run(
    world: StubWorld, product: str, action: str, params: dict[str, Any], *, now: float = T0
) -> dict[str, Any]:
    call = Call(
        product=product,
        action=action,
        params=Params(dict(params)),
        principal=Principal("owner", OWNER, "LTAI-test"),
        region=REGION,
        request_id="RID",
        now=now,
    )
    result: dict[str, Any] = getattr(SPECS[product].handlers(world), snake_case(action))(call)
    return result


def fails(
    world: StubWorld, product: str, action: str, params: dict[str, Any], *, now: float = T0
) -> ApiError:
    with pytest.raises(ApiError) as caught:
        run(world, product, action, params, now=now)
    return caught.value
