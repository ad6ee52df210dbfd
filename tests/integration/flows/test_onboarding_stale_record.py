"""The record never stands in for the cloud: what it says was done is checked, or redone.

A record outlives the cloud state it describes when resources are deleted behind eas-rg's back,
or when the emulator it was made against restarts without its state file.  Onboarding then
rebuilds every piece (rules and the applied config included), and a health check agrees.
"""

from __future__ import annotations

import pytest

from alicloud import ecs, privatelink, roles, sls
from alicloud.ecs import SecurityGroupRule
from flows.health_check import HealthCheckError, check_resource_group_health
from flows.onboarding import OnboardingError, onboard_resource_group
from flows.spec import ResourceGroupSpec
from policies import security_group_rules
from tests.integration.alicloud_support import clients_for
from tests.integration.flows.conftest import credentials_for
from tests.integration.flows.inventory import Inventory, mutating
from tests.support.emulator_control import EmulatorControl
from tests.support.world import ROLE_SERVICE_NAME, VPC_CIDR


def _expected_rules() -> set[tuple[str, str, str, str, str]]:
    wanted = security_group_rules(VPC_CIDR)
    return {
        ("ingress", r["IpProtocol"], r["PortRange"], r["SourceCidrIp"], r["Policy"].lower())
        for r in wanted["ingress"]
    } | {
        ("egress", r["IpProtocol"], r["PortRange"], r["DestCidrIp"], r["Policy"].lower())
        for r in wanted["egress"]
    }


def _assert_complete(emulator: EmulatorControl, spec: ResourceGroupSpec) -> None:
    inventory = Inventory(emulator)
    (group,) = inventory.security_groups(spec)
    assert inventory.rules(group) == _expected_rules()
    machine_group = inventory.machine_group(spec.log.project, spec.log.machine_group)
    assert machine_group is not None and machine_group["applied_configs"] == [spec.log.logtail.config_name]


def test_onboard_resource_group_after_the_cloud_forgot_everything_rebuilds_rules_and_applied_config(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    assert onboard_resource_group(spec, credentials_block=credentials_block).status == "onboarded"
    emulator.reset()  # an emulator restarted without its state file; the record stays in Prefect

    summary = onboard_resource_group(spec, credentials_block=credentials_block)

    assert summary.status == "onboarded"
    assert {"authorize 2 ingress rules", "authorize 1 egress rule"} <= set(summary.changes)
    assert f"apply {spec.log.logtail.config_name} to {spec.log.machine_group}" in summary.changes
    _assert_complete(emulator, spec)
    assert check_resource_group_health(spec, credentials_block=credentials_block).status == "healthy"


def test_onboard_resource_group_as_the_role_after_the_cloud_forgot_everything_names_the_lost_zone(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    # The role reads neither rules nor applied configs: the record decides, but only the record
    # of the very security group and machine group found now.
    def role_block() -> str:
        owner = clients_for(emulator)
        privatelink.open_private_link_service(owner)
        roles.create_service_linked_role(owner, service_name=ROLE_SERVICE_NAME)
        name = f"stale-role-{emulator.port}"
        credentials_for(emulator, "eas-role", as_role=True).save(name, overwrite=True)
        return name

    assert onboard_resource_group(spec, credentials_block=role_block()).status == "onboarded"
    emulator.reset()

    role = role_block()
    with pytest.raises(OnboardingError) as failed:
        onboard_resource_group(spec, credentials_block=role)

    # Every branch the role can check was rebuilt; the zone, which it cannot read, is named.
    message = str(failed.value)
    assert message.count("RecordedZoneGoneError") == 1 and "failed in: zone records:" in message
    assert "Onboard once with the account owner's credentials" in message
    _assert_complete(emulator, spec)
    assert onboard_resource_group(spec, credentials_block=credentials_block).status == "onboarded"
    assert onboard_resource_group(spec, credentials_block=role).status == "in sync"


def test_onboard_resource_group_again_authorizes_only_a_rule_revoked_behind_its_back(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)
    (group,) = Inventory(emulator).security_groups(spec)
    https = SecurityGroupRule(ip_protocol="TCP", port_range="443/443", cidr=VPC_CIDR)
    ecs.revoke_security_group(
        clients_for(emulator), security_group_id=group["security_group_id"], rules=[https]
    )
    with pytest.raises(HealthCheckError) as drifted:
        check_resource_group_health(spec, credentials_block=credentials_block)
    assert drifted.value.summary.failures == [
        f"security group {spec.security_group_name} ({group['security_group_id']}): lacks 1 of its rules: "
        f"ingress TCP 443/443 {VPC_CIDR}. Fix: re-run onboarding for this group: it re-creates or "
        "re-attaches only what is missing"
    ]
    emulator.clear_calls()

    summary = onboard_resource_group(spec, credentials_block=credentials_block)

    assert summary.changes == ["authorize 1 ingress rule"]
    (call,) = mutating(emulator)
    assert call == "AuthorizeSecurityGroup"
    _assert_complete(emulator, spec)
    assert check_resource_group_health(spec, credentials_block=credentials_block).status == "healthy"


def test_onboard_resource_group_again_reapplies_a_config_removed_behind_its_back(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)
    log = spec.log
    sls.remove_config_from_group(
        clients_for(emulator),
        project=log.project,
        config_name=log.logtail.config_name,
        group_name=log.machine_group,
    )

    summary = onboard_resource_group(spec, credentials_block=credentials_block)

    assert summary.changes == [f"apply {log.logtail.config_name} to {log.machine_group}"]
    _assert_complete(emulator, spec)
