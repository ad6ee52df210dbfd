"""Onboarding refuses bad input before any cloud call, and a failed preflight changes nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from prefect.exceptions import ParameterTypeError

from alicloud import ecs, privatelink
from alicloud.errors import AuthError
from flows.onboarding import onboard_resource_group
from flows.preflight import PreflightError
from flows.spec import ResourceGroupSpec
from tests.integration.alicloud_support import clients_for
from tests.integration.flows.conftest import example_data
from tests.integration.flows.inventory import mutating
from tests.support.emulator_control import EmulatorControl
from tests.support.world import (
    CLUSTER_ID,
    FOREIGN_SLS_PROJECT,
    FOREIGN_VSWITCH_J,
    LOG_SERVICE,
    VPC_ID,
    VSWITCH_J,
    ZONE_H_ONLY_SERVICE,
)
from tests.unit.test_spec import BAD_SPECS


@pytest.mark.parametrize(
    ("change", "field", "words"), [c[1:] for c in BAD_SPECS], ids=[c[0] for c in BAD_SPECS]
)
def test_onboard_resource_group_bad_spec_is_refused_before_any_call(
    emulator: EmulatorControl,
    credentials_block: str,
    change: Callable[[dict[str, Any]], None],
    field: str,
    words: str,
) -> None:
    data = copy.deepcopy(example_data("rg-bad"))
    change(data)
    with pytest.raises(ParameterTypeError) as raised:
        onboard_resource_group(data, credentials_block=credentials_block)  # type: ignore[arg-type]
    assert f"spec.{field}: " in str(raised.value)
    assert emulator.calls() == []


def _preflight_fails(spec: ResourceGroupSpec, block: str) -> PreflightError:
    with pytest.raises(PreflightError) as raised:
        onboard_resource_group(spec, credentials_block=block)
    return raised.value


def test_onboard_resource_group_unknown_vpc_fails_preflight_without_changes(
    emulator: EmulatorControl, make_spec: Callable[..., ResourceGroupSpec], credentials_block: str
) -> None:
    error = _preflight_fails(make_spec(vpc_id="vpc-bp1nosuch000000000x"), credentials_block)
    problems = [f"{field}: {message}" for field, message in error.problems]
    assert problems[0].startswith("vpc_id: VPC vpc-bp1nosuch000000000x does not exist in cn-hangzhou")
    assert problems[1].startswith(
        "vswitch_ids.0: vSwitch vsw-bp1easrg0demo00000j1 belongs to vpc-bp1easrg0demo0000000a"
    )
    assert problems[-1].startswith(f"vpc_id: ACK cluster {CLUSTER_ID} runs in vpc-bp1easrg0demo0000000a")
    assert "nothing was changed" in str(error)
    assert mutating(emulator) == []


def test_onboard_resource_group_vswitch_of_another_vpc_fails_preflight(
    emulator: EmulatorControl, make_spec: Callable[..., ResourceGroupSpec], credentials_block: str
) -> None:
    error = _preflight_fails(make_spec(vswitch_ids=[VSWITCH_J, FOREIGN_VSWITCH_J]), credentials_block)
    assert [field for field, _ in error.problems] == ["vswitch_ids.1"]
    assert "use vSwitches of the cluster's VPC" in error.problems[0][1]
    assert mutating(emulator) == []


def test_onboard_resource_group_cluster_not_running_fails_preflight(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    emulator.admin("cs", "set_cluster_state", cluster_id=CLUSTER_ID, state="updating")
    error = _preflight_fails(spec, credentials_block)
    assert error.problems == [
        ("cluster_id", f"ACK cluster {CLUSTER_ID} is updating; wait until it is running")
    ]
    assert mutating(emulator) == []


def test_onboard_resource_group_service_not_offered_in_the_zones_fails_preflight(
    emulator: EmulatorControl, make_spec: Callable[..., ResourceGroupSpec], credentials_block: str
) -> None:
    services = [{"key": "pai-eas", "service_name": ZONE_H_ONLY_SERVICE}]
    error = _preflight_fails(make_spec(endpoint_services=services), credentials_block)
    (problem,) = error.problems
    assert problem[0] == "endpoint_services.0.service_name"
    assert "is not offered in cn-hangzhou-j, cn-hangzhou-k (only cn-hangzhou-h)" in problem[1]
    assert mutating(emulator) == []


def test_onboard_resource_group_another_endpoint_to_a_service_fails_preflight(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    owner = clients_for(emulator)
    privatelink.open_private_link_service(owner)
    group = ecs.create_security_group(owner, vpc_id=VPC_ID, security_group_name="another-team")
    other = privatelink.create_vpc_endpoint(
        owner, vpc_id=VPC_ID, security_group_ids=[group], service_name=LOG_SERVICE, endpoint_name="their-log"
    )
    emulator.clear_calls()

    error = _preflight_fails(spec, credentials_block)

    ((field, message),) = error.problems
    assert field == "endpoint_services.1.service_name"
    assert f"endpoint {other.endpoint_id} (their-log, " in message
    assert f"tag it easrg:resource-group={spec.name} to adopt it" in message
    assert mutating(emulator) == []


def test_onboard_resource_group_log_project_of_another_account_fails_preflight(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    taken = spec.model_copy(update={"log": spec.log.model_copy(update={"project": FOREIGN_SLS_PROJECT})})

    error = _preflight_fails(taken, credentials_block)

    ((field, message),) = error.problems
    assert field == "log.project"
    assert "another account owns this name (log project names are global: choose another)" in message
    assert mutating(emulator) == []


def test_onboard_resource_group_without_credentials_fails_once_before_any_call(
    emulator: EmulatorControl,
    make_spec: Callable[..., ResourceGroupSpec],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no profile files: the standard chain finds nothing
    monkeypatch.setenv("EASRG_ENDPOINT", emulator.url)
    with pytest.raises(AuthError) as raised:
        onboard_resource_group(make_spec(), dry_run=True)
    assert raised.value.code == "CredentialsUnavailable"
    assert "ALIBABA_CLOUD_ACCESS_KEY_ID" in str(raised.value)
    assert emulator.calls() == []
