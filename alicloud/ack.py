"""Container Service for Kubernetes (CS 2015-12-15, ROA), read-only: the cluster EAS deploys onto.

Through the generic client (:mod:`alicloud.openapi`).  CS answers in snake_case, and
``master_url`` is JSON inside a string.  The kubeconfig is a credential: :class:`Kubeconfig`
never shows it in ``repr``/``str``; hand it only to what needs it, never to logs or results.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from alicloud import parse
from alicloud.clients import Clients
from alicloud.invoke import Operation, invoke
from alicloud.openapi import roa

PRODUCT = "ack"


@dataclass(frozen=True)
class Cluster:
    cluster_id: str
    name: str
    state: str  # running, updating, failed ...
    cluster_type: str
    region_id: str
    vpc_id: str
    vswitch_ids: tuple[str, ...]
    security_group_id: str
    api_server_endpoint: str  # public, empty for private-only clusters
    intranet_api_server_endpoint: str


@dataclass(frozen=True)
class Kubeconfig:
    """A kubeconfig and its expiry; the content never appears in ``repr``/``str``."""

    config: str = field(repr=False)
    expiration: str = ""

    def __repr__(self) -> str:
        return f"Kubeconfig(config=<redacted, {len(self.config)} chars>, expiration={self.expiration!r})"

    __str__ = __repr__


def describe_cluster_detail(clients: Clients, *, cluster_id: str) -> Cluster:
    """One cluster; unknown ids answer ``ErrorClusterNotFound`` (:class:`~alicloud.errors.NotFoundError`).

    RAM action: ``cs:DescribeClusterDetail``.
    """
    body = _call(clients, "DescribeClusterDetail", "/clusters/{ClusterId}", cluster_id, {})
    urls = _master_urls(body.get("master_url"))
    return Cluster(
        cluster_id=parse.text(body, "cluster_id"),
        name=parse.text(body, "name"),
        state=parse.text(body, "state"),
        cluster_type=parse.text(body, "cluster_type"),
        region_id=parse.text(body, "region_id"),
        vpc_id=parse.text(body, "vpc_id"),
        vswitch_ids=parse.texts(body, "vswitch_ids"),
        security_group_id=parse.text(body, "security_group_id"),
        api_server_endpoint=urls.get("api_server_endpoint", ""),
        intranet_api_server_endpoint=urls.get("intranet_api_server_endpoint", ""),
    )


def describe_cluster_user_kubeconfig(
    clients: Clients,
    *,
    cluster_id: str,
    private_ip_address: bool = True,
    temporary_duration_minutes: int | None = None,
) -> Kubeconfig:
    """The caller's kubeconfig for the cluster (internal API endpoint by default).

    RAM action: ``cs:DescribeClusterUserKubeconfig``.  ``temporary_duration_minutes`` (15 to
    4320) asks for a short-lived one; without it the credential is long-lived.
    """
    if temporary_duration_minutes is not None and not 15 <= temporary_duration_minutes <= 4320:
        raise ValueError("temporary_duration_minutes must be 15 to 4320")
    query: dict[str, Any] = {
        "PrivateIpAddress": private_ip_address,
        "TemporaryDurationMinutes": temporary_duration_minutes,
    }
    body = _call(clients, "DescribeClusterUserKubeconfig", "/k8s/{ClusterId}/user_config", cluster_id, query)
    return Kubeconfig(config=parse.text(body, "config"), expiration=parse.text(body, "expiration"))


def _call(clients: Clients, action: str, path: str, cluster_id: str, query: dict[str, Any]) -> dict[str, Any]:
    op = Operation(PRODUCT, action, f"cs:{action}")
    return invoke(
        clients,
        op,
        lambda: roa(
            clients.cs,
            product="cs",
            action=action,
            method="GET",
            path=path,
            path_params={"ClusterId": cluster_id},
            query=query,
        ),
    )


def _master_urls(value: Any) -> Mapping[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    try:
        parsed = json.loads(value) if isinstance(value, str) and value else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in parsed.items()} if isinstance(parsed, dict) else {}
