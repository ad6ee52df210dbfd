"""What changes one at a time on an endpoint: zones (each with a network interface) and security groups.

Each change puts the endpoint in ``Pending`` for the change's duration; the zone or attachment
carries its own status meanwhile.  Network interfaces live in the ECS store: a zone's interface
joins the endpoint's security groups, leaves a detached group ``ecs.eni.release`` seconds after
the detachment completes, and goes away that long after its zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from emulator.core.api import GONE, Call, page_by_token, schedule
from emulator.services.privatelink import errors, lifecycle, requests, views
from emulator.services.privatelink.models import (
    Attachment,
    Endpoint,
    EndpointService,
    EndpointZone,
    PrivateLinkStore,
)

if TYPE_CHECKING:
    from emulator.services.privatelink.handlers import PrivateLinkHandlers

MAX_ZONE_PAGE = 1000  # ListVpcEndpointZones: 1-1000, default 50
MAX_SMALL_PAGE = 50  # ListVpcEndpointSecurityGroups: 1-50, default 50
ACTIVE_GROUP_STATES = ("Attaching", "Attached")


class ZoneOperations:
    def __init__(self, handlers: PrivateLinkHandlers):
        self.handlers = handlers

    # -- zones -------------------------------------------------------------------------------

    @staticmethod
    def plan(
        raw_zones: list[dict[str, Any]],
        service: EndpointService,
        vpc_id: str,
        vpc: Any,
        ecs: Any,
        now: float,
        existing: Iterable[str],
    ) -> list[dict[str, str]]:
        """Check ``Zone.N`` entries and choose their addresses; ``existing`` are zones already added."""
        seen = set(existing)
        picked: dict[str, set[str]] = {}

        def taken_in(vswitch_id: str) -> set[str]:
            return set(ecs.enis.ips_in_use(vswitch_id, now)) | picked.get(vswitch_id, set())

        planned = []
        for raw in raw_zones:
            if raw.get("ZoneId") in seen:
                raise errors.zone_duplicated(str(raw.get("ZoneId")))
            zone = requests.zone(raw, service, vpc_id, vpc, taken_in)
            seen.add(zone["ZoneId"])
            picked.setdefault(zone["VSwitchId"], set()).add(zone["ip"])
            planned.append(zone)
        return planned

    @staticmethod
    def open(
        store: PrivateLinkStore,
        ecs: Any,
        endpoint: Endpoint,
        planned: dict[str, str],
        groups: list[str],
        now: float,
        ready_at: float,
    ) -> EndpointZone:
        eni = ecs.enis.create(
            vswitch_id=planned["VSwitchId"],
            vpc_id=endpoint.vpc_id,
            zone_id=planned["ZoneId"],
            ip=planned["ip"],
            group_ids=groups,
            owner=endpoint.endpoint_id,
            now=now,
        )
        zone = EndpointZone(
            endpoint_id=endpoint.endpoint_id,
            zone_id=planned["ZoneId"],
            vswitch_id=planned["VSwitchId"],
            eni_id=eni.eni_id,
            eni_ip=planned["ip"],
            status="Creating",
            zone_domain=views.zone_domain(
                endpoint.endpoint_id, planned["ZoneId"], endpoint.service_id, endpoint.region_id
            ),
        )
        lifecycle.plan_zone_ready(zone, endpoint, ready_at)
        store.add_zone(zone)
        return zone

    def add(self, call: Call) -> dict[str, Any]:
        handlers = self.handlers
        store, vpc, ecs = handlers.stores(call)
        replay = handlers.begin_mutation(store, call)
        if replay is not None:
            return replay
        endpoint = handlers.endpoint(store, call)
        raw = {
            "ZoneId": call.params.req("ZoneId"),
            "VSwitchId": call.params.req("VSwitchId"),
            "ip": call.params.str("ip"),
        }
        handlers.ensure_ready(store, endpoint, call.now)
        zones = store.zones_of(endpoint.endpoint_id, call.now)
        requests.check_quota("epZonePerEndpoint", len(zones) + 1, store.quotas["epZonePerEndpoint"])
        service = store.services.get(endpoint.service_id)
        if service is None:
            raise errors.service_not_found(endpoint.service_id)
        planned = self.plan([raw], service, endpoint.vpc_id, vpc, ecs, call.now, [z.zone_id for z in zones])
        handlers.dry_run(call)
        ready_at = call.now + handlers.seconds("zone.create")
        groups = [
            a.security_group_id
            for a in store.attachments_of(endpoint.endpoint_id, call.now)
            if a.status in ACTIVE_GROUP_STATES
        ]
        self.open(store, ecs, endpoint, planned[0], groups, call.now, ready_at)
        lifecycle.plan_pending(endpoint, ready_at)
        return handlers.finish_mutation(store, call, {})

    def remove(self, call: Call) -> dict[str, Any]:
        handlers = self.handlers
        store, _, ecs = handlers.stores(call)
        replay = handlers.begin_mutation(store, call)
        if replay is not None:
            return replay
        endpoint = handlers.endpoint(store, call)
        zone_id = call.params.req("ZoneId")
        zone = store.zone(endpoint.endpoint_id, zone_id, call.now)
        if zone is None:
            raise errors.zone_not_found(zone_id)
        handlers.ensure_ready(store, endpoint, call.now)
        handlers.dry_run(call)
        gone_at = call.now + handlers.seconds("zone.delete")
        zone.status = "Deleting"
        schedule(zone, gone_at, GONE, True)
        ecs.enis.release(zone.eni_id, gone_at + handlers.world.pace.seconds("ecs.eni.release"))
        lifecycle.plan_pending(endpoint, gone_at)
        return handlers.finish_mutation(store, call, {})

    def list(self, call: Call) -> dict[str, Any]:
        call.params.req("RegionId")
        store, _, _ = self.handlers.stores(call)
        endpoint = self.handlers.endpoint(store, call)
        zones = store.zones_of(endpoint.endpoint_id, call.now)
        page, token = page_by_token(zones, call, default=MAX_SMALL_PAGE, maximum=MAX_ZONE_PAGE)
        return {
            "Zones": [views.zone_view(z, endpoint.region_id) for z in page],
            "TotalCount": len(zones),
            "MaxResults": call.params.int("MaxResults", default=MAX_SMALL_PAGE),
            "NextToken": token,
            "RequestId": call.request_id,
        }

    # -- security groups ---------------------------------------------------------------------

    def attach(self, call: Call) -> dict[str, Any]:
        handlers = self.handlers
        store, _, ecs = handlers.stores(call)
        replay = handlers.begin_mutation(store, call)
        if replay is not None:
            return replay
        endpoint = handlers.endpoint(store, call)
        group_id = call.params.req("SecurityGroupId")
        handlers.ensure_ready(store, endpoint, call.now)
        attached = store.attachments_of(endpoint.endpoint_id, call.now)
        if any(a.security_group_id == group_id for a in attached):
            raise errors.security_group_exists(group_id)
        requests.security_groups([a.security_group_id for a in attached] + [group_id], endpoint.vpc_id, ecs)
        requests.check_quota(
            "epSecurityGroupPerEndpoint", len(attached) + 1, store.quotas["epSecurityGroupPerEndpoint"]
        )
        handlers.dry_run(call)
        done_at = call.now + handlers.seconds("endpoint.modify")
        attachment = Attachment(endpoint.endpoint_id, group_id, "Attaching")
        schedule(attachment, done_at, "status", "Attached")
        store.add_attachment(attachment)
        for zone in store.zones_of(endpoint.endpoint_id, call.now):
            ecs.enis.join(zone.eni_id, group_id)
        lifecycle.plan_pending(endpoint, done_at)
        return handlers.finish_mutation(store, call, {})

    def detach(self, call: Call) -> dict[str, Any]:
        handlers = self.handlers
        store, _, ecs = handlers.stores(call)
        replay = handlers.begin_mutation(store, call)
        if replay is not None:
            return replay
        endpoint = handlers.endpoint(store, call)
        group_id = call.params.req("SecurityGroupId")
        handlers.ensure_ready(store, endpoint, call.now)
        attached = store.attachments_of(endpoint.endpoint_id, call.now)
        attachment = next((a for a in attached if a.security_group_id == group_id), None)
        if attachment is None:
            raise errors.security_group_not_attached(group_id, endpoint.endpoint_id)
        if len(attached) == 1:
            raise errors.security_group_required()
        handlers.dry_run(call)
        done_at = call.now + handlers.seconds("endpoint.modify")
        attachment.status = "Detaching"
        schedule(attachment, done_at, GONE, True)
        leave_at = done_at + handlers.world.pace.seconds("ecs.eni.release")
        for zone in store.zones_of(endpoint.endpoint_id, call.now):
            ecs.enis.leave(zone.eni_id, group_id, leave_at)
        lifecycle.plan_pending(endpoint, done_at)
        return handlers.finish_mutation(store, call, {})

    def list_groups(self, call: Call) -> dict[str, Any]:
        call.params.req("RegionId")
        store, _, _ = self.handlers.stores(call)
        endpoint = self.handlers.endpoint(store, call)
        attached = store.attachments_of(endpoint.endpoint_id, call.now)
        page, token = page_by_token(attached, call, default=MAX_SMALL_PAGE, maximum=MAX_SMALL_PAGE)
        return {
            "SecurityGroups": [views.attachment_view(a) for a in page],
            "TotalCount": len(attached),
            "MaxResults": call.params.int("MaxResults", default=MAX_SMALL_PAGE),
            "NextToken": token,
            "RequestId": call.request_id,
        }
