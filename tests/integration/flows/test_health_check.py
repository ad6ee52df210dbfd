"""The health check on the emulator: healthy after onboarding, drift named with its fix, reads only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from alicloud.clients import Clients
from alicloud.privatelink import (
    delete_vpc_endpoint,
    list_vpc_endpoint_zones,
    list_vpc_endpoints,
    remove_zone_from_vpc_endpoint,
)
from alicloud.privatelink_wait import wait_for_endpoint_gone, wait_for_endpoint_status
from alicloud.privatezone import bind_zone_vpc
from blocks.credentials import AlibabaCloudCredentials
from blocks.record import load_record
from flows import health_steps
from flows.health_check import HealthCheckError, check_resource_group_health
from flows.onboarding import onboard_resource_group
from flows.spec import ResourceGroupSpec
from flows.summary import Summary
from tests.integration.flows.conftest import credentials_for
from tests.support.emulator_control import EmulatorControl
from tests.support.world import CLUSTER_ID


@pytest.fixture
def onboarded(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> ResourceGroupSpec:
    assert onboard_resource_group(spec, credentials_block=credentials_block).status == "onboarded"
    emulator.clear_calls()
    return spec


def failed_check(spec: ResourceGroupSpec, block: str) -> Summary:
    """Run the check expecting a Failed run; return the summary its error carries."""
    state = check_resource_group_health(spec, credentials_block=block, return_state=True)
    assert state.is_failed(), state
    error = state.result(raise_on_failure=False)
    assert isinstance(error, HealthCheckError), error
    return error.summary


def saved(credentials: AlibabaCloudCredentials, name: str) -> str:
    credentials.save(name, overwrite=True)
    return name


def delete_endpoint(clients: Clients, endpoint_id: str) -> None:
    """What someone in the console does: remove the zones one by one, then the endpoint."""
    for zone in list_vpc_endpoint_zones(clients, endpoint_id=endpoint_id):
        remove_zone_from_vpc_endpoint(clients, endpoint_id=endpoint_id, zone_id=zone.zone_id)
        wait_for_endpoint_status(clients, endpoint_id=endpoint_id, status="Active", timeout_s=10)
    delete_vpc_endpoint(clients, endpoint_id=endpoint_id)
    wait_for_endpoint_gone(clients, endpoint_id=endpoint_id, timeout_s=10)


def rows(summary: Summary, state: str) -> list[tuple[str, str]]:
    return [(r.kind, r.name) for r in summary.resources if r.state == state]


def test_check_resource_group_health_healthy_after_onboarding(
    emulator: EmulatorControl, onboarded: ResourceGroupSpec, credentials_block: str
) -> None:
    summary = check_resource_group_health(onboarded, credentials_block=credentials_block)

    assert (summary.status, summary.failures) == ("healthy", [])
    kinds = {r.kind for r in summary.resources}
    assert {
        "security group",
        "endpoint",
        "endpoint zone",
        "private zone",
        "zone record",
        "log project",
        "applied config",
        "ACK cluster",
        "kubeconfig secret",
    } <= kinds
    calls = emulator.calls()
    assert calls, "the check read nothing"
    assert [(c["action"], c["kind"]) for c in calls if c["kind"] != "read"] == []


def test_check_resource_group_health_endpoint_deleted_reports_drift(
    onboarded: ResourceGroupSpec, credentials: AlibabaCloudCredentials, credentials_block: str
) -> None:
    clients = credentials.get_clients()
    name = onboarded.endpoint_name("log")
    (endpoint,) = list_vpc_endpoints(clients, vpc_id=onboarded.vpc_id, endpoint_name=name)
    delete_endpoint(clients, endpoint.endpoint_id)

    summary = failed_check(onboarded, credentials_block)

    assert summary.status == "drifted"
    (finding,) = summary.failures
    assert finding.startswith(
        f"endpoint {name}: no endpoint to {onboarded.endpoint_services[1].service_name}"
    )
    assert "Fix: re-run onboarding" in finding


def test_check_resource_group_health_unbound_zone_reports_drift(
    onboarded: ResourceGroupSpec, credentials: AlibabaCloudCredentials, credentials_block: str
) -> None:
    record = load_record(onboarded.name, onboarded.region)
    assert record is not None
    zone_id = record.resources["private-zone"]["id"]
    bind_zone_vpc(credentials.get_clients(), zone_id=zone_id, vpcs=[], unbind_all=True)

    summary = failed_check(onboarded, credentials_block)

    assert summary.status == "drifted"
    assert summary.failures == [
        f"private zone {onboarded.private_zone.name} ({zone_id}): is not bound to {onboarded.vpc_id}. "
        "Fix: re-run onboarding for this group: it re-creates or re-attaches only what is missing"
    ]


def test_check_resource_group_health_stopped_cluster_reports_drift(
    emulator: EmulatorControl, onboarded: ResourceGroupSpec, credentials_block: str
) -> None:
    emulator.admin("cs", "set_cluster_state", cluster_id=CLUSTER_ID, state="failed")

    summary = failed_check(onboarded, credentials_block)

    (finding,) = summary.failures
    assert f"({CLUSTER_ID}): is failed, not running. Fix: see the cluster's events" in finding


def test_check_resource_group_health_as_role_leaves_zone_unchecked(
    emulator: EmulatorControl, onboarded: ResourceGroupSpec
) -> None:
    block = saved(credentials_for(emulator, "eas-role", as_role=True), "health-eas-role")

    summary = check_resource_group_health(onboarded, credentials_block=block)

    assert summary.status == "healthy"
    assert set(rows(summary, "not checked")) == {
        ("private zone", onboarded.private_zone.name),
        ("applied config", f"{onboarded.log.logtail.config_name}->{onboarded.log.machine_group}"),
    }
    assert not [c for c in emulator.calls() if c["product"] == "privatezone"]


def test_check_resource_group_health_unknown_key_is_unreadable(
    emulator: EmulatorControl, onboarded: ResourceGroupSpec
) -> None:
    wrong: Any = credentials_for(emulator, "owner")
    wrong.access_key_id = "LTAI-nobody"
    block = saved(wrong, "health-unknown-key")

    summary = failed_check(onboarded, block)

    assert summary.status == "unreadable"
    assert summary.failures
    assert all(f.startswith("could not read ") for f in summary.failures)
    assert any("InvalidAccessKeyId.NotFound" in f for f in summary.failures)


def test_check_resource_group_health_throttled_stays_healthy(
    emulator: EmulatorControl, onboarded: ResourceGroupSpec, credentials_block: str
) -> None:
    emulator.throttle("*", 5)

    summary = check_resource_group_health(onboarded, credentials_block=credentials_block)

    assert (summary.status, summary.failures) == ("healthy", [])
    assert [c for c in emulator.calls() if c["fault"]], "the throttle never answered"


def test_check_resource_group_health_kubeconfig_expiring_within_notice_reports_drift(
    onboarded: ResourceGroupSpec, credentials_block: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kubeconfig onboarding stored lasts three years; with a notice longer than that, the check
    must see its expiry coming (it needs onboarding to have recorded when it expires)."""
    monkeypatch.setattr(health_steps, "KUBECONFIG_NOTICE", dt.timedelta(days=4 * 365))

    summary = failed_check(onboarded, credentials_block)

    assert summary.status == "drifted"
    (finding,) = summary.failures
    assert finding.startswith("kubeconfig secret ") and " expires at " in finding
