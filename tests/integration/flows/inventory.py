"""Read a resource group's resources out of the emulator's state dump (``GET /_emulator/state``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flows.spec import OWNER_TAG, ResourceGroupSpec
from tests.support.emulator_control import EmulatorControl
from tests.support.world import ACCOUNT_ID, REGION


class Inventory:
    """One snapshot of the default account's state, with lookups by the spec's names."""

    def __init__(self, emulator: EmulatorControl, account_id: str = ACCOUNT_ID, region: str = REGION):
        state = emulator.state()
        self.regional: dict[str, Any] = state[account_id][region]
        self.account: dict[str, Any] = state[account_id]["account"]
        self.sls: dict[str, Any] = state["global"]["account"]["sls"]

    # ---- ECS ------------------------------------------------------------------------------

    def security_groups(self, spec: ResourceGroupSpec) -> list[dict[str, Any]]:
        return [g for g in self.regional["ecs"]["groups"] if _tags(g).get(OWNER_TAG) == spec.name]

    @staticmethod
    def rules(group: dict[str, Any]) -> set[tuple[str, str, str, str, str]]:
        return {
            (
                r["Direction"],
                r["IpProtocol"],
                r["PortRange"],
                r["SourceCidrIp"] or r["DestCidrIp"],
                r["Policy"].lower(),
            )
            for r in group["rules"]
        }

    # ---- PrivateLink ------------------------------------------------------------------------

    def endpoints(self, spec: ResourceGroupSpec) -> list[dict[str, Any]]:
        return [e for e in self.regional["privatelink"]["endpoints"] if _tags(e).get(OWNER_TAG) == spec.name]

    def endpoint(self, spec: ResourceGroupSpec, key: str) -> dict[str, Any]:
        (found,) = [e for e in self.endpoints(spec) if e["endpoint_name"] == spec.endpoint_name(key)]
        return found

    def endpoint_zones(self, endpoint_id: str) -> dict[str, dict[str, Any]]:
        zones = [z for z in self.regional["privatelink"]["zones"] if z["endpoint_id"] == endpoint_id]
        assert len({z["zone_id"] for z in zones}) == len(zones), f"a zone twice on {endpoint_id}"
        return {z["zone_id"]: z for z in zones}

    def attached_groups(self, endpoint_id: str) -> dict[str, str]:
        return {
            a["security_group_id"]: a["status"]
            for a in self.regional["privatelink"]["attachments"]
            if a["endpoint_id"] == endpoint_id
        }

    def endpoint_domain(self, endpoint: dict[str, Any]) -> str:
        (service,) = [
            s for s in self.regional["privatelink"]["services"] if s["service_id"] == endpoint["service_id"]
        ]
        return f"{endpoint['endpoint_id']}.{service['service_domain']}"

    # ---- PrivateZone ----------------------------------------------------------------------------

    def private_zones(self, name: str) -> list[dict[str, Any]]:
        return [z for z in self.account["privatezone"]["zones"].values() if z["zone_name"] == name]

    def zone_records(self, zone_id: str) -> Counter[tuple[str, str, str, int]]:
        return Counter(
            (r["rr"], r["type"], r["value"], r["ttl"])
            for r in self.account["privatezone"]["records"].values()
            if r["zone_id"] == zone_id
        )

    # ---- Simple Log Service --------------------------------------------------------------------

    def project(self, name: str) -> dict[str, Any] | None:
        return self.sls["projects"].get(name)  # type: ignore[no-any-return]

    def logstore(self, project: str, name: str) -> dict[str, Any] | None:
        return self.sls["logstores"].get(f"{project}/{name}")  # type: ignore[no-any-return]

    def machine_group(self, project: str, name: str) -> dict[str, Any] | None:
        return self.sls["machine_groups"].get(f"{project}/{name}")  # type: ignore[no-any-return]

    def logtail_config(self, project: str, name: str) -> dict[str, Any] | None:
        return self.sls["configs"].get(f"{project}/{name}")  # type: ignore[no-any-return]

    def count_in_project(self, kind: str, project: str) -> int:
        return sum(1 for key in self.sls[kind] if key.startswith(f"{project}/"))


def _tags(resource: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in resource.get("tags", [])}


def mutating(emulator: EmulatorControl) -> list[str]:
    """The actions of every mutating request in the call log, in order."""
    return [c["action"] for c in sorted(emulator.calls(), key=lambda c: c["seq"]) if c["kind"] == "mutating"]


def succeeded(emulator: EmulatorControl, action: str) -> int:
    """How many requests of ``action`` the emulator answered with success."""
    return sum(1 for c in emulator.calls(action=action) if c["code"] is None)
