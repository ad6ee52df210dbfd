"""PrivateZone state of one account: zones, their VPC bindings and their records.

Zones are global within an account (``scope="account"``).  Two lags mirror what clients of the
live service have to poll for:

* a new zone is unknown (``Zone.NotExists``) to every call naming its id until
  ``privatezone.zone.visible`` seconds have passed (``visible``, a lazy transition);
* after BindZoneVpc, DescribeZoneInfo keeps showing the previous set for
  ``privatezone.bind.visible`` seconds (``shown_vpcs`` catches up with ``vpcs``).  DeleteZone
  is refused while either set is non-empty, so a client must wait for the unbinding to show.

BindZoneVpc replaces the whole bound set: the VPCs sent become the zone's scope, none unbinds
every VPC.  A VPC may not resolve two zones of the same name (``ZoneVpc.Zone.Repeated``).
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.core.api import Record, record_to_dict, schedule, settle
from emulator.services.privatezone.errors import (
    IdempotentMismatchError,
    RecordConflictError,
    RecordNotExistsError,
    ZoneNotExistsError,
    ZoneRepeatedError,
    ZoneVpcExistsError,
)

#: (region, vpc id) -> the VPC's attributes (``VpcName`` …) or None when it does not exist.
VpcLookup = Callable[[str, str], "dict[str, Any] | None"]

FIRST_RECORD_ID = 300000000001


@dataclass
class Zone(Record):
    zone_id: str
    zone_name: str
    owner: str
    proxy_pattern: str = "ZONE"
    dns_group: str = "NORMAL_ZONE"
    resource_group_id: str = ""
    remark: str = ""
    create_ms: int = 0
    update_ms: int = 0
    visible: bool = True
    # Bindings: {"RegionId", "VpcId", "VpcType", "VpcUserId"}; what is in force / what reads show.
    vpcs: list[dict[str, str]] = field(default_factory=list)
    shown_vpcs: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ZoneRecord(Record):
    record_id: int
    zone_id: str
    rr: str
    type: str
    value: str
    ttl: int = 60
    priority: int | None = None
    weight: int = 1
    line: str = "default"
    remark: str = ""
    status: str = "ENABLE"
    create_ms: int = 0
    update_ms: int = 0


def _binding_key(binding: dict[str, str]) -> tuple[str, str]:
    return binding["RegionId"], binding["VpcId"]


class PrivateZoneStore:
    """Zones and records of one account."""

    def __init__(self) -> None:
        self.zones: dict[str, Zone] = {}
        self.records: dict[str, ZoneRecord] = {}  # by str(record_id): JSON object keys are strings
        self.next_record_id = FIRST_RECORD_ID
        self.tokens: dict[str, dict[str, Any]] = {}  # "Action:token" -> fingerprint and response

    # ---------------------------------------------------------------- persistence

    def dump(self) -> dict[str, Any]:
        return {
            "zones": {k: record_to_dict(v) for k, v in self.zones.items()},
            "records": {k: record_to_dict(v) for k, v in self.records.items()},
            "next_record_id": self.next_record_id,
            "tokens": copy.deepcopy(self.tokens),
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> PrivateZoneStore:
        store = cls()
        store.zones = {k: Zone(**v) for k, v in data.get("zones", {}).items()}
        store.records = {k: ZoneRecord(**v) for k, v in data.get("records", {}).items()}
        store.next_record_id = int(data.get("next_record_id", FIRST_RECORD_ID))
        store.tokens = copy.deepcopy(data.get("tokens", {}))
        return store

    def settle_all(self, now: float) -> None:
        for zone in self.zones.values():
            settle(zone, now)

    # ---------------------------------------------------------------- ClientToken

    def replay(self, action: str, token: str | None, fingerprint: dict[str, Any]) -> dict[str, Any] | None:
        """The first answer to this token, or None; a token reused for another request is refused."""
        if not token:
            return None
        entry = self.tokens.get(f"{action}:{token}")
        if entry is None:
            return None
        if entry["fingerprint"] != fingerprint:
            raise IdempotentMismatchError()
        return dict(entry["response"])

    def remember(self, action: str, token: str | None, fingerprint: dict[str, Any],
                 response: dict[str, Any]) -> None:
        if token:
            self.tokens[f"{action}:{token}"] = {"fingerprint": fingerprint, "response": dict(response)}

    # ---------------------------------------------------------------- zones

    def add_zone(self, name: str, owner: str, now: float, lag: float, **attributes: Any) -> Zone:
        zone = Zone(zone_id=secrets.token_hex(16), zone_name=name, owner=owner, create_ms=int(now * 1000),
                    update_ms=int(now * 1000), **attributes)
        if lag > 0:
            zone.visible = False
            schedule(zone, now + lag, "visible", True)
        self.zones[zone.zone_id] = zone
        return zone

    def zone(self, zone_id: str, now: float) -> Zone:
        zone = self.zones.get(zone_id)
        if zone is None:
            raise ZoneNotExistsError(zone_id)
        settle(zone, now)
        if not zone.visible:
            raise ZoneNotExistsError(zone_id)
        return zone

    def visible_zones(self, now: float) -> list[Zone]:
        found = []
        for zone in sorted(self.zones.values(), key=lambda z: (z.create_ms, z.zone_id)):
            settle(zone, now)
            if zone.visible:
                found.append(zone)
        return found

    def delete_zone(self, zone_id: str, now: float) -> None:
        """Delete a zone and its records; refused while a VPC is bound or still shown bound."""
        zone = self.zone(zone_id, now)
        if zone.vpcs or zone.shown_vpcs:
            raise ZoneVpcExistsError(zone_id)
        del self.zones[zone_id]
        for key in [k for k, r in self.records.items() if r.zone_id == zone_id]:
            del self.records[key]

    def bind_vpcs(self, zone_id: str, wanted: list[dict[str, str]], now: float, lag: float) -> None:
        """Make ``wanted`` the zone's whole bound set (the caller has checked the VPCs exist)."""
        zone = self.zone(zone_id, now)
        unique: dict[tuple[str, str], dict[str, str]] = {}
        for binding in wanted:
            unique.setdefault(_binding_key(binding), binding)
        for key in unique:
            for other in self.zones.values():
                if other.zone_id != zone.zone_id and other.zone_name == zone.zone_name \
                        and key in {_binding_key(b) for b in other.vpcs}:
                    raise ZoneRepeatedError(key[1], zone.zone_name)
        zone.vpcs = list(unique.values())
        zone.update_ms = int(now * 1000)
        _show(zone, copy.deepcopy(zone.vpcs), now, lag)

    def admin_bind_foreign_vpc(self, zone_id: str, vpc_id: str, vpc_region: str = "cn-hangzhou",
                               vpc_user_id: str | None = None) -> dict[str, Any]:
        """Bind one more VPC to a zone as another team would: at once, keeping the other bindings.

        (The control API takes ``region`` to pick a store, hence ``vpc_region`` here.)
        """
        zone = self.zones.get(zone_id)
        if zone is None:
            raise ValueError(f"no zone {zone_id!r} in this account")
        binding = {"RegionId": vpc_region, "VpcId": vpc_id, "VpcType": "STANDARD",
                   "VpcUserId": vpc_user_id or zone.owner}
        # A bind still in flight must not wipe the foreign binding when it lands.
        for bound in (zone.vpcs, zone.shown_vpcs, *[p[2] for p in zone.pending if p[1] == "shown_vpcs"]):
            if _binding_key(binding) not in {_binding_key(b) for b in bound}:
                bound.append(dict(binding))
        return {"ZoneId": zone_id, "Vpcs": [dict(b) for b in zone.vpcs]}

    # ---------------------------------------------------------------- records

    def zone_records(self, zone_id: str) -> list[ZoneRecord]:
        return sorted((r for r in self.records.values() if r.zone_id == zone_id), key=lambda r: r.record_id)

    def add_record(self, record: ZoneRecord, now: float) -> ZoneRecord:
        """Store a validated record; an identical one, or a CNAME sharing a name, conflicts."""
        for other in self.zone_records(record.zone_id):
            same_name = other.rr == record.rr
            same_value = other.value.lower() == record.value.lower()
            identical = same_name and other.type == record.type and same_value
            cname_clash = same_name and "CNAME" in (other.type, record.type) and other.type != record.type
            if identical or cname_clash:
                raise RecordConflictError(record.rr, record.type, record.value)
        record.record_id = self.next_record_id
        self.next_record_id += 1
        record.create_ms = record.update_ms = int(now * 1000)
        self.records[str(record.record_id)] = record
        return record

    def delete_record(self, record_id: int) -> ZoneRecord:
        record = self.records.pop(str(record_id), None)
        if record is None:
            raise RecordNotExistsError(record_id)
        return record


def _show(zone: Zone, bindings: list[dict[str, str]], now: float, lag: float) -> None:
    if lag > 0:
        schedule(zone, now + lag, "shown_vpcs", bindings)
    else:
        zone.shown_vpcs = bindings


def seed(store: PrivateZoneStore, account: dict[str, Any], region: str | None) -> None:
    """No zone exists at the start of the default world; a world file may list ``private_zones``
    (``{"ZoneName", "ZoneId"?}``) for an account."""
    for spec in account.get("private_zones", []):
        zone_id = spec.get("ZoneId") or secrets.token_hex(16)
        if zone_id not in store.zones:
            store.zones[zone_id] = Zone(zone_id=zone_id, zone_name=spec["ZoneName"],
                                        owner=str(account.get("account_id", "")))
