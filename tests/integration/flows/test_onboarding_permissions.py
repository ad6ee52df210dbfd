"""Credentials missing a permission: found before any write where the API has a dry run; a write that
still meets the refusal fails once, naming the action, without a retry storm."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from blocks.credentials import AlibabaCloudCredentials
from flows.onboarding import OnboardingError, onboard_resource_group
from flows.preflight import PreflightError
from flows.spec import ResourceGroupSpec
from tests.integration.flows.inventory import Inventory
from tests.integration.flows.worlds import add_principal_without, default_world, emulator_on
from tests.support.emulator_control import EmulatorControl
from tests.support.world import REGION

_KEYS: dict[str, tuple[str, str]] = {}


@pytest.fixture(scope="module")
def limited_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorControl]:
    world = default_world()
    _KEYS["no-endpoints"] = add_principal_without(world, "no-endpoints", ["privatelink:CreateVpcEndpoint"])
    _KEYS["no-log-projects"] = add_principal_without(world, "no-log-projects", ["log:CreateProject"])
    with emulator_on(world, tmp_path_factory.mktemp("limited-world")) as control:
        yield control


@pytest.fixture
def limited(limited_world: EmulatorControl) -> EmulatorControl:
    limited_world.reset()
    return limited_world


def _block(emulator: EmulatorControl, principal: str) -> str:
    key_id, secret = _KEYS[principal]
    credentials = AlibabaCloudCredentials(
        access_key_id=key_id, access_key_secret=secret, endpoint=emulator.url, region_id=REGION
    )
    name = f"limited-{principal}-{emulator.port}"
    credentials.save(name, overwrite=True)
    return name


def test_onboard_resource_group_without_create_endpoint_permission_stops_before_any_write(
    limited: EmulatorControl, spec: ResourceGroupSpec
) -> None:
    with pytest.raises(PreflightError) as raised:
        onboard_resource_group(spec, credentials_block=_block(limited, "no-endpoints"))

    (problem,) = raised.value.problems
    assert problem[0] == "credentials"
    assert "privatelink:CreateVpcEndpoint" in problem[1] and "Forbidden.RAM" in problem[1]
    writes = [(c["action"], c["status"]) for c in limited.calls() if c["kind"] == "mutating"]
    assert writes == [("CreateVpcEndpoint", 403)]  # the dry run, refused
    inventory = Inventory(limited)
    assert inventory.security_groups(spec) == [] and inventory.private_zones(spec.private_zone.name) == []
    assert inventory.project(spec.log.project) is None
    assert inventory.regional["privatelink"]["activated"] is False


def test_onboard_resource_group_write_refused_fails_once_naming_the_action(
    limited: EmulatorControl, spec: ResourceGroupSpec
) -> None:
    with pytest.raises(OnboardingError) as raised:
        onboard_resource_group(spec, credentials_block=_block(limited, "no-log-projects"))

    assert "logs:" in str(raised.value) and "log:CreateProject" in str(raised.value)
    assert [c["code"] for c in limited.calls(action="CreateProject")] == ["Unauthorized"]
    assert len(Inventory(limited).endpoints(spec)) == len(spec.endpoint_services)  # other branches went on


def test_onboard_resource_group_dry_run_probe_passes_for_the_owner(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    assert onboard_resource_group(spec, credentials_block=credentials_block).status == "onboarded"
    probes = [c for c in emulator.calls(action="CreateVpcEndpoint") if c["code"] is not None]
    assert [(c["status"], c["code"]) for c in probes] == [(400, "NeedOpenProduct")]
