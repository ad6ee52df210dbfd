"""Teardown against what it must wait for or must not touch: draining interfaces, a zone shared with
another team, a foreign network interface, an endpoint stuck in Deleting."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from blocks.record import load_record
from flows.onboarding import onboard_resource_group
from flows.spec import ResourceGroupSpec
from flows.teardown import TeardownBlockedError, teardown_resource_group
from tests.integration.flows.cloud_state import leftovers, network, one_endpoint
from tests.support.emulator_control import EmulatorControl
from tests.support.world import ACCOUNT_ID, FOREIGN_VPC_ID


@pytest.fixture
def spec(make_spec: Callable[..., ResourceGroupSpec]) -> ResourceGroupSpec:
    """One endpoint is enough here (the full example is torn down in test_teardown.py)."""
    return one_endpoint(make_spec)


def _recorded(spec: ResourceGroupSpec, key: str) -> str:
    record = load_record(spec.name, spec.region)
    assert record is not None
    return str(record.resources[key]["id"])


def test_teardown_resource_group_waits_for_interfaces_to_leave_the_security_group(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)
    group_id = _recorded(spec, "security-group")
    emulator.set_pace("instant", **{"ecs.eni.release": 3.0})
    emulator.clear_calls()

    summary = teardown_resource_group(spec, credentials_block=credentials_block)

    attempts = [c["code"] for c in emulator.calls(action="DeleteSecurityGroup")]
    assert summary.status == "torn down"
    assert 2 <= len(attempts) <= 6
    assert attempts[-1] is None and set(attempts[:-1]) == {"DependencyViolation"}
    assert group_id not in {g["security_group_id"] for g in network(emulator.state())["ecs"]["groups"]}


def test_teardown_resource_group_keeps_a_zone_bound_to_a_foreign_vpc(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)
    zone_id = _recorded(spec, "private-zone")
    emulator.admin("privatezone", "bind_foreign_vpc", zone_id=zone_id, vpc_id=FOREIGN_VPC_ID)

    summary = teardown_resource_group(spec, credentials_block=credentials_block)

    zone = emulator.state()[ACCOUNT_ID]["account"]["privatezone"]["zones"][zone_id]
    assert summary.status == "torn down"
    assert [v["VpcId"] for v in zone["vpcs"]] == [FOREIGN_VPC_ID]
    assert any(zone_id in kept and FOREIGN_VPC_ID in kept for kept in summary.kept)
    assert set(leftovers(emulator.state(), spec)) == {
        "private zones",
        "zone records",
        "log projects",
        "logstores",
        "indexes",
    }


def test_teardown_resource_group_stops_at_a_foreign_interface_in_its_security_group(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)
    group_id = _recorded(spec, "security-group")
    foreign = emulator.admin("ecs", "add_foreign_eni", security_group_id=group_id)["NetworkInterfaceId"]

    held = rf"blocked: {group_id} is held by network interface {foreign}"
    with pytest.raises(TeardownBlockedError, match=held):
        teardown_resource_group(spec, credentials_block=credentials_block, step_deadline_s=30.0)

    left = leftovers(emulator.state(), spec)
    assert left["security groups"] == [group_id]
    assert left["network interfaces"] == [foreign]
    assert "endpoints" not in left


def test_teardown_resource_group_blocked_by_a_stuck_endpoint_continues_on_rerun(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)
    stuck = _recorded(spec, "endpoint-pai-eas")
    group_id = _recorded(spec, "security-group")
    emulator.admin("privatelink", "stick_endpoint", endpoint_id=stuck)

    with pytest.raises(TeardownBlockedError) as blocked:
        teardown_resource_group(spec, credentials_block=credentials_block, step_deadline_s=1.0)

    since = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
    assert re.search(rf"blocked: {stuck} in Deleting since {since}", str(blocked.value))
    assert blocked.value.summary is not None and blocked.value.summary.status == "blocked"
    assert leftovers(emulator.state(), spec)["security groups"] == [group_id]
    emulator.admin("privatelink", "unstick_endpoint", endpoint_id=stuck)

    summary = teardown_resource_group(spec, credentials_block=credentials_block, step_deadline_s=30.0)

    assert summary.status == "torn down"
    assert set(leftovers(emulator.state(), spec)) == {"log projects", "logstores", "indexes"}
