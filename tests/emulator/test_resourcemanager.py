"""ResourceManager service-linked role lifecycle, through ``alibabacloud_resourcemanager20200331``."""

from __future__ import annotations

import pytest
from alibabacloud_resourcemanager20200331 import models as rm
from alibabacloud_resourcemanager20200331.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException

from tests.support.emulator_control import EmulatorControl
from tests.support.polling import wait_until
from tests.support.privatelink_usage import create_eas_endpoint
from tests.support.sdk import tea_config
from tests.support.world import ACCOUNT_ID, ROLE_NAME, ROLE_SERVICE_NAME

DELETE_KEY = "resourcemanager.role.delete"


@pytest.fixture
def roles(emulator: EmulatorControl) -> Client:
    return Client(tea_config(emulator))


def _create(client: Client) -> rm.CreateServiceLinkedRoleResponseBodyRole:
    return client.create_service_linked_role(
        rm.CreateServiceLinkedRoleRequest(service_name=ROLE_SERVICE_NAME)
    ).body.role


def _delete(client: Client) -> str:
    return str(
        client.delete_service_linked_role(
            rm.DeleteServiceLinkedRoleRequest(role_name=ROLE_NAME)
        ).body.deletion_task_id
    )


def _status(client: Client, task_id: str) -> rm.GetServiceLinkedRoleDeletionStatusResponseBody:
    request = rm.GetServiceLinkedRoleDeletionStatusRequest(deletion_task_id=task_id)
    return client.get_service_linked_role_deletion_status(request).body


def test_create_service_linked_role_returns_role(roles: Client) -> None:
    role = _create(roles)
    assert (role.role_name, role.arn, role.is_service_linked_role) == (
        ROLE_NAME,
        f"acs:ram::{ACCOUNT_ID}:role/{ROLE_NAME.lower()}",
        True,
    )
    assert ROLE_SERVICE_NAME in role.assume_role_policy_document


def test_create_service_linked_role_twice_conflicts(roles: Client) -> None:
    _create(roles)
    with pytest.raises(ClientException) as raised:
        _create(roles)
    assert (raised.value.code, raised.value.status_code) == ("EntityAlreadyExists.Role", 409)


def test_create_service_linked_role_unknown_service_not_found(roles: Client) -> None:
    with pytest.raises(ClientException) as raised:
        roles.create_service_linked_role(rm.CreateServiceLinkedRoleRequest(service_name="nope.aliyuncs.com"))
    assert (raised.value.code, raised.value.status_code) == ("EntityNotExist.Service", 404)


def test_get_role_absent_not_found(roles: Client) -> None:
    with pytest.raises(ClientException) as raised:
        roles.get_role(rm.GetRoleRequest(role_name=ROLE_NAME))
    assert (raised.value.code, raised.value.status_code) == ("EntityNotExist.Role", 404)


def test_get_role_name_with_invalid_characters_refused(roles: Client) -> None:
    # Role names hold letters, digits, "." and "-" only.
    with pytest.raises(ClientException) as raised:
        roles.get_role(rm.GetRoleRequest(role_name="eas role!"))
    assert (raised.value.code, raised.value.status_code) == ("InvalidParameter.RoleName.InvalidChars", 400)


def test_delete_service_linked_role_absent_not_found(roles: Client) -> None:
    with pytest.raises(ClientException) as raised:
        _delete(roles)
    assert (raised.value.code, raised.value.status_code) == ("EntityNotExist.Role", 404)


def test_delete_service_linked_role_in_progress_while_pending(
    emulator: EmulatorControl, roles: Client
) -> None:
    emulator.set_pace("instant", **{DELETE_KEY: 60})
    _create(roles)
    task_id = _delete(roles)
    assert task_id.startswith("deletion-task/") and len(task_id) >= 26
    assert _status(roles, task_id).status == "IN_PROGRESS"


def test_get_role_shows_pending_deletion_task(emulator: EmulatorControl, roles: Client) -> None:
    emulator.set_pace("instant", **{DELETE_KEY: 60})
    _create(roles)
    task_id = _delete(roles)
    role = roles.get_role(rm.GetRoleRequest(role_name=ROLE_NAME)).body.role
    assert role.latest_deletion_task.deletion_task_id == task_id


def test_delete_service_linked_role_succeeds_after_duration(emulator: EmulatorControl, roles: Client) -> None:
    emulator.set_pace("instant", **{DELETE_KEY: 0.3})
    _create(roles)
    task_id = _delete(roles)
    wait_until(lambda: _status(roles, task_id).status == "SUCCEEDED", timeout=5, message="deletion SUCCEEDED")
    with pytest.raises(ClientException) as raised:
        roles.get_role(rm.GetRoleRequest(role_name=ROLE_NAME))
    assert raised.value.code == "EntityNotExist.Role"


def test_get_deletion_status_vanished_task_not_found(emulator: EmulatorControl, roles: Client) -> None:
    emulator.set_pace("instant", **{DELETE_KEY: 60})
    _create(roles)
    task_id = _delete(roles)
    emulator.admin("resourcemanager", "forget_deletion_task", deletion_task_id=task_id)
    with pytest.raises(ClientException) as raised:
        _status(roles, task_id)
    assert (raised.value.code, raised.value.status_code) == (
        "EntityNotExist.ServiceLinkedRole.DeletionTask",
        404,
    )


def test_get_deletion_status_short_task_id_refused(roles: Client) -> None:
    with pytest.raises(ClientException) as raised:
        _status(roles, "deletion-task/short")
    assert (raised.value.code, raised.value.status_code) == ("InvalidParameter.DeletionTaskId.Length", 400)


def test_list_roles_shows_created_role(roles: Client) -> None:
    _create(roles)
    body = roles.list_roles(rm.ListRolesRequest()).body
    assert (body.total_count, [r.role_name for r in body.roles.role]) == (1, [ROLE_NAME])


def test_delete_service_linked_role_used_by_endpoint_fails(emulator: EmulatorControl, roles: Client) -> None:
    if "privatelink" not in emulator.health()["services"]:
        pytest.skip("the PrivateLink service is not loaded, so nothing can use the role")
    _create(roles)
    endpoint_id = create_eas_endpoint(emulator)
    status = _status(roles, _delete(roles))
    assert status.status == "FAILED"
    usage = status.reason.role_usages.role_usage
    assert [(u.region, u.resources.resource) for u in usage] == [("cn-hangzhou", [endpoint_id])]
    assert roles.get_role(rm.GetRoleRequest(role_name=ROLE_NAME)).body.role.role_name == ROLE_NAME
