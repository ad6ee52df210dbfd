"""ECS (2014-05-26), security groups: the group EAS puts on the resource group's VPC endpoints.

Through the generic client (:mod:`alicloud.openapi`).  Groups have no status; create and delete
are synchronous, but a group stays "in use" (``DependencyViolation``) for a while after the
endpoint holding it is deleted, until its network interfaces are released:
:func:`wait_for_security_group_released` keeps deleting until that is over.  Rules have no ids on
create: revoke them by their exact fields (:class:`SecurityGroupRule`), which the EAS role can
do, or by the ids :func:`describe_security_group_attribute` reads (not in the role's policy).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alicloud import parse
from alicloud.clients import Clients
from alicloud.errors import AlibabaCloudError, DependencyViolationError, ForeignHolderError, NotFoundError
from alicloud.invoke import Operation, invoke
from alicloud.openapi import rpc
from alicloud.paging import all_by_token
from alicloud.waiting import DEFAULT_POLL, Poll, wait_for

log = logging.getLogger("alicloud")

PRODUCT = "ecs"
_MAX_RULES_PER_CALL = 100
_PORT_RANGE = re.compile(r"^(-1/-1|\d{1,5}/\d{1,5})$")


@dataclass(frozen=True)
class SecurityGroup:
    security_group_id: str
    security_group_name: str
    vpc_id: str
    security_group_type: str  # normal | enterprise
    description: str
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SecurityGroupRule:
    """One rule; ``cidr`` is the source for ingress and the destination for egress."""

    ip_protocol: str
    port_range: str
    cidr: str
    policy: str = "accept"
    priority: str = "1"
    nic_type: str = "intranet"
    description: str = ""
    rule_id: str = ""  # only known when read back with DescribeSecurityGroupAttribute
    direction: str = ""  # ingress | egress, when read back

    @classmethod
    def from_policy(cls, rule: Mapping[str, str]) -> SecurityGroupRule:
        """From an entry of ``policies.security_group_rules(...)`` (ECS ``Permissions`` field names)."""
        return cls(
            ip_protocol=rule["IpProtocol"],
            port_range=rule["PortRange"],
            cidr=rule.get("SourceCidrIp") or rule.get("DestCidrIp", ""),
            policy=rule.get("Policy", "accept"),
            priority=str(rule.get("Priority", "1")),
            nic_type=rule.get("NicType", "intranet"),
            description=rule.get("Description", ""),
        )

    def permission(self, direction: str) -> dict[str, str]:
        """The ``Permissions.N`` entry for ``direction`` (``ingress`` or ``egress``)."""
        if not _PORT_RANGE.match(self.port_range):
            raise ValueError(f"port_range must look like 443/443 or -1/-1, not {self.port_range!r}")
        if not 1 <= int(self.priority) <= 100:
            raise ValueError(f"priority must be 1 to 100, not {self.priority}")
        peer = "SourceCidrIp" if direction == "ingress" else "DestCidrIp"
        entry = {
            "IpProtocol": self.ip_protocol,
            "PortRange": self.port_range,
            peer: self.cidr,
            "Policy": self.policy,
            "Priority": self.priority,
            "NicType": self.nic_type,
        }
        if self.description:
            entry["Description"] = self.description
        return entry


def describe_security_groups(
    clients: Clients,
    *,
    vpc_id: str | None = None,
    security_group_ids: Sequence[str] | None = None,
    security_group_name: str | None = None,
) -> list[SecurityGroup]:
    """Groups matching the filters; unknown ids simply give fewer results.

    RAM action: ``ecs:DescribeSecurityGroups``.
    """
    query: dict[str, Any] = {
        "RegionId": clients.region,
        "VpcId": vpc_id,
        "SecurityGroupName": security_group_name,
    }
    if security_group_ids:
        query["SecurityGroupIds"] = json.dumps(list(security_group_ids))  # a JSON array string, not a list

    def page(token: str | None) -> tuple[list[SecurityGroup], str | None]:
        body = _call(clients, "DescribeSecurityGroups", {**query, "MaxResults": 100, "NextToken": token})
        groups = [_group(g) for g in parse.items(body, "SecurityGroups", "SecurityGroup")]
        return groups, parse.text(body, "NextToken") or None

    return all_by_token(page)


def create_security_group(
    clients: Clients,
    *,
    vpc_id: str,
    security_group_name: str,
    description: str | None = None,
    security_group_type: str = "normal",
    tags: Mapping[str, str] | None = None,
    client_token: str | None = None,
) -> str:
    """Create a group in the VPC; returns its id.

    RAM action: ``ecs:CreateSecurityGroup``.
    """
    query: dict[str, Any] = {
        "RegionId": clients.region,
        "VpcId": vpc_id,
        "SecurityGroupName": security_group_name,
        "Description": description,
        "SecurityGroupType": security_group_type,
        "ClientToken": client_token,
        "Tag": [{"Key": k, "Value": v} for k, v in (tags or {}).items()] or None,
    }
    return parse.text(_call(clients, "CreateSecurityGroup", query), "SecurityGroupId")


def delete_security_group(clients: Clients, *, security_group_id: str, draining: bool = False) -> None:
    """Delete a group.

    RAM action: ``ecs:DeleteSecurityGroup``.  Still used (``DependencyViolation``): with
    ``draining=True`` retried within the deadline; see also :func:`wait_for_security_group_released`.
    """
    _call(
        clients,
        "DeleteSecurityGroup",
        {"RegionId": clients.region, "SecurityGroupId": security_group_id},
        retry_also=(DependencyViolationError,) if draining else (),
    )


def authorize_security_group(
    clients: Clients,
    *,
    security_group_id: str,
    rules: Sequence[SecurityGroupRule],
    client_token: str | None = None,
) -> None:
    """Add ingress rules (an identical existing rule is a no-op).

    RAM action: ``ecs:AuthorizeSecurityGroup``.
    """
    _rules_call(clients, "AuthorizeSecurityGroup", "ingress", security_group_id, rules, client_token)


def authorize_security_group_egress(
    clients: Clients,
    *,
    security_group_id: str,
    rules: Sequence[SecurityGroupRule],
    client_token: str | None = None,
) -> None:
    """Add egress rules (an identical existing rule is a no-op).

    RAM action: ``ecs:AuthorizeSecurityGroupEgress``.
    """
    _rules_call(clients, "AuthorizeSecurityGroupEgress", "egress", security_group_id, rules, client_token)


def revoke_security_group(
    clients: Clients,
    *,
    security_group_id: str,
    rules: Sequence[SecurityGroupRule],
    client_token: str | None = None,
) -> None:
    """Remove ingress rules, matched by their fields (no match is a no-op).

    RAM action: ``ecs:RevokeSecurityGroup``.
    """
    _rules_call(clients, "RevokeSecurityGroup", "ingress", security_group_id, rules, client_token)


def revoke_security_group_egress(
    clients: Clients,
    *,
    security_group_id: str,
    rules: Sequence[SecurityGroupRule],
    client_token: str | None = None,
) -> None:
    """Remove egress rules, matched by their fields (no match is a no-op).

    RAM action: ``ecs:RevokeSecurityGroupEgress``.
    """
    _rules_call(clients, "RevokeSecurityGroupEgress", "egress", security_group_id, rules, client_token)


def describe_security_group_attribute(
    clients: Clients, *, security_group_id: str, direction: str = "all"
) -> list[SecurityGroupRule]:
    """The group's rules, with ids (``direction``: ingress, egress or all).

    RAM action: ``ecs:DescribeSecurityGroupAttribute`` (not in the EAS role's policy).
    """
    query = {"RegionId": clients.region, "SecurityGroupId": security_group_id, "Direction": direction}
    body = _call(clients, "DescribeSecurityGroupAttribute", query)
    return [_rule(p) for p in parse.items(body, "Permissions", "Permission")]


def wait_for_security_group_released(
    clients: Clients,
    *,
    security_group_id: str,
    own_interfaces: Collection[str] | None = None,
    timeout_s: float = 600.0,
    poll: Poll = DEFAULT_POLL,
) -> int:
    """Delete the group, again and again while its interfaces drain; return the delete attempts.

    ``DependencyViolation`` means something still uses the group.  With ``own_interfaces`` (the
    network interfaces of our own, deleted endpoints) only those count as draining: an answer
    naming another interface, or another group's rule referring to this one, raises
    :class:`~alicloud.errors.ForeignHolderError` at once, naming it, since waiting would not help.
    An answer naming no interface (the cloud's own wording does not) is taken as draining.  On
    timeout the :class:`~alicloud.errors.WaitTimeoutError` names what held the group.  A group
    already gone counts as deleted.
    """
    attempts = 0

    def try_delete() -> str:
        nonlocal attempts
        attempts += 1
        try:
            delete_security_group(clients, security_group_id=security_group_id)
        except NotFoundError:
            return "deleted"
        except DependencyViolationError as error:
            if own_interfaces is not None:
                _refuse_foreign_holders(error, security_group_id, own_interfaces)
            held = ", ".join(_INTERFACE.findall(error.message)) or "its network interfaces"
            return f"held by {held} ({error.code})"
        return "deleted"

    wait_for(
        try_delete,
        done=lambda state: state == "deleted",
        state_of=lambda state: state,
        resource=security_group_id,
        target="deleted",
        timeout_s=timeout_s,
        poll=poll,
    )
    log.info("%s deleted after %d attempt(s)", security_group_id, attempts)
    return attempts


_INTERFACE = re.compile(r"\beni-[0-9a-z]+")
_GROUP = re.compile(r"\bsg-[0-9a-z]+")


def foreign_holders(
    error: DependencyViolationError, security_group_id: str, own: Collection[str]
) -> list[str]:
    """What in a ``DependencyViolation`` answer is not ours: interfaces outside ``own``, or any rule
    of another group that refers to this one (eas-rg never writes such rules)."""
    if "authorized" in error.message:
        groups = sorted({g for g in _GROUP.findall(error.message) if g != security_group_id})
        return [f"a rule of security group {g}" for g in groups] or ["a rule of another security group"]
    return [f"network interface {eni}" for eni in sorted(set(_INTERFACE.findall(error.message)) - set(own))]


def _refuse_foreign_holders(
    error: DependencyViolationError, security_group_id: str, own: Collection[str]
) -> None:
    foreign = foreign_holders(error, security_group_id, own)
    if foreign:
        raise ForeignHolderError(
            f"blocked: {security_group_id} is held by {', '.join(foreign)}, which eas-rg did not create "
            "for this group; remove it from the group (or the rule), then re-run the teardown "
            f"({error.message})",
            code=error.code,
            request_id=error.request_id,
            status=error.status,
            product=error.product,
            action=error.action,
        ) from error


def _rules_call(
    clients: Clients,
    action: str,
    direction: str,
    security_group_id: str,
    rules: Sequence[SecurityGroupRule],
    client_token: str | None,
) -> None:
    if not 1 <= len(rules) <= _MAX_RULES_PER_CALL:
        raise ValueError(f"rules must hold 1 to {_MAX_RULES_PER_CALL} rules per call, not {len(rules)}")
    query = {
        "RegionId": clients.region,
        "SecurityGroupId": security_group_id,
        "ClientToken": client_token,
        "Permissions": [rule.permission(direction) for rule in rules],
    }
    _call(clients, action, query)


def _call(
    clients: Clients,
    action: str,
    query: dict[str, Any],
    *,
    retry_also: tuple[type[AlibabaCloudError], ...] = (),
) -> dict[str, Any]:
    op = Operation(PRODUCT, action, f"ecs:{action}")
    return invoke(
        clients,
        op,
        lambda: rpc(clients.ecs, product="ecs", action=action, query=query),
        retry_also=retry_also,
    )


def _group(body: Mapping[str, Any]) -> SecurityGroup:
    return SecurityGroup(
        security_group_id=parse.text(body, "SecurityGroupId"),
        security_group_name=parse.text(body, "SecurityGroupName"),
        vpc_id=parse.text(body, "VpcId"),
        security_group_type=parse.text(body, "SecurityGroupType"),
        description=parse.text(body, "Description"),
        tags=parse.tags(body, key_field="TagKey", value_field="TagValue"),
    )


def _rule(body: Mapping[str, Any]) -> SecurityGroupRule:
    direction = parse.text(body, "Direction")
    cidr = parse.text(body, "SourceCidrIp") if direction == "ingress" else parse.text(body, "DestCidrIp")
    return SecurityGroupRule(
        ip_protocol=parse.text(body, "IpProtocol"),
        port_range=parse.text(body, "PortRange"),
        cidr=cidr,
        policy=parse.text(body, "Policy", "accept").lower(),
        priority=parse.text(body, "Priority", "1"),
        nic_type=parse.text(body, "NicType", "intranet"),
        description=parse.text(body, "Description"),
        rule_id=parse.text(body, "SecurityGroupRuleId"),
        direction=direction,
    )
