"""PrivateLink actions (2020-04-15): activation, services, endpoints, their zones and security groups.

Every mutation first needs the account to be activated (``NeedOpenProduct`` otherwise), then
replays a known ``ClientToken`` (a different request under the same token is refused with
``IdempotentParameterMismatch``), then checks everything, then answers ``DryRunOperation`` if
asked, and only then changes state.  An endpoint refuses changes while one of its zones is
Creating/Deleting (``EndpointLocked``), while it is not Active (``EndpointOperationDenied``) and
while its connection is being set up (``EndpointConnectionOperationDenied``).
"""

from __future__ import annotations

import secrets
from typing import Any

from emulator.core.api import Call, iso_now, new_id, page_by_token, schedule
from emulator.core.service import WorldView
from emulator.services.privatelink import errors, lifecycle, requests, views
from emulator.services.privatelink.models import Attachment, Endpoint, EndpointService, PrivateLinkStore
from emulator.services.privatelink.zones import ZoneOperations

MAX_PAGE = 1000


class PrivateLinkHandlers:
    def __init__(self, world: WorldView):
        self.world = world
        self.zones = ZoneOperations(self)

    # -- plumbing ------------------------------------------------------------------------------

    def stores(self, call: Call) -> tuple[PrivateLinkStore, Any, Any]:
        """PrivateLink, VPC and ECS stores of the caller's account and region."""
        store: PrivateLinkStore = self.world.store("privatelink", call.account_id, call.region)
        store.ecs = self.world.store("ecs", call.account_id, call.region)
        return store, self.world.store("vpc", call.account_id, call.region), store.ecs

    def seconds(self, key: str) -> float:
        return self.world.pace.seconds(f"privatelink.{key}")

    def begin_mutation(self, store: PrivateLinkStore, call: Call) -> dict[str, Any] | None:
        """Activation and ``RegionId`` checks; the earlier answer when the ``ClientToken`` is known."""
        if not store.activated:
            raise errors.not_activated()
        call.params.req("RegionId")
        replay = store.tokens.lookup(call)
        return None if replay is None else {**replay, "RequestId": call.request_id}

    def finish_mutation(
        self, store: PrivateLinkStore, call: Call, response: dict[str, Any]
    ) -> dict[str, Any]:
        store.tokens.remember(call, response)
        return {**response, "RequestId": call.request_id}

    @staticmethod
    def endpoint(store: PrivateLinkStore, call: Call) -> Endpoint:
        endpoint_id = call.params.req("EndpointId")
        endpoint = store.endpoint(endpoint_id, call.now)
        if endpoint is None:
            raise errors.endpoint_not_found(endpoint_id)
        return endpoint

    @staticmethod
    def ensure_ready(
        store: PrivateLinkStore, endpoint: Endpoint, now: float, connection: bool = True
    ) -> None:
        busy = store.busy_zone(endpoint.endpoint_id, now)
        if busy is not None:
            raise errors.locked(endpoint.endpoint_id, busy.zone_id, busy.status)
        if endpoint.status != "Active":
            raise errors.operation_denied(endpoint.endpoint_id, endpoint.status)
        if connection and endpoint.connection_status == "Connecting":
            raise errors.connecting(endpoint.endpoint_id)

    @staticmethod
    def dry_run(call: Call) -> None:
        if call.params.bool("DryRun"):
            raise errors.dry_run_passed()

    # -- activation ----------------------------------------------------------------------------

    def open_private_link_service(self, call: Call) -> dict[str, Any]:
        store, _, _ = self.stores(call)
        if store.activated:
            raise errors.already_activated()
        for region in {*self.world.regions(call.account_id), call.region}:
            self.world.store("privatelink", call.account_id, region).activated = True
        return {"OrderId": str(secrets.randbelow(9 * 10**14) + 10**14), "RequestId": call.request_id}

    def check_product_open(self, call: Call) -> dict[str, Any]:
        store, _, _ = self.stores(call)
        if not store.activated:
            raise errors.not_activated()
        return {"Success": True, "RequestId": call.request_id}

    # -- endpoint services -----------------------------------------------------------------------

    def list_vpc_endpoint_services(self, call: Call) -> dict[str, Any]:
        call.params.req("RegionId")
        store, _, _ = self.stores(call)
        found = [s for s in store.services.values() if s.owned and _service_matches(s, call)]
        for param, attribute in (
            ("ServiceResourceType", "resource_type"),
            ("AutoAcceptEnabled", "auto_accept"),
        ):
            if param in call.params:
                wanted = call.params.bool(param) if param == "AutoAcceptEnabled" else call.params.str(param)
                found = [s for s in found if getattr(s, attribute) == wanted]
        page, token = page_by_token(found, call, default=50, maximum=MAX_PAGE)
        return {
            "Services": [views.service_for_provider(s, call.region) for s in page],
            "TotalCount": len(found),
            "MaxResults": _size(call, 50),
            "NextToken": token,
            "RequestId": call.request_id,
        }

    def list_vpc_endpoint_services_by_end_user(self, call: Call) -> dict[str, Any]:
        call.params.req("RegionId")
        store, _, _ = self.stores(call)
        found = [s for s in store.services.values() if _service_matches(s, call)]
        page, token = page_by_token(found, call, default=50, maximum=MAX_PAGE)
        # TotalCount is a string in this action's response model.
        return {
            "Services": [views.service_for_consumer(s) for s in page],
            "TotalCount": str(len(found)),
            "MaxResults": _size(call, 50),
            "NextToken": token,
            "RequestId": call.request_id,
        }

    # -- endpoints -------------------------------------------------------------------------------

    def create_vpc_endpoint(self, call: Call) -> dict[str, Any]:
        store, vpc, ecs = self.stores(call)
        replay = self.begin_mutation(store, call)
        if replay is not None:
            return replay
        plan = self._plan_endpoint(call, store, vpc, ecs)
        self.dry_run(call)
        endpoint = self._open_endpoint(call, store, vpc, plan)
        service: EndpointService = plan["service"]
        active_at = call.now + self.seconds("endpoint.create")
        schedule(endpoint, active_at, "status", "Active")
        lifecycle.plan_connection(endpoint, service, active_at, self.seconds("connection.accept"))
        for group_id in plan["groups"]:
            attachment = Attachment(endpoint.endpoint_id, group_id, "Attaching")
            schedule(attachment, active_at, "status", "Attached")
            store.add_attachment(attachment)
        for planned in plan["zones"]:
            self.zones.open(store, ecs, endpoint, planned, plan["groups"], call.now, active_at)
        return self.finish_mutation(store, call, views.endpoint_summary(endpoint))

    def _plan_endpoint(self, call: Call, store: PrivateLinkStore, vpc: Any, ecs: Any) -> dict[str, Any]:
        vpc_id = call.params.req("VpcId")
        service = self._service(call, store)
        if vpc.vpc(vpc_id) is None:
            raise errors.vpc_not_found(vpc_id)
        endpoint_type = call.params.str("EndpointType") or "Interface"
        if endpoint_type != "Interface":
            raise errors.endpoint_type(endpoint_type)
        plan: dict[str, Any] = {
            "service": service,
            "vpc_id": vpc_id,
            "name": requests.endpoint_name(call.params.str("EndpointName")),
            "description": requests.endpoint_description(call.params.str("EndpointDescription")),
            "policy": requests.policy_document(call.params.str("PolicyDocument")),
            "ip_version": requests.address_ip_version(call.params.str("AddressIpVersion")),
            "tags": requests.tags(call.params.list("Tag")),
        }
        group_ids = list(dict.fromkeys(str(g) for g in call.params.list("SecurityGroupId")))
        if not group_ids:
            raise errors.security_group_required()
        requests.check_quota(
            "epSecurityGroupPerEndpoint", len(group_ids), store.quotas["epSecurityGroupPerEndpoint"]
        )
        plan["groups"] = requests.security_groups(group_ids, vpc_id, ecs)
        raw_zones = [z for z in call.params.list("Zone") if isinstance(z, dict)]
        requests.check_quota("epZonePerEndpoint", len(raw_zones), store.quotas["epZonePerEndpoint"])
        plan["zones"] = self.zones.plan(raw_zones, service, vpc_id, vpc, ecs, call.now, existing=())
        in_vpc = [e for e in store.live_endpoints(call.now) if e.vpc_id == vpc_id]
        twin = next((e for e in in_vpc if e.service_id == service.service_id), None)
        if twin is not None:
            raise errors.endpoint_duplicated(service.service_id, vpc_id, twin.endpoint_id)
        requests.check_quota("totalEpPerVpc", len(in_vpc) + 1, store.quotas["totalEpPerVpc"])
        return plan

    @staticmethod
    def _service(call: Call, store: PrivateLinkStore) -> EndpointService:
        service_id, name = call.params.str("ServiceId"), call.params.str("ServiceName")
        if not service_id and not name:
            raise errors.missing("ServiceId")
        service = store.service(service_id, name)
        if service is None:
            raise errors.service_not_found(" / ".join(x for x in (service_id, name) if x))
        return service

    @staticmethod
    def _open_endpoint(call: Call, store: PrivateLinkStore, vpc: Any, plan: dict[str, Any]) -> Endpoint:
        service: EndpointService = plan["service"]
        endpoint = Endpoint(
            endpoint_id=new_id("ep-"),
            endpoint_name=plan["name"],
            endpoint_description=plan["description"],
            service_id=service.service_id,
            service_name=service.service_name,
            vpc_id=plan["vpc_id"],
            region_id=call.region,
            status="Creating",
            connection_status="Disconnected",
            create_time=iso_now(call.now),
            resource_group_id=call.params.str("ResourceGroupId") or vpc.default_resource_group,
            address_ip_version=plan["ip_version"],
            zone_affinity_enabled=call.params.bool("ZoneAffinityEnabled"),
            protected_enabled=call.params.bool("ProtectedEnabled"),
            policy_document=plan["policy"],
            tags=plan["tags"],
        )
        store.endpoints[endpoint.endpoint_id] = endpoint
        return endpoint

    def get_vpc_endpoint_attribute(self, call: Call) -> dict[str, Any]:
        call.params.req("RegionId")
        store, _, _ = self.stores(call)
        endpoint = self.endpoint(store, call)
        view = views.endpoint_attribute(endpoint, store.services.get(endpoint.service_id))
        return {**view, "RequestId": call.request_id}

    def list_vpc_endpoints(self, call: Call) -> dict[str, Any]:
        call.params.req("RegionId")
        store, _, _ = self.stores(call)
        found = [e for e in store.live_endpoints(call.now) if _endpoint_matches(e, call)]
        page, token = page_by_token(found, call, default=50, maximum=MAX_PAGE)
        return {
            "Endpoints": [views.endpoint_listed(e, store.services.get(e.service_id)) for e in page],
            "TotalCount": len(found),
            "MaxResults": _size(call, 50),
            "NextToken": token,
            "RequestId": call.request_id,
        }

    def update_vpc_endpoint_attribute(self, call: Call) -> dict[str, Any]:
        store, _, _ = self.stores(call)
        replay = self.begin_mutation(store, call)
        if replay is not None:
            return replay
        endpoint = self.endpoint(store, call)
        self.ensure_ready(store, endpoint, call.now)
        changes: dict[str, Any] = {}
        if "EndpointName" in call.params:
            changes["endpoint_name"] = requests.endpoint_name(call.params.str("EndpointName"))
        if "EndpointDescription" in call.params:
            changes["endpoint_description"] = requests.endpoint_description(
                call.params.str("EndpointDescription")
            )
        if "PolicyDocument" in call.params:
            changes["policy_document"] = requests.policy_document(call.params.str("PolicyDocument"))
        if call.params.bool("ResetPolicy"):
            changes["policy_document"] = ""
        if "AddressIpVersion" in call.params:
            changes["address_ip_version"] = requests.address_ip_version(call.params.str("AddressIpVersion"))
        if "ZoneAffinityEnabled" in call.params:
            changes["zone_affinity_enabled"] = call.params.bool("ZoneAffinityEnabled")
        self.dry_run(call)
        for attribute, value in changes.items():
            setattr(endpoint, attribute, value)
        return self.finish_mutation(store, call, {})

    def delete_vpc_endpoint(self, call: Call) -> dict[str, Any]:
        store, _, ecs = self.stores(call)
        replay = self.begin_mutation(store, call)
        if replay is not None:
            return replay
        endpoint = self.endpoint(store, call)
        self.ensure_ready(store, endpoint, call.now, connection=False)
        zones = store.zones_of(endpoint.endpoint_id, call.now)
        if zones:
            raise errors.dependence(endpoint.endpoint_id, [z.zone_id for z in zones])
        self.dry_run(call)
        lifecycle.plan_deletion(
            endpoint,
            ecs,
            call.now,
            self.seconds("endpoint.delete"),
            self.world.pace.seconds("ecs.eni.release"),
        )
        return self.finish_mutation(store, call, {})

    # -- zones and security groups (see zones.py) ------------------------------------------------

    def add_zone_to_vpc_endpoint(self, call: Call) -> dict[str, Any]:
        return self.zones.add(call)

    def remove_zone_from_vpc_endpoint(self, call: Call) -> dict[str, Any]:
        return self.zones.remove(call)

    def list_vpc_endpoint_zones(self, call: Call) -> dict[str, Any]:
        return self.zones.list(call)

    def attach_security_group_to_vpc_endpoint(self, call: Call) -> dict[str, Any]:
        return self.zones.attach(call)

    def detach_security_group_from_vpc_endpoint(self, call: Call) -> dict[str, Any]:
        return self.zones.detach(call)

    def list_vpc_endpoint_security_groups(self, call: Call) -> dict[str, Any]:
        return self.zones.list_groups(call)


# -- filters -----------------------------------------------------------------------------------


def _size(call: Call, default: int) -> int:
    return call.params.int("MaxResults", default=default) or default


def _service_matches(service: EndpointService, call: Call) -> bool:
    for param, value in (
        ("ServiceId", service.service_id),
        ("ServiceName", service.service_name),
        ("ServiceType", service.service_type),
    ):
        if param in call.params and call.params.str(param) != value:
            return False
    return requests.tags_match(service.tags, call.params.list("Tag"))


def _endpoint_matches(endpoint: Endpoint, call: Call) -> bool:
    for param, value in (
        ("EndpointId", endpoint.endpoint_id),
        ("EndpointName", endpoint.endpoint_name),
        ("EndpointStatus", endpoint.status),
        ("ConnectionStatus", endpoint.connection_status),
        ("EndpointType", endpoint.endpoint_type),
        ("VpcId", endpoint.vpc_id),
        ("ServiceName", endpoint.service_name),
        ("ServiceRegionId", endpoint.region_id),
        ("AddressIpVersion", endpoint.address_ip_version),
        ("ResourceGroupId", endpoint.resource_group_id),
    ):
        if param in call.params and call.params.str(param) != value:
            return False
    return requests.tags_match(endpoint.tags, call.params.list("Tag"))
