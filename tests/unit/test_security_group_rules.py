"""The security-group rule set EAS needs, as data, and its mapping to ECS permissions."""

from __future__ import annotations

import pytest

from alicloud.ecs import SecurityGroupRule
from policies import security_group_rules


def test_security_group_rules_are_templated_on_the_vpc_cidr() -> None:
    rules = security_group_rules("192.168.0.0/16")

    assert {r["SourceCidrIp"] for r in rules["ingress"]} == {"192.168.0.0/16"}
    assert {r["DestCidrIp"] for r in rules["egress"]} == {"192.168.0.0/16"}


def test_security_group_rules_open_https_from_the_vpc() -> None:
    ingress = security_group_rules("10.0.0.0/8")["ingress"]

    assert any(r["IpProtocol"] == "TCP" and r["PortRange"] == "443/443" for r in ingress)


def test_security_group_rules_refuse_a_bad_cidr_with_the_field_name() -> None:
    with pytest.raises(ValueError, match="vpc_cidr"):
        security_group_rules("192.168.0.1/16")


def test_security_group_rule_from_policy_maps_to_the_ecs_permission_for_its_direction() -> None:
    rule = SecurityGroupRule.from_policy(security_group_rules("192.168.0.0/16")["egress"][0])

    permission = rule.permission("egress")

    assert permission["DestCidrIp"] == "192.168.0.0/16"
    assert "SourceCidrIp" not in permission
    assert permission["Description"].startswith("eas-rg:")


def test_security_group_rule_with_a_bad_port_range_is_refused() -> None:
    with pytest.raises(ValueError, match="port_range"):
        SecurityGroupRule(ip_protocol="TCP", port_range="443", cidr="10.0.0.0/8").permission("ingress")
