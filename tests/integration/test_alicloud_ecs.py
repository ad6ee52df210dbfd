"""alicloud.ecs (security groups) against the emulator, through the generic OpenAPI client."""

from __future__ import annotations

from typing import Any

import pytest

from alicloud import ecs, privatelink
from alicloud.clients import Clients
from alicloud.ecs import SecurityGroupRule
from alicloud.errors import DependencyViolationError, NotFoundError
from alicloud.privatelink import ZonePlacement
from alicloud.privatelink_wait import (
    wait_for_endpoint_gone,
    wait_for_endpoint_status,
    wait_for_endpoint_zones_gone,
)
from policies import security_group_rules
from tests.integration.alicloud_support import attempts, clients_for, regional, unique
from tests.support.emulator_control import EmulatorControl
from tests.support.world import EAS_SERVICE, VPC_CIDR, VPC_ID, VSWITCH_J, ZONE_J

RULES = security_group_rules(VPC_CIDR)
INGRESS = [SecurityGroupRule.from_policy(r) for r in RULES["ingress"]]
EGRESS = [SecurityGroupRule.from_policy(r) for r in RULES["egress"]]


@pytest.fixture
def clients(emulator: EmulatorControl) -> Clients:
    return clients_for(emulator)


@pytest.fixture
def group(clients: Clients) -> str:
    return ecs.create_security_group(clients, vpc_id=VPC_ID, security_group_name=unique("eas-rg-sg"))


def _stored(emulator: EmulatorControl, group_id: str) -> dict[str, Any] | None:
    found = [g for g in regional(emulator, "ecs")["groups"] if g["security_group_id"] == group_id]
    return dict(found[0]) if found else None


def _stored_rules(emulator: EmulatorControl, group_id: str, direction: str) -> set[tuple[str, str, str]]:
    group = _stored(emulator, group_id) or {}
    peer = "SourceCidrIp" if direction == "ingress" else "DestCidrIp"
    return {(r["IpProtocol"], r["PortRange"], r[peer]) for r in group["rules"] if r["Direction"] == direction}


def test_create_security_group_is_stored_with_its_tags(emulator: EmulatorControl, clients: Clients) -> None:
    name = unique("eas-rg-sg")

    group_id = ecs.create_security_group(
        clients, vpc_id=VPC_ID, security_group_name=name, tags={"eas-rg/owner": "demo"}
    )

    stored = _stored(emulator, group_id)
    assert stored is not None and stored["name"] == name and stored["vpc_id"] == VPC_ID
    assert stored["tags"] == [{"Key": "eas-rg/owner", "Value": "demo"}]


def test_create_security_group_same_client_token_creates_one_group(
    emulator: EmulatorControl, clients: Clients
) -> None:
    first = ecs.create_security_group(
        clients, vpc_id=VPC_ID, security_group_name="eas-rg-sg", client_token="sg-1"
    )
    second = ecs.create_security_group(
        clients, vpc_id=VPC_ID, security_group_name="eas-rg-sg", client_token="sg-1"
    )

    assert first == second and len(regional(emulator, "ecs")["groups"]) == 1


def test_describe_security_groups_finds_by_vpc_and_name(clients: Clients, group: str) -> None:
    (found,) = ecs.describe_security_groups(clients, vpc_id=VPC_ID)

    assert found.security_group_id == group
    assert ecs.describe_security_groups(clients, security_group_name=found.security_group_name) == [found]


def test_describe_security_groups_unknown_ids_give_an_empty_list(clients: Clients) -> None:
    assert ecs.describe_security_groups(clients, security_group_ids=["sg-doesnotexist000000"]) == []


def test_describe_security_groups_reads_tags(clients: Clients) -> None:
    ecs.create_security_group(clients, vpc_id=VPC_ID, security_group_name="eas-rg-sg", tags={"team": "eas"})

    (found,) = ecs.describe_security_groups(clients, vpc_id=VPC_ID)

    assert found.tags == {"team": "eas"}


def test_authorize_security_group_adds_the_ingress_rules(
    emulator: EmulatorControl, clients: Clients, group: str
) -> None:
    ecs.authorize_security_group(clients, security_group_id=group, rules=INGRESS)

    assert _stored_rules(emulator, group, "ingress") == {
        ("TCP", "443/443", VPC_CIDR),
        ("TCP", "80/80", VPC_CIDR),
    }


def test_authorize_security_group_egress_adds_the_egress_rule(
    emulator: EmulatorControl, clients: Clients, group: str
) -> None:
    ecs.authorize_security_group_egress(clients, security_group_id=group, rules=EGRESS)

    assert _stored_rules(emulator, group, "egress") == {("ALL", "-1/-1", VPC_CIDR)}


def test_revoke_security_group_removes_the_matching_ingress_rule(
    emulator: EmulatorControl, clients: Clients, group: str
) -> None:
    ecs.authorize_security_group(clients, security_group_id=group, rules=INGRESS)

    ecs.revoke_security_group(clients, security_group_id=group, rules=INGRESS[:1])

    assert _stored_rules(emulator, group, "ingress") == {("TCP", "80/80", VPC_CIDR)}


def test_revoke_security_group_egress_removes_the_egress_rule(
    emulator: EmulatorControl, clients: Clients, group: str
) -> None:
    ecs.authorize_security_group_egress(clients, security_group_id=group, rules=EGRESS)

    ecs.revoke_security_group_egress(clients, security_group_id=group, rules=EGRESS)

    assert _stored_rules(emulator, group, "egress") == set()


def test_describe_security_group_attribute_reads_rules_with_ids(clients: Clients, group: str) -> None:
    ecs.authorize_security_group(clients, security_group_id=group, rules=INGRESS)

    rules = ecs.describe_security_group_attribute(clients, security_group_id=group, direction="ingress")

    assert {(r.port_range, r.cidr, r.direction) for r in rules} == {
        ("443/443", VPC_CIDR, "ingress"),
        ("80/80", VPC_CIDR, "ingress"),
    }
    assert all(r.rule_id for r in rules)


def test_delete_security_group_removes_it(emulator: EmulatorControl, clients: Clients, group: str) -> None:
    ecs.delete_security_group(clients, security_group_id=group)

    assert _stored(emulator, group) is None


def test_delete_security_group_unknown_is_not_found(clients: Clients) -> None:
    with pytest.raises(NotFoundError) as raised:
        ecs.delete_security_group(clients, security_group_id="sg-doesnotexist000000")

    assert raised.value.code == "InvalidSecurityGroupId.NotFound"


def _endpoint_deleted_recently(emulator: EmulatorControl, clients: Clients, group: str) -> None:
    """An endpoint that held ``group`` is deleted; its interfaces linger for two seconds."""
    emulator.set_pace("instant", **{"ecs.eni.release": 2.0})
    privatelink.open_private_link_service(clients)
    endpoint = privatelink.create_vpc_endpoint(
        clients,
        vpc_id=VPC_ID,
        security_group_ids=[group],
        service_name=EAS_SERVICE,
        zones=[ZonePlacement(ZONE_J, VSWITCH_J)],
    )
    wait_for_endpoint_status(clients, endpoint_id=endpoint.endpoint_id, timeout_s=10)
    privatelink.remove_zone_from_vpc_endpoint(clients, endpoint_id=endpoint.endpoint_id, zone_id=ZONE_J)
    wait_for_endpoint_zones_gone(clients, endpoint_id=endpoint.endpoint_id, timeout_s=10)
    privatelink.delete_vpc_endpoint(clients, endpoint_id=endpoint.endpoint_id)
    wait_for_endpoint_gone(clients, endpoint_id=endpoint.endpoint_id, timeout_s=10)


def test_delete_security_group_still_in_use_fails_after_one_attempt(
    emulator: EmulatorControl, clients: Clients, group: str
) -> None:
    _endpoint_deleted_recently(emulator, clients, group)

    with pytest.raises(DependencyViolationError):
        ecs.delete_security_group(clients, security_group_id=group)

    assert len(attempts(emulator, "DeleteSecurityGroup")) == 1


def test_wait_for_security_group_released_deletes_once_the_interfaces_are_gone(
    emulator: EmulatorControl, clients: Clients, group: str
) -> None:
    _endpoint_deleted_recently(emulator, clients, group)

    ecs.wait_for_security_group_released(clients, security_group_id=group, timeout_s=20)

    assert _stored(emulator, group) is None
    assert [call["code"] for call in attempts(emulator, "DeleteSecurityGroup")][0] == "DependencyViolation"
