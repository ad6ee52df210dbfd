"""PrivateZone (pvtz 2018-01-01), driven by ``alibabacloud_pvtz20180101.client.Client``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from alibabacloud_pvtz20180101 import models as pvtz
from alibabacloud_pvtz20180101.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException

from tests.support.emulator_control import EmulatorControl
from tests.support.polling import wait_until
from tests.support.sdk import tea_config
from tests.support.world import ACCOUNT_ID, FOREIGN_VPC_ID, REGION, VPC_ID


def unique_zone() -> str:
    return f"eas-{uuid.uuid4().hex[:8]}.pai-eas.internal"


def error_of(call: Callable[[], Any]) -> ClientException:
    with pytest.raises(ClientException) as caught:
        call()
    return caught.value


def vpcs(*ids: str) -> list[pvtz.BindZoneVpcRequestVpcs]:
    return [pvtz.BindZoneVpcRequestVpcs(region_id=REGION, vpc_id=vpc_id) for vpc_id in ids]


@pytest.fixture
def client(emulator: EmulatorControl) -> Client:
    return Client(tea_config(emulator))


@pytest.fixture
def role(emulator: EmulatorControl) -> Client:
    return Client(tea_config(emulator, key="eas-role-sts"))


@pytest.fixture
def zone_id(client: Client) -> str:
    return str(client.add_zone(pvtz.AddZoneRequest(zone_name=unique_zone())).body.zone_id)


def bound(client: Client, zone_id: str) -> list[str]:
    info = client.describe_zone_info(pvtz.DescribeZoneInfoRequest(zone_id=zone_id)).body
    return [vpc.vpc_id for vpc in info.bind_vpcs.vpc]


def add_a_record(client: Client, zone_id: str, rr: str = "www", ttl: int = 60) -> int:
    request = pvtz.AddZoneRecordRequest(zone_id=zone_id, rr=rr, type="A", value="192.168.1.10", ttl=ttl)
    return int(client.add_zone_record(request).body.record_id)


# ------------------------------------------------------------------------------ zones


def test_add_zone_answers_success_and_the_zone(client: Client) -> None:
    name = unique_zone()
    body = client.add_zone(pvtz.AddZoneRequest(zone_name=name)).body
    assert body.success is True and body.zone_name == name and len(body.zone_id) == 32


def test_add_zone_with_an_invalid_name_is_zone_invalid_name(client: Client) -> None:
    error = error_of(lambda: client.add_zone(pvtz.AddZoneRequest(zone_name="bad_name..internal")))
    assert (error.code, error.status_code) == ("Zone.Invalid.Name", 400)


def test_add_zone_replayed_client_token_returns_the_same_zone(client: Client) -> None:
    request = pvtz.AddZoneRequest(zone_name=unique_zone(), client_token=uuid.uuid4().hex)
    first = client.add_zone(request).body.zone_id
    assert client.add_zone(request).body.zone_id == first
    assert client.describe_zones(pvtz.DescribeZonesRequest()).body.total_items == 1


def test_add_zone_client_token_reused_for_another_zone_is_refused(client: Client) -> None:
    token = uuid.uuid4().hex
    client.add_zone(pvtz.AddZoneRequest(zone_name=unique_zone(), client_token=token))
    error = error_of(
        lambda: client.add_zone(pvtz.AddZoneRequest(zone_name=unique_zone(), client_token=token))
    )
    assert (error.code, error.status_code) == ("IdempotentParameterMismatch", 400)


def test_describe_zones_exact_keyword_finds_the_zone(client: Client, zone_id: str) -> None:
    name = client.describe_zone_info(pvtz.DescribeZoneInfoRequest(zone_id=zone_id)).body.zone_name
    client.add_zone(pvtz.AddZoneRequest(zone_name=f"sub.{name}"))
    found = client.describe_zones(pvtz.DescribeZonesRequest(keyword=name, search_mode="EXACT")).body
    assert [z.zone_id for z in found.zones.zone] == [zone_id]


def test_describe_zone_info_reports_typed_fields(client: Client, zone_id: str) -> None:
    add_a_record(client, zone_id)
    info = client.describe_zone_info(pvtz.DescribeZoneInfoRequest(zone_id=zone_id)).body
    assert (info.record_count, info.is_ptr, info.proxy_pattern) == (1, False, "ZONE")
    assert isinstance(info.create_timestamp, int) and info.create_timestamp > 1_600_000_000_000


def test_describe_zone_info_unknown_zone_is_zone_not_exists(client: Client) -> None:
    error = error_of(lambda: client.describe_zone_info(pvtz.DescribeZoneInfoRequest(zone_id="0" * 32)))
    assert (error.code, error.status_code) == ("Zone.NotExists", 400)


def test_bind_zone_vpc_right_after_add_zone_waits_for_the_zone(
    emulator: EmulatorControl, client: Client
) -> None:
    emulator.set_pace("instant", **{"privatezone.zone.visible": 1.0})
    zone = client.add_zone(pvtz.AddZoneRequest(zone_name=unique_zone())).body.zone_id
    request = pvtz.BindZoneVpcRequest(zone_id=zone, vpcs=vpcs(VPC_ID))
    assert error_of(lambda: client.bind_zone_vpc(request)).code == "Zone.NotExists"
    wait_until(
        lambda: _succeeds(lambda: client.bind_zone_vpc(request), "Zone.NotExists"),
        timeout=5,
        message="zone visible to BindZoneVpc",
    )


def _succeeds(call: Callable[[], Any], transient_code: str) -> bool:
    try:
        call()
    except ClientException as error:
        if error.code == transient_code:
            return False
        raise
    return True


# ------------------------------------------------------------------------------ bindings


def test_bind_zone_vpc_replaces_the_whole_set(client: Client, zone_id: str) -> None:
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=vpcs(VPC_ID, FOREIGN_VPC_ID)))
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=vpcs(FOREIGN_VPC_ID)))
    assert bound(client, zone_id) == [FOREIGN_VPC_ID]


def test_bind_zone_vpc_without_vpcs_unbinds_every_vpc(client: Client, zone_id: str) -> None:
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=vpcs(VPC_ID)))
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=[]))
    assert bound(client, zone_id) == []


def test_describe_zone_info_shows_a_new_binding_after_the_bind_lag(
    emulator: EmulatorControl, client: Client, zone_id: str
) -> None:
    emulator.set_pace("instant", **{"privatezone.bind.visible": 1.0})
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=vpcs(VPC_ID)))
    assert bound(client, zone_id) == []
    wait_until(lambda: bound(client, zone_id) == [VPC_ID], timeout=5, message="binding shown")


def test_describe_zone_info_names_the_bound_vpc(client: Client, zone_id: str) -> None:
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=vpcs(VPC_ID)))
    vpc = client.describe_zone_info(pvtz.DescribeZoneInfoRequest(zone_id=zone_id)).body.bind_vpcs.vpc[0]
    # VpcUserId is an integer in the SDK model (the model layer does no coercion).
    assert (vpc.vpc_name, vpc.region_id, vpc.vpc_type, vpc.vpc_user_id) == (
        "eas-rg-demo",
        REGION,
        "STANDARD",
        int(ACCOUNT_ID),
    )
    assert isinstance(vpc.vpc_user_id, int)


def test_bind_zone_vpc_already_bound_to_a_same_name_zone_is_zone_repeated(client: Client) -> None:
    name = unique_zone()
    first = client.add_zone(pvtz.AddZoneRequest(zone_name=name)).body.zone_id
    second = client.add_zone(pvtz.AddZoneRequest(zone_name=name)).body.zone_id
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=first, vpcs=vpcs(VPC_ID)))
    error = error_of(lambda: client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=second, vpcs=vpcs(VPC_ID))))
    assert (error.code, error.status_code) == ("ZoneVpc.Zone.Repeated", 400)


def test_bind_zone_vpc_unknown_vpc_is_refused(client: Client, zone_id: str) -> None:
    request = pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=vpcs("vpc-bp1doesnotexist00000"))
    error = error_of(lambda: client.bind_zone_vpc(request))
    assert (error.code, error.status_code) == ("ZoneVpc.NotExists.VpcId", 400)


def test_unbinding_own_vpc_keeps_a_foreign_binding(
    emulator: EmulatorControl, client: Client, zone_id: str
) -> None:
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=vpcs(VPC_ID)))
    emulator.admin("privatezone", "bind_foreign_vpc", zone_id=zone_id, vpc_id=FOREIGN_VPC_ID)
    keep = [vpc for vpc in bound(client, zone_id) if vpc != VPC_ID]
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=vpcs(*keep)))
    assert bound(client, zone_id) == [FOREIGN_VPC_ID]


# ------------------------------------------------------------------------------ deleting zones


def test_delete_zone_with_a_bound_vpc_is_zone_vpc_exists(client: Client, zone_id: str) -> None:
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=vpcs(VPC_ID)))
    error = error_of(lambda: client.delete_zone(pvtz.DeleteZoneRequest(zone_id=zone_id)))
    assert (error.code, error.status_code) == ("Zone.VpcExists", 400)


def test_delete_zone_after_unbinding_succeeds_once_the_unbinding_shows(
    emulator: EmulatorControl, client: Client, zone_id: str
) -> None:
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=vpcs(VPC_ID)))
    emulator.set_pace("instant", **{"privatezone.bind.visible": 1.0})
    client.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone_id, vpcs=[]))
    delete = pvtz.DeleteZoneRequest(zone_id=zone_id)
    assert error_of(lambda: client.delete_zone(delete)).code == "Zone.VpcExists"
    wait_until(
        lambda: _succeeds(lambda: client.delete_zone(delete), "Zone.VpcExists"),
        timeout=5,
        message="zone deletable",
    )
    assert (
        error_of(lambda: client.describe_zone_info(pvtz.DescribeZoneInfoRequest(zone_id=zone_id))).code
        == "Zone.NotExists"
    )


def test_delete_zone_unknown_is_zone_not_exists(client: Client) -> None:
    error = error_of(lambda: client.delete_zone(pvtz.DeleteZoneRequest(zone_id="f" * 32)))
    assert (error.code, error.status_code) == ("Zone.NotExists", 400)


# ------------------------------------------------------------------------------ records


def test_add_zone_record_answers_an_integer_record_id(client: Client, zone_id: str) -> None:
    body = client.add_zone_record(
        pvtz.AddZoneRecordRequest(zone_id=zone_id, rr="@", type="A", value="192.168.1.10")
    ).body
    assert body.success is True and isinstance(body.record_id, int)


def test_add_zone_record_twice_is_record_invalid_conflict(client: Client, zone_id: str) -> None:
    add_a_record(client, zone_id)
    error = error_of(lambda: add_a_record(client, zone_id))
    assert (error.code, error.status_code) == ("Record.Invalid.Conflict", 400)


def test_add_zone_record_with_an_undocumented_ttl_is_refused(client: Client, zone_id: str) -> None:
    error = error_of(lambda: add_a_record(client, zone_id, ttl=120))
    assert (error.code, error.status_code) == ("Record.Invalid.Ttl", 400)


def test_add_zone_record_with_an_unknown_type_is_refused(client: Client, zone_id: str) -> None:
    request = pvtz.AddZoneRecordRequest(zone_id=zone_id, rr="www", type="NS", value="ns1.example.com")
    error = error_of(lambda: client.add_zone_record(request))
    assert (error.code, error.status_code) == ("Record.Invalid.Type", 400)


def test_describe_zone_records_lists_the_record_with_typed_fields(client: Client, zone_id: str) -> None:
    record_id = add_a_record(client, zone_id, ttl=3600)
    records = client.describe_zone_records(
        pvtz.DescribeZoneRecordsRequest(zone_id=zone_id)
    ).body.records.record
    assert [(r.record_id, r.rr, r.ttl, r.status) for r in records] == [(record_id, "www", 3600, "ENABLE")]


def test_delete_zone_record_removes_it(client: Client, zone_id: str) -> None:
    record_id = add_a_record(client, zone_id)
    assert (
        client.delete_zone_record(pvtz.DeleteZoneRecordRequest(record_id=record_id)).body.record_id
        == record_id
    )
    assert (
        client.describe_zone_records(pvtz.DescribeZoneRecordsRequest(zone_id=zone_id)).body.total_items == 0
    )


# ------------------------------------------------------------------------------ the EAS role


def test_eas_role_adds_binds_records_and_deletes_a_zone(role: Client) -> None:
    zone = role.add_zone(pvtz.AddZoneRequest(zone_name=unique_zone())).body.zone_id
    role.add_zone_record(pvtz.AddZoneRecordRequest(zone_id=zone, rr="www", type="A", value="192.168.1.10"))
    role.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone, vpcs=vpcs(VPC_ID)))
    role.bind_zone_vpc(pvtz.BindZoneVpcRequest(zone_id=zone, vpcs=[]))
    assert role.delete_zone(pvtz.DeleteZoneRequest(zone_id=zone)).body.zone_id == zone


def test_eas_role_describe_zone_info_is_forbidden(role: Client, zone_id: str) -> None:
    error = error_of(lambda: role.describe_zone_info(pvtz.DescribeZoneInfoRequest(zone_id=zone_id)))
    assert (error.code, error.status_code) == ("Forbidden.RAM", 403)
