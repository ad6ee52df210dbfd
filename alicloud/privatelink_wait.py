"""Waiters for PrivateLink's asynchronous steps (terraform budgets minutes for each).

* after ``CreateVpcEndpoint`` and ``Attach/DetachSecurityGroup``: :func:`wait_for_endpoint_status`
  (``Active``, optionally ``Connected``);
* after ``AddZoneToVpcEndpoint``: :func:`wait_for_endpoint_zones` (every zone ``Wait`` or
  ``Connected``);
* after ``RemoveZoneFromVpcEndpoint``: :func:`wait_for_endpoint_zones_gone`;
* after ``DeleteVpcEndpoint``: :func:`wait_for_endpoint_gone`.
"""

from __future__ import annotations

from collections.abc import Collection

from alicloud.clients import Clients
from alicloud.errors import NotFoundError
from alicloud.privatelink import Endpoint, EndpointZone, get_vpc_endpoint_attribute, list_vpc_endpoint_zones
from alicloud.waiting import DEFAULT_POLL, Poll, wait_for

_ZONE_READY = ("Wait", "Connected")


def wait_for_endpoint_status(
    clients: Clients,
    *,
    endpoint_id: str,
    status: str = "Active",
    connection_status: str | None = None,
    timeout_s: float = 300.0,
    poll: Poll = DEFAULT_POLL,
) -> Endpoint:
    """Poll until the endpoint is in ``status`` (and ``connection_status``, when given)."""

    def done(endpoint: Endpoint) -> bool:
        return endpoint.endpoint_status == status and connection_status in (None, endpoint.connection_status)

    return wait_for(
        lambda: get_vpc_endpoint_attribute(clients, endpoint_id=endpoint_id),
        done=done,
        state_of=lambda e: e.endpoint_status + (f"/{e.connection_status}" if connection_status else ""),
        resource=endpoint_id,
        target=status + (f"/{connection_status}" if connection_status else ""),
        timeout_s=timeout_s,
        poll=poll,
    )


def wait_for_endpoint_gone(
    clients: Clients, *, endpoint_id: str, timeout_s: float = 300.0, poll: Poll = DEFAULT_POLL
) -> None:
    """Poll until ``GetVpcEndpointAttribute`` answers not found."""

    def read() -> Endpoint | None:
        try:
            return get_vpc_endpoint_attribute(clients, endpoint_id=endpoint_id)
        except NotFoundError:
            return None

    wait_for(
        read,
        done=lambda e: e is None,
        state_of=lambda e: "gone" if e is None else e.endpoint_status,
        resource=endpoint_id,
        target="gone",
        timeout_s=timeout_s,
        poll=poll,
    )


def wait_for_endpoint_zones(
    clients: Clients,
    *,
    endpoint_id: str,
    zone_ids: Collection[str] | None = None,
    timeout_s: float = 300.0,
    poll: Poll = DEFAULT_POLL,
) -> list[EndpointZone]:
    """Poll until every zone (every one of ``zone_ids``, all present) is ``Wait`` or ``Connected``."""
    wanted = set(zone_ids or ())

    def done(zones: list[EndpointZone]) -> bool:
        present = {z.zone_id for z in zones}
        return wanted <= present and all(z.zone_status in _ZONE_READY for z in zones)

    return wait_for(
        lambda: list_vpc_endpoint_zones(clients, endpoint_id=endpoint_id),
        done=done,
        state_of=lambda zones: _zone_states(zones, wanted),
        resource=endpoint_id,
        target="zones " + "/".join(_ZONE_READY),
        timeout_s=timeout_s,
        poll=poll,
    )


def wait_for_endpoint_zones_gone(
    clients: Clients,
    *,
    endpoint_id: str,
    zone_ids: Collection[str] | None = None,
    timeout_s: float = 300.0,
    poll: Poll = DEFAULT_POLL,
) -> None:
    """Poll until the zones (all zones when ``zone_ids`` is None) are removed from the endpoint."""

    def remaining(zones: list[EndpointZone]) -> list[EndpointZone]:
        return [z for z in zones if zone_ids is None or z.zone_id in zone_ids]

    wait_for(
        lambda: remaining(list_vpc_endpoint_zones(clients, endpoint_id=endpoint_id)),
        done=lambda zones: not zones,
        state_of=lambda zones: _zone_states(zones, set()) or "no zones",
        resource=endpoint_id,
        target="zones removed",
        timeout_s=timeout_s,
        poll=poll,
    )


def _zone_states(zones: list[EndpointZone], wanted: set[str]) -> str:
    states = [f"{z.zone_id}={z.zone_status}" for z in sorted(zones, key=lambda z: z.zone_id)]
    states += [f"{zone}=absent" for zone in sorted(wanted - {z.zone_id for z in zones})]
    return ", ".join(states)
