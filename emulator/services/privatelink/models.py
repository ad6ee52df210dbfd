"""PrivateLink state of one account in one region: services, endpoints, their zones and security groups.

Endpoints, zones and security-group attachments are separate records (keyed ``<endpoint>/<zone>``
and ``<endpoint>/<group>``) so each carries its own lazy transitions; reading one settles it, and
an endpoint that is gone takes its attachments with it.  Activation is account-wide: the flag is
kept in the store of every region of the account, and ``OpenPrivateLinkService`` sets it in all
of them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from emulator.core.api import GONE, ClientTokens, Record, record_to_dict, schedule, settle
from emulator.services.privatelink import lifecycle

#: Default quotas (emulator choice; the real defaults are not published).  Adjustable per store
#: through the control API (``admin_set_quota``).
DEFAULT_QUOTAS = {"totalEpPerVpc": 20, "epZonePerEndpoint": 10, "epSecurityGroupPerEndpoint": 10}
BUSY_ZONE_STATES = ("Creating", "Deleting")


@dataclass
class EndpointService(Record):
    service_id: str
    service_name: str
    service_domain: str
    zones: list[str]
    auto_accept: bool
    resource_type: str = "slb"
    uses_role: str = ""  # name of the service-linked role its endpoints "use"
    owned: bool = False  # owned by this account (listed by the provider view)
    service_type: str = "Interface"
    payer: str = "Endpoint"
    description: str = ""
    create_time: str = ""
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Endpoint(Record):
    endpoint_id: str
    endpoint_name: str
    endpoint_description: str
    service_id: str
    service_name: str
    vpc_id: str
    region_id: str
    status: str
    connection_status: str
    create_time: str
    resource_group_id: str
    endpoint_type: str = "Interface"
    business_status: str = "Normal"
    address_ip_version: str = "IPv4"
    zone_affinity_enabled: bool = False
    protected_enabled: bool = False
    policy_document: str = ""
    bandwidth: int = 3072
    tags: list[dict[str, str]] = field(default_factory=list)
    stuck: bool = False  # control API: once deleted, stays Deleting
    eni_release: float = 0.0  # seconds its interfaces linger after it is gone

    def connected_at(self) -> float | None:
        """When the connection is (or will be) Connected: 0 if already, None if nothing plans it."""
        if self.connection_status == "Connected":
            return 0.0
        return next(
            (
                float(due)
                for due, name, value in self.pending
                if name == "connection_status" and value == "Connected"
            ),
            None,
        )


@dataclass
class EndpointZone(Record):
    endpoint_id: str
    zone_id: str
    vswitch_id: str
    eni_id: str
    eni_ip: str
    status: str
    zone_domain: str


@dataclass
class Attachment(Record):
    endpoint_id: str
    security_group_id: str
    status: str


class PrivateLinkStore:
    def __init__(self) -> None:
        self.activated = False
        self.services: dict[str, EndpointService] = {}
        self.endpoints: dict[str, Endpoint] = {}
        self.zones: dict[str, EndpointZone] = {}
        self.attachments: dict[str, Attachment] = {}
        self.tokens = ClientTokens()
        self.quotas = dict(DEFAULT_QUOTAS)
        # Not persisted: the ECS store of the same account and region, set by the handlers, so that
        # the control API's helpers can keep or release an endpoint's network interfaces.
        self.ecs: Any = None

    # -- services ----------------------------------------------------------------------------

    def service(self, service_id: str | None = None, name: str | None = None) -> EndpointService | None:
        for service in self.services.values():
            if (service_id is None or service.service_id == service_id) and (
                name is None or service.service_name == name
            ):
                return service
        return None

    # -- endpoints, zones, attachments (settled on read) ---------------------------------------

    def endpoint(self, endpoint_id: str, now: float) -> Endpoint | None:
        endpoint = self.endpoints.get(endpoint_id)
        if endpoint is None:
            return None
        if not settle(endpoint, now):
            self._forget(endpoint_id)
            return None
        return endpoint

    def live_endpoints(self, now: float) -> list[Endpoint]:
        return [
            e for endpoint_id in list(self.endpoints) if (e := self.endpoint(endpoint_id, now)) is not None
        ]

    def zones_of(self, endpoint_id: str, now: float) -> list[EndpointZone]:
        return _live(self.zones, f"{endpoint_id}/", now)

    def zone(self, endpoint_id: str, zone_id: str, now: float) -> EndpointZone | None:
        return next((z for z in self.zones_of(endpoint_id, now) if z.zone_id == zone_id), None)

    def attachments_of(self, endpoint_id: str, now: float) -> list[Attachment]:
        return _live(self.attachments, f"{endpoint_id}/", now)

    def add_zone(self, zone: EndpointZone) -> None:
        self.zones[f"{zone.endpoint_id}/{zone.zone_id}"] = zone

    def add_attachment(self, attachment: Attachment) -> None:
        self.attachments[f"{attachment.endpoint_id}/{attachment.security_group_id}"] = attachment

    def busy_zone(self, endpoint_id: str, now: float) -> EndpointZone | None:
        return next((z for z in self.zones_of(endpoint_id, now) if z.status in BUSY_ZONE_STATES), None)

    def _forget(self, endpoint_id: str) -> None:
        del self.endpoints[endpoint_id]
        for table in (self.zones, self.attachments):
            for key in [k for k in table if k.startswith(f"{endpoint_id}/")]:
                del table[key]

    def settle_all(self, now: float) -> None:
        for endpoint in self.live_endpoints(now):
            self.zones_of(endpoint.endpoint_id, now)
            self.attachments_of(endpoint.endpoint_id, now)

    def role_usages(self, role_name: str, now: float) -> list[str]:
        """Ids of endpoints, not yet gone, connected to a service that uses ``role_name``."""
        users = {s.service_id for s in self.services.values() if s.uses_role and s.uses_role == role_name}
        return [e.endpoint_id for e in self.live_endpoints(now) if e.service_id in users]

    # -- test set-ups through the control API (``POST /_emulator/admin/privatelink/<op>``) -------

    def _admin_endpoint(self, endpoint_id: str, now: float) -> Endpoint:
        endpoint = self.endpoint(endpoint_id, now)
        if endpoint is None:
            raise ValueError(f"no endpoint {endpoint_id}")
        return endpoint

    def admin_stick_endpoint(self, endpoint_id: str, now: float | None = None) -> dict[str, Any]:
        """Once deleted (now, if already Deleting) the endpoint stays Deleting, its interfaces with it."""
        now = time.time() if now is None else now
        endpoint = self._admin_endpoint(endpoint_id, now)
        endpoint.stuck = True
        if endpoint.status == "Deleting":
            lifecycle.cancel_gone(endpoint)
            if self.ecs is not None:
                lifecycle.hold_interfaces(endpoint, self.ecs, now)
        return {"EndpointId": endpoint_id, "EndpointStatus": endpoint.status, "Stuck": True}

    def admin_unstick_endpoint(self, endpoint_id: str, now: float | None = None) -> dict[str, Any]:
        """A stuck deletion completes now; its interfaces follow after the usual release delay."""
        now = time.time() if now is None else now
        endpoint = self._admin_endpoint(endpoint_id, now)
        endpoint.stuck = False
        if endpoint.status == "Deleting":
            schedule(endpoint, now, GONE, True)
            if self.ecs is not None:
                lifecycle.release_interfaces(endpoint, self.ecs, now, now + endpoint.eni_release)
        return {"EndpointId": endpoint_id, "EndpointStatus": endpoint.status, "Stuck": False}

    def admin_accept_connection(self, endpoint_id: str, now: float | None = None) -> dict[str, Any]:
        """The provider accepts the endpoint's connection (services without auto-accept)."""
        now = time.time() if now is None else now
        endpoint = self._admin_endpoint(endpoint_id, now)
        if endpoint.connected_at() is None:
            endpoint.connection_status = "Connected"
            for zone in self.zones_of(endpoint_id, now):
                if zone.status == "Wait":
                    zone.status = "Connected"
                for due, name, value in list(zone.pending):
                    if name == "status" and value == "Wait":
                        schedule(zone, due, "status", "Connected")
        return {"EndpointId": endpoint_id, "ConnectionStatus": endpoint.connection_status}

    def admin_set_quota(self, name: str, value: int) -> dict[str, Any]:
        if name not in DEFAULT_QUOTAS:
            raise ValueError(f"quota must be one of {sorted(DEFAULT_QUOTAS)}")
        self.quotas[name] = int(value)
        return {"Quota": name, "Value": self.quotas[name]}

    # -- persistence -------------------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        return {
            "activated": self.activated,
            "services": [record_to_dict(s) for s in self.services.values()],
            "endpoints": [record_to_dict(e) for e in self.endpoints.values()],
            "zones": [record_to_dict(z) for z in self.zones.values()],
            "attachments": [record_to_dict(a) for a in self.attachments.values()],
            "tokens": self.tokens.entries,
            "quotas": dict(self.quotas),
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> PrivateLinkStore:
        store = cls()
        store.activated = bool(data.get("activated", False))
        store.services = {raw["service_id"]: EndpointService(**raw) for raw in data.get("services", [])}
        store.endpoints = {raw["endpoint_id"]: Endpoint(**raw) for raw in data.get("endpoints", [])}
        for raw in data.get("zones", []):
            store.add_zone(EndpointZone(**raw))
        for raw in data.get("attachments", []):
            store.add_attachment(Attachment(**raw))
        store.tokens = ClientTokens(data.get("tokens", {}))
        store.quotas = {**DEFAULT_QUOTAS, **data.get("quotas", {})}
        return store


def _live(table: dict[str, Any], prefix: str, now: float) -> list[Any]:
    found = []
    for key in [k for k in table if k.startswith(prefix)]:
        if settle(table[key], now):
            found.append(table[key])
        else:
            del table[key]
    return found


def seed(store: PrivateLinkStore, account: dict[str, Any], region: str | None) -> None:
    """Endpoint services of the region and the account's activation flag, from the world file."""
    store.activated = bool(account.get("privatelink_activated", False))
    section = account.get("regions", {}).get(region or "", {})
    for raw in section.get("endpoint_services", []):
        service = EndpointService(
            service_id=raw["ServiceId"],
            service_name=raw["ServiceName"],
            service_domain=raw["ServiceDomain"],
            zones=list(raw.get("Zones", [])),
            auto_accept=bool(raw.get("AutoAcceptEnabled", True)),
            resource_type=raw.get("ServiceResourceType", "slb"),
            uses_role=raw.get("uses_role", ""),
            owned=bool(raw.get("Owned", False)),
            description=raw.get("ServiceDescription", ""),
            create_time=raw.get("CreateTime", "2021-01-01T00:00:00Z"),
            tags=list(raw.get("Tags", [])),
        )
        store.services[service.service_id] = service


def gone_at(record: Any) -> float | None:
    return next((float(due) for due, name, _ in record.pending if name == GONE), None)
