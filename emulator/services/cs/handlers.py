"""ACK (CS 2015-12-15, ROA) reads: ``DescribeClusterDetail`` and ``DescribeClusterUserKubeconfig``.

Bodies are snake_case; ``master_url`` is a JSON document inside a string.  A kubeconfig names the
intranet API server when ``PrivateIpAddress=true``; a private-only cluster has no public one and
refuses the public kubeconfig (emulator choice, so that clients learn to ask for the intranet one).
Without ``TemporaryDurationMinutes`` the credentials are long-lived (three years).
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any

from emulator.core.api import Call
from emulator.core.service import WorldView
from emulator.services.cs import errors
from emulator.services.cs.models import Cluster, CsStore

LONG_LIVED_MINUTES = 3 * 365 * 24 * 60


class CsHandlers:
    def __init__(self, world: WorldView):
        self.world = world

    def _cluster(self, call: Call) -> Cluster:
        cluster_id = call.params.req("ClusterId")
        store: CsStore = self.world.store("cs", call.account_id, call.region)
        cluster = store.cluster(cluster_id)
        if cluster is None:
            raise errors.cluster_not_found(cluster_id)
        return cluster

    def describe_cluster_detail(self, call: Call) -> dict[str, Any]:
        cluster = self._cluster(call)
        vpc = self.world.store("vpc", call.account_id, call.region)
        zones = [v.zone_id for i in cluster.vswitch_ids if (v := vpc.vswitch(i)) is not None]
        return {
            "cluster_id": cluster.cluster_id,
            "name": cluster.name,
            "region_id": call.region,
            "state": cluster.state,
            "cluster_type": cluster.cluster_type,
            "profile": "Default",
            "cluster_spec": cluster.cluster_spec,
            "current_version": cluster.current_version,
            "init_version": cluster.current_version,
            "next_version": "",
            "resource_group_id": cluster.resource_group_id or str(vpc.default_resource_group),
            "tags": [dict(t) for t in cluster.tags],
            "created": cluster.created,
            "updated": cluster.created,
            "deletion_protection": False,
            "private_zone": False,
            "size": cluster.size,
            "parameters": {},
            "meta_data": "{}",
            "docker_version": "",
            "worker_ram_role_name": f"KubernetesWorkerRole-{cluster.cluster_id[:8]}",
            "maintenance_window": {"enable": False},
            **_network(cluster, zones),
        }

    def describe_cluster_user_kubeconfig(self, call: Call) -> dict[str, Any]:
        cluster = self._cluster(call)
        private = call.params.bool("PrivateIpAddress")
        minutes = _duration(call.params.str("TemporaryDurationMinutes"))
        server = cluster.intranet_api_server if private else cluster.api_server
        if not server:
            raise errors.no_public_endpoint(cluster.cluster_id)
        expiration = call.now + minutes * 60
        return {
            "config": kubeconfig(cluster, server, call.account_id, expiration),
            "expiration": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expiration)),
        }


def _network(cluster: Cluster, zones: list[str]) -> dict[str, Any]:
    """The network part of a cluster's detail; ``master_url`` is JSON inside a string."""
    master_url = {
        "api_server_endpoint": cluster.api_server,
        "intranet_api_server_endpoint": cluster.intranet_api_server,
    }
    return {
        "zone_id": zones[0] if zones else "",
        "vpc_id": cluster.vpc_id,
        "vswitch_id": ",".join(cluster.vswitch_ids),
        "vswitch_ids": list(cluster.vswitch_ids),
        "master_url": json.dumps(master_url),
        "container_cidr": cluster.container_cidr,
        "service_cidr": cluster.service_cidr,
        "subnet_cidr": cluster.container_cidr,
        "network_mode": "vpc",
        "proxy_mode": "ipvs",
        "ip_stack": "ipv4",
        "external_loadbalancer_id": "",
        "security_group_id": "",
    }


def _duration(raw: str | None) -> int:
    if raw is None:
        return LONG_LIVED_MINUTES
    try:
        minutes = int(raw)
    except ValueError:
        raise errors.invalid_duration(raw) from None
    if not 15 <= minutes <= 4320:
        raise errors.invalid_duration(raw)
    return minutes


def _fake_pem(kind: str, seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest() * 8
    body = base64.b64encode(digest).decode()
    pem = f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n"
    return base64.b64encode(pem.encode()).decode()


def kubeconfig(cluster: Cluster, server: str, user: str, expiration: float) -> str:
    """A kubeconfig YAML naming the cluster's API server (credentials are placeholders)."""
    context = f"{user}-{cluster.cluster_id}"
    seed = f"{cluster.cluster_id}/{user}/{int(expiration)}"
    return (
        "apiVersion: v1\n"
        "clusters:\n"
        "- cluster:\n"
        f"    server: {server}\n"
        f"    certificate-authority-data: {_fake_pem('CERTIFICATE', cluster.cluster_id)}\n"
        "  name: kubernetes\n"
        "contexts:\n"
        "- context:\n"
        "    cluster: kubernetes\n"
        f'    user: "{user}"\n'
        f"  name: {context}\n"
        f"current-context: {context}\n"
        "kind: Config\n"
        "preferences: {}\n"
        "users:\n"
        f'- name: "{user}"\n'
        "  user:\n"
        f"    client-certificate-data: {_fake_pem('CERTIFICATE', seed)}\n"
        f"    client-key-data: {_fake_pem('RSA PRIVATE KEY', seed + '/key')}\n"
    )
