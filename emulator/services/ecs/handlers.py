"""ECS security group actions (2014-05-26).

Security groups have no status; create and delete are synchronous.  ``DescribeSecurityGroups``
with unknown ids answers an empty list.  Paging: ``MaxResults``/``NextToken`` (at most 100) when
either is given, else the older ``PageNumber``/``PageSize`` (at most 50) with ``TotalCount``.
``ClientToken`` reused with other parameters answers 400 ``IdempotentParameterMismatch``.
"""

from __future__ import annotations

from typing import Any

from emulator.core.api import Call, iso_now, page_by_number, page_by_token
from emulator.core.service import WorldView
from emulator.services.ecs import errors, rules, validation
from emulator.services.ecs.models import CAPACITY, EcsStore, SecurityGroup

MAX_IDS = 100


class EcsHandlers:
    def __init__(self, world: WorldView):
        self.world = world

    def _store(self, call: Call) -> EcsStore:
        store: EcsStore = self.world.store("ecs", call.account_id, call.region)
        return store

    def _group(self, call: Call) -> tuple[EcsStore, SecurityGroup]:
        group_id = call.params.req("SecurityGroupId")
        store = self._store(call)
        group = store.security_group(group_id)
        if group is None:
            raise errors.security_group_not_found(group_id)
        return store, group

    # -- reads -------------------------------------------------------------------------------

    def describe_security_groups(self, call: Call) -> dict[str, Any]:
        call.params.req("RegionId")
        store = self._store(call)
        ids = [str(i) for i in call.params.json_list("SecurityGroupIds")]
        if len(ids) > MAX_IDS:
            raise errors.invalid(f"At most {MAX_IDS} SecurityGroupIds may be given.")
        found = [g for g in store.groups.values() if _group_matches(g, call, ids)]
        body: dict[str, Any] = {"RequestId": call.request_id, "RegionId": call.region}
        if "MaxResults" in call.params or "NextToken" in call.params:
            page, token = page_by_token(found, call, default=10, maximum=MAX_IDS)
            body["NextToken"] = token
        else:
            page, number, size = page_by_number(found, call, default=10, maximum=50)
            body.update({"TotalCount": len(found), "PageNumber": number, "PageSize": size})
        if call.params.bool("DryRun"):
            raise errors.dry_run_passed()
        body["SecurityGroups"] = {"SecurityGroup": [_group_view(store, g, call.now) for g in page]}
        return body

    def describe_security_group_attribute(self, call: Call) -> dict[str, Any]:
        store, group = self._group(call)
        direction = (call.params.str("Direction") or "all").lower()
        if direction not in ("all", "ingress", "egress"):
            raise errors.invalid("The specified Direction must be all, ingress or egress.")
        nic_type = call.params.str("NicType")
        listed = [
            r
            for r in group.rules
            if direction in ("all", r["Direction"]) and (not nic_type or r["NicType"] == nic_type)
        ]
        body: dict[str, Any] = {
            "RequestId": call.request_id,
            "RegionId": call.region,
            "SecurityGroupId": group.security_group_id,
            "SecurityGroupName": group.name,
            "Description": group.description,
            "VpcId": group.vpc_id,
            "InnerAccessPolicy": "Accept" if group.group_type == "normal" else "Drop",
        }
        if "MaxResults" in call.params or "NextToken" in call.params:
            listed, body["NextToken"] = page_by_token(listed, call, default=10, maximum=1000)
        body["Permissions"] = {"Permission": [_rule_view(store, r) for r in listed]}
        return body

    # -- groups ------------------------------------------------------------------------------

    def create_security_group(self, call: Call) -> dict[str, Any]:
        call.params.req("RegionId")
        store = self._store(call)
        replay = store.tokens.lookup(call)
        if replay is not None:
            return {**replay, "RequestId": call.request_id}
        vpc_id = self._usable_vpc(call)
        name = validation.group_name(call.params.str("SecurityGroupName"))
        description = validation.group_description(call.params.str("Description"))
        group_type = validation.group_type(call.params.str("SecurityGroupType"))
        tags = validation.tags(call.params.list("Tag"))
        if len(store.groups) >= store.group_quota:
            raise errors.quota_exceeded(store.group_quota)
        if call.params.bool("DryRun"):
            raise errors.dry_run_passed()
        resource_group = call.params.str("ResourceGroupId") or self._default_resource_group(call)
        group = store.add_group(
            name=name,
            description=description,
            vpc_id=vpc_id,
            group_type=group_type,
            resource_group_id=resource_group,
            tags=tags,
            creation_time=iso_now(call.now),
        )
        response = {"SecurityGroupId": group.security_group_id}
        store.tokens.remember(call, response)
        return {**response, "RequestId": call.request_id}

    def delete_security_group(self, call: Call) -> dict[str, Any]:
        store, group = self._group(call)
        interfaces, referrers = store.holders(group.security_group_id, call.now)
        if interfaces:
            raise errors.dependency_on_interfaces(group.security_group_id, interfaces)
        if referrers:
            raise errors.dependency_on_references(group.security_group_id, referrers)
        del store.groups[group.security_group_id]
        return {"RequestId": call.request_id}

    def _usable_vpc(self, call: Call) -> str:
        vpc_id = call.params.str("VpcId")
        if not vpc_id:
            raise errors.vpc_id_missing()
        vpc = self.world.store("vpc", call.account_id, call.region).vpc(vpc_id)
        if vpc is None:
            raise errors.vpc_not_found(vpc_id)
        if vpc.status != "Available":
            raise errors.vpc_not_available(vpc_id)
        return vpc_id

    def _default_resource_group(self, call: Call) -> str:
        return str(self.world.store("vpc", call.account_id, call.region).default_resource_group)

    # -- rules -------------------------------------------------------------------------------

    def authorize_security_group(self, call: Call) -> dict[str, Any]:
        return self._authorize(call, "ingress")

    def authorize_security_group_egress(self, call: Call) -> dict[str, Any]:
        return self._authorize(call, "egress")

    def revoke_security_group(self, call: Call) -> dict[str, Any]:
        return self._revoke(call, "ingress")

    def revoke_security_group_egress(self, call: Call) -> dict[str, Any]:
        return self._revoke(call, "egress")

    def _authorize(self, call: Call, direction: str) -> dict[str, Any]:
        store, group = self._group(call)
        if store.tokens.lookup(call) is not None:
            return {"RequestId": call.request_id}

        def lookup(group_id: str) -> str | None:
            peer = store.security_group(group_id)
            return peer.vpc_id if peer else None

        wanted = [
            rules.normalise(raw, direction, group.vpc_id, lookup)
            for raw in rules.requested(call.params.list("Permissions"), call.params.raw)
        ]
        store.authorize(group, wanted, iso_now(call.now))
        store.tokens.remember(call, {})
        return {"RequestId": call.request_id}

    def _revoke(self, call: Call, direction: str) -> dict[str, Any]:
        store, group = self._group(call)
        if store.tokens.lookup(call) is not None:
            return {"RequestId": call.request_id}
        rule_ids = [str(r) for r in call.params.list("SecurityGroupRuleId")]
        if rule_ids:
            if call.params.list("Permissions"):
                raise errors.conflict("SecurityGroupRuleId.N and Permissions.N may not be given together.")
            unknown = store.unknown_rule_ids(group, direction, rule_ids)
            if unknown:
                raise errors.rule_not_found(unknown[0])
            store.revoke_ids(group, rule_ids)
        else:
            wanted = [
                rules.normalise(raw, direction, group.vpc_id, None)
                for raw in rules.requested(call.params.list("Permissions"), call.params.raw)
            ]
            store.revoke(group, direction, wanted)
        store.tokens.remember(call, {})
        return {"RequestId": call.request_id}


# -- views and filters -----------------------------------------------------------------------


def _group_matches(group: SecurityGroup, call: Call, ids: list[str]) -> bool:
    params = call.params
    if ids and group.security_group_id not in ids:
        return False
    for param, value in (
        ("SecurityGroupId", group.security_group_id),
        ("VpcId", group.vpc_id),
        ("SecurityGroupName", group.name),
        ("SecurityGroupType", group.group_type),
        ("ResourceGroupId", group.resource_group_id),
    ):
        if param in params and params.str(param) != value:
            return False
    if params.str("NetworkType") == "classic":
        return False
    return validation.tags_match(group.tags, params.list("Tag"))


def _group_view(store: EcsStore, group: SecurityGroup, now: float) -> dict[str, Any]:
    members = store.member_count(group.security_group_id, now)
    return {
        "SecurityGroupId": group.security_group_id,
        "SecurityGroupName": group.name,
        "Description": group.description,
        "VpcId": group.vpc_id,
        "SecurityGroupType": group.group_type,
        "CreationTime": group.creation_time,
        "ResourceGroupId": group.resource_group_id,
        "ServiceManaged": group.service_managed,
        "RuleCount": len(group.rules),
        "GroupToGroupRuleCount": sum(1 for r in group.rules if rules.references(r)),
        "EcsCount": members,
        "AvailableInstanceAmount": CAPACITY[group.group_type] - members,
        "Tags": {"Tag": group.tag_view()},
    }


def _rule_view(store: EcsStore, rule: dict[str, Any]) -> dict[str, Any]:
    view = dict(rule)
    for field_name, name_field in (("SourceGroupId", "SourceGroupName"), ("DestGroupId", "DestGroupName")):
        peer = store.security_group(rule.get(field_name) or "")
        view[name_field] = peer.name if peer else ""
    return view
