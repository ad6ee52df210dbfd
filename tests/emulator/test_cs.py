"""ACK cluster reads through the generic OpenAPI client (``call_api``, ROA 2015-12-15)."""

from __future__ import annotations

import json

import yaml

from tests.emulator.network_sdk import cs, refused
from tests.support.emulator_control import EmulatorControl
from tests.support.world import CLUSTER_ID, VPC_ID

DETAIL = f"/clusters/{CLUSTER_ID}"
KUBECONFIG = f"/k8s/{CLUSTER_ID}/user_config"


def test_describe_cluster_detail_returns_snake_case_fields(emulator: EmulatorControl) -> None:
    body = cs(emulator, "DescribeClusterDetail", DETAIL)
    assert (body["cluster_id"], body["state"], body["vpc_id"], body["cluster_type"]) == (
        CLUSTER_ID,
        "running",
        VPC_ID,
        "ManagedKubernetes",
    )
    assert json.loads(body["master_url"])["intranet_api_server_endpoint"] == "https://192.168.1.10:6443"


def test_describe_cluster_detail_unknown_cluster_answers_error_cluster_not_found(
    emulator: EmulatorControl,
) -> None:
    error = refused(cs, emulator, "DescribeClusterDetail", "/clusters/c0000000000000000000000000000000")
    assert (error.code, error.status_code) == ("ErrorClusterNotFound", 404)


def test_describe_cluster_detail_shows_a_state_set_through_the_control_api(emulator: EmulatorControl) -> None:
    emulator.admin("cs", "set_cluster_state", cluster_id=CLUSTER_ID, state="failed")
    assert cs(emulator, "DescribeClusterDetail", DETAIL)["state"] == "failed"


def test_describe_cluster_user_kubeconfig_private_names_the_intranet_server(
    emulator: EmulatorControl,
) -> None:
    body = cs(
        emulator,
        "DescribeClusterUserKubeconfig",
        KUBECONFIG,
        key="eas-role",
        PrivateIpAddress="True",
        TemporaryDurationMinutes="60",
    )
    config = yaml.safe_load(body["config"])
    assert (config["kind"], config["clusters"][0]["cluster"]["server"]) == (
        "Config",
        "https://192.168.1.10:6443",
    )
    assert body["expiration"].endswith("Z")


def test_describe_cluster_user_kubeconfig_duration_too_short_is_refused(emulator: EmulatorControl) -> None:
    error = refused(
        cs,
        emulator,
        "DescribeClusterUserKubeconfig",
        KUBECONFIG,
        PrivateIpAddress="true",
        TemporaryDurationMinutes="14",
    )
    assert (error.code, error.status_code) == ("InvalidParameter", 400)


def test_describe_cluster_user_kubeconfig_unknown_cluster_answers_not_found(
    emulator: EmulatorControl,
) -> None:
    error = refused(
        cs, emulator, "DescribeClusterUserKubeconfig", "/k8s/c-missing/user_config", PrivateIpAddress="true"
    )
    assert error.code == "ErrorClusterNotFound"
