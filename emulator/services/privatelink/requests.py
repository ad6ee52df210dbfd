"""Reading and checking PrivateLink request parameters against the VPC and ECS state.

Nothing here changes state: checks run in full before a mutation (and before ``DryRun`` answers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from emulator.services.privatelink import errors
from emulator.services.privatelink.models import EndpointService

# 2-128 characters, starting with a letter or a CJK character; letters, digits, "_", "-"
# (the CreateVpcEndpoint page; no periods).
_NAME = re.compile(r"^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_\-]{1,127}$")
MAX_TAGS = 20


def endpoint_name(value: str | None) -> str:
    if value and not _NAME.match(value):
        raise errors.illegal(
            "EndpointName",
            "2-128 characters, starting with a letter; letters, digits, underscores and hyphens",
        )
    return value or ""


def endpoint_description(value: str | None) -> str:
    if value and (not 2 <= len(value) <= 256 or value.startswith(("http://", "https://"))):
        raise errors.illegal("EndpointDescription", "2-256 characters, not starting with http:// or https://")
    return value or ""


def policy_document(value: str | None) -> str:
    if not value:
        return ""
    try:
        parsed = json.loads(value)
    except ValueError:
        raise errors.illegal("PolicyDocument", "a RAM policy in JSON") from None
    if not isinstance(parsed, dict):
        raise errors.illegal("PolicyDocument", "a RAM policy in JSON")
    return value


def address_ip_version(value: str | None) -> str:
    if value not in (None, "", "IPv4", "DualStack"):
        raise errors.illegal("AddressIpVersion", "IPv4 or DualStack")
    return value or "IPv4"


def tags(raw: list[Any]) -> list[dict[str, str]]:
    found = [
        {"Key": str(t["Key"]), "Value": str(t.get("Value") or "")}
        for t in raw
        if isinstance(t, dict) and t.get("Key")
    ]
    if len(found) > MAX_TAGS:
        raise errors.illegal("Tag", f"at most {MAX_TAGS} tags")
    return found


def tags_match(stored: list[dict[str, str]], wanted: list[Any]) -> bool:
    for item in wanted:
        if not isinstance(item, dict) or not item.get("Key"):
            continue
        values = [t["Value"] for t in stored if t["Key"] == item["Key"]]
        if not values or ("Value" in item and item["Value"] not in values):
            return False
    return True


def security_groups(group_ids: list[str], vpc_id: str, ecs: Any) -> list[str]:
    """Existing groups of the VPC, all of one type; duplicates folded."""
    unique = list(dict.fromkeys(group_ids))
    types = set()
    for group_id in unique:
        group = ecs.security_group(group_id)
        if group is None or group.vpc_id != vpc_id:
            raise errors.security_group_not_found(group_id)
        types.add(group.group_type)
    if len(types) > 1:
        raise errors.security_group_types()
    return unique


def zone(
    raw: dict[str, Any], service: EndpointService, vpc_id: str, vpc: Any, taken_in: Callable[[str], set[str]]
) -> dict[str, str]:
    """One ``Zone.N`` (or AddZone's fields): the vSwitch checked and an address chosen (``ip`` if given)."""
    zone_id = str(raw.get("ZoneId") or "")
    vswitch_id = str(raw.get("VSwitchId") or "")
    if not zone_id:
        raise errors.missing("ZoneId")
    if not vswitch_id:
        raise errors.missing("VSwitchId")
    if zone_id not in service.zones:
        raise errors.zone_not_supported(zone_id, service.service_id)
    vswitch = vpc.vswitch(vswitch_id)
    if vswitch is None or vswitch.vpc_id != vpc_id:
        raise errors.vswitch_not_found(vswitch_id, vpc_id)
    if vswitch.zone_id != zone_id:
        raise errors.vswitch_zone_mismatch(vswitch_id, zone_id)
    if vswitch.status != "Available":
        raise errors.vswitch_status(vswitch_id, vswitch.status)
    taken = taken_in(vswitch_id)
    wanted = str(raw.get("ip") or "")
    if wanted:
        if not vswitch.usable(wanted) or wanted in taken:
            raise errors.ip_unavailable(wanted, vswitch_id)
        ip = wanted
    else:
        free = vswitch.first_free(taken)
        if free is None:
            raise errors.no_free_ip(vswitch_id)
        ip = free
    return {"ZoneId": zone_id, "VSwitchId": vswitch_id, "ip": ip}


def check_quota(name: str, usage: int, limit: int) -> None:
    if usage > limit:
        raise errors.quota(name, usage, limit)
