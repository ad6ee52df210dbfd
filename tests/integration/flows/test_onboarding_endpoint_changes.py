"""Several changes to one endpoint: the API refuses a second while one is in flight, so onboarding
makes them one at a time, each after the endpoint is Active again (C02)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from alicloud import ecs, privatelink
from alicloud.privatelink import Endpoint
from flows.onboarding import onboard_resource_group
from flows.spec import ResourceGroupSpec
from tests.integration.alicloud_support import clients_for
from tests.integration.flows.conftest import credentials_for
from tests.integration.flows.inventory import Inventory
from tests.integration.flows.worlds import VSWITCH_H, add_zone_h_vswitch, default_world, emulator_on
from tests.support.emulator_control import EmulatorControl
from tests.support.world import EAS_SERVICE, VPC_ID, VSWITCH_J, VSWITCH_K

CHANGE_S = 0.3  # how long the endpoint stays Pending after each change
ENDPOINT_CHANGES = ("AttachSecurityGroupToVpcEndpoint", "AddZoneToVpcEndpoint")


@pytest.fixture(scope="module")
def three_zone_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorControl]:
    world = default_world()
    add_zone_h_vswitch(world)
    with emulator_on(world, tmp_path_factory.mktemp("three-zones")) as control:
        yield control


@pytest.fixture
def world(three_zone_world: EmulatorControl) -> EmulatorControl:
    three_zone_world.reset()
    three_zone_world.set_pace(
        "instant", **{"privatelink.endpoint.modify": CHANGE_S, "privatelink.zone.create": CHANGE_S}
    )
    return three_zone_world


@pytest.fixture
def bare_endpoint(
    world: EmulatorControl, make_spec: Callable[..., ResourceGroupSpec]
) -> tuple[ResourceGroupSpec, Endpoint]:
    """Our endpoint as a run cut short left it: no zone yet, and only another team's group."""
    spec = make_spec(
        vswitch_ids=[VSWITCH_H, VSWITCH_J, VSWITCH_K],
        endpoint_services=[{"key": "pai-eas", "service_name": EAS_SERVICE}],
    )
    owner = clients_for(world)
    privatelink.open_private_link_service(owner)
    other = ecs.create_security_group(owner, vpc_id=VPC_ID, security_group_name="platform-shared")
    endpoint = privatelink.create_vpc_endpoint(
        owner,
        vpc_id=VPC_ID,
        security_group_ids=[other],
        service_name=EAS_SERVICE,
        endpoint_name=spec.endpoint_name("pai-eas"),
        tags=spec.owner_tags(),
    )
    world.clear_calls()
    return spec, endpoint


def test_onboard_resource_group_serialises_the_changes_to_one_endpoint(
    world: EmulatorControl, bare_endpoint: tuple[ResourceGroupSpec, Endpoint]
) -> None:
    spec, endpoint = bare_endpoint
    block = f"three-zones-{spec.name}"
    credentials_for(world).save(block, overwrite=True)

    assert onboard_resource_group(spec, credentials_block=block).status == "onboarded"

    inventory = Inventory(world)
    zones = inventory.endpoint_zones(endpoint.endpoint_id)
    assert sorted(z["vswitch_id"] for z in zones.values()) == sorted(spec.vswitch_ids)
    assert {z["status"] for z in zones.values()} == {"Connected"}
    (ours,) = inventory.security_groups(spec)
    attached = inventory.attached_groups(endpoint.endpoint_id)
    assert len(attached) == 2 and attached[ours["security_group_id"]] == "Attached"
    assert set(attached.values()) == {"Attached"}

    changes = sorted((c for c in world.calls() if c["action"] in ENDPOINT_CHANGES), key=lambda c: c["seq"])
    assert [c["code"] for c in changes] == [None] * 4, "a change was refused or sent twice"
    assert [c["action"] for c in changes].count("AddZoneToVpcEndpoint") == 3
    gaps = [later["time"] - earlier["time"] for earlier, later in zip(changes, changes[1:], strict=False)]
    assert min(gaps) >= CHANGE_S, f"a change went out while the endpoint was still Pending: {gaps}"
