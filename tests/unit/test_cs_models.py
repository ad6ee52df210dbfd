"""ACK reads through the handlers: cluster detail shape, kubeconfig server and lifetime."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.unit.network_world import CLUSTER_ID, StubWorld, fails, run


def kubeconfig(**params: str) -> dict[str, object]:
    return run(StubWorld(), "cs", "DescribeClusterUserKubeconfig", {"ClusterId": CLUSTER_ID, **params})


def test_describe_cluster_detail_master_url_is_a_json_string() -> None:
    body = run(StubWorld(), "cs", "DescribeClusterDetail", {"ClusterId": CLUSTER_ID})
    assert json.loads(body["master_url"])["intranet_api_server_endpoint"] == "https://192.168.1.10:6443"
    assert (body["state"], body["vpc_id"]) == ("running", "vpc-bp1easrg0demo0000000a")


def test_describe_cluster_detail_unknown_cluster_answers_error_cluster_not_found() -> None:
    error = fails(StubWorld(), "cs", "DescribeClusterDetail", {"ClusterId": "c-missing"})
    assert (error.code, error.status) == ("ErrorClusterNotFound", 404)


def test_describe_cluster_user_kubeconfig_private_names_the_intranet_server() -> None:
    body = kubeconfig(PrivateIpAddress="True", TemporaryDurationMinutes="15")
    config = yaml.safe_load(str(body["config"]))
    assert config["clusters"][0]["cluster"]["server"] == "https://192.168.1.10:6443"
    assert body["expiration"] == "2025-06-15T15:21:40Z"  # T0 + 15 minutes


@pytest.mark.parametrize("minutes", ["14", "4321", "soon"])
def test_describe_cluster_user_kubeconfig_duration_out_of_range_is_refused(minutes: str) -> None:
    error = fails(
        StubWorld(),
        "cs",
        "DescribeClusterUserKubeconfig",
        {"ClusterId": CLUSTER_ID, "PrivateIpAddress": "true", "TemporaryDurationMinutes": minutes},
    )
    assert (error.code, error.status) == ("InvalidParameter", 400)


def test_describe_cluster_user_kubeconfig_public_on_a_private_cluster_is_refused() -> None:
    error = fails(StubWorld(), "cs", "DescribeClusterUserKubeconfig", {"ClusterId": CLUSTER_ID})
    assert error.status == 400 and "PrivateIpAddress=true" in error.message
