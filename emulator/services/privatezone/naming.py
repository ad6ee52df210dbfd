"""Zone-name and record validation for PrivateZone.

Zone names follow domain-name syntax: dot-separated labels of 1-63 letters, digits or hyphens
(not at either end of a label), 253 characters at most, no leading or trailing dot.  Reverse
zones (``*.in-addr.arpa``, ``*.ip6.arpa``) are the only ones that take PTR records.

Records: ``Rr`` is ``@`` for the apex, ``*`` for a wildcard, otherwise host labels (``*`` only
as the first label); ``Type`` one of A, AAAA, CNAME, TXT, MX, PTR, SRV; ``Ttl`` one of the six
values the API documents (5, 30, 60, 3600, 43200, 86400; others are refused rather than
silently accepted, so that the product never relies on one the live service may reject);
``Priority`` 1-99 and required for MX; ``Weight`` 1-100.
"""

from __future__ import annotations

import ipaddress
import re

from emulator.services.privatezone.errors import RecordInvalidError, ZoneInvalidNameError

_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_RR_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")

RECORD_TYPES = ("A", "AAAA", "CNAME", "TXT", "MX", "PTR", "SRV")
TTLS = (5, 30, 60, 3600, 43200, 86400)
DEFAULT_TTL = 60
TXT_MAX = 255


def check_zone_name(name: str) -> str:
    """The zone name in lower case, or ``Zone.Invalid.Name``."""
    labels = name.split(".")
    if not name or len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ZoneInvalidNameError(name)
    return name.lower()


def is_reverse_zone(name: str) -> bool:
    return name.endswith(".in-addr.arpa") or name.endswith(".ip6.arpa")


def check_rr(rr: str) -> str:
    if rr in ("@", "*"):
        return rr
    labels = rr.split(".")
    ok = len(rr) <= 253 and all(_RR_LABEL.match(label) or (label == "*" and i == 0)
                                for i, label in enumerate(labels))
    if not ok:
        raise RecordInvalidError("Rr", f"The host record is invalid: {rr!r} (use @ for the zone apex)")
    return rr.lower()


def check_type(rtype: str, zone_name: str) -> str:
    kind = rtype.upper()
    if kind not in RECORD_TYPES:
        raise RecordInvalidError("Type", f"The record type must be one of {', '.join(RECORD_TYPES)}: {rtype}")
    if kind == "PTR" and not is_reverse_zone(zone_name):
        raise RecordInvalidError("Type", "PTR records need a reverse lookup zone (in-addr.arpa or ip6.arpa)")
    return kind


def check_ttl(ttl: int | None) -> int:
    if ttl is None:
        return DEFAULT_TTL
    if ttl not in TTLS:
        raise RecordInvalidError("Ttl", f"The TTL must be one of {', '.join(map(str, TTLS))}: {ttl}")
    return ttl


def _is_domain(value: str) -> bool:
    text = value[:-1] if value.endswith(".") else value
    return bool(text) and len(text) <= 253 and all(_RR_LABEL.match(label) for label in text.split("."))


def check_value(kind: str, value: str) -> str:
    """The record value for its type (addresses parsed, names checked as domain names)."""
    ok = True
    try:
        if kind == "A":
            ok = isinstance(ipaddress.ip_address(value), ipaddress.IPv4Address)
        elif kind == "AAAA":
            ok = isinstance(ipaddress.ip_address(value), ipaddress.IPv6Address)
        elif kind in ("CNAME", "MX", "PTR"):
            ok = _is_domain(value)
        elif kind == "TXT":
            ok = 0 < len(value) <= TXT_MAX
        elif kind == "SRV":
            parts = value.split()
            ok = len(parts) == 4 and all(p.isdigit() for p in parts[:3]) and _is_domain(parts[3])
    except ValueError:
        ok = False
    if not ok:
        raise RecordInvalidError("Value", f"The value is invalid for a {kind} record: {value!r}")
    return value


def check_priority(kind: str, priority: int | None) -> int | None:
    if kind != "MX":
        return priority
    if priority is None or not 1 <= priority <= 99:
        raise RecordInvalidError("Priority", "MX records need a Priority between 1 and 99")
    return priority
