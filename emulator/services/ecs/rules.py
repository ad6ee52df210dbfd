"""Security group rules: validating ``Permissions.N.*`` and telling identical rules apart.

A stored rule is a dict in the API's own casing (what ``DescribeSecurityGroupAttribute`` returns
under ``Permissions.Permission``).  Two rules are the same rule when every field but the id, the
description and the creation time agrees (addresses compared as networks), which is how
``Authorize*`` detects a duplicate (success, nothing added) and ``Revoke*`` finds what to remove.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from emulator.core.api import ApiError
from emulator.services.ecs import errors

PROTOCOLS = {"tcp": "TCP", "udp": "UDP", "icmp": "ICMP", "icmpv6": "ICMPv6", "gre": "GRE", "all": "ALL"}
PORTED = {"TCP", "UDP"}
MAX_PER_CALL = 100

# field -> (ip version, code when malformed)
_ADDRESS_FIELDS = {
    "SourceCidrIp": (4, "InvalidSourceCidrIp.Malformed"),
    "DestCidrIp": (4, "InvalidDestCidrIp.Malformed"),
    "Ipv6SourceCidrIp": (6, "InvalidParam.SourceIp"),
    "Ipv6DestCidrIp": (6, "InvalidParam.DestIp"),
}
_PEERS = {
    "ingress": ("SourceCidrIp", "Ipv6SourceCidrIp", "SourceGroupId", "SourcePrefixListId"),
    "egress": ("DestCidrIp", "Ipv6DestCidrIp", "DestGroupId", "DestPrefixListId"),
}
_TEXT_FIELDS = ("SourceGroupOwnerAccount", "DestGroupOwnerAccount", "PortRangeListId")
_IGNORED_IN_KEY = (
    "SecurityGroupRuleId",
    "Description",
    "CreateTime",
    "SourceGroupOwnerAccount",
    "DestGroupOwnerAccount",
)

#: Looks a peer group up: returns its VPC id, or None when it does not exist.
GroupLookup = Callable[[str], str | None]


def requested(raw_permissions: list[Any], top_level: dict[str, Any]) -> list[dict[str, Any]]:
    """The rules of one call: ``Permissions.N`` or, in the legacy form, one rule from top-level fields."""
    permissions = [p for p in raw_permissions if isinstance(p, dict)]
    if not permissions and top_level.get("IpProtocol"):
        permissions = [dict(top_level)]
    if not permissions:
        raise errors.missing("Permissions")
    if len(permissions) > MAX_PER_CALL:
        raise errors.invalid(f"At most {MAX_PER_CALL} Permissions may be given in one call.")
    return permissions


def normalise(raw: dict[str, Any], direction: str, vpc_id: str, lookup: GroupLookup | None) -> dict[str, Any]:
    """Validate one requested rule and return it in stored form (without id).

    ``lookup`` checks referenced groups (authorize); revoke passes None so that a rule naming a
    group can always be removed.
    """
    protocol = _protocol(raw.get("IpProtocol"))
    rule: dict[str, Any] = {
        "Direction": direction,
        "IpProtocol": protocol,
        "PortRange": _port_range(raw.get("PortRange"), protocol),
        "SourcePortRange": _optional_range(raw.get("SourcePortRange"), protocol),
        "Policy": _policy(raw.get("Policy")),
        "Priority": _priority(raw.get("Priority")),
        "NicType": _nic_type(raw.get("NicType")),
        "Description": _description(raw.get("Description")),
    }
    for name, (version, code) in _ADDRESS_FIELDS.items():
        rule[name] = _address(raw.get(name), version, code)
    for name in ("SourceGroupId", "DestGroupId", "SourcePrefixListId", "DestPrefixListId", *_TEXT_FIELDS):
        rule[name] = str(raw.get(name) or "")
    _check_peers(rule, direction)
    if lookup is not None:
        _check_group_peer(rule, vpc_id, lookup)
    return rule


def key(rule: dict[str, Any]) -> tuple[str, ...]:
    """What makes two rules the same rule."""
    parts = []
    for name in sorted(rule):
        if name in _IGNORED_IN_KEY:
            continue
        value = str(rule.get(name) or "")
        if name in _ADDRESS_FIELDS and value:
            value = str(ipaddress.ip_network(value, strict=False))
        parts.append(f"{name}={value}")
    return tuple(parts)


def references(rule: dict[str, Any]) -> str:
    """The group a rule refers to, or ""."""
    return str(rule.get("SourceGroupId") or rule.get("DestGroupId") or "")


# -- fields ----------------------------------------------------------------------------------


def _protocol(value: Any) -> str:
    if value in (None, ""):
        raise errors.missing("IpProtocol")
    found = PROTOCOLS.get(str(value).strip().lower())
    if found is None:
        raise errors.malformed("InvalidIpProtocol.Malformed", "IpProtocol")
    return found


def _parse_range(value: str) -> tuple[int, int] | None:
    parts = value.split("/")
    if len(parts) != 2:
        return None
    try:
        start, end = int(parts[0]), int(parts[1])
    except ValueError:
        return None
    return start, end


def _port_range(value: Any, protocol: str) -> str:
    if value in (None, ""):
        if protocol in PORTED:
            raise errors.missing("PortRange")
        return "-1/-1"
    parsed = _parse_range(str(value))
    if parsed is None:
        raise errors.malformed("InvalidParam.PortRange", "PortRange")
    start, end = parsed
    if protocol in PORTED:
        if (start, end) == (-1, -1):
            raise errors.operation_denied(f"The port range -1/-1 is not allowed for {protocol}.")
        if not (1 <= start <= end <= 65535):
            raise errors.malformed("InvalidParam.PortRange", "PortRange")
        return f"{start}/{end}"
    if (start, end) != (-1, -1):
        raise errors.operation_denied(f"The protocol {protocol} requires the port range -1/-1.")
    return "-1/-1"


def _optional_range(value: Any, protocol: str) -> str:
    if value in (None, ""):
        return ""
    return _port_range(value, protocol)


def _policy(value: Any) -> str:
    text = str(value or "accept").strip().lower()
    if text not in ("accept", "drop"):
        raise errors.malformed("InvalidPolicy.Malformed", "Policy")
    return text.capitalize()


def _priority(value: Any) -> str:
    if value in (None, ""):
        return "1"
    try:
        number = int(str(value))
    except ValueError:
        raise errors.malformed("InvalidPriority.Malformed", "Priority") from None
    if not 1 <= number <= 100:
        raise ApiError(
            "InvalidPriority.ValueNotSupported", "The specified Priority must be between 1 and 100.", 400
        )
    return str(number)


def _nic_type(value: Any) -> str:
    text = str(value or "intranet").strip().lower()
    if text not in ("intranet", "internet"):
        raise ApiError("InvalidNicType.ValueNotSupported", "The specified NicType is not supported.", 400)
    return text


def _description(value: Any) -> str:
    text = str(value or "")
    if len(text) > 512 or text.startswith(("http://", "https://")):
        raise errors.malformed("InvalidSecurityGroupDiscription.Malformed", "Description")
    return text


def _address(value: Any, version: int, code: str) -> str:
    if value in (None, ""):
        return ""
    text = str(value).strip()
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise errors.malformed(code, code.split(".")[0].removeprefix("Invalid")) from None
    if network.version != version:
        raise errors.malformed(code, code.split(".")[0].removeprefix("Invalid"))
    return text


def _check_peers(rule: dict[str, Any], direction: str) -> None:
    given = [name for name in _PEERS[direction] if rule[name]]
    if not given:
        raise ApiError(
            "MissingParameter.Source" if direction == "ingress" else "MissingParameter.Dest",
            f"A {'source' if direction == 'ingress' else 'destination'} (CIDR block, "
            "security group or prefix list) must be specified.",
            400,
        )
    if len(given) > 1:
        raise errors.conflict(f"Only one of {', '.join(given)} may be specified in one rule.")
    versions = {_ADDRESS_FIELDS[name][0] for name in _ADDRESS_FIELDS if rule[name]}
    if len(versions) > 1:
        raise errors.conflict("IPv4 and IPv6 addresses may not be mixed in one rule.")


def _check_group_peer(rule: dict[str, Any], vpc_id: str, lookup: GroupLookup) -> None:
    for name, prefix in (("SourceGroupId", "InvalidSourceGroupId"), ("DestGroupId", "InvalidDestGroupId")):
        group_id = rule[name]
        if not group_id:
            continue
        peer_vpc = lookup(group_id)
        if peer_vpc is None:
            raise errors.peer_group_not_found(f"{prefix}.NotFound", group_id)
        if peer_vpc != vpc_id:
            raise errors.peer_group_mismatch(f"{prefix}.Mismatch", group_id)
