"""Security groups of one account in one region, their rules, and the network interfaces in them.

Records hold API-cased rule dicts (see :mod:`emulator.services.ecs.rules`).  A group is "in use"
while a network interface is a member (see :mod:`emulator.services.ecs.enis`) or while another
group's rule references it; :meth:`EcsStore.holders` says which, for ``DeleteSecurityGroup``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.core.api import ClientTokens, Record, new_id, record_to_dict
from emulator.services.ecs import errors, rules
from emulator.services.ecs.enis import NetworkInterfaces

#: Security groups per region (the real default quota is at least 100).
DEFAULT_GROUP_QUOTA = 100
#: Rules per group, inbound and outbound together.
RULES_PER_GROUP = 200
#: Members a group can take, by type (basic / advanced).
CAPACITY = {"normal": 2000, "enterprise": 65536}


@dataclass
class SecurityGroup(Record):
    security_group_id: str
    name: str
    description: str
    vpc_id: str
    group_type: str  # normal | enterprise
    resource_group_id: str
    creation_time: str
    tags: list[dict[str, str]] = field(default_factory=list)  # {"Key", "Value"}
    rules: list[dict[str, Any]] = field(default_factory=list)
    service_managed: bool = False

    def tag_view(self) -> list[dict[str, str]]:
        return [{"TagKey": t["Key"], "TagValue": t.get("Value", "")} for t in self.tags]


class EcsStore:
    """Security groups and network interfaces of one account in one region."""

    def __init__(self) -> None:
        self.groups: dict[str, SecurityGroup] = {}
        self.enis = NetworkInterfaces()
        self.tokens = ClientTokens()
        self.group_quota = DEFAULT_GROUP_QUOTA

    # -- groups ------------------------------------------------------------------------------

    def security_group(self, group_id: str) -> SecurityGroup | None:
        return self.groups.get(group_id)

    def add_group(
        self,
        *,
        name: str,
        description: str,
        vpc_id: str,
        group_type: str,
        resource_group_id: str,
        tags: list[dict[str, str]],
        creation_time: str,
    ) -> SecurityGroup:
        group = SecurityGroup(
            security_group_id=new_id("sg-"),
            name=name,
            description=description,
            vpc_id=vpc_id,
            group_type=group_type,
            resource_group_id=resource_group_id,
            creation_time=creation_time,
            tags=tags,
        )
        self.groups[group.security_group_id] = group
        return group

    def holders(self, group_id: str, now: float) -> tuple[list[str], list[str]]:
        """What keeps a group from being deleted: (network interface ids, referencing group ids)."""
        interfaces = [eni.eni_id for eni in self.enis.in_group(group_id, now)]
        referrers = [
            g.security_group_id
            for g in self.groups.values()
            if g.security_group_id != group_id and any(rules.references(r) == group_id for r in g.rules)
        ]
        return interfaces, referrers

    def member_count(self, group_id: str, now: float) -> int:
        return len(self.enis.in_group(group_id, now))

    # -- rules -------------------------------------------------------------------------------

    def authorize(self, group: SecurityGroup, wanted: list[dict[str, Any]], created: str) -> int:
        """Add the rules not already present; returns how many were added.  Raises at the rule limit."""
        present = {rules.key(r) for r in group.rules}
        fresh: dict[tuple[str, ...], dict[str, Any]] = {}
        for rule in wanted:
            rule_key = rules.key(rule)
            if rule_key not in present:
                fresh.setdefault(rule_key, rule)
        if len(group.rules) + len(fresh) > RULES_PER_GROUP:
            raise errors.rule_limit(group.security_group_id, RULES_PER_GROUP)
        for rule in fresh.values():
            group.rules.append({"SecurityGroupRuleId": new_id("sgr-"), **rule, "CreateTime": created})
        return len(fresh)

    @staticmethod
    def revoke(group: SecurityGroup, direction: str, wanted: list[dict[str, Any]]) -> int:
        """Remove the rules identical to ``wanted``; no match is not an error."""
        keys = {rules.key(r) for r in wanted}
        kept = [r for r in group.rules if r["Direction"] != direction or rules.key(r) not in keys]
        removed = len(group.rules) - len(kept)
        group.rules = kept
        return removed

    @staticmethod
    def unknown_rule_ids(group: SecurityGroup, direction: str, rule_ids: list[str]) -> list[str]:
        known = {r["SecurityGroupRuleId"] for r in group.rules if r["Direction"] == direction}
        return [rule_id for rule_id in rule_ids if rule_id not in known]

    @staticmethod
    def revoke_ids(group: SecurityGroup, rule_ids: list[str]) -> int:
        before = len(group.rules)
        group.rules = [r for r in group.rules if r["SecurityGroupRuleId"] not in set(rule_ids)]
        return before - len(group.rules)

    # -- lifecycle, control API, persistence --------------------------------------------------

    def settle_all(self, now: float) -> None:
        self.enis.live(now)

    def admin_add_foreign_eni(self, security_group_id: str) -> dict[str, Any]:
        """A network interface of something outside the emulated products, in the group until removed."""
        group = self.groups.get(security_group_id)
        if group is None:
            raise ValueError(f"no security group {security_group_id}")
        eni = self.enis.create(
            vswitch_id="",
            vpc_id=group.vpc_id,
            zone_id="",
            ip="",
            group_ids=[security_group_id],
            owner="",
            now=0.0,
        )
        return {"NetworkInterfaceId": eni.eni_id}

    def admin_remove_eni(self, network_interface_id: str) -> dict[str, Any]:
        if not self.enis.remove(network_interface_id):
            raise ValueError(f"no network interface {network_interface_id}")
        return {"NetworkInterfaceId": network_interface_id, "Removed": True}

    def admin_set_group_quota(self, limit: int) -> dict[str, Any]:
        self.group_quota = int(limit)
        return {"SecurityGroupQuota": self.group_quota}

    def dump(self) -> dict[str, Any]:
        return {
            "groups": [record_to_dict(g) for g in self.groups.values()],
            "enis": self.enis.dump(),
            "tokens": self.tokens.entries,
            "group_quota": self.group_quota,
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> EcsStore:
        store = cls()
        store.groups = {raw["security_group_id"]: SecurityGroup(**raw) for raw in data.get("groups", [])}
        store.enis = NetworkInterfaces.load(data.get("enis", []))
        store.tokens = ClientTokens(data.get("tokens", {}))
        store.group_quota = int(data.get("group_quota", DEFAULT_GROUP_QUOTA))
        return store
