"""Onboarding the example group on the emulator, checked resource by resource in the emulator's state."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from prefect.blocks.system import Secret
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.logging.handlers import APILogHandler

from alicloud import privatelink, privatezone, roles
from blocks.credentials import AlibabaCloudCredentials
from blocks.record import load_record
from flows.onboarding import onboard_resource_group
from flows.spec import OWNER_TAG, ResourceGroupSpec, parse_spec
from policies import security_group_rules
from tasks.ack import kubeconfig_block_name
from tests.integration.alicloud_support import clients_for
from tests.integration.flows.conftest import credentials_for, example_data
from tests.integration.flows.inventory import Inventory, mutating
from tests.integration.flows.worlds import default_world, emulator_on
from tests.support.emulator_control import EmulatorControl
from tests.support.world import ACCOUNT_ID, ROLE_NAME, ROLE_SERVICE_NAME, VPC_CIDR

# ---- helpers: one assertion block per product ------------------------------------------------------


def _check_security_group(inventory: Inventory, spec: ResourceGroupSpec) -> str:
    (group,) = inventory.security_groups(spec)
    assert (group["name"], group["vpc_id"]) == (spec.security_group_name, spec.vpc_id)
    wanted = security_group_rules(VPC_CIDR)
    expected = {
        ("ingress", r["IpProtocol"], r["PortRange"], r["SourceCidrIp"], r["Policy"].lower())
        for r in wanted["ingress"]
    } | {
        ("egress", r["IpProtocol"], r["PortRange"], r["DestCidrIp"], r["Policy"].lower())
        for r in wanted["egress"]
    }
    assert inventory.rules(group) == expected
    return str(group["security_group_id"])


def _check_endpoints(inventory: Inventory, spec: ResourceGroupSpec, group_id: str) -> dict[str, str]:
    """Every endpoint Active and Connected, our group attached, a Connected zone per vSwitch."""
    assert len(inventory.endpoints(spec)) == len(spec.endpoint_services)
    domains = {}
    for service in spec.endpoint_services:
        endpoint = inventory.endpoint(spec, service.key)
        assert endpoint["service_name"] == service.service_name
        assert (endpoint["status"], endpoint["connection_status"]) == ("Active", "Connected")
        assert inventory.attached_groups(endpoint["endpoint_id"]) == {group_id: "Attached"}
        zones = inventory.endpoint_zones(endpoint["endpoint_id"])
        assert {z["vswitch_id"] for z in zones.values()} == set(spec.vswitch_ids)
        assert {z["status"] for z in zones.values()} == {"Connected"}
        domains[service.key] = inventory.endpoint_domain(endpoint)
    return domains


def _check_private_zone(inventory: Inventory, spec: ResourceGroupSpec, domains: dict[str, str]) -> str:
    (zone,) = inventory.private_zones(spec.private_zone.name)
    assert [(v["VpcId"], v["RegionId"]) for v in zone["vpcs"]] == [(spec.vpc_id, spec.region)]
    expected = {(key, "CNAME", domain, 60): 1 for key, domain in domains.items()}
    expected.update({(r.rr, r.type, r.value, r.ttl): 1 for r in spec.private_zone.records})
    assert inventory.zone_records(zone["zone_id"]) == expected
    return str(zone["zone_id"])


def _check_logs(inventory: Inventory, spec: ResourceGroupSpec) -> None:
    log = spec.log
    project = inventory.project(log.project)
    assert project is not None and project["owner"] == ACCOUNT_ID
    logstore = inventory.logstore(log.project, log.logstore)
    assert logstore is not None
    assert (logstore["ttl"], logstore["shard_count"]) == (log.retention_days, log.shards)
    assert logstore["index"] is not None and set(logstore["index"]["keys"]) == set(log.index_keys)
    group = inventory.machine_group(log.project, log.machine_group)
    assert group is not None and group["detail"]["machineList"] == log.machine_ids
    config = inventory.logtail_config(log.project, log.logtail.config_name)
    assert config is not None
    assert config["detail"]["inputDetail"]["logPath"] == log.logtail.log_path
    assert config["detail"]["outputDetail"]["logstoreName"] == log.logstore
    assert group["applied_configs"] == [log.logtail.config_name]


def _saved_kubeconfig(spec: ResourceGroupSpec) -> str:
    return str(Secret.load(kubeconfig_block_name(spec.name, spec.region)).get())


def _flow_logs(flow_run_id: Any) -> str:
    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
    return "\n".join(log.message for log in logs)


# ---- the whole group ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    """The example group onboarded once on an emulator of its own, for read-only checks."""

    emulator: EmulatorControl
    spec: ResourceGroupSpec
    state: Any  # the flow run's final state


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    with emulator_on(default_world(), tmp_path_factory.mktemp("built")) as control:
        spec = parse_spec(example_data("rg-built"))
        block = f"built-{control.port}"
        credentials_for(control).save(block, overwrite=True)
        state = onboard_resource_group(spec, credentials_block=block, return_state=True)
        assert state.is_completed(), state.message
        yield Built(control, spec, state)


@pytest.fixture
def onboarded(emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str) -> Any:
    """The example group onboarded on the session emulator; the final state of that run."""
    state = onboard_resource_group(spec, credentials_block=credentials_block, return_state=True)
    assert state.is_completed(), state.message
    return state


def test_onboard_resource_group_builds_every_resource(built: Built) -> None:
    inventory, spec = Inventory(built.emulator), built.spec
    group_id = _check_security_group(inventory, spec)
    domains = _check_endpoints(inventory, spec, group_id)
    zone_id = _check_private_zone(inventory, spec, domains)
    _check_logs(inventory, spec)
    kubeconfig = _saved_kubeconfig(spec)
    assert "server: https://192.168.1.10:6443" in kubeconfig and "client-key-data: " in kubeconfig
    summary = built.state.result()
    assert summary.status == "onboarded"
    assert {(r.kind, r.id) for r in summary.resources} >= {
        ("security group", group_id),
        ("private zone", zone_id),
        *{("endpoint", inventory.endpoint(spec, s.key)["endpoint_id"]) for s in spec.endpoint_services},
    }


def test_onboard_resource_group_records_the_zone_and_activates_the_account(built: Built) -> None:
    inventory, spec = Inventory(built.emulator), built.spec
    record = load_record(spec.name, spec.region)
    assert record is not None and record.status == "onboarded"
    (zone,) = inventory.private_zones(spec.private_zone.name)
    assert record.resource("private-zone")["id"] == zone["zone_id"]
    assert inventory.regional["privatelink"]["activated"] is True
    assert [r["role_name"] for r in inventory.account["resourcemanager"]["roles"].values()] == [ROLE_NAME]


def test_onboard_resource_group_keeps_the_kubeconfig_out_of_logs_and_results(built: Built) -> None:
    kubeconfig = _saved_kubeconfig(built.spec)
    secret_lines = [line.strip() for line in kubeconfig.splitlines() if "data:" in line or "token" in line]
    assert secret_lines, "the emulator's kubeconfig should carry credentials"
    shown = built.state.result().model_dump_json() + _flow_logs(built.state.state_details.flow_run_id)
    assert "onboarded" in shown
    for line in secret_lines:
        assert line.split(":", 1)[1].strip() not in shown


def test_onboard_resource_group_again_makes_no_mutating_call(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str, onboarded: Any
) -> None:
    before = emulator.state()
    emulator.clear_calls()
    summary = onboard_resource_group(spec, credentials_block=credentials_block)
    assert mutating(emulator) == []
    assert (summary.status, summary.changes) == ("in sync", [])
    assert len(emulator.calls()) > 0
    assert emulator.state() == before


# ---- plans ------------------------------------------------------------------------------------------


def test_onboard_resource_group_plan_lists_the_creates_and_sends_no_mutation(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    summary = onboard_resource_group(spec, credentials_block=credentials_block, dry_run=True)
    assert mutating(emulator) == []
    assert summary.status == "planned" and summary.changes == []
    planned = "\n".join(summary.planned)
    for expected in (
        "activate PrivateLink",
        "create the service-linked role",
        f"create security group {spec.security_group_name}",
        *(f"create endpoint {spec.endpoint_name(s.key)}" for s in spec.endpoint_services),
        f"add private zone {spec.private_zone.name}",
        f"bind {spec.vpc_id} to {spec.private_zone.name}",
        f"create log project {spec.log.project}",
        f"create logstore {spec.log.logstore}",
        f"create machine group {spec.log.machine_group}",
        f"Logtail config {spec.log.logtail.config_name}",
        "add record api A 192.168.1.10",
    ):
        assert expected in planned
    group = next(r for r in summary.resources if r.kind == "security group")
    assert group.state == "planned"
    assert load_record(spec.name, spec.region) is None


def test_onboard_resource_group_plan_of_an_onboarded_group_is_empty(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str, onboarded: Any
) -> None:
    emulator.clear_calls()
    summary = onboard_resource_group(spec, credentials_block=credentials_block, dry_run=True)
    assert (summary.planned, mutating(emulator)) == ([], [])


# ---- as the EAS role ---------------------------------------------------------------------------------


@pytest.fixture
def role_block(emulator: EmulatorControl) -> str:
    """The owner activated PrivateLink and created the role; flows then act with the role's key."""
    owner = clients_for(emulator)
    privatelink.open_private_link_service(owner)
    roles.create_service_linked_role(owner, service_name=ROLE_SERVICE_NAME)
    credentials: AlibabaCloudCredentials = credentials_for(emulator, "eas-role", as_role=True)
    name = f"eas-role-{id(credentials)}"
    credentials.save(name, overwrite=True)
    emulator.clear_calls()
    return name


def test_onboard_resource_group_as_the_eas_role_completes_within_its_policy(
    emulator: EmulatorControl, spec: ResourceGroupSpec, role_block: str
) -> None:
    summary = onboard_resource_group(spec, credentials_block=role_block)
    assert summary.status == "onboarded"
    calls = emulator.calls()
    assert {c["principal"] for c in calls} == {"eas-role"}
    assert [c for c in calls if c["code"] in ("Forbidden.RAM", "Unauthorized")] == []
    inventory = Inventory(emulator)
    group_id = _check_security_group(inventory, spec)
    _check_private_zone(inventory, spec, _check_endpoints(inventory, spec, group_id))
    _check_logs(inventory, spec)


def test_onboard_resource_group_as_the_eas_role_again_is_in_sync(
    emulator: EmulatorControl, spec: ResourceGroupSpec, role_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=role_block)
    emulator.clear_calls()
    summary = onboard_resource_group(spec, credentials_block=role_block)
    assert (summary.status, mutating(emulator)) == ("in sync", [])
    assert Inventory(emulator).security_groups(spec)[0]["tags"][-2:] == [
        {"Key": OWNER_TAG, "Value": spec.name},
        {"Key": "easrg:managed-by", "Value": "eas-rg"},
    ]


def test_onboard_resource_group_again_remakes_a_zone_deleted_behind_its_back(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str, onboarded: Any
) -> None:
    owner = clients_for(emulator)
    (gone,) = Inventory(emulator).private_zones(spec.private_zone.name)
    privatezone.bind_zone_vpc(owner, zone_id=gone["zone_id"], vpcs=[], unbind_all=True)
    privatezone.delete_zone(owner, zone_id=gone["zone_id"], draining=True)

    summary = onboard_resource_group(spec, credentials_block=credentials_block)

    assert summary.status == "onboarded"
    inventory = Inventory(emulator)
    (zone,) = inventory.private_zones(spec.private_zone.name)
    assert zone["zone_id"] != gone["zone_id"]
    group_id = _check_security_group(inventory, spec)
    _check_private_zone(inventory, spec, _check_endpoints(inventory, spec, group_id))
    record = load_record(spec.name, spec.region)
    assert record is not None and record.resource("private-zone")["id"] == zone["zone_id"]
