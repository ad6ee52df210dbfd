"""ACK clusters of one account in one region, read-only through the API, filled from the world file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.core.api import Record, record_to_dict

STATES = (
    "initial",
    "failed",
    "running",
    "updating",
    "upgrading",
    "removing",
    "draining",
    "scaling",
    "inactive",
    "unavailable",
    "deleting",
    "deleted",
    "delete_failed",
    "waiting",
    "disconnected",
)


@dataclass
class Cluster(Record):
    cluster_id: str
    name: str
    state: str
    cluster_type: str
    cluster_spec: str
    current_version: str
    vpc_id: str
    vswitch_ids: list[str]
    container_cidr: str
    service_cidr: str
    intranet_api_server: str
    api_server: str = ""  # public endpoint; "" for a private-only cluster
    created: str = "2024-06-01T08:00:00+08:00"
    size: int = 3
    tags: list[dict[str, str]] = field(default_factory=list)  # {"key", "value"}
    resource_group_id: str = ""


class CsStore:
    def __init__(self) -> None:
        self.clusters: dict[str, Cluster] = {}

    def cluster(self, cluster_id: str) -> Cluster | None:
        return self.clusters.get(cluster_id)

    def settle_all(self, now: float) -> None:
        """Nothing here changes by itself."""

    def admin_set_cluster_state(self, cluster_id: str, state: str) -> dict[str, Any]:
        """Put a cluster in another state (``failed``, ``updating`` …) to exercise the checks that read it."""
        cluster = self.clusters.get(cluster_id)
        if cluster is None:
            raise ValueError(f"no cluster {cluster_id}")
        if state not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)}")
        cluster.state = state
        return {"cluster_id": cluster_id, "state": state}

    def dump(self) -> dict[str, Any]:
        return {"clusters": [record_to_dict(c) for c in self.clusters.values()]}

    @classmethod
    def load(cls, data: dict[str, Any]) -> CsStore:
        store = cls()
        store.clusters = {raw["cluster_id"]: Cluster(**raw) for raw in data.get("clusters", [])}
        return store


def seed(store: CsStore, account: dict[str, Any], region: str | None) -> None:
    section = account.get("regions", {}).get(region or "", {})
    known = {f.name for f in Cluster.__dataclass_fields__.values()} - {"pending"}
    for raw in section.get("clusters", []):
        cluster = Cluster(**{k: v for k, v in raw.items() if k in known})
        store.clusters[cluster.cluster_id] = cluster
