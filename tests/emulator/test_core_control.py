"""The control API: reset, state, calls, pace, admin."""

from __future__ import annotations

import time

import pytest
from alibabacloud_resourcemanager20200331 import models as rm
from alibabacloud_resourcemanager20200331.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException

from tests.support.emulator_control import EmulatorControl, EmulatorControlError
from tests.support.sdk import log_client, tea_config
from tests.support.world import ACCOUNT_ID, ROLE_NAME, ROLE_SERVICE_NAME


def _create_role(emulator: EmulatorControl) -> None:
    Client(tea_config(emulator)).create_service_linked_role(
        rm.CreateServiceLinkedRoleRequest(service_name=ROLE_SERVICE_NAME)
    )


def _role_names(emulator: EmulatorControl) -> list[str]:
    roles = emulator.state()[ACCOUNT_ID]["account"]["resourcemanager"]["roles"]
    return [r["role_name"] for r in roles.values()]


def test_health_lists_loaded_services(emulator: EmulatorControl) -> None:
    health = emulator.health()
    assert health["status"] == "ok" and "resourcemanager" in health["services"]


def test_state_shows_created_role(emulator: EmulatorControl) -> None:
    _create_role(emulator)
    assert _role_names(emulator) == [ROLE_NAME]


def test_reset_restores_world_file(emulator: EmulatorControl) -> None:
    _create_role(emulator)
    emulator.reset()
    assert (_role_names(emulator), emulator.calls()) == ([], [])


def test_calls_record_outcome(emulator: EmulatorControl) -> None:
    _create_role(emulator)
    with pytest.raises(ClientException):
        _create_role(emulator)
    calls = emulator.calls(product="resourcemanager", action="CreateServiceLinkedRole")
    assert [(c["status"], c["code"], c["kind"], c["principal"]) for c in calls] == [
        (200, None, "mutating", "owner"),
        (409, "EntityAlreadyExists.Role", "mutating", "owner"),
    ]


def test_calls_mark_reads(emulator: EmulatorControl) -> None:
    log_client(emulator).list_project(size=10)
    [call] = emulator.calls(product="sls")
    assert (call["action"], call["kind"], call["access_key_id"]) == (
        "ListProject",
        "read",
        "LTAI-emulator-owner",
    )


def test_calls_since_filters_older_entries(emulator: EmulatorControl) -> None:
    log_client(emulator).list_project(size=10)
    assert emulator.calls(since=time.time() + 60) == []


def test_clear_calls_empties_log(emulator: EmulatorControl) -> None:
    log_client(emulator).list_project(size=10)
    emulator.clear_calls()
    assert emulator.calls() == []


def test_set_pace_applies_overrides(emulator: EmulatorControl) -> None:
    emulator.set_pace("fast", **{"resourcemanager.role.delete": 7})
    pace = emulator.pace()
    assert (
        pace["pace"],
        pace["durations"]["resourcemanager.role.delete"],
        pace["durations"]["privatelink.endpoint.create"],
    ) == ("fast", 7.0, 0.3)


def test_set_pace_unknown_refused(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError) as raised:
        emulator.set_pace("glacial")
    assert raised.value.status == 400


def test_reset_restores_start_pace(emulator: EmulatorControl) -> None:
    emulator.set_pace("realistic")
    emulator.reset()
    assert emulator.pace()["pace"] == "instant"


def test_admin_unknown_operation_not_found(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError) as raised:
        emulator.admin("resourcemanager", "no_such_operation")
    assert raised.value.status == 404


def test_fault_rule_unknown_field_refused(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError) as raised:
        emulator.add_fault(action="ListRoles", code="X", colour="red")
    assert raised.value.status == 400
