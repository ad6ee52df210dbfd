"""What the emulator holds of one resource group, read from ``emulator.state()``."""

from __future__ import annotations

from typing import Any

from flows.spec import OWNER_TAG, ResourceGroupSpec
from tests.support.world import ACCOUNT_ID, EAS_SERVICE, REGION


def _owner(item: dict[str, Any]) -> str | None:
    return next((t["Value"] for t in item.get("tags", []) if t["Key"] == OWNER_TAG), None)


def network(state: dict[str, Any]) -> dict[str, Any]:
    return dict(state[ACCOUNT_ID][REGION])


def leftovers(state: dict[str, Any], spec: ResourceGroupSpec) -> dict[str, list[str]]:
    """Every resource the group's onboarding creates that still exists, by kind (empty kinds omitted)."""
    region = network(state)
    endpoints = [e["endpoint_id"] for e in region["privatelink"]["endpoints"] if _owner(e) == spec.name]
    zones = state[ACCOUNT_ID]["account"]["privatezone"]
    ours = {z["zone_id"] for z in zones["zones"].values() if z["zone_name"] == spec.private_zone.name}
    sls = state["global"]["account"]["sls"]
    project = spec.log.project
    found = {
        "security groups": [
            g["security_group_id"] for g in region["ecs"]["groups"] if _owner(g) == spec.name
        ],
        "endpoints": endpoints,
        "endpoint zones": [f"{z['endpoint_id']}/{z['zone_id']}" for z in region["privatelink"]["zones"]],
        "network interfaces": [e["eni_id"] for e in region["ecs"]["enis"]],
        "private zones": sorted(ours),
        "zone records": [str(r["record_id"]) for r in _values(zones["records"]) if r["zone_id"] in ours],
        "log projects": [p for p in sls["projects"] if p == project],
        "logstores": [k for k in sls["logstores"] if k.startswith(f"{project}/")],
        "indexes": [k for k, v in sls["logstores"].items() if k.startswith(f"{project}/") and v.get("index")],
        "logtail configs": [k for k in sls["configs"] if k.startswith(f"{project}/")],
        "machine groups": [k for k in sls["machine_groups"] if k.startswith(f"{project}/")],
    }
    return {kind: items for kind, items in found.items() if items}


def _values(collection: Any) -> list[Any]:
    return list(collection.values()) if isinstance(collection, dict) else list(collection)


def mutating_calls(calls: list[dict[str, Any]]) -> list[str]:
    return [f"{c['product']}:{c['action']}" for c in calls if c["kind"] == "mutating"]


def one_endpoint(make_spec: Any) -> ResourceGroupSpec:
    """A spec with only the PAI-EAS endpoint (the one that uses the role): faster to build and remove."""
    spec: ResourceGroupSpec = make_spec(endpoint_services=[{"key": "pai-eas", "service_name": EAS_SERVICE}])
    return spec
