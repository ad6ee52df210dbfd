"""Planned transitions of endpoints, zones and attachments, and what they mean for network interfaces.

Everything is planned when the mutation is accepted (lazy ``pending`` entries), from the pace's
durations at that moment:

* endpoint ``Creating`` -> ``Active``; then, if the service auto-accepts, connection
  ``Disconnected`` -> ``Connecting`` -> ``Connected`` (otherwise it stays ``Disconnected``);
* zone ``Creating`` -> ``Wait`` (connection not yet up) -> ``Connected``, or straight to
  ``Connected``; ``Deleting`` -> gone;
* attachment ``Attaching`` -> ``Attached``, ``Detaching`` -> gone; the endpoint is ``Pending``
  while a zone or a security group changes;
* endpoint ``Deleting`` -> gone (never, while stuck through the control API).

A zone's network interface leaves with the zone, ``ecs.eni.release`` seconds after it; one that
still lingers when its endpoint is deleted stays until the endpoint is gone plus that delay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.core.api import GONE, schedule

if TYPE_CHECKING:
    from emulator.services.privatelink.models import Endpoint, EndpointService, EndpointZone


def plan_connection(endpoint: Endpoint, service: EndpointService, active_at: float, accept: float) -> None:
    if service.auto_accept:
        schedule(endpoint, active_at, "connection_status", "Connecting")
        schedule(endpoint, active_at + accept, "connection_status", "Connected")


def plan_zone_ready(zone: EndpointZone, endpoint: Endpoint, ready_at: float) -> None:
    connected = endpoint.connected_at()
    if connected is not None and connected <= ready_at:
        schedule(zone, ready_at, "status", "Connected")
        return
    schedule(zone, ready_at, "status", "Wait")
    if connected is not None:
        schedule(zone, connected, "status", "Connected")


def plan_pending(endpoint: Endpoint, until: float) -> None:
    """The endpoint is ``Pending`` until ``until``, then ``Active`` again."""
    endpoint.status = "Pending"
    schedule(endpoint, until, "status", "Active")


def plan_deletion(endpoint: Endpoint, ecs: Any, now: float, delete: float, release: float) -> None:
    endpoint.status = "Deleting"
    endpoint.eni_release = release
    if endpoint.stuck:
        hold_interfaces(endpoint, ecs, now)
        return
    schedule(endpoint, now + delete, GONE, True)
    release_interfaces(endpoint, ecs, now, now + delete + release)


def release_interfaces(endpoint: Endpoint, ecs: Any, now: float, at: float) -> None:
    """Interfaces still left of the endpoint's removed zones go no earlier than ``at``."""
    for eni in ecs.enis.owned_by(endpoint.endpoint_id, now):
        planned = eni.gone_at()
        ecs.enis.release(eni.eni_id, max(planned or 0.0, at))


def hold_interfaces(endpoint: Endpoint, ecs: Any, now: float) -> None:
    for eni in ecs.enis.owned_by(endpoint.endpoint_id, now):
        ecs.enis.keep(eni.eni_id)


def cancel_gone(record: Any) -> None:
    record.pending = [entry for entry in record.pending if entry[1] != GONE]
