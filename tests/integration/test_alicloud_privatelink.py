"""alicloud.privatelink against the emulator, through the PrivateLink SDK."""

from __future__ import annotations

import pytest

from alicloud import ecs, privatelink
from alicloud.clients import Clients
from alicloud.errors import ConflictError, DependencyViolationError, NotFoundError, WaitTimeoutError
from alicloud.privatelink import Endpoint, ZonePlacement
from alicloud.privatelink_wait import (
    wait_for_endpoint_gone,
    wait_for_endpoint_status,
    wait_for_endpoint_zones,
    wait_for_endpoint_zones_gone,
)
from tests.integration.alicloud_support import clients_for, regional, unique
from tests.support.emulator_control import EmulatorControl
from tests.support.world import EAS_SERVICE, VPC_ID, VSWITCH_J, VSWITCH_K, ZONE_J, ZONE_K


@pytest.fixture
def clients(emulator: EmulatorControl) -> Clients:
    clients = clients_for(emulator)
    privatelink.open_private_link_service(clients)
    return clients


@pytest.fixture
def group(clients: Clients) -> str:
    return ecs.create_security_group(clients, vpc_id=VPC_ID, security_group_name=unique("eas-rg-sg"))


@pytest.fixture
def endpoint(clients: Clients, group: str) -> Endpoint:
    created = privatelink.create_vpc_endpoint(
        clients,
        vpc_id=VPC_ID,
        security_group_ids=[group],
        service_name=EAS_SERVICE,
        zones=[ZonePlacement(ZONE_J, VSWITCH_J)],
        endpoint_name=unique("eas-rg-ep"),
    )
    return wait_for_endpoint_status(clients, endpoint_id=created.endpoint_id, timeout_s=10)


def _endpoint_record(emulator: EmulatorControl, endpoint_id: str) -> dict[str, object]:
    (record,) = [e for e in regional(emulator, "privatelink")["endpoints"] if e["endpoint_id"] == endpoint_id]
    return dict(record)


def test_check_product_open_before_activation_is_false(emulator: EmulatorControl) -> None:
    assert privatelink.check_product_open(clients_for(emulator)) is False


def test_open_private_link_service_activates_the_account(emulator: EmulatorControl) -> None:
    clients = clients_for(emulator)

    order_id = privatelink.open_private_link_service(clients)

    assert order_id and regional(emulator, "privatelink")["activated"] is True
    assert privatelink.check_product_open(clients) is True


def test_open_private_link_service_twice_is_a_conflict(clients: Clients) -> None:
    with pytest.raises(ConflictError) as raised:
        privatelink.open_private_link_service(clients)

    assert raised.value.code == "OrderOpend"


def test_list_vpc_endpoint_services_by_end_user_finds_the_eas_service(clients: Clients) -> None:
    (service,) = privatelink.list_vpc_endpoint_services_by_end_user(clients, service_name=EAS_SERVICE)

    assert service.service_name == EAS_SERVICE and ZONE_J in service.zones and service.auto_accept


def test_list_vpc_endpoint_services_lists_only_services_the_account_owns(clients: Clients) -> None:
    assert privatelink.list_vpc_endpoint_services(clients) == []


def test_create_vpc_endpoint_starts_creating(emulator: EmulatorControl, clients: Clients, group: str) -> None:
    name = unique("eas-rg-ep")

    created = privatelink.create_vpc_endpoint(
        clients, vpc_id=VPC_ID, security_group_ids=[group], service_name=EAS_SERVICE, endpoint_name=name
    )

    assert created.endpoint_id.startswith("ep-") and created.endpoint_status == "Creating"
    assert _endpoint_record(emulator, created.endpoint_id)["endpoint_name"] == name


def test_create_vpc_endpoint_same_client_token_returns_the_same_endpoint(
    emulator: EmulatorControl, clients: Clients, group: str
) -> None:
    def create() -> Endpoint:
        return privatelink.create_vpc_endpoint(
            clients,
            vpc_id=VPC_ID,
            security_group_ids=[group],
            service_name=EAS_SERVICE,
            endpoint_name="eas-rg-ep",
            client_token="onboard-1-endpoint",
        )

    first, second = create(), create()

    assert first.endpoint_id == second.endpoint_id
    assert len(regional(emulator, "privatelink")["endpoints"]) == 1


def test_wait_for_endpoint_status_reaches_active_and_connected(clients: Clients, endpoint: Endpoint) -> None:
    ready = wait_for_endpoint_status(
        clients, endpoint_id=endpoint.endpoint_id, connection_status="Connected", timeout_s=10
    )

    assert (ready.endpoint_status, ready.connection_status) == ("Active", "Connected")


def test_list_vpc_endpoints_finds_the_endpoint_by_name(clients: Clients, endpoint: Endpoint) -> None:
    (found,) = privatelink.list_vpc_endpoints(clients, vpc_id=VPC_ID, endpoint_name=endpoint.endpoint_name)

    assert found.endpoint_id == endpoint.endpoint_id


def test_get_vpc_endpoint_attribute_unknown_is_not_found(clients: Clients) -> None:
    with pytest.raises(NotFoundError) as raised:
        privatelink.get_vpc_endpoint_attribute(clients, endpoint_id="ep-doesnotexist0000000")

    assert raised.value.code == "EndpointNotFound"


def test_update_vpc_endpoint_attribute_renames(
    emulator: EmulatorControl, clients: Clients, endpoint: Endpoint
) -> None:
    privatelink.update_vpc_endpoint_attribute(
        clients, endpoint_id=endpoint.endpoint_id, endpoint_name="eas-rg-renamed"
    )

    assert _endpoint_record(emulator, endpoint.endpoint_id)["endpoint_name"] == "eas-rg-renamed"


def test_attach_security_group_to_vpc_endpoint_adds_it(clients: Clients, endpoint: Endpoint) -> None:
    second = ecs.create_security_group(clients, vpc_id=VPC_ID, security_group_name=unique("eas-rg-sg"))

    privatelink.attach_security_group_to_vpc_endpoint(
        clients, endpoint_id=endpoint.endpoint_id, security_group_id=second
    )
    wait_for_endpoint_status(clients, endpoint_id=endpoint.endpoint_id, timeout_s=10)

    groups = privatelink.list_vpc_endpoint_security_groups(clients, endpoint_id=endpoint.endpoint_id)
    assert {(g.security_group_id, g.status) for g in groups} >= {(second, "Attached")}


def test_detach_security_group_from_vpc_endpoint_removes_it(
    clients: Clients, endpoint: Endpoint, group: str
) -> None:
    second = ecs.create_security_group(clients, vpc_id=VPC_ID, security_group_name=unique("eas-rg-sg"))
    privatelink.attach_security_group_to_vpc_endpoint(
        clients, endpoint_id=endpoint.endpoint_id, security_group_id=second
    )
    wait_for_endpoint_status(clients, endpoint_id=endpoint.endpoint_id, timeout_s=10)

    privatelink.detach_security_group_from_vpc_endpoint(
        clients, endpoint_id=endpoint.endpoint_id, security_group_id=second
    )
    wait_for_endpoint_status(clients, endpoint_id=endpoint.endpoint_id, timeout_s=10)

    groups = privatelink.list_vpc_endpoint_security_groups(clients, endpoint_id=endpoint.endpoint_id)
    assert [g.security_group_id for g in groups] == [group]


def test_detach_the_last_security_group_is_a_dependency_violation(
    clients: Clients, endpoint: Endpoint, group: str
) -> None:
    with pytest.raises(DependencyViolationError) as raised:
        privatelink.detach_security_group_from_vpc_endpoint(
            clients, endpoint_id=endpoint.endpoint_id, security_group_id=group
        )

    assert raised.value.code == "EndpointMustContainSecurityGroup"


def test_add_zone_to_vpc_endpoint_then_every_zone_is_ready(clients: Clients, endpoint: Endpoint) -> None:
    privatelink.add_zone_to_vpc_endpoint(
        clients, endpoint_id=endpoint.endpoint_id, zone_id=ZONE_K, vswitch_id=VSWITCH_K
    )

    zones = wait_for_endpoint_zones(
        clients, endpoint_id=endpoint.endpoint_id, zone_ids=[ZONE_J, ZONE_K], timeout_s=10
    )

    assert {z.zone_id for z in zones} == {ZONE_J, ZONE_K}
    assert all(z.zone_status in ("Wait", "Connected") and z.eni_id.startswith("eni-") for z in zones)


def test_list_vpc_endpoint_zones_shows_the_vswitch_and_address(clients: Clients, endpoint: Endpoint) -> None:
    (zone,) = privatelink.list_vpc_endpoint_zones(clients, endpoint_id=endpoint.endpoint_id)

    assert (zone.zone_id, zone.vswitch_id) == (ZONE_J, VSWITCH_J) and zone.eni_ip.startswith("192.168.1.")


def test_remove_zone_from_vpc_endpoint_then_the_zone_is_gone(clients: Clients, endpoint: Endpoint) -> None:
    privatelink.remove_zone_from_vpc_endpoint(clients, endpoint_id=endpoint.endpoint_id, zone_id=ZONE_J)

    wait_for_endpoint_zones_gone(clients, endpoint_id=endpoint.endpoint_id, timeout_s=10)

    assert privatelink.list_vpc_endpoint_zones(clients, endpoint_id=endpoint.endpoint_id) == []


def test_delete_vpc_endpoint_with_zones_is_a_dependency_violation(
    clients: Clients, endpoint: Endpoint
) -> None:
    with pytest.raises(DependencyViolationError) as raised:
        privatelink.delete_vpc_endpoint(clients, endpoint_id=endpoint.endpoint_id)

    assert raised.value.code == "EndpointDependenceViolation"


def test_delete_vpc_endpoint_then_it_is_gone(
    emulator: EmulatorControl, clients: Clients, endpoint: Endpoint
) -> None:
    privatelink.remove_zone_from_vpc_endpoint(clients, endpoint_id=endpoint.endpoint_id, zone_id=ZONE_J)
    wait_for_endpoint_zones_gone(clients, endpoint_id=endpoint.endpoint_id, timeout_s=10)

    privatelink.delete_vpc_endpoint(clients, endpoint_id=endpoint.endpoint_id)
    wait_for_endpoint_gone(clients, endpoint_id=endpoint.endpoint_id, timeout_s=10)

    assert regional(emulator, "privatelink")["endpoints"] == []


def test_wait_for_endpoint_gone_times_out_naming_the_blocking_state(
    emulator: EmulatorControl, clients: Clients, endpoint: Endpoint
) -> None:
    privatelink.remove_zone_from_vpc_endpoint(clients, endpoint_id=endpoint.endpoint_id, zone_id=ZONE_J)
    wait_for_endpoint_zones_gone(clients, endpoint_id=endpoint.endpoint_id, timeout_s=10)
    emulator.set_pace("instant", **{"privatelink.endpoint.delete": 60})
    privatelink.delete_vpc_endpoint(clients, endpoint_id=endpoint.endpoint_id)

    with pytest.raises(WaitTimeoutError) as raised:
        wait_for_endpoint_gone(clients, endpoint_id=endpoint.endpoint_id, timeout_s=1)

    assert raised.value.message.startswith(f"blocked: {endpoint.endpoint_id} in Deleting since ")


def test_create_vpc_endpoint_as_the_eas_role_by_service_name(emulator: EmulatorControl, group: str) -> None:
    role = clients_for(emulator, "eas-role-sts", as_role=True)

    created = privatelink.create_vpc_endpoint(
        role,
        vpc_id=VPC_ID,
        security_group_ids=[group],
        service_name=EAS_SERVICE,
        endpoint_name=unique("eas-rg-ep"),
    )

    assert _endpoint_record(emulator, created.endpoint_id)["service_name"] == EAS_SERVICE
