"""VPC reads through the handlers: wrappers, filters, paging, address accounting, not-found shapes."""

from __future__ import annotations

from emulator.services.vpc.models import VSwitch
from tests.unit.network_world import (
    OTHER_VPC_ID,
    T0,
    VPC_ID,
    VSWITCH_J,
    VSWITCH_K,
    ZONE_J,
    StubWorld,
    fails,
    run,
)


def test_describe_vpcs_uses_xml_style_wrappers() -> None:
    body = run(StubWorld(), "vpc", "DescribeVpcs", {"RegionId": "cn-hangzhou", "VpcId": VPC_ID})
    (vpc,) = body["Vpcs"]["Vpc"]
    assert vpc["VSwitchIds"]["VSwitchId"] == [VSWITCH_J, VSWITCH_K]
    assert (body["TotalCount"], vpc["Tags"]) == (1, {"Tag": []})


def test_describe_vpcs_with_more_than_twenty_ids_is_refused() -> None:
    ids = ",".join(f"vpc-{n}" for n in range(21))
    assert fails(StubWorld(), "vpc", "DescribeVpcs", {"RegionId": "cn-hangzhou", "VpcId": ids}).code == (
        "InvalidVpcIdNumber.NotSupported"
    )


def test_describe_vpcs_pages_by_number() -> None:
    body = run(
        StubWorld(), "vpc", "DescribeVpcs", {"RegionId": "cn-hangzhou", "PageSize": "1", "PageNumber": "2"}
    )
    assert [v["VpcId"] for v in body["Vpcs"]["Vpc"]] == [OTHER_VPC_ID]
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (2, 2, 1)


def test_describe_vpc_attribute_unknown_vpc_answers_an_empty_vpc_id() -> None:
    body = run(
        StubWorld(), "vpc", "DescribeVpcAttribute", {"RegionId": "cn-hangzhou", "VpcId": "vpc-missing"}
    )
    assert body["VpcId"] == ""


def test_describe_vswitches_unknown_vpc_answers_forbidden_vpc_not_found() -> None:
    error = fails(
        StubWorld(), "vpc", "DescribeVSwitches", {"RegionId": "cn-hangzhou", "VpcId": "vpc-missing"}
    )
    assert (error.code, error.status) == ("Forbidden.VpcNotFound", 400)


def test_describe_vswitch_attributes_unknown_answers_not_found() -> None:
    error = fails(
        StubWorld(), "vpc", "DescribeVSwitchAttributes", {"RegionId": "cn-hangzhou", "VSwitchId": "vsw-x"}
    )
    assert (error.code, error.status) == ("InvalidVSwitchId.NotFound", 400)


def test_describe_vswitch_attributes_available_count_drops_as_interfaces_take_addresses() -> None:
    stub = StubWorld()
    before = run(stub, "vpc", "DescribeVSwitchAttributes", {"VSwitchId": VSWITCH_J})[
        "AvailableIpAddressCount"
    ]
    stub.own("ecs").enis.create(
        vswitch_id=VSWITCH_J, vpc_id=VPC_ID, zone_id=ZONE_J, ip="192.168.1.5", group_ids=[], owner="", now=T0
    )
    after = run(stub, "vpc", "DescribeVSwitchAttributes", {"VSwitchId": VSWITCH_J})["AvailableIpAddressCount"]
    assert (before, after) == (252, 251)


def test_describe_vpcs_dry_run_answers_dry_run_operation() -> None:
    error = fails(StubWorld(), "vpc", "DescribeVpcs", {"RegionId": "cn-hangzhou", "DryRun": "true"})
    assert (error.code, error.status) == ("DryRunOperation", 400)


def test_vswitch_reserves_the_first_and_last_three_addresses() -> None:
    vswitch = VSwitch(vswitch_id="vsw-a", vpc_id="vpc-a", zone_id="z", cidr_block="10.0.0.0/29")
    usable = [ip for ip in (f"10.0.0.{n}" for n in range(8)) if vswitch.usable(ip)]
    assert usable == ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]
    assert vswitch.first_free({"10.0.0.1", "10.0.0.2"}) == "10.0.0.3"
    assert vswitch.first_free(usable) is None
