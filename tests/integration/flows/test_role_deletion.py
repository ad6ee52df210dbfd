"""Deleting the EAS service-linked role: refused while groups use it, tearing them down first when
asked, one delete call that is never retried, failures that name what still uses the role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound

from alicloud import ecs, privatelink, roles
from alicloud.privatelink import ZonePlacement
from blocks.credentials import AlibabaCloudCredentials
from blocks.record import ResourceGroupRecord
from flows.onboarding import onboard_resource_group
from flows.role_deletion import RoleDeletionError, RoleInUseError, delete_service_linked_role_flow
from flows.spec import ResourceGroupSpec
from tests.integration.flows.cloud_state import leftovers, one_endpoint
from tests.support.emulator_control import EmulatorControl
from tests.support.world import ACCOUNT_ID, EAS_SERVICE, ROLE_NAME, VPC_ID, VSWITCH_J, ZONE_J

TASK_NOT_FOUND = {
    "action": "GetServiceLinkedRoleDeletionStatus",
    "code": "EntityNotExist.ServiceLinkedRole.DeletionTask",
    "status": 404,
    "message": "The deletion task of the service-linked role does not exist",
    "times": 10,
}


@pytest.fixture
def spec(make_spec: Callable[..., ResourceGroupSpec]) -> ResourceGroupSpec:
    """One endpoint is enough here (the full example is torn down in test_teardown.py)."""
    return one_endpoint(make_spec)


def _role_exists(emulator: EmulatorControl) -> bool:
    return ROLE_NAME.lower() in emulator.state()[ACCOUNT_ID]["account"]["resourcemanager"]["roles"]


def _delete_calls(emulator: EmulatorControl) -> list[str | None]:
    return [c["code"] for c in emulator.calls(action="DeleteServiceLinkedRole")]


def _endpoint_made_outside_eas_rg(credentials: AlibabaCloudCredentials) -> str:
    """An endpoint to the PAI-EAS service without eas-rg's tags (say, made in the console)."""
    clients = credentials.get_clients()
    privatelink.open_private_link_service(clients)
    group = ecs.create_security_group(clients, vpc_id=VPC_ID, security_group_name="console-made")
    endpoint = privatelink.create_vpc_endpoint(
        clients,
        vpc_id=VPC_ID,
        security_group_ids=[group],
        service_name=EAS_SERVICE,
        zones=[ZonePlacement(zone_id=ZONE_J, vswitch_id=VSWITCH_J)],
    )
    return endpoint.endpoint_id


def test_delete_service_linked_role_refuses_a_mistyped_confirmation(
    emulator: EmulatorControl, credentials_block: str
) -> None:
    with pytest.raises(ValueError, match=f"confirm_role_name: .* type the role name exactly, {ROLE_NAME}"):
        delete_service_linked_role_flow(ROLE_NAME.lower(), credentials_block=credentials_block)

    assert emulator.calls() == []


def test_delete_service_linked_role_refused_while_groups_remain(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)

    refusal = rf"still used by 1 resource group\(s\): {spec.name} "
    with pytest.raises(RoleInUseError, match=refusal) as refused:
        delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)

    assert refused.value.summary is not None and refused.value.summary.status == "refused"
    assert _delete_calls(emulator) == []
    assert _role_exists(emulator)


def test_delete_service_linked_role_tears_remaining_groups_down_first(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    onboard_resource_group(spec, credentials_block=credentials_block)

    summary = delete_service_linked_role_flow(
        ROLE_NAME, teardown_groups=True, credentials_block=credentials_block
    )

    assert summary.status == "deleted"
    assert not _role_exists(emulator)
    assert set(leftovers(emulator.state(), spec)) == {"log projects", "logstores", "indexes"}


def test_delete_service_linked_role_fails_once_naming_role_usages(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials, credentials_block: str
) -> None:
    endpoint_id = _endpoint_made_outside_eas_rg(credentials)
    roles.create_service_linked_role(credentials.get_clients())

    with pytest.raises(RoleInUseError, match=rf"not retried: .*{endpoint_id} in cn-hangzhou .*Tear those"):
        delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)

    assert _delete_calls(emulator) == [None]
    assert _role_exists(emulator)


def test_delete_service_linked_role_after_a_failed_deletion_requests_a_new_one(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials, credentials_block: str
) -> None:
    endpoint_id = _endpoint_made_outside_eas_rg(credentials)
    clients = credentials.get_clients()
    roles.create_service_linked_role(clients)
    with pytest.raises(RoleInUseError):
        delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)
    assert roles.get_role(clients).pending_deletion_task_id  # the role still names the failed task
    privatelink.remove_zone_from_vpc_endpoint(clients, endpoint_id=endpoint_id, zone_id=ZONE_J)
    privatelink.delete_vpc_endpoint(clients, endpoint_id=endpoint_id)

    summary = delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)

    assert summary.status == "deleted"
    assert _delete_calls(emulator) == [None, None]
    assert not _role_exists(emulator)


def test_delete_service_linked_role_unanswered_after_a_failed_one_does_not_report_the_old_task(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials, credentials_block: str
) -> None:
    """A request refused without an answer, while the role still names an earlier failed task: that
    task is not this request's, so its stale usages are not reported and nothing is sent again."""
    endpoint_id = _endpoint_made_outside_eas_rg(credentials)
    clients = credentials.get_clients()
    roles.create_service_linked_role(clients)
    with pytest.raises(RoleInUseError):
        delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)
    privatelink.remove_zone_from_vpc_endpoint(clients, endpoint_id=endpoint_id, zone_id=ZONE_J)
    privatelink.delete_vpc_endpoint(clients, endpoint_id=endpoint_id)
    emulator.add_fault(action="DeleteServiceLinkedRole", code="ServiceUnavailable", status=503, times=1)

    with pytest.raises(RoleDeletionError, match="it was not sent again") as raised:
        delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)

    assert not isinstance(raised.value, RoleInUseError)
    assert _delete_calls(emulator) == [None, "ServiceUnavailable"]
    assert _role_exists(emulator)


def test_delete_service_linked_role_whose_task_vanished_after_the_role_went(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials, credentials_block: str
) -> None:
    roles.create_service_linked_role(credentials.get_clients())
    emulator.add_fault(**TASK_NOT_FOUND)

    summary = delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)

    assert summary.status == "deleted"
    assert "no longer listed" in summary.resources[-1].detail
    assert _delete_calls(emulator) == [None]
    assert not _role_exists(emulator)


def test_delete_service_linked_role_whose_task_vanished_while_the_role_stays(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials, credentials_block: str
) -> None:
    roles.create_service_linked_role(credentials.get_clients())
    emulator.set_pace("instant", **{"resourcemanager.role.delete": 3600.0})
    emulator.add_fault(**TASK_NOT_FOUND)

    with pytest.raises(RoleDeletionError, match="vanished and .* still exists; nothing was retried"):
        delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)

    assert _delete_calls(emulator) == [None]
    assert _role_exists(emulator)


def test_delete_service_linked_role_answer_lost_is_not_sent_again(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials, credentials_block: str
) -> None:
    """The service takes the deletion but the answer never arrives: the task it started fails on the
    role's usage, and the flow fails once on that, without a second DeleteServiceLinkedRole."""
    endpoint_id = _endpoint_made_outside_eas_rg(credentials)
    roles.create_service_linked_role(credentials.get_clients())
    emulator.set_pace("instant", **{"resourcemanager.role.delete": 1.0})  # still pending when read
    emulator.add_fault(action="DeleteServiceLinkedRole", drop_response=True, times=1)

    with pytest.raises(RoleInUseError, match=rf"{endpoint_id} in cn-hangzhou"):
        delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)

    assert len(_delete_calls(emulator)) == 1
    assert _role_exists(emulator)


def test_delete_service_linked_role_answer_lost_after_the_role_went_ends_deleted(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials, credentials_block: str
) -> None:
    roles.create_service_linked_role(credentials.get_clients())
    emulator.add_fault(action="DeleteServiceLinkedRole", drop_response=True, times=1)

    summary = delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)

    assert summary.status == "deleted"
    assert len(_delete_calls(emulator)) == 1
    assert not _role_exists(emulator)


def _forget_every_record() -> None:
    """A Prefect server that never saw an onboarding: the record's block type is not registered."""
    with get_client(sync_client=True) as client:
        try:
            block_type = client.read_block_type_by_slug(ResourceGroupRecord.get_block_type_slug())
        except ObjectNotFound:
            return
        client.delete_block_type(block_type.id)


def test_delete_service_linked_role_on_a_server_without_records_deletes_the_role(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials, credentials_block: str
) -> None:
    roles.create_service_linked_role(credentials.get_clients())
    _forget_every_record()

    summary = delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)

    assert summary.status == "deleted"
    assert not _role_exists(emulator)
