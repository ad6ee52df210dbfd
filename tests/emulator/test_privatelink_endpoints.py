"""PrivateLink activation, services and endpoints through ``alibabacloud_privatelink20200415``."""

from __future__ import annotations

import pytest
from alibabacloud_privatelink20200415 import models as pl
from alibabacloud_privatelink20200415.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException

from tests.emulator.network_sdk import (
    attribute,
    create_endpoint,
    create_group,
    in_order,
    observe,
    privatelink,
    refused,
    wait_active,
    zone,
)
from tests.support.emulator_control import EmulatorControl
from tests.support.polling import wait_until
from tests.support.world import (
    CR_SERVICE,
    EAS_SERVICE,
    FOREIGN_VSWITCH_J,
    LOG_SERVICE,
    REGION,
    VPC_ID,
    VSWITCH_K,
    ZONE_H_ONLY_SERVICE,
    ZONE_J,
    ZONE_K,
)


@pytest.fixture
def client(emulator: EmulatorControl) -> Client:
    return privatelink(emulator)


@pytest.fixture
def group(emulator: EmulatorControl) -> str:
    return create_group(emulator)


def _gone(client: Client, endpoint_id: str) -> bool:
    try:
        attribute(client, endpoint_id)
    except ClientException as error:
        return bool(error.code == "EndpointNotFound")
    return False


# -- activation -------------------------------------------------------------------------------------


def test_check_product_open_before_activation_answers_need_open_product(emulator: EmulatorControl) -> None:
    error = refused(privatelink(emulator, activate=False).check_product_open)
    assert (error.code, error.status_code) == ("NeedOpenProduct", 400)


def test_open_private_link_service_then_check_product_open_succeeds(emulator: EmulatorControl) -> None:
    client = privatelink(emulator, activate=False)
    assert client.open_private_link_service(pl.OpenPrivateLinkServiceRequest()).body.order_id
    assert client.check_product_open().body.success is True


def test_open_private_link_service_twice_answers_order_opend(client: Client) -> None:
    error = refused(client.open_private_link_service, pl.OpenPrivateLinkServiceRequest())
    assert (error.code, error.status_code) == ("OrderOpend", 400)


def test_create_vpc_endpoint_before_activation_answers_need_open_product(
    emulator: EmulatorControl, group: str
) -> None:
    error = refused(create_endpoint, privatelink(emulator, activate=False), [group])
    assert (error.code, error.status_code) == ("NeedOpenProduct", 400)


# -- endpoint services --------------------------------------------------------------------------------


def test_list_vpc_endpoint_services_lists_only_the_account_s_own_services(client: Client) -> None:
    body = client.list_vpc_endpoint_services(pl.ListVpcEndpointServicesRequest(region_id=REGION)).body
    assert (body.services, body.total_count) == ([], 0)


def test_list_vpc_endpoint_services_by_end_user_finds_a_service_by_name(client: Client) -> None:
    request = pl.ListVpcEndpointServicesByEndUserRequest(region_id=REGION, service_name=EAS_SERVICE)
    body = client.list_vpc_endpoint_services_by_end_user(request).body
    (service,) = body.services
    assert (service.service_id, service.zones, service.auto_accept_enabled) == (
        "epsrv-bp1paieas000000001",
        ["cn-hangzhou-h", "cn-hangzhou-j", "cn-hangzhou-k"],
        True,
    )
    assert body.total_count == "1"  # a string in this action's model


def test_list_vpc_endpoint_services_by_end_user_pages_with_next_token(client: Client) -> None:
    request = pl.ListVpcEndpointServicesByEndUserRequest(region_id=REGION, max_results=3)
    first = client.list_vpc_endpoint_services_by_end_user(request).body
    request.next_token = first.next_token
    second = client.list_vpc_endpoint_services_by_end_user(request).body
    names = [s.service_name for s in first.services + second.services]
    assert (len(first.services), second.next_token, len(set(names))) == (3, "", 4)


# -- create, get, list, update, delete -------------------------------------------------------------------


def test_create_vpc_endpoint_becomes_active_then_connected(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    emulator.set_pace("fast")
    created = create_endpoint(client, [group], [zone()], endpoint_name="eas-rg-link")
    assert (created.endpoint_status, created.connection_status) == ("Creating", "Disconnected")

    def state() -> tuple[str, str]:
        body = attribute(client, created.endpoint_id)
        return body.endpoint_status, body.connection_status

    seen = observe(state, ("Active", "Connected"))
    assert in_order(
        seen,
        [
            ("Creating", "Disconnected"),
            ("Active", "Disconnected"),
            ("Active", "Connecting"),
            ("Active", "Connected"),
        ],
    )


def test_get_vpc_endpoint_attribute_returns_every_field(client: Client, group: str) -> None:
    created = create_endpoint(client, [group], endpoint_name="eas-rg-link", endpoint_description="to PAI-EAS")
    body = attribute(client, created.endpoint_id)
    assert (
        body.endpoint_domain
        == f"{created.endpoint_id}.epsrv-bp1paieas000000001.{REGION}.privatelink.aliyuncs.com"
    )
    assert (
        body.endpoint_name,
        body.endpoint_description,
        body.vpc_id,
        body.endpoint_type,
        body.region_id,
    ) == ("eas-rg-link", "to PAI-EAS", VPC_ID, "Interface", REGION)
    assert (body.zone_private_ip_address_count, body.resource_owner, body.endpoint_business_status) == (
        1,
        False,
        "Normal",
    )


def test_get_vpc_endpoint_attribute_unknown_answers_endpoint_not_found(client: Client) -> None:
    error = refused(attribute, client, "ep-doesnotexist000000000")
    assert (error.code, error.status_code) == ("EndpointNotFound", 400)


def test_create_vpc_endpoint_unknown_service_answers_endpoint_service_not_found(
    client: Client, group: str
) -> None:
    error = refused(create_endpoint, client, [group], service="com.aliyuncs.privatelink.cn-hangzhou.nothing")
    assert (error.code, error.status_code) == ("EndpointServiceNotFound", 400)


@pytest.mark.parametrize("name", ["eas.rg", "1eas", "e", "eas rg"])
def test_create_vpc_endpoint_name_outside_the_documented_syntax_is_refused(
    client: Client, group: str, name: str
) -> None:
    # 2-128 characters, starting with a letter or a Chinese character; digits, "-" and "_" only.
    error = refused(create_endpoint, client, [group], endpoint_name=name)
    assert (error.code, error.status_code) == ("IllegalParam.EndpointName", 400)


def test_create_vpc_endpoint_name_with_digits_hyphens_and_underscores_is_accepted(
    client: Client, group: str
) -> None:
    assert create_endpoint(client, [group], endpoint_name="eas-rg_demo2").endpoint_name == "eas-rg_demo2"


def test_create_vpc_endpoint_without_security_group_is_refused(client: Client) -> None:
    assert refused(create_endpoint, client, []).code == "EndpointMustContainSecurityGroup"


def test_create_vpc_endpoint_with_unknown_security_group_is_refused(client: Client) -> None:
    assert refused(create_endpoint, client, ["sg-doesnotexist0000000"]).code == "SecurityGroupNotFound"


def test_create_vpc_endpoint_vswitch_of_another_vpc_answers_vswitch_not_found(
    client: Client, group: str
) -> None:
    error = refused(create_endpoint, client, [group], [zone(ZONE_J, FOREIGN_VSWITCH_J)])
    assert error.code == "VSwitchNotFound"


def test_create_vpc_endpoint_zone_the_service_lacks_answers_not_supported_zone(
    client: Client, group: str
) -> None:
    error = refused(create_endpoint, client, [group], [zone()], service=ZONE_H_ONLY_SERVICE)
    assert error.code == "EndpointServiceNotSupportedZone"


def test_create_vpc_endpoint_second_for_one_service_answers_endpoint_duplicated(
    client: Client, group: str
) -> None:
    create_endpoint(client, [group])
    assert refused(create_endpoint, client, [group]).code == "EndpointDuplicated"


def test_create_vpc_endpoint_over_the_vpc_quota_answers_quota_exceeded(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    emulator.admin("privatelink", "set_quota", name="totalEpPerVpc", value=1)
    create_endpoint(client, [group])
    error = refused(create_endpoint, client, [group], service=LOG_SERVICE)
    assert (error.code, error.status_code) == ("QuotaExceeded.totalEpPerVpc", 400)
    assert "The quota of totalEpPerVpc is exceeded, usage 2/1." in error.message


def test_create_vpc_endpoint_over_the_zone_quota_answers_quota_exceeded(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    emulator.admin("privatelink", "set_quota", name="epZonePerEndpoint", value=1)
    error = refused(create_endpoint, client, [group], [zone(), zone(ZONE_K, VSWITCH_K)])
    assert error.code == "QuotaExceeded.epZonePerEndpoint"


def test_create_vpc_endpoint_replayed_with_its_client_token_returns_the_same_endpoint(
    client: Client, group: str
) -> None:
    first = create_endpoint(client, [group], [zone()], client_token="onboard-eas-rg-1")
    again = create_endpoint(client, [group], [zone()], client_token="onboard-eas-rg-1")
    listed = client.list_vpc_endpoints(pl.ListVpcEndpointsRequest(region_id=REGION)).body
    assert (again.endpoint_id, listed.total_count) == (first.endpoint_id, 1)


def test_create_vpc_endpoint_reused_token_with_other_parameters_is_refused(
    client: Client, group: str
) -> None:
    create_endpoint(client, [group], client_token="onboard-eas-rg-1")
    error = refused(create_endpoint, client, [group], service=LOG_SERVICE, client_token="onboard-eas-rg-1")
    assert (error.code, error.status_code) == ("IdempotentParameterMismatch", 400)


def test_create_vpc_endpoint_dry_run_answers_dry_run_operation_and_creates_nothing(
    client: Client, group: str
) -> None:
    error = refused(create_endpoint, client, [group], [zone()], dry_run=True)
    assert (error.code, error.status_code) == ("DryRunOperation", 400)
    assert client.list_vpc_endpoints(pl.ListVpcEndpointsRequest(region_id=REGION)).body.total_count == 0


def test_list_vpc_endpoints_pages_with_next_token(client: Client, group: str) -> None:
    for service in (EAS_SERVICE, LOG_SERVICE, CR_SERVICE):
        create_endpoint(client, [group], service=service)
    request = pl.ListVpcEndpointsRequest(region_id=REGION, max_results=2)
    first = client.list_vpc_endpoints(request).body
    request.next_token = first.next_token
    second = client.list_vpc_endpoints(request).body
    assert ([len(first.endpoints), len(second.endpoints)], first.total_count, second.next_token) == (
        [2, 1],
        3,
        "",
    )


def test_list_vpc_endpoints_filters_by_tag_and_returns_tags(client: Client, group: str) -> None:
    tag = pl.CreateVpcEndpointRequestTag(key="eas-rg", value="demo")
    tagged = create_endpoint(client, [group], tag=[tag]).endpoint_id
    create_endpoint(client, [group], service=LOG_SERVICE)
    request = pl.ListVpcEndpointsRequest(region_id=REGION, tag=[pl.ListVpcEndpointsRequestTag(key="eas-rg")])
    (found,) = client.list_vpc_endpoints(request).body.endpoints
    assert (found.endpoint_id, [(t.key, t.value) for t in found.tags]) == (tagged, [("eas-rg", "demo")])


def test_update_vpc_endpoint_attribute_renames_the_endpoint(client: Client, group: str) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    request = pl.UpdateVpcEndpointAttributeRequest(
        region_id=REGION, endpoint_id=endpoint_id, endpoint_name="eas-rg-renamed"
    )
    client.update_vpc_endpoint_attribute(request)
    assert attribute(client, endpoint_id).endpoint_name == "eas-rg-renamed"


def test_update_vpc_endpoint_attribute_while_creating_answers_operation_denied(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    emulator.set_pace("fast", **{"privatelink.endpoint.create": 30})
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    request = pl.UpdateVpcEndpointAttributeRequest(
        region_id=REGION, endpoint_id=endpoint_id, endpoint_name="x-y"
    )
    error = refused(client.update_vpc_endpoint_attribute, request)
    assert (error.code, error.status_code) == ("EndpointOperationDenied", 400)


def test_update_vpc_endpoint_attribute_while_connecting_is_refused(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    emulator.set_pace("fast", **{"privatelink.connection.accept": 30})
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    wait_until(lambda: attribute(client, endpoint_id).connection_status == "Connecting", message="Connecting")
    request = pl.UpdateVpcEndpointAttributeRequest(
        region_id=REGION, endpoint_id=endpoint_id, endpoint_name="x-y"
    )
    assert refused(client.update_vpc_endpoint_attribute, request).code == "EndpointConnectionOperationDenied"


def test_delete_vpc_endpoint_goes_deleting_then_not_found(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    emulator.set_pace("fast")
    client.delete_vpc_endpoint(pl.DeleteVpcEndpointRequest(region_id=REGION, endpoint_id=endpoint_id))
    assert attribute(client, endpoint_id).endpoint_status == "Deleting"
    wait_until(lambda: _gone(client, endpoint_id), message="EndpointNotFound")


def test_delete_vpc_endpoint_with_zones_answers_dependence_violation(client: Client, group: str) -> None:
    endpoint_id = create_endpoint(client, [group], [zone()]).endpoint_id
    error = refused(
        client.delete_vpc_endpoint, pl.DeleteVpcEndpointRequest(region_id=REGION, endpoint_id=endpoint_id)
    )
    assert (error.code, error.status_code) == ("EndpointDependenceViolation", 400)


def test_delete_vpc_endpoint_stuck_stays_deleting_until_unstuck(
    emulator: EmulatorControl, client: Client, group: str
) -> None:
    endpoint_id = create_endpoint(client, [group]).endpoint_id
    emulator.set_pace("fast")
    emulator.admin("privatelink", "stick_endpoint", endpoint_id=endpoint_id)
    client.delete_vpc_endpoint(pl.DeleteVpcEndpointRequest(region_id=REGION, endpoint_id=endpoint_id))
    later = emulator.clock() + 1.0  # well past the fast delete duration
    wait_until(lambda: emulator.clock() > later, message="the delete duration to pass")
    assert attribute(client, endpoint_id).endpoint_status == "Deleting"
    emulator.admin("privatelink", "unstick_endpoint", endpoint_id=endpoint_id)
    wait_until(lambda: _gone(client, endpoint_id), message="EndpointNotFound")


def test_create_vpc_endpoint_as_the_eas_role_succeeds(emulator: EmulatorControl, group: str) -> None:
    privatelink(emulator)
    role = privatelink(emulator, key="eas-role", activate=False)
    endpoint_id = create_endpoint(role, [group], [zone()]).endpoint_id
    wait_active(role, endpoint_id)
    assert attribute(role, endpoint_id).service_name == EAS_SERVICE


def test_list_vpc_endpoint_services_by_end_user_as_the_eas_role_is_denied(emulator: EmulatorControl) -> None:
    role = privatelink(emulator, key="eas-role", activate=False)
    request = pl.ListVpcEndpointServicesByEndUserRequest(region_id=REGION)
    assert refused(role.list_vpc_endpoint_services_by_end_user, request).status_code == 403
