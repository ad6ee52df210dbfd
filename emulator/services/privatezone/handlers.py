"""PrivateZone (pvtz 2018-01-01, RPC) handlers: one method per action.

Response fields carry the JSON types the SDK models declare: ``RecordId``, ``Ttl`` and counts
are integers, ``Success`` and ``IsPtr`` booleans, ``*Timestamp`` epoch milliseconds.  The core
adds ``RequestId``.
"""

from __future__ import annotations

import math
import time
from typing import Any

from emulator.core.api import Call, page_by_number
from emulator.core.service import WorldView
from emulator.services.privatezone import naming
from emulator.services.privatezone.errors import (
    InvalidParameterError,
    MissingParameterError,
    VpcNotExistsError,
)
from emulator.services.privatezone.models import PrivateZoneStore, Zone, ZoneRecord
from emulator.services.privatezone.vpcs import region_name, vpc_lookup, vpc_name

PRODUCT = "privatezone"
CLIENT_TOKEN_MAX = 64
_NOT_FINGERPRINTED = ("ClientToken", "UserClientIp", "Lang")


def _stamp(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(ms / 1000))


def _choice(call: Call, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = call.params.str(name) or default
    if value not in allowed:
        raise InvalidParameterError(f"{name} must be one of {', '.join(allowed)}: {value}")
    return value


def _token(call: Call) -> str | None:
    token = call.params.str("ClientToken")
    if token is not None and (len(token) > CLIENT_TOKEN_MAX or not token.isascii()):
        raise InvalidParameterError("ClientToken must be at most 64 ASCII characters")
    return token


class PrivateZoneHandlers:
    def __init__(self, world: WorldView):
        self.world = world

    def _store(self, account_id: str) -> PrivateZoneStore:
        store: PrivateZoneStore = self.world.store(PRODUCT, account_id)
        return store

    # ------------------------------------------------------------------ views

    def _zone_view(self, store: PrivateZoneStore, zone: Zone) -> dict[str, Any]:
        return {
            "ZoneId": zone.zone_id, "ZoneName": zone.zone_name, "Remark": zone.remark,
            "RecordCount": len(store.zone_records(zone.zone_id)),
            "CreateTime": _stamp(zone.create_ms), "CreateTimestamp": zone.create_ms,
            "UpdateTime": _stamp(zone.update_ms), "UpdateTimestamp": zone.update_ms,
            "ProxyPattern": zone.proxy_pattern, "IsPtr": naming.is_reverse_zone(zone.zone_name),
            "ZoneType": "AUTH_ZONE", "ZoneTag": "", "ResourceGroupId": zone.resource_group_id,
            "DnsGroup": zone.dns_group, "DnsGroupChanging": False, "Creator": zone.owner,
            "CreatorSubType": "USER", "ResourceTags": {"ResourceTag": []}, "SlaveDnsStatus": "CLOSED",
        }

    def _binding_view(self, binding: dict[str, str]) -> dict[str, Any]:
        region = binding["RegionId"]
        return {"VpcId": binding["VpcId"], "VpcName": vpc_name(self.world, region, binding["VpcId"]),
                "RegionId": region, "RegionName": region_name(region), "VpcType": binding["VpcType"],
                "VpcUserId": _user_id(binding["VpcUserId"])}

    # ------------------------------------------------------------------ zones

    def add_zone(self, call: Call) -> dict[str, Any]:
        store = self._store(call.account_id)
        name = naming.check_zone_name(call.params.req("ZoneName"))
        attributes = {
            "proxy_pattern": _choice(call, "ProxyPattern", ("ZONE", "RECORD"), "ZONE"),
            "dns_group": _choice(call, "DnsGroup", ("NORMAL_ZONE", "FAST_ZONE"), "NORMAL_ZONE"),
            "resource_group_id": call.params.str("ResourceGroupId") or self._default_group(call.account_id),
        }
        token = _token(call)
        fingerprint = {"ZoneName": name, **attributes, "ZoneType": call.params.str("ZoneType"),
                       "ZoneTag": call.params.str("ZoneTag")}
        replayed = store.replay(call.action, token, fingerprint)
        if replayed is not None:
            return replayed
        zone = store.add_zone(name, call.account_id, call.now,
                              self.world.pace.seconds("privatezone.zone.visible"), **attributes)
        response = {"Success": True, "ZoneId": zone.zone_id, "ZoneName": zone.zone_name}
        store.remember(call.action, token, fingerprint, response)
        return response

    def delete_zone(self, call: Call) -> dict[str, Any]:
        zone_id = call.params.req("ZoneId")
        self._store(call.account_id).delete_zone(zone_id, call.now)
        return {"ZoneId": zone_id}

    def describe_zones(self, call: Call) -> dict[str, Any]:
        store = self._store(call.account_id)
        zones = [z for z in store.visible_zones(call.now) if _zone_matches(call, z)]
        page, number, size = page_by_number(zones, call, default=20, maximum=100)
        return {"PageNumber": number, "PageSize": size, "TotalItems": len(zones),
                "TotalPages": math.ceil(len(zones) / size),
                "Zones": {"Zone": [self._zone_view(store, z) for z in page]}}

    def describe_zone_info(self, call: Call) -> dict[str, Any]:
        store = self._store(call.account_id)
        zone = store.zone(call.params.req("ZoneId"), call.now)
        view = self._zone_view(store, zone)
        del view["ResourceTags"], view["CreatorSubType"], view["SlaveDnsStatus"]
        return {**view, "CreatorType": "USER", "SlaveDns": False,
                "BindVpcs": {"Vpc": [self._binding_view(b) for b in zone.shown_vpcs]},
                "BindEdgeDnsClusters": {"EdgeDnsCluster": []}}

    def bind_zone_vpc(self, call: Call) -> dict[str, Any]:
        store = self._store(call.account_id)
        zone_id = call.params.req("ZoneId")
        bindings = self._requested_bindings(call)
        token = _token(call)
        fingerprint = {"ZoneId": zone_id, "Vpcs": bindings}
        replayed = store.replay(call.action, token, fingerprint)
        if replayed is not None:
            return replayed
        store.bind_vpcs(zone_id, bindings, call.now, self.world.pace.seconds("privatezone.bind.visible"))
        store.remember(call.action, token, fingerprint, {})
        return {}

    def _requested_bindings(self, call: Call) -> list[dict[str, str]]:
        """The ``Vpcs.N.*`` entries, each checked to name an existing VPC of the account."""
        lookup = vpc_lookup(self.world, call.account_id)
        bindings = []
        for position, entry in enumerate(call.params.list("Vpcs"), start=1):
            entry = entry if isinstance(entry, dict) else {}
            for required in ("RegionId", "VpcId"):
                if not entry.get(required):
                    raise MissingParameterError(f"Vpcs.{position}.{required}")
            vpc_type = entry.get("VpcType") or "STANDARD"
            if vpc_type not in ("STANDARD", "EDS"):
                raise InvalidParameterError(f"Vpcs.{position}.VpcType must be STANDARD or EDS: {vpc_type}")
            if lookup(entry["RegionId"], entry["VpcId"]) is None:
                raise VpcNotExistsError(entry["VpcId"], entry["RegionId"])
            bindings.append({"RegionId": entry["RegionId"], "VpcId": entry["VpcId"], "VpcType": vpc_type,
                             "VpcUserId": call.account_id})
        return bindings

    def _default_group(self, account_id: str) -> str:
        """The account's default resource group, as the VPC product names it."""
        for region in self.world.regions(account_id):
            try:
                group = getattr(self.world.store("vpc", account_id, region), "default_resource_group", "")
            except KeyError:
                break
            if group:
                return str(group)
        return ""

    # ------------------------------------------------------------------ records

    def add_zone_record(self, call: Call) -> dict[str, Any]:
        store = self._store(call.account_id)
        zone = store.zone(call.params.req("ZoneId"), call.now)
        record = _parse_record(call, zone)
        token = _token(call)
        fingerprint = {k: v for k, v in call.params.raw.items() if k not in _NOT_FINGERPRINTED}
        replayed = store.replay(call.action, token, fingerprint)
        if replayed is not None:
            return replayed
        store.add_record(record, call.now)
        response = {"Success": True, "RecordId": record.record_id}
        store.remember(call.action, token, fingerprint, response)
        return response

    def delete_zone_record(self, call: Call) -> dict[str, Any]:
        record_id = call.params.int("RecordId", lo=1)
        if record_id is None:
            raise MissingParameterError("RecordId")
        self._store(call.account_id).delete_record(record_id)
        return {"RecordId": record_id}

    def describe_zone_records(self, call: Call) -> dict[str, Any]:
        store = self._store(call.account_id)
        zone = store.zone(call.params.req("ZoneId"), call.now)
        records = [r for r in store.zone_records(zone.zone_id) if _record_matches(call, r)]
        page, number, size = page_by_number(records, call, default=20, maximum=100)
        return {"PageNumber": number, "PageSize": size, "TotalItems": len(records),
                "TotalPages": math.ceil(len(records) / size),
                "Records": {"Record": [_record_view(r) for r in page]}}


def _user_id(account_id: str) -> int | str:
    """Account ids are integers in the SDK model (``VpcUserId: int``)."""
    return int(account_id) if account_id.isdigit() else account_id


def _zone_matches(call: Call, zone: Zone) -> bool:
    keyword = (call.params.str("Keyword") or "").lower()
    mode = _choice(call, "SearchMode", ("LIKE", "EXACT"), "LIKE")
    if keyword and not (zone.zone_name == keyword if mode == "EXACT" else keyword in zone.zone_name):
        return False
    if call.params.str("ZoneType") not in (None, "AUTH_ZONE"):
        return False
    group = call.params.str("ResourceGroupId")
    if group and zone.resource_group_id != group:
        return False
    vpc_id, region = call.params.str("QueryVpcId"), call.params.str("QueryRegionId")
    if vpc_id and not any(b["VpcId"] == vpc_id and (not region or b["RegionId"] == region)
                          for b in zone.shown_vpcs):
        return False
    return True


def _record_matches(call: Call, record: ZoneRecord) -> bool:
    if call.params.str("Tag") == "ecs":
        return False  # no host records are synchronised from ECS here
    keyword = (call.params.str("Keyword") or "").lower()
    mode = _choice(call, "SearchMode", ("LIKE", "EXACT"), "EXACT")
    return not keyword or (record.rr == keyword if mode == "EXACT" else keyword in record.rr)


def _record_view(record: ZoneRecord) -> dict[str, Any]:
    view: dict[str, Any] = {
        "RecordId": record.record_id, "ZoneId": record.zone_id, "Rr": record.rr, "Type": record.type,
        "Value": record.value, "Ttl": record.ttl, "Weight": record.weight, "Line": record.line,
        "Status": record.status, "Remark": record.remark,
        "CreateTime": _stamp(record.create_ms), "CreateTimestamp": record.create_ms,
        "UpdateTime": _stamp(record.update_ms), "UpdateTimestamp": record.update_ms,
    }
    if record.priority is not None:
        view["Priority"] = record.priority
    return view


def _parse_record(call: Call, zone: Zone) -> ZoneRecord:
    kind = naming.check_type(call.params.req("Type"), zone.zone_name)
    ttl = call.params.int("Ttl", code="Record.Invalid.Ttl")
    priority = call.params.int("Priority", code="Record.Invalid.Priority")
    weight = call.params.int("Weight", default=1, lo=1, hi=100, code="InvalidParameter")
    assert weight is not None
    remark = call.params.str("Remark") or ""
    if len(remark) > 50:
        raise InvalidParameterError("Remark must be at most 50 characters")
    return ZoneRecord(
        record_id=0, zone_id=zone.zone_id, rr=naming.check_rr(call.params.req("Rr")), type=kind,
        value=naming.check_value(kind, call.params.req("Value")), ttl=naming.check_ttl(ttl),
        priority=naming.check_priority(kind, priority), weight=weight,
        line=call.params.str("Line") or "default", remark=remark)
