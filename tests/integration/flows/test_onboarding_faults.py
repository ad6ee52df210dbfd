"""Onboarding through the faults operators meet: lost answers, lag after creates, busy services, hangs."""

from __future__ import annotations

import time

import pytest

from flows.onboarding import onboard_resource_group
from flows.spec import ResourceGroupSpec
from tests.integration.flows.inventory import Inventory, succeeded
from tests.support.emulator_control import EmulatorControl
from tests.support.polling import wait_until


def _codes(emulator: EmulatorControl, action: str) -> list[str | None]:
    return [c["code"] for c in sorted(emulator.calls(action=action), key=lambda c: c["seq"])]


def test_onboard_resource_group_create_answers_lost_leave_one_endpoint_and_one_zone(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    """The server commits CreateVpcEndpoint and AddZone but the answers never arrive (C03)."""
    # The first CreateVpcEndpoint is preflight's dry run (refused, so never dropped): two shots.
    emulator.add_fault(action="CreateVpcEndpoint", drop_response=True, times=2)
    emulator.add_fault(action="AddZone", drop_response=True, times=1)

    summary = onboard_resource_group(spec, credentials_block=credentials_block)

    assert summary.status == "onboarded"
    inventory = Inventory(emulator)
    assert sorted(e["endpoint_name"] for e in inventory.endpoints(spec)) == sorted(
        spec.endpoint_name(s.key) for s in spec.endpoint_services
    )
    assert len(inventory.private_zones(spec.private_zone.name)) == 1
    dropped = [c for c in emulator.calls() if c["fault"] and c["action"] in ("CreateVpcEndpoint", "AddZone")]
    assert {c["action"] for c in dropped} == {"CreateVpcEndpoint", "AddZone"}
    assert succeeded(emulator, "AddZone") == 2  # the lost answer, then the same token's replay


def test_onboard_resource_group_binds_a_zone_not_yet_visible_through_a_busy_answer(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    """BindZoneVpc right after AddZone: Zone.NotExists for a while, and busy once (C04)."""
    emulator.set_pace("instant", **{"privatezone.zone.visible": 1.5})
    emulator.add_fault(action="BindZoneVpc", code="System.Busy", status=400, times=1)

    onboard_resource_group(spec, credentials_block=credentials_block)

    codes = _codes(emulator, "BindZoneVpc")
    assert codes[0] == "System.Busy" and "Zone.NotExists" in codes and codes[-1] is None
    assert codes.count(None) == 1
    (zone,) = Inventory(emulator).private_zones(spec.private_zone.name)
    assert [(v["VpcId"], v["RegionId"]) for v in zone["vpcs"]] == [(spec.vpc_id, spec.region)]


def test_onboard_resource_group_creates_inside_a_project_not_yet_visible(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    """The logstore and machine group come right after CreateProject, which lags (C05)."""
    emulator.set_pace("instant", **{"sls.project.visible": 1.0})

    onboard_resource_group(spec, credentials_block=credentials_block)

    assert "ProjectNotExist" in _codes(emulator, "CreateLogStore")
    inventory = Inventory(emulator)
    project = spec.log.project
    assert inventory.project(project) is not None
    assert [
        inventory.count_in_project(kind, project) for kind in ("logstores", "machine_groups", "configs")
    ] == [
        1,
        1,
        1,
    ]
    assert [succeeded(emulator, a) for a in ("CreateProject", "CreateLogStore", "CreateMachineGroup")] == [
        1,
        1,
        1,
    ]


def test_onboard_resource_group_hanging_endpoint_read_is_cut_and_retried(
    emulator: EmulatorControl,
    spec: ResourceGroupSpec,
    credentials_block: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A GetVpcEndpointAttribute that hangs is ended by the SDK's read timeout and tried again (C10)."""
    monkeypatch.setenv("EASRG_READ_TIMEOUT_S", "1")
    # hangs far longer than the onboarding takes, even on a loaded machine
    emulator.add_fault(action="GetVpcEndpointAttribute", hang=25, times=1)

    summary = onboard_resource_group(spec, credentials_block=credentials_block)
    finished = time.time()

    assert summary.status == "onboarded"
    assert all(e["status"] == "Active" for e in Inventory(emulator).endpoints(spec))
    # The hung request is logged when the server finally answers, to a client long gone.
    hung = wait_until(
        lambda: [c for c in emulator.calls(action="GetVpcEndpointAttribute") if c["fault"]],
        timeout=40,
        message="the hung read to end",
    )
    assert finished < hung[0]["time"], "the flow waited for the hanging answer"
