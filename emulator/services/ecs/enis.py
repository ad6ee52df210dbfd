"""Elastic network interfaces as far as security groups care: which interface holds which group, until when.

Other products create interfaces here (a PrivateLink endpoint zone has one) and say when they go
away.  Membership is kept per group as ``[security_group_id, until]``: ``until`` is None while the
interface is a member, or the epoch at which it stops holding the group (interfaces leave a group
asynchronously, so a detached group stays "in use" for a while).  The interface itself disappears
through a lazy ``__gone__`` transition, which callers may move (:meth:`release`) or cancel
(:meth:`keep`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.core.api import GONE, Record, new_id, record_to_dict, schedule, settle


@dataclass
class NetworkInterface(Record):
    eni_id: str
    vswitch_id: str
    vpc_id: str
    zone_id: str
    ip: str
    owner: str  # the resource that created it (an endpoint id), "" for one of something else
    created: float
    groups: list[list[Any]] = field(default_factory=list)

    def member_of(self, group_id: str, now: float) -> bool:
        return any(g == group_id and (until is None or until > now) for g, until in self.groups)

    def gone_at(self) -> float | None:
        return next((float(due) for due, name, _ in self.pending if name == GONE), None)


class NetworkInterfaces:
    """The interfaces of one account in one region."""

    def __init__(self, items: dict[str, NetworkInterface] | None = None):
        self.items: dict[str, NetworkInterface] = items or {}

    def create(
        self,
        *,
        vswitch_id: str,
        vpc_id: str,
        zone_id: str,
        ip: str,
        group_ids: list[str],
        owner: str,
        now: float,
    ) -> NetworkInterface:
        eni = NetworkInterface(
            eni_id=new_id("eni-"),
            vswitch_id=vswitch_id,
            vpc_id=vpc_id,
            zone_id=zone_id,
            ip=ip,
            owner=owner,
            created=now,
            groups=[[g, None] for g in group_ids],
        )
        self.items[eni.eni_id] = eni
        return eni

    def get(self, eni_id: str, now: float) -> NetworkInterface | None:
        eni = self.items.get(eni_id)
        if eni is None:
            return None
        if not settle(eni, now):
            del self.items[eni_id]
            return None
        eni.groups = [[g, until] for g, until in eni.groups if until is None or until > now]
        return eni

    def live(self, now: float) -> list[NetworkInterface]:
        return [eni for eni_id in list(self.items) if (eni := self.get(eni_id, now)) is not None]

    def release(self, eni_id: str, at: float) -> None:
        """The interface goes away at ``at`` (replacing any earlier plan)."""
        eni = self.items.get(eni_id)
        if eni is None:
            return
        self.keep(eni_id)
        schedule(eni, at, GONE, True)

    def keep(self, eni_id: str) -> None:
        """Cancel a planned disappearance: the interface stays until told otherwise."""
        eni = self.items.get(eni_id)
        if eni is not None:
            eni.pending = [entry for entry in eni.pending if entry[1] != GONE]

    def join(self, eni_id: str, group_id: str) -> None:
        eni = self.items.get(eni_id)
        if eni is not None:
            eni.groups = [entry for entry in eni.groups if entry[0] != group_id] + [[group_id, None]]

    def leave(self, eni_id: str, group_id: str, at: float) -> None:
        """The interface stops holding ``group_id`` at ``at``."""
        eni = self.items.get(eni_id)
        if eni is not None:
            eni.groups = [[g, at if g == group_id else until] for g, until in eni.groups]

    def remove(self, eni_id: str) -> bool:
        return self.items.pop(eni_id, None) is not None

    def in_group(self, group_id: str, now: float) -> list[NetworkInterface]:
        return [eni for eni in self.live(now) if eni.member_of(group_id, now)]

    def ips_in_use(self, vswitch_id: str, now: float) -> set[str]:
        return {eni.ip for eni in self.live(now) if eni.vswitch_id == vswitch_id and eni.ip}

    def owned_by(self, owner: str, now: float) -> list[NetworkInterface]:
        return [eni for eni in self.live(now) if eni.owner == owner]

    def dump(self) -> list[dict[str, Any]]:
        return [record_to_dict(eni) for eni in self.items.values()]

    @classmethod
    def load(cls, data: list[dict[str, Any]]) -> NetworkInterfaces:
        return cls({raw["eni_id"]: NetworkInterface(**raw) for raw in data})
