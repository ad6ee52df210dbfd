"""Teardown of an onboarded group on the emulator, checked in the emulator's state."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from unittest.mock import ANY

import pytest

from alicloud import privatezone
from blocks.credentials import AlibabaCloudCredentials
from blocks.record import delete_record, load_record
from flows.onboarding import onboard_resource_group
from flows.spec import ResourceGroupSpec
from flows.teardown import teardown_resource_group
from tests.integration.flows.cloud_state import leftovers, mutating_calls, one_endpoint
from tests.integration.flows.conftest import credentials_for
from tests.support.emulator_control import EmulatorControl

_blocks = itertools.count(1)


@pytest.fixture
def spec(make_spec: Callable[..., ResourceGroupSpec]) -> ResourceGroupSpec:
    """One endpoint is enough where the number of endpoints does not matter."""
    return one_endpoint(make_spec)


def _retained(spec: ResourceGroupSpec) -> dict[str, list[str]]:
    logstore = f"{spec.log.project}/{spec.log.logstore}"
    return {"log projects": [spec.log.project], "logstores": [logstore], "indexes": [logstore]}


def test_teardown_resource_group_keeps_only_log_data(
    emulator: EmulatorControl, make_spec: Callable[..., ResourceGroupSpec], credentials_block: str
) -> None:
    spec = make_spec()  # the whole example: three endpoints
    onboard_resource_group(spec, credentials_block=credentials_block)

    summary = teardown_resource_group(spec, credentials_block=credentials_block)

    assert summary.status == "torn down"
    assert leftovers(emulator.state(), spec) == _retained(spec)
    assert any(spec.log.project in kept and "log data" in kept for kept in summary.kept)


def test_teardown_resource_group_with_delete_log_data_leaves_nothing(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)

    summary = teardown_resource_group(spec, credentials_block=credentials_block, delete_log_data=True)

    assert summary.status == "torn down"
    assert leftovers(emulator.state(), spec) == {}
    assert load_record(spec.name, spec.region) is None


def test_teardown_resource_group_rerun_after_finish_sends_no_mutating_call(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)
    teardown_resource_group(spec, credentials_block=credentials_block)
    emulator.clear_calls()

    summary = teardown_resource_group(spec, credentials_block=credentials_block)

    assert summary.status == "already torn down"
    assert summary.changes == []
    assert mutating_calls(emulator.calls()) == []


def test_teardown_resource_group_as_role_completes_when_zone_removal_was_not_recorded(
    emulator: EmulatorControl,
    spec: ResourceGroupSpec,
    credentials_block: str,
    credentials: AlibabaCloudCredentials,
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)
    record = load_record(spec.name, spec.region)
    assert record is not None
    zone_id = record.resources["private-zone"]["id"]
    clients = credentials.get_clients()  # a previous run removed the zone, then died before recording it
    privatezone.bind_zone_vpc(clients, zone_id=zone_id, vpcs=[], unbind_all=True)
    privatezone.delete_zone(clients, zone_id=zone_id, draining=True)
    role_block = f"emulator-eas-role-teardown-{next(_blocks)}"
    credentials_for(emulator, "eas-role", as_role=True).save(role_block, overwrite=True)
    emulator.clear_calls()

    summary = teardown_resource_group(spec, credentials_block=role_block)

    assert summary.status == "torn down"
    zone_calls = [(c["action"], c["code"]) for c in emulator.calls(product="privatezone")]
    assert zone_calls == [("DeleteZone", "Zone.NotExists")]
    assert leftovers(emulator.state(), spec) == _retained(spec)


def test_teardown_resource_group_without_its_record_finds_the_rest_by_tags(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)
    delete_record(spec.name, spec.region)

    summary = teardown_resource_group(spec, credentials_block=credentials_block)

    assert summary.status == "torn down"
    # zones carry no tags: without the record the zone is not provably ours, so it is kept and reported
    assert leftovers(emulator.state(), spec) == {**_retained(spec), "private zones": ANY, "zone records": ANY}
    assert any(spec.private_zone.name in kept and "not touched" in kept for kept in summary.kept)


def test_teardown_resource_group_delete_index_answer_lost_counts_as_done(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    """DeleteIndex is committed but its answer never arrives; the retry hears "no index"."""
    onboard_resource_group(spec, credentials_block=credentials_block)
    emulator.add_fault(action="DeleteIndex", drop_response=True, times=1)

    summary = teardown_resource_group(spec, credentials_block=credentials_block, delete_log_data=True)

    assert summary.status == "torn down"
    assert leftovers(emulator.state(), spec) == {}
