"""Injected faults and throttles, as the official SDKs observe them."""

from __future__ import annotations

import time

import pytest
from alibabacloud_resourcemanager20200331 import models as rm
from alibabacloud_resourcemanager20200331.client import Client
from alibabacloud_tea_openapi.exceptions import ServerException, ThrottlingException
from aliyun.log import LogException
from darabonba.exceptions import UnretryableException

from tests.support.emulator_control import EmulatorControl
from tests.support.sdk import log_client, tea_config
from tests.support.world import ACCOUNT_ID, ROLE_NAME, ROLE_SERVICE_NAME


def _roles(emulator: EmulatorControl, **config: object) -> Client:
    return Client(tea_config(emulator, **config))


def _list(client: Client) -> int:
    return int(client.list_roles(rm.ListRolesRequest()).body.total_count)


def test_fault_code_answers_next_call(emulator: EmulatorControl) -> None:
    emulator.add_fault(action="ListRoles", code="ServiceUnavailable", status=503, message="Busy.")
    with pytest.raises(ServerException) as raised:
        _list(_roles(emulator))
    assert (raised.value.code, raised.value.status_code) == ("ServiceUnavailable", 503)


def test_fault_times_one_lets_second_call_through(emulator: EmulatorControl) -> None:
    emulator.add_fault(action="ListRoles", code="ServiceUnavailable", status=503, times=1)
    client = _roles(emulator)
    with pytest.raises(ServerException):
        _list(client)
    assert _list(client) == 0


def test_fault_other_action_not_affected(emulator: EmulatorControl) -> None:
    emulator.add_fault(action="GetRole", code="ServiceUnavailable", status=503)
    assert _list(_roles(emulator)) == 0


def test_fault_drop_response_commits_state(emulator: EmulatorControl) -> None:
    emulator.add_fault(action="CreateServiceLinkedRole", drop_response=True)
    client = _roles(emulator)
    with pytest.raises(UnretryableException):
        client.create_service_linked_role(rm.CreateServiceLinkedRoleRequest(service_name=ROLE_SERVICE_NAME))
    roles = emulator.state()[ACCOUNT_ID]["account"]["resourcemanager"]["roles"]
    assert [r["role_name"] for r in roles.values()] == [ROLE_NAME]


def test_fault_hang_cut_by_read_timeout(emulator: EmulatorControl) -> None:
    emulator.add_fault(action="ListRoles", hang=3)
    started = time.monotonic()
    with pytest.raises(UnretryableException) as raised:
        _list(_roles(emulator, read_timeout=300))
    assert time.monotonic() - started < 2.5
    assert "timed out" in str(raised.value).lower()


def test_fault_latency_delays_answer(emulator: EmulatorControl) -> None:
    emulator.add_fault(action="ListRoles", latency=0.3)
    started = time.monotonic()
    assert _list(_roles(emulator)) == 0
    assert time.monotonic() - started >= 0.3


def test_fault_sls_uses_sls_envelope(emulator: EmulatorControl) -> None:
    emulator.add_fault(
        action="ListProject", product="sls", code="ProjectForbidden", status=403, message="No."
    )
    with pytest.raises(LogException) as raised:
        log_client(emulator).list_project(size=10)
    assert (
        raised.value.get_error_code(),
        raised.value.get_resp_status(),
        raised.value.get_error_message(),
    ) == ("ProjectForbidden", 403, "No.")


def test_throttle_openapi_raises_throttling_exception(emulator: EmulatorControl) -> None:
    emulator.throttle("ListRoles", qps=1)
    client = _roles(emulator)
    _list(client)
    with pytest.raises(ThrottlingException) as raised:
        _list(client)
    assert (raised.value.code, raised.value.status_code) == ("Throttling.User", 400)
    assert 0 < raised.value.retry_after <= 1000


def test_throttle_global_budget_covers_every_action(emulator: EmulatorControl) -> None:
    emulator.throttle("*", qps=1)
    client = _roles(emulator)
    _list(client)
    with pytest.raises(ThrottlingException):
        client.get_role(rm.GetRoleRequest(role_name=ROLE_NAME))


def test_throttle_sls_answers_quota_exceeded(emulator: EmulatorControl) -> None:
    emulator.throttle("ListProject", qps=1)
    client = log_client(emulator)
    client.list_project(size=10)
    with pytest.raises(LogException) as raised:
        client.list_project(size=10)
    assert (raised.value.get_error_code(), raised.value.get_resp_status()) == ("ReadQuotaExceed", 403)


def test_throttle_cleared_by_reset(emulator: EmulatorControl) -> None:
    emulator.throttle("ListRoles", qps=1)
    emulator.reset()
    client = _roles(emulator)
    assert (_list(client), _list(client)) == (0, 0)
