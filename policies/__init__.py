"""Data: the EAS role's RAM policy document and the security-group rule sets, with a tiny loader.

This package imports nothing of the project; anyone may read it.
"""

from __future__ import annotations

import ipaddress
import json
from importlib import resources
from typing import Any

ROLE_POLICY_FILE = "eas_role_policy.json"
SECURITY_GROUP_RULES_FILE = "security_group_rules.json"


def _load(name: str) -> dict[str, Any]:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"{name} must hold a JSON object")
    return data


def load_role_policy() -> dict[str, Any]:
    """The RAM policy document of ``AliyunServiceRoleForPaiEasManageCustomerClusters``."""
    return _load(ROLE_POLICY_FILE)


def role_actions() -> list[str]:
    """Every action the role's policy allows, in document order (``privatelink:CreateVpcEndpoint`` ...)."""
    actions: list[str] = []
    for statement in load_role_policy()["Statement"]:
        if statement.get("Effect") != "Allow":
            continue
        listed = statement["Action"]
        actions.extend([listed] if isinstance(listed, str) else listed)
    return actions


def security_group_rules(vpc_cidr: str) -> dict[str, list[dict[str, str]]]:
    """The ingress and egress rules EAS needs, with ``{vpc_cidr}`` filled in.

    Returns ``{"ingress": [...], "egress": [...]}``; each rule uses the ECS ``Permissions.N``
    field names (``IpProtocol``, ``PortRange``, ``SourceCidrIp``/``DestCidrIp``, ``Policy``,
    ``Priority``, ``NicType``, ``Description``).
    """
    try:
        network = ipaddress.ip_network(vpc_cidr, strict=True)
    except ValueError as exc:
        raise ValueError(
            f"vpc_cidr must be a network such as 192.168.0.0/16, not {vpc_cidr!r}: {exc}"
        ) from None
    document = _load(SECURITY_GROUP_RULES_FILE)
    filled: dict[str, list[dict[str, str]]] = {}
    for direction in ("ingress", "egress"):
        filled[direction] = [
            {key: str(value).replace("{vpc_cidr}", str(network)) for key, value in rule.items()}
            for rule in document[direction]
        ]
    return filled
