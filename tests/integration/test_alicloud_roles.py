"""alicloud.roles (the EAS service-linked role) against the emulator, through the ResourceManager SDK."""

from __future__ import annotations

import pytest

from alicloud import ecs, privatelink, roles
from alicloud.clients import Clients
from alicloud.errors import ConflictError, DependencyViolationError, NotFoundError
from alicloud.privatelink import ZonePlacement
from alicloud.privatelink_wait import wait_for_endpoint_status
from tests.integration.alicloud_support import account_wide, clients_for
from tests.support.emulator_control import EmulatorControl
from tests.support.world import EAS_SERVICE, ROLE_NAME, VPC_ID, VSWITCH_J, ZONE_J


@pytest.fixture
def clients(emulator: EmulatorControl) -> Clients:
    return clients_for(emulator)


def test_create_service_linked_role_creates_the_eas_role(emulator: EmulatorControl, clients: Clients) -> None:
    role = roles.create_service_linked_role(clients)

    assert role.role_name == ROLE_NAME and role.is_service_linked_role
    assert ROLE_NAME.lower() in account_wide(emulator, "resourcemanager")["roles"]


def test_create_service_linked_role_twice_is_a_conflict(clients: Clients) -> None:
    roles.create_service_linked_role(clients)

    with pytest.raises(ConflictError) as raised:
        roles.create_service_linked_role(clients)

    assert raised.value.code == "EntityAlreadyExists.Role"


def test_create_service_linked_role_unknown_service_is_not_found(clients: Clients) -> None:
    with pytest.raises(NotFoundError) as raised:
        roles.create_service_linked_role(clients, service_name="nothing.aliyuncs.com")

    assert raised.value.code == "EntityNotExist.Service"


def test_get_role_reads_the_role(clients: Clients) -> None:
    created = roles.create_service_linked_role(clients)

    role = roles.get_role(clients)

    assert (role.role_id, role.arn, role.pending_deletion_task_id) == (created.role_id, created.arn, "")


def test_get_role_absent_is_not_found(clients: Clients) -> None:
    with pytest.raises(NotFoundError) as raised:
        roles.get_role(clients)

    assert raised.value.code == "EntityNotExist.Role"


def test_delete_service_linked_role_then_the_task_succeeds(
    emulator: EmulatorControl, clients: Clients
) -> None:
    roles.create_service_linked_role(clients)

    task_id = roles.delete_service_linked_role(clients)
    status = roles.wait_for_role_deletion(clients, deletion_task_id=task_id, timeout_s=10)

    assert status.status == "SUCCEEDED"
    assert account_wide(emulator, "resourcemanager")["roles"] == {}


def test_get_service_linked_role_deletion_status_reports_progress(
    emulator: EmulatorControl, clients: Clients
) -> None:
    emulator.set_pace("instant", **{"resourcemanager.role.delete": 30})
    roles.create_service_linked_role(clients)
    task_id = roles.delete_service_linked_role(clients)

    status = roles.get_service_linked_role_deletion_status(clients, deletion_task_id=task_id)

    assert status.status == "IN_PROGRESS"
    assert roles.get_role(clients).pending_deletion_task_id == task_id


def test_wait_for_role_deletion_names_the_resources_that_still_use_the_role(clients: Clients) -> None:
    roles.create_service_linked_role(clients)
    privatelink.open_private_link_service(clients)
    group = ecs.create_security_group(clients, vpc_id=VPC_ID, security_group_name="eas-rg-sg")
    endpoint = privatelink.create_vpc_endpoint(
        clients,
        vpc_id=VPC_ID,
        security_group_ids=[group],
        service_name=EAS_SERVICE,
        zones=[ZonePlacement(ZONE_J, VSWITCH_J)],
    )
    wait_for_endpoint_status(
        clients, endpoint_id=endpoint.endpoint_id, connection_status="Connected", timeout_s=10
    )
    task_id = roles.delete_service_linked_role(clients)

    with pytest.raises(DependencyViolationError) as raised:
        roles.wait_for_role_deletion(clients, deletion_task_id=task_id, timeout_s=10)

    assert endpoint.endpoint_id in str(raised.value)
